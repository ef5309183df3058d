"""Derived state: what the routines' data means on a given day, computed once.

Review state, the state of a legal provision, how each audit finding stands,
a routine's tags and the Swedish words for statuses and kinds of
responsibility are decided here and nowhere else. The checker, the pages, the
routine page, the release documents and the browser scripts (through the data
the pages give them, ``review_rule``) all read these.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from .. import model
from .context import BuildContext
from .handbook import Handbook, RoutineSource

# --- words --------------------------------------------------------------------------------

STATUS_LABELS = {"utkast": "Utkast", "gällande": "Gällande", "upphävd": "Upphävd"}
"""A routine's ``status`` as the reader sees it."""

KIND_LABELS = {kind: kind.capitalize() for kind in model.RESPONSIBILITY_KINDS}
"""A kind of responsibility as a heading: Beslutar, Utför, Följer upp."""


def count(number: int, one: str, many: str) -> str:
    """``1 rutin``, ``2 rutiner``."""
    return f"{number} {one if number == 1 else many}"


# --- review ---------------------------------------------------------------------------------

REVIEW_TEXTS = {
    "forsenad": "Försenad sedan {dagar}",
    "idag": "Ska revideras i dag",
    "snart": "Ska revideras inom {dagar}",
    "i-tid": "I tid",
}
"""How each review state is written; ``{dagar}`` is ``N dag``/``N dagar``."""


@dataclass(frozen=True)
class ReviewState:
    key: str     # forsenad | snart | i-tid
    label: str


def review_state(routine: model.Routine, context: BuildContext) -> ReviewState:
    """Whether a routine's review is overdue, due soon, or in time, on ``context.today``."""
    days = (routine.review_by - context.today).days
    if days < 0:
        return ReviewState("forsenad", REVIEW_TEXTS["forsenad"].format(dagar=count(-days, "dag", "dagar")))
    if days == 0:
        return ReviewState("snart", REVIEW_TEXTS["idag"])
    if days <= context.review_warning_days:
        return ReviewState("snart", REVIEW_TEXTS["snart"].format(dagar=count(days, "dag", "dagar")))
    return ReviewState("i-tid", REVIEW_TEXTS["i-tid"])


def review_rule(context: BuildContext) -> dict:
    """The review rule as data for the browser, which applies it again with the reader's date."""
    return {"idag": context.today.isoformat(), "varningsdagar": context.review_warning_days, "texter": REVIEW_TEXTS}


def review_overdue(routine: model.Routine, today: dt.date) -> bool:
    """A routine in force whose review date has passed (the banner on its page)."""
    return routine.status == "gällande" and routine.review_by < today


# --- legal provisions ---------------------------------------------------------------------


def legal_state(legal: model.LegalReference, today: dt.date) -> str:
    """``upphävd``, ``kommande`` or ``gällande`` on ``today``."""
    if legal.in_force_to and legal.in_force_to < today:
        return "upphävd"
    if legal.in_force_from and legal.in_force_from > today:
        return "kommande"
    return "gällande"


# --- changes in the law --------------------------------------------------------------------

RECENT_CHANGE_DAYS = 365
"""How long after it took effect a change in the law is still shown as recent."""


def law_changes(handbook: Handbook) -> list[model.LegalReference]:
    """The provisions that name the processes they concern (``affects``), by the day they apply."""
    found = [legal for legal in handbook.legal.values() if legal.affects and legal.in_force_from]
    return sorted(found, key=lambda legal: (legal.in_force_from, legal.citation.casefold()))


@dataclass(frozen=True)
class LawChange:
    legal: model.LegalReference
    state: str                               # kommande | ny | aldre
    routines: tuple[RoutineSource, ...]      # routines of the processes it concerns (not repealed)
    accounted: tuple[RoutineSource, ...]     # those citing it

    @property
    def missing(self) -> tuple[RoutineSource, ...]:
        return tuple(s for s in self.routines if s not in self.accounted)


def law_change_states(handbook: Handbook, today: dt.date) -> list[LawChange]:
    """Each change with the routines it concerns and whether they take it into account."""
    result = []
    for legal in law_changes(handbook):
        routines = tuple(s for s in handbook.sorted_routines()
                         if s.routine.process in legal.affects and s.routine.status != "upphävd")
        accounted = tuple(s for s in routines if legal.id in s.routine.legal_basis)
        if legal.in_force_from > today:
            state = "kommande"
        elif (today - legal.in_force_from).days <= RECENT_CHANGE_DAYS:
            state = "ny"
        else:
            state = "aldre"
        result.append(LawChange(legal, state, routines, accounted))
    return result


# --- audit findings -------------------------------------------------------------------------

FINDING_LABELS = {
    "besvarad": "Besvarad",
    "delvis": "Delvis besvarad",
    "under-arbete": "Under arbete – besvaras av utkast",
    "oppen": "Öppen",
    "saknar-svar": "Öppen – saknar svar och motivering",
}


@dataclass(frozen=True)
class FindingState:
    key: str                 # besvarad | delvis | under-arbete | oppen | saknar-svar
    label: str
    routines: tuple[RoutineSource, ...]
    in_part: tuple[RoutineSource, ...] = ()


def finding_states(handbook: Handbook) -> dict[str, FindingState]:
    """How each audit finding stands: answered by routines, in part, open with a reason, or neither.

    A finding is answered by the routines in force that list it in ``answers``,
    and answered in part by those that list it in ``answers_in_part``; one
    answered only by drafts is "under arbete"; repealed routines answer nothing.
    """
    answering: dict[str, list[RoutineSource]] = {fid: [] for fid in handbook.findings}
    partly: dict[str, list[RoutineSource]] = {fid: [] for fid in handbook.findings}
    for source in handbook.sorted_routines():
        if source.routine.status == "upphävd":
            continue
        for ref in source.routine.answers:
            if ref in answering:
                answering[ref].append(source)
        for ref in source.routine.answers_in_part:
            if ref in partly:
                partly[ref].append(source)
    states = {}
    for fid, finding in handbook.findings.items():
        full, part = tuple(answering[fid]), tuple(partly[fid])
        if any(s.routine.status == "gällande" for s in full):
            key = "besvarad"
        elif any(s.routine.status == "gällande" for s in part):
            key = "delvis"
        elif full or part:
            key = "under-arbete"
        elif finding.open_reason:
            key = "oppen"
        else:
            key = "saknar-svar"
        states[fid] = FindingState(key, FINDING_LABELS[key], full, part)
    return states


# --- tags -------------------------------------------------------------------------------------

TAG_GROUPS = ("Process", "Målgrupp", "Roll")


def routine_tags(handbook: Handbook, routine: model.Routine) -> dict[str, list[str]]:
    """A routine's tags by group: its process, target groups and roles (``audience``).

    Names are HTML-escaped: Material prints tag names into its templates as
    HTML, without escaping them.
    """
    groups = {
        "Process": [handbook.process_of(routine).title],
        "Målgrupp": list(routine.target_groups),
        "Roll": [handbook.roles[r].name for r in routine.audience if r in handbook.roles],
    }
    return {group: [html.escape(name, quote=True) for name in dict.fromkeys(names)] for group, names in groups.items()}


def tag_names(handbook: Handbook, routine: model.Routine) -> list[str]:
    """All of a routine's tags, for ``page.meta['tags']``."""
    return list(dict.fromkeys(name for names in routine_tags(handbook, routine).values() for name in names))

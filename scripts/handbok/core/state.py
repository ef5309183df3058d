"""Derived state: what the routines' data means on a given day, computed once.

The reader's status of a routine (``reader_status``: in force, approved for a
later day, draft, not approved, repealed – from the routine, the releases
register and the build), the build's own status (``build_status``), review
state, the state of a legal provision, how each audit finding stands, a
routine's tags, a role as the reader sees it and the Swedish words for
statuses and kinds of responsibility are decided here and nowhere else. The
checker, the pages, the routine page, the release documents and the browser
scripts (through the data the pages give them, ``review_rule``) all read these.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from .. import model
from .context import BuildContext
from .handbook import Handbook, RoutineSource
from .hashing import routine_hash

# --- words --------------------------------------------------------------------------------

STATUS_LABELS = {"utkast": "Utkast", "gällande": "Gällande", "upphävd": "Upphävd"}
"""A routine's ``status`` field as written (the editor's word). What the reader is told is
``reader_status``: a routine claiming ``gällande`` that no release records is not in force."""

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


def finding_states(handbook: Handbook, context: BuildContext | None = None) -> dict[str, FindingState]:
    """How each audit finding stands: answered by routines, in part, open with a reason, or neither.

    A finding is answered by the approved routines (``ReaderStatus.decided``) that list
    it in ``answers``, and answered in part by those that list it in ``answers_in_part``;
    one answered only by drafts or routines no release approved is "under arbete";
    repealed routines answer nothing.
    """
    context = context or BuildContext()
    statuses = reader_statuses(handbook, context)
    decided = lambda source: statuses[source.routine.id].decided  # noqa: E731
    answering: dict[str, list[RoutineSource]] = {fid: [] for fid in handbook.findings}
    partly: dict[str, list[RoutineSource]] = {fid: [] for fid in handbook.findings}
    for source in handbook.sorted_routines():
        if statuses[source.routine.id].repealed:
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
        if any(decided(s) for s in full):
            key = "besvarad"
        elif any(decided(s) for s in part):
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
    """All of a routine's tags, for the tags plugin (the page's ``etiketter``)."""
    return list(dict.fromkeys(name for names in routine_tags(handbook, routine).values() for name in names))


# --- roles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleLabel:
    name: str
    unit: str  # the unit, less what the name already says ("" when nothing is left)

    def __str__(self) -> str:
        return f"{self.name} – {self.unit}" if self.unit else self.name


def role_label(handbook: Handbook, role_id: str) -> RoleLabel:
    """A role as the reader sees it: its name, and its unit without repeating the name.

    "Enhetschef, ekonomiskt bistånd" of the unit "Ekonomiskt bistånd, individ- och
    familjeomsorgen" is shown with the unit "individ- och familjeomsorgen" only.
    """
    role = handbook.roles.get(role_id)
    if role is None:
        return RoleLabel(role_id, "")
    said = role.name.casefold()
    parts = [part.strip() for part in role.unit.split(",") if part.strip()]
    while parts and _base(parts[0]) in said:
        parts.pop(0)
    return RoleLabel(role.name, ", ".join(parts))


def _base(part: str) -> str:
    """A unit's name without an abbreviation in parentheses: "Arbetsmarknadsenheten (AME)" → "arbetsmarknadsenheten"."""
    return part.split(" (", 1)[0].strip().casefold()


# --- the reader's status --------------------------------------------------------------------

READER_LABELS = {
    "gallande": "Gällande",
    "kommande": "Fastställd, gäller senare",
    "utkast": "Utkast – gäller inte",
    "ej-faststalld": "Ej fastställd – gäller inte",
    "upphavd": "Upphävd",
    "upphavs": "Utkast – föreslås upphävd",
}
"""The reader's status in a word or two, by key (the key is ASCII: classes, attributes, exports)."""


@dataclass(frozen=True)
class Decision:
    """A version of a routine as a recorded release decided it."""

    release: str             # the handbook's version, e.g. 2026.1
    organ: str
    date: dt.date
    reference: str
    routine_version: str
    status: str              # gällande | upphävd, as the release recorded the routine
    valid_from: dt.date      # when this version of the routine applies (or applied)

    @property
    def words(self) -> str:
        """``Socialnämnden 2026-03-12 (SN 2026-03-12 § 45)``."""
        return f"{self.organ} {self.date} ({self.reference})"

    def as_dict(self) -> dict:
        return {"handbok_version": self.release, "organ": self.organ, "datum": self.date.isoformat(),
                "protokoll": self.reference, "rutinens_version": self.routine_version, "status": self.status,
                "galler_fran": self.valid_from.isoformat()}


@dataclass(frozen=True)
class ReaderStatus:
    """What the reader is told about a routine: one answer for the metadata box, the banners,
    print, the start page, the registers, search results and exports."""

    key: str                            # gallande | kommande | utkast | ej-faststalld | upphavd | upphavs
    label: str                          # READER_LABELS[key]
    text: str                           # the full sentence (banner, print, exports)
    approved: Decision | None           # the recorded release that approved (or repealed) this version
    draft_build: bool                   # this build is not an approved release
    in_force_instead: Decision | None   # what applies today instead, when this version does not

    @property
    def in_force(self) -> bool:
        return self.key == "gallande"

    @property
    def decided(self) -> bool:
        """A recorded release approved this text (it applies now or from a later day)."""
        return self.key in ("gallande", "kommande")

    @property
    def repealed(self) -> bool:
        return self.key == "upphavd"

    @property
    def valid_from(self) -> dt.date | None:
        return self.approved.valid_from if self.approved else None

    def as_dict(self) -> dict:
        """Plain JSON data (the API export and the browser read this)."""
        return {"nyckel": self.key, "status": self.label, "text": self.text, "galler": self.in_force,
                "faststalld": self.approved.as_dict() if self.approved else None,
                "utkastbygge": self.draft_build,
                "galler_i_stallet": self.in_force_instead.as_dict() if self.in_force_instead else None}


def _decision(release: model.Release, entry: model.ReleasedRoutine) -> Decision:
    start = release.valid_from
    if entry.valid_from and entry.valid_from > start:
        start = entry.valid_from
    return Decision(release.version, release.organ, release.date, release.reference, entry.version, entry.status, start)


def recorded_approval(handbook: Handbook, routine: model.Routine) -> tuple[model.Release, model.ReleasedRoutine] | None:
    """The release that records the routine's approval claim (``approved``): the same decision
    (organ, date, reference), and this version of the routine in it as ``gällande``."""
    claim = routine.approved
    if claim is None:
        return None
    for release in handbook.releases.releases:
        if (release.reference, release.date, release.organ) != (claim.reference, claim.date, claim.by):
            continue
        entry = release.routine(routine.id)
        if entry is not None and entry.status == "gällande" and entry.version == routine.version:
            return release, entry
    return None


def approval_gap(handbook: Handbook, routine: model.Routine) -> str | None:
    """Why the releases register does not back the routine's approval claim, in Swedish
    (None: there is no claim, or a release records it). Read by the check RH706."""
    claim = routine.approved
    if claim is None or recorded_approval(handbook, routine) is not None:
        return None
    releases = handbook.releases.releases
    if not releases:
        return "releaseregistret har ingen fastställd version av handboken"
    same = [r for r in releases if r.reference == claim.reference]
    if not same:
        return "beslutet finns inte i releaseregistret"
    release = same[0]
    if (release.date, release.organ) != (claim.date, claim.by):
        return f"enligt releaseregistret fattades beslutet av {release.organ} {release.date}"
    entry = release.routine(routine.id)
    if entry is None:
        return f"handbokens version {release.version}, som beslutet gäller, omfattar inte rutinen"
    if entry.version != routine.version:
        return (f"i handbokens version {release.version} fastställdes rutinens version {entry.version}, "
                f"inte {routine.version}")
    return f"i handbokens version {release.version} ingick rutinen som {entry.status}, inte som gällande"


def _in_force_on(handbook: Handbook, routine_id: str, today: dt.date) -> Decision | None:
    found = handbook.releases.routine_on(today, routine_id)
    if found is None or found[1].status != "gällande":
        return None
    return _decision(*found)


def _instead(decision: Decision | None) -> str:
    if decision is None:
        return " Det finns ingen gällande version av rutinen."
    return (f" Gällande är rutinens version {decision.routine_version}, fastställd av {decision.words} "
            f"i handbokens version {decision.release}.")


def _latest_repeal(handbook: Handbook, routine_id: str) -> tuple[model.Release, model.ReleasedRoutine] | None:
    """The release whose entry for the routine is ``upphävd``, if that is its latest word on it."""
    for release in reversed(handbook.releases.releases):
        entry = release.routine(routine_id)
        if entry is not None and entry.status != "utkast":
            return (release, entry) if entry.status == "upphävd" else None
    return None


def reader_status(handbook: Handbook, source: RoutineSource, context: BuildContext) -> ReaderStatus:
    """The routine's status for the reader, from the routine, the releases register and the build.

    A routine is in force only when a recorded release approved this very text (the
    decision its ``approved`` names, this version, this content hash) and that decision
    applies on ``context.today``. A claim no release records is not an approval.
    """
    routine = source.routine
    today = context.today
    draft_build = context.build is None or context.build.draft

    def status(key: str, text: str, approved: Decision | None = None, instead: Decision | None = None) -> ReaderStatus:
        return ReaderStatus(key, READER_LABELS[key], text, approved, draft_build, instead)

    if routine.status == "utkast":
        instead = _in_force_on(handbook, routine.id, today)
        return status("utkast", "Utkast – rutinen är inte fastställd och gäller inte." + _instead(instead),
                      instead=instead)
    if routine.status == "upphävd":
        repeal = _latest_repeal(handbook, routine.id)
        if repeal is not None or not handbook.releases.releases:
            decision = _decision(*repeal) if repeal else None
            said = f" Den upphävdes av {decision.words}." if decision else ""
            return status("upphavd", "Upphävd – rutinen gäller inte längre." + said, approved=decision)
        instead = _in_force_on(handbook, routine.id, today)
        if instead is None:
            return status("upphavd", "Upphävd – rutinen gäller inte längre.")
        return status("upphavs", "Utkast – rutinen föreslås bli upphävd, men nämnden har inte beslutat om det."
                      + _instead(instead), instead=instead)
    # status: gällande – in force only if a recorded release approved exactly this text.
    found = recorded_approval(handbook, routine)
    if found is None or found[1].sha256 != routine_hash(source):
        instead = _in_force_on(handbook, routine.id, today)
        why = ("inget beslut om den här versionen finns i handbokens releaseregister" if found is None
               else "texten har ändrats sedan nämnden fastställde den")
        return status("ej-faststalld", f"Ej fastställd – {why}, så rutinen gäller inte." + _instead(instead),
                      instead=instead)
    decision = _decision(*found)
    if decision.valid_from > today:
        instead = _in_force_on(handbook, routine.id, today)
        return status("kommande", f"Fastställd av {decision.words} men gäller först från {decision.valid_from}."
                      + (_instead(instead) if instead else ""), approved=decision, instead=instead)
    return status("gallande", f"Gällande sedan {decision.valid_from}. Fastställd av {decision.words} "
                              f"i handbokens version {decision.release}.", approved=decision)


def reader_statuses(handbook: Handbook, context: BuildContext) -> dict[str, ReaderStatus]:
    """Every routine's reader status, each computed once per build (``context.once``)."""
    return {rid: status_of(handbook, context, source.routine) for rid, source in handbook.routines.items()}


def status_of(handbook: Handbook, context: BuildContext, routine: model.Routine) -> ReaderStatus:
    known = context.once("reader-statuses", dict)
    if routine.id not in known:
        known[routine.id] = reader_status(handbook, handbook.routines[routine.id], context)
    return known[routine.id]


# --- the build's status ---------------------------------------------------------------------


@dataclass(frozen=True)
class BuildStatus:
    """What the whole build is, as every page's banner and the start page say it."""

    draft: bool
    version: str                 # the approved release this build is ("" for a draft)
    release: model.Release | None          # that release
    in_force: model.Release | None         # the release in force on the build's day
    text: str                    # the sentence (the start page)
    short: str = ""              # the draft mark's sentence after "Utkast – ej fastställd." (every page)

    def as_dict(self) -> dict:
        def about(release):
            return None if release is None else {
                "version": release.version, "organ": release.organ, "datum": release.date.isoformat(),
                "protokoll": release.reference, "galler_fran": release.valid_from.isoformat()}
        return {"utkast": self.draft, "version": self.version, "text": self.text, "kort": self.short,
                "faststalld": about(self.release), "gallande": about(self.in_force)}


def _release_words(release: model.Release) -> str:
    return f"{release.organ} {release.date} ({release.reference})"


def build_status(handbook: Handbook, context: BuildContext) -> BuildStatus:
    """A draft (``make serve``, a build of main) or an approved release, in the reader's words."""
    register = handbook.releases
    in_force = register.in_force_on(context.today)
    version = context.build.version if context.build is not None and not context.build.draft else None
    release = register.get(version) if version else None
    if release is None:
        if in_force is not None:
            text = (f"Det här är arbetsversionen av handboken, med ändringar som nämnden inte har beslutat om; "
                    f"varje rutin visar om den gäller. Gällande version av handboken är {in_force.version}, "
                    f"fastställd av {_release_words(in_force)}.")
            short = (f"Arbetsversion med ändringar som inte är beslutade; varje rutin visar om den gäller. "
                     f"Gällande version: {in_force.version} ({in_force.reference}).")
        elif register.releases:
            first = register.releases[0]
            text = (f"Det här är arbetsversionen av handboken; varje rutin visar om den gäller. Den första "
                    f"fastställda versionen, {first.version}, börjar gälla {first.valid_from}.")
            short = f"Arbetsversion; varje rutin visar om den gäller. Version {first.version} gäller från {first.valid_from}."
        else:
            text = short = "Ingen version av handboken är fastställd av nämnden ännu, så ingen rutin här gäller."
        return BuildStatus(True, "", None, in_force, text, short)
    if release.valid_from > context.today:
        text = (f"Version {release.version} av handboken, fastställd av {_release_words(release)}. "
                f"Den börjar gälla {release.valid_from}.")
    else:
        text = (f"Version {release.version} av handboken, fastställd av {_release_words(release)}. "
                f"Den gäller från {release.valid_from}.")
    return BuildStatus(False, release.version, release, in_force, text)


def search_tags(handbook: Handbook, routine: model.Routine, context: BuildContext) -> list[str]:
    """The few tags a search hit shows: the reader status and the process (HTML-escaped)."""
    return [html.escape(status_of(handbook, context, routine).label, quote=True),
            html.escape(handbook.process_of(routine).title, quote=True)]

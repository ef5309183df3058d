"""The checker's rules: small registered functions, one code each.

Every rule takes the loaded handbook and a ``CheckContext`` and yields
problems. The same rules run in ``handbok check``, in the MkDocs build and in
CI. Adding a rule touches only this module: write a function and decorate it
with ``@rule("RHnnn", "ämne", "kort beskrivning")``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .handbook import Handbook, RoutineSource
from .problems import Problem, ProblemList, Severity


@dataclass
class CheckContext:
    today: dt.date = field(default_factory=dt.date.today)
    review_warning_days: int = 60


@dataclass(frozen=True)
class Rule:
    code: str
    topic: str
    title: str
    function: Callable[[Handbook, CheckContext], Iterable[Problem]]
    # Date-driven findings are shown on the page itself (banner) and must not
    # stop a rebuild of an unchanged handbook; they still fail 'handbok check'.
    in_build: bool = True


RULES: dict[str, Rule] = {}


def rule(code: str, topic: str, title: str, *, in_build: bool = True):
    def register(function):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, topic, title, function, in_build)
        return function

    return register


def run_checks(handbook: Handbook, context: CheckContext | None = None, *, in_build: bool = False) -> ProblemList:
    """Loader problems plus every rule's findings, sorted by place."""
    context = context or CheckContext()
    problems = ProblemList(handbook.problems)
    for registered in RULES.values():
        if in_build and not registered.in_build:
            continue
        problems.extend(registered.function(handbook, context))
    problems.sort()
    return problems


def _problem(source: RoutineSource, key: str, code: str, message: str, hint: str,
             severity: Severity = Severity.ERROR, *loc) -> Problem:
    line, column = source.document.where((key, *loc, "__value__") if not loc else (key, *loc))
    return Problem(source.display, line, column, code, severity, message, hint)


# --- owner ------------------------------------------------------------------------


@rule("RH201", "ägare", "rutinägarens roll finns inte i rollregistret")
def owner_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        owner = source.routine.owner
        if owner not in handbook.roles:
            yield _problem(source, "owner", "RH201", f"rutinägaren '{owner}' finns inte i rollregistret",
                           "Ange ett id ur routines/register/roller.yml eller lägg till rollen där.")


@rule("RH202", "ägare", "rutinägarens roll saknar kontaktuppgift")
def owner_has_contact(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        role = handbook.roles.get(source.routine.owner)
        if role is not None and not role.contact:
            yield _problem(source, "owner", "RH202",
                           f"rollen '{role.id}' saknar kontaktuppgift, så läsare kan inte nå rutinägaren",
                           "Lägg till contact: (en funktionsbrevlåda) för rollen i roller.yml.")


@rule("RH203", "ägare", "en roll i ansvar eller målgrupp finns inte")
def responsibility_roles_exist(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        for index, item in enumerate(source.routine.responsibilities):
            if item.role not in handbook.roles:
                yield _problem(source, "responsibilities", "RH203",
                               f"rollen '{item.role}' i ansvar finns inte i rollregistret",
                               "Ange ett id ur routines/register/roller.yml.", Severity.ERROR, index, "role")
        for index, role_id in enumerate(source.routine.audience):
            if role_id not in handbook.roles:
                yield _problem(source, "audience", "RH203", f"rollen '{role_id}' i audience finns inte i rollregistret",
                               "Ange ett id ur routines/register/roller.yml.", Severity.ERROR, index)


# --- dates ----------------------------------------------------------------------------


@rule("RH301", "datum", "revideringsdatumet har passerat", in_build=False)
def review_overdue(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande" and routine.review_by < context.today:
            yield _problem(source, "review_by", "RH301",
                           f"revideringen är försenad: review_by {routine.review_by} har passerat",
                           "Revidera rutinen och låt nämnden fastställa den i nästa release.")


@rule("RH302", "datum", "revideringsdatumet närmar sig", in_build=False)
def review_soon(handbook: Handbook, context: CheckContext):
    window = dt.timedelta(days=context.review_warning_days)
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande" and context.today <= routine.review_by <= context.today + window:
            days = (routine.review_by - context.today).days
            yield _problem(source, "review_by", "RH302",
                           f"rutinen ska revideras inom {days} dagar ({routine.review_by})",
                           "Planera revideringen med rutinägaren.", Severity.WARNING)


@rule("RH303", "datum", "gäller från ligger efter revideringsdatumet")
def valid_before_review(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.valid_from and routine.valid_from > routine.review_by:
            yield _problem(source, "valid_from", "RH303",
                           f"valid_from {routine.valid_from} ligger efter review_by {routine.review_by}",
                           "En rutin kan inte revideras innan den börjar gälla. Rätta något av datumen.")


# --- status ---------------------------------------------------------------------------


@rule("RH701", "status", "gällande rutin saknar fastställelse")
def in_force_is_approved(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande":
            if routine.approved is None:
                yield _problem(source, "status", "RH701", "rutinen är gällande men saknar approved (vem fastställde den, när, protokollsreferens)",
                               "Lägg till approved: med by, date och reference, eller sätt status: utkast.")
            if routine.valid_from is None:
                yield _problem(source, "status", "RH701", "rutinen är gällande men saknar valid_from",
                               "Ange från vilket datum rutinen gäller.")


@rule("RH702", "status", "upphävd rutin saknar ersättare")
def repealed_has_replacement(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "upphävd" and not routine.replaced_by:
            yield _problem(source, "status", "RH702", "rutinen är upphävd men replaced_by saknas",
                           "Ange id för rutinen som ersätter den i replaced_by.")
        if routine.replaced_by and routine.replaced_by not in handbook.routines:
            yield _problem(source, "replaced_by", "RH702", f"replaced_by pekar på '{routine.replaced_by}', som inte finns",
                           "Ange id för en befintlig rutin.")


@rule("RH703", "status", "id stämmer inte med filnamnet")
def id_matches_file(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        if source.path.stem != source.routine.id:
            yield _problem(source, "id", "RH703",
                           f"id '{source.routine.id}' stämmer inte med filnamnet '{source.path.name}'",
                           f"Döp om filen till {source.routine.id}.md (id ändras aldrig).")


@rule("RH704", "status", "processen finns inte i processregistret")
def process_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        if handbook.processes and source.routine.process not in handbook.processes:
            yield _problem(source, "process", "RH704", f"processen '{source.routine.process}' finns inte",
                           "Tillåtna processer: " + ", ".join(handbook.processes) + ".")


# --- references ---------------------------------------------------------------------


@rule("RH403", "referenser", "lagrummet finns inte i lagrumsregistret")
def legal_basis_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.legal_basis):
            if ref not in handbook.legal:
                yield _problem(source, "legal_basis", "RH403", f"lagrummet '{ref}' finns inte i lagrum.yml",
                               "Ange ett id ur routines/register/lagrum.yml.", Severity.ERROR, index)


@rule("RH404", "referenser", "lagrummet gällde inte när rutinen började gälla")
def legal_basis_in_force(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        day = source.routine.valid_from or context.today
        for index, ref in enumerate(source.routine.legal_basis):
            legal = handbook.legal.get(ref)
            if legal is None or legal.in_force_on(day):
                continue
            replacement = handbook.legal.get(legal.replaced_by or "")
            hint = (f"Hänvisa till {replacement.citation} ({replacement.id}) i stället."
                    if replacement else "Hänvisa till den bestämmelse som gäller.")
            yield _problem(source, "legal_basis", "RH404",
                           f"{legal.citation} gällde inte den {day} (upphävd {legal.in_force_to})" if legal.in_force_to
                           else f"{legal.citation} gällde inte den {day}", hint, Severity.ERROR, index)


@rule("RH405", "referenser", "relaterad rutin finns inte")
def related_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.related):
            if ref not in handbook.routines:
                yield _problem(source, "related", "RH405", f"den relaterade rutinen '{ref}' finns inte",
                               "Ange id för en befintlig rutin (filnamnet utan .md).", Severity.ERROR, index)


@rule("RH406", "referenser", "revisionsrekommendationen finns inte")
def answers_exist(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.answers):
            if ref not in handbook.findings:
                yield _problem(source, "answers", "RH406", f"rekommendationen '{ref}' finns inte i revisionsfynd.yml",
                               "Ange ett id ur routines/register/revisionsfynd.yml.", Severity.ERROR, index)


# --- diagrams -------------------------------------------------------------------------


@rule("RH501", "processkartor", "processkartan finns inte")
def diagram_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        name = source.routine.diagram
        if name and not (handbook.diagrams_dir / name).is_file():
            yield _problem(source, "diagram", "RH501", f"processkartan diagrams/{name} finns inte",
                           "Skapa filen i diagrams/ eller rätta filnamnet.")


def _used_diagrams(handbook: Handbook) -> dict[str, RoutineSource]:
    used: dict[str, RoutineSource] = {}
    for source in handbook.routines.values():
        name = source.routine.diagram
        if name and (handbook.diagrams_dir / name).is_file():
            used.setdefault(name, source)
    return used


@rule("RH502", "processkartor", "processkartan saknar accTitle eller accDescr")
def diagram_accessible(handbook: Handbook, context: CheckContext):
    for name in _used_diagrams(handbook):
        chart = handbook.diagram(name)
        display = f"diagrams/{name}"
        if chart is None:
            continue
        if not chart.title:
            yield Problem(display, 1, 1, "RH502", Severity.ERROR, "processkartan saknar accTitle",
                          "Lägg till raden 'accTitle: Kort titel' efter 'flowchart TD'.")
        if not chart.description:
            yield Problem(display, 1, 1, "RH502", Severity.ERROR, "processkartan saknar accDescr",
                          "Lägg till raden 'accDescr: En mening som beskriver flödet' efter accTitle.")


@rule("RH503", "processkartor", "processkartan kan inte läsas eller göras om till text")
def diagram_readable(handbook: Handbook, context: CheckContext):
    for name in _used_diagrams(handbook):
        chart = handbook.diagram(name)
        display = f"diagrams/{name}"
        yield from handbook.diagram_text(name)[1]
        if chart is None:
            continue
        for line, message in chart.errors:
            yield Problem(display, line, 1, "RH503", Severity.ERROR, f"processkartan: {message}",
                          "Skriv en pil per rad, t.ex. 'a[Steg ett] -->|Ja| b[Steg två]'. Se redaktörsguiden.")
        if not chart.errors and not chart.nodes:
            yield Problem(display, 1, 1, "RH503", Severity.ERROR, "processkartan har inga steg",
                          "Lägg till minst ett steg, t.ex. 'start([Början]) --> steg[Nästa steg]'.")

"""Fullständighet: det en gällande rutin måste säga (RH9xx).

What a routine lacks is computed once in ``core.completeness``; these rules
turn it into findings: an error for a routine in force, a warning for a draft
(so the editor sees it long before a release; ``--strict`` makes it an error
too), nothing for a repealed routine. ``handbok release prepare`` holds every
routine it puts before the nämnd to the same rules as errors
(``problems_as_in_force``; ``handbok new`` lists them for a new draft).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core import completeness as completeness_state
from ..core.completeness import Completeness, joined
from ..core.frequency import EXAMPLES
from ..core.handbook import Handbook, RoutineSource
from ..core.state import KIND_LABELS
from ..core.validation import excerpt
from ..problems import Problem, Severity
from .registry import CODES as REGISTERED
from .registry import BuildContext, problem_at, rule

TOPIC = "fullständighet"
DRAFT_NOTE = " – krävs innan utkastet kan fastställas"


def _found(handbook: Handbook, source: RoutineSource, context: BuildContext) -> Completeness:
    return context.once(f"fullstandighet:{source.display}",
                        lambda: completeness_state.completeness(handbook, source))


def _checked(handbook: Handbook, context: BuildContext, as_in_force: set[str] | None = None
             ) -> Iterable[tuple[RoutineSource, Completeness, Severity, str]]:
    """(routine, what it lacks, severity, note) for every routine the rules apply to.

    ``as_in_force``: check only these routines, each as if it were in force (the release).
    """
    for source in handbook.routines.values():
        routine = source.routine
        if as_in_force is not None:
            if routine.id not in as_in_force:
                continue
            severity, note = Severity.ERROR, ""
        elif completeness_state.required(routine):
            severity, note = Severity.ERROR, ""
        elif completeness_state.checked(routine):
            severity, note = Severity.WARNING, DRAFT_NOTE
        else:
            continue
        yield source, _found(handbook, source, context), severity, note


def _example_role(handbook: Handbook, source: RoutineSource) -> str:
    routine = source.routine
    for candidate in [item.role for item in routine.responsibilities] + [routine.owner] + list(handbook.roles):
        if candidate in handbook.roles:
            return candidate
    return "socialsekreterare"


# --- the rules ------------------------------------------------------------------------------


def _responsibilities(handbook, context, as_in_force=None):
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        if not found.missing_kinds:
            continue
        kinds = joined([KIND_LABELS[k].lower() for k in found.missing_kinds], "eller")
        first = found.missing_kinds[0]
        yield problem_at(source, "responsibilities", "RH901",
                         f"ansvaret är inte helt beskrivet: ingen roll {kinds}{note}",
                         f"Lägg till en post under responsibilities för varje ansvar som saknas, med en roll ur "
                         f"roller.yml, t.ex. '- {{role: {_example_role(handbook, source)}, kind: {first}, "
                         f"task: …}}'.", severity)


@rule("RH901", TOPIC, "ingen roll beslutar, utför eller följer upp", draft_severity=Severity.WARNING)
def responsibilities_complete(handbook: Handbook, context: BuildContext):
    """En gällande rutin ska säga vem som **beslutar**, vem som **utför** och vem
    som **följer upp**: minst en post av varje slag under `responsibilities`,
    var och en med en roll ur rollregistret (en okänd roll är RH203).
    Revisionerna återkommer till att ansvaret i rutinerna är oklart. Ett
    utkast får en varning, så att det syns vad som återstår innan det kan
    fastställas. Registret *Ansvarsfördelning* listar rutiner där ett slag av
    ansvar saknas.

    Rätta: Lägg till en post för varje slag av ansvar som meddelandet nämner,
    med en roll (inte en person) och en mening om uppgiften.

    Exempel:
        responsibilities:
          - role: enhetschef-ekonomiskt-bistand
            kind: beslutar
            task: Beslutar om anvisning.
          - role: socialsekreterare
            kind: utför
            task: Bedömer behovet och samråder med AF.
          - role: teamledare-ekonomiskt-bistand
            kind: följer upp
            task: Går igenom nya anvisningar varje vecka.
    """
    yield from _responsibilities(handbook, context)


def _follow_up_missing(handbook, context, as_in_force=None):
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        if not found.follow_up:
            yield problem_at(source, "follow_up", "RH902",
                             f"follow_up saknas: rutinen säger inte hur ofta eller när den följs upp{note}",
                             "Lägg till follow_up: med vem som följer upp och hur ofta eller senast när, t.ex. "
                             "'Teamledaren går igenom alla nya ärenden varje månad.'", severity)


@rule("RH902", TOPIC, "uppföljning saknas", draft_severity=Severity.WARNING)
def follow_up_present(handbook: Handbook, context: BuildContext):
    """En gällande rutin ska i `follow_up` säga hur ofta eller senast när den
    följs upp, och av vem. Revisionerna återkommer till uppföljning utan
    bestämd frekvens.

    Rätta: Lägg till fältet `follow_up` med en eller två meningar om vem som
    följer upp och hur ofta eller senast när (se RH903 för vad som räknas).

    Exempel:
        follow_up: Teamledaren går igenom ärendena varje vecka.
    """
    yield from _follow_up_missing(handbook, context)


def _follow_up_vague(handbook, context, as_in_force=None):
    examples = joined([f"'{e}'" for e in EXAMPLES], "eller")
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        if not found.follow_up or found.intervals:
            continue
        message = f"follow_up säger inte hur ofta eller när: '{excerpt(found.follow_up)}'"
        if found.vague:
            words = joined([f"'{word}'" for word in found.vague])
            message += f" ({words} {'är ingen frekvens' if len(found.vague) == 1 else 'är inga frekvenser'})"
        yield problem_at(source, "follow_up", "RH903", message + note,
                         f"Skriv en frekvens eller en tidsgräns som går att följa, t.ex. {examples}.", severity)


@rule("RH903", TOPIC, "uppföljningen säger inte hur ofta eller när", draft_severity=Severity.WARNING)
def follow_up_has_frequency(handbook: Handbook, context: BuildContext):
    """`follow_up` ska ange en frekvens eller en tidsgräns som en läsare kan
    hålla sig till. Kontrollen känner igen svenska uttryck som *varje vecka*,
    *varje månad*, *varje kvartal*, *minst var tredje månad*, *varannan
    vecka*, *en gång i månaden*, *två gånger per år*, *veckovis*, *årligen*,
    *senast tre månader efter start*, *fyra veckor efter start*, *inom fem
    arbetsdagar* och *senast den 31 mars*. Ord som *regelbundet*, *vid
    behov*, *löpande* och *kontinuerligt* säger inte hur ofta och räcker inte
    ensamma.

    Rätta: Skriv hur ofta (*varje månad*, *minst var tredje månad*, *två
    gånger per år*) eller senast när (*inom fem arbetsdagar*, *senast tre
    månader efter start*) uppföljningen görs, i stället för till exempel
    *Insatsen följs upp regelbundet och vid behov.* Att det också följs upp
    vid behov kan stå kvar bredvid.

    Exempel:
        follow_up: Mötet hålls minst var tredje månad.
    """
    yield from _follow_up_vague(handbook, context)


def _legal_basis(handbook, context, as_in_force=None):
    example = next(iter(handbook.legal), "sol-2025-400-12-4")
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        if not found.legal_basis:
            yield problem_at(source, "legal_basis", "RH904",
                             f"legal_basis är tom: rutinen anger inget lagrum som den vilar på{note}",
                             f"Ange id för bestämmelserna ur routines/register/lagrum.yml, t.ex. "
                             f"legal_basis: [{example}].", severity)


@rule("RH904", TOPIC, "lagstöd saknas", draft_severity=Severity.WARNING)
def legal_basis_present(handbook: Handbook, context: BuildContext):
    """En gällande rutin ska ange minst ett lagrum i `legal_basis`: den
    bestämmelse som ger nämnden rätt eller skyldighet att göra det rutinen
    beskriver. Avsnittet *Lagstöd* på rutinens sida byggs därifrån.

    Rätta: Ange id för bestämmelserna ur `routines/register/lagrum.yml`, eller
    lägg till bestämmelsen i registret först.

    Exempel:
        legal_basis: [sol-2025-400-12-1, sol-2025-400-12-4]
    """
    yield from _legal_basis(handbook, context)


def _instruction(heading: str) -> str:
    """What the template asks the editor to write in a section."""
    section = next((s for s in completeness_state.template_sections() if s.heading == heading), None)
    if section is None or not section.sentences:
        return ""
    asking = [s for s in section.sentences if s.split()[0] in ("Skriv", "Ange")]
    return " Mallen säger: " + (asking[0] if asking else " ".join(section.sentences))


def _sections(handbook, context, as_in_force=None):
    listed = joined(completeness_state.section_names())
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        for gap in found.sections:
            if gap.empty:
                message = f"avsnittet '## {gap.heading}' är tomt"
                hint = f"Skriv avsnittets text under rubriken.{_instruction(gap.heading)}"
            else:
                message = f"avsnittet '## {gap.heading}' saknas"
                where = f" efter avsnittet {gap.after}" if gap.after else " först i texten"
                hint = (f"Lägg till rubriken '## {gap.heading}'{where} med avsnittets text. Varje rutin har "
                        f"avsnitten {listed}.{_instruction(gap.heading)}")
            yield Problem(source.display, gap.line, 1, "RH905", severity, message + note, hint)


@rule("RH905", TOPIC, "ett avsnitt ur mallen saknas eller är tomt", draft_severity=Severity.WARNING)
def sections_present(handbook: Handbook, context: BuildContext):
    """En gällande rutin har avsnitten som mallen har (`## Syfte`, `## Omfattning`,
    `## Arbetsgång`, `## Uppföljning` och `## Dokumentation`), och text under
    varje rubrik. Avsnitten läses ur mallen (`templates/rutin.md`), så
    kontrollen följer mallen. Egna avsnitt därutöver går bra.

    Rätta: Lägg till rubriken som saknas och skriv avsnittets text under
    den. Rubriken skrivs som i mallen, med `## ` först.

    Exempel:
        ## Omfattning

        Rutinen gäller den som anvisas till praktik.
        Den gäller inte insatser som AF beslutar om.
    """
    yield from _sections(handbook, context)


def _template_text(handbook, context, as_in_force=None):
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        by_line: dict[int, list] = {}
        for item in found.template_text:
            by_line.setdefault(item.line, []).append(item)
        for line, items in by_line.items():
            where = f"i avsnittet {items[0].section}" if items[0].section else "i texten"
            sentences = " ".join(item.sentence for item in items)
            yield Problem(source.display, line, items[0].column, "RH906", severity,
                          f"mallens text står kvar {where}: '{sentences}'{note}",
                          "Ersätt mallens text med rutinens egen. Mallens meningar säger vad som ska stå där; "
                          "de är inte till för läsaren.")


@rule("RH906", TOPIC, "mallens text står kvar", draft_severity=Severity.WARNING)
def no_template_text(handbook: Handbook, context: BuildContext):
    """Rutinens text innehåller en mening som står ordagrant i mallen
    (`templates/rutin.md`), till exempel *Skriv i en eller två meningar vad
    rutinen ska åstadkomma och för vem.* Mallens meningar är instruktioner
    till den som skriver rutinen och ska aldrig nå en läsare eller nämnden.
    Meningarna läses ur mallen, så kontrollen följer mallen.

    Rätta: Skriv rutinens egen text i stället för mallens mening.

    Exempel:
        ## Syfte

        Den som anvisas till praktik ska få ett
        rättssäkert beslut och en plats som passar.
    """
    yield from _template_text(handbook, context)


def _template_map(handbook, context, as_in_force=None):
    users: dict[str, list[tuple[RoutineSource, Completeness, Severity, str]]] = {}
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        if found.map_gaps:
            users.setdefault(found.diagram, []).append((source, found, severity, note))
    for name, using in sorted(users.items()):
        strongest = min(using, key=lambda u: 0 if u[2] is Severity.ERROR else 1)
        severity, note = strongest[2], strongest[3]
        shown = [u[0].routine.id for u in using if u[2] is severity]
        routines = f"används av {'rutinen' if len(shown) == 1 else 'rutinerna'} {', '.join(shown)}"
        for gap in strongest[1].map_gaps:
            if gap.whole:
                message = f"processkartan är mallens karta utan ändringar ({routines}){note}"
                hint = (f"Rita rutinens eget flöde i diagrams/{name}: steg som noder, en pil per rad, och en "
                        "accDescr som beskriver flödet med egna ord.")
            else:
                message = f"processkartan har kvar mallens text '{excerpt(gap.text)}' ({routines}){note}"
                hint = "Ersätt mallens text med rutinens egen: vad som sätter igång flödet, eller en mening om hela flödet."
            yield Problem(f"diagrams/{name}", gap.line, 1, "RH907", severity, message, hint)


@rule("RH907", TOPIC, "processkartan är mallens karta", draft_severity=Severity.WARNING)
def own_process_map(handbook: Handbook, context: BuildContext):
    """Rutinens processkarta är fortfarande mallens karta
    (`templates/processkarta.mmd`, som `handbok new` skapar), bortsett från
    titeln, eller så står mallens beskrivning (*Skriv en mening som
    beskriver flödet …*) eller mallens första steg kvar. Kartan ska visa
    rutinens eget flöde. En rutin behöver ingen karta, men har den en ska den
    vara rutinens egen. Fel när kartan används av en gällande rutin, varning
    när den bara används av utkast.

    Rätta: Rita rutinens flöde i kartan och skriv en egen `accDescr`, eller
    ta bort `diagram` ur rutinen och kartfilen om rutinen inte behöver någon
    karta.

    Exempel:
        flowchart TD
            accTitle: Uppföljning av praktik
            accDescr: Från start via avstämningar till avslut.
            start([Praktiken börjar]) --> avst[Avstämning]
            avst --> slut([Praktiken avslutas])
    """
    yield from _template_map(handbook, context)


def _audience(handbook, context, as_in_force=None):
    for source, found, severity, note in _checked(handbook, context, as_in_force):
        if not found.audience:
            yield problem_at(source, "audience", "RH908",
                             f"audience är tom: rutinen säger inte vilka roller som arbetar efter den{note}",
                             f"Ange rollerna ur roller.yml, t.ex. audience: [{_example_role(handbook, source)}]. "
                             "De blir etiketter som läsarna hittar rutinen med.", severity)


@rule("RH908", TOPIC, "läsare saknas", draft_severity=Severity.WARNING)
def audience_present(handbook: Handbook, context: BuildContext):
    """En gällande rutin ska i `audience` ange vilka roller som arbetar efter
    den. Rollerna blir etiketter, och medarbetare hittar sina rutiner genom
    dem.

    Rätta: Ange id för rollerna ur `routines/register/roller.yml`.

    Exempel:
        audience: [socialsekreterare, jobbcoach]
    """
    yield from _audience(handbook, context)


# --- the release -------------------------------------------------------------------------------

_ALL = (_responsibilities, _follow_up_missing, _follow_up_vague, _legal_basis, _sections, _template_text,
        _template_map, _audience)

CODES = ("RH901", "RH902", "RH903", "RH904", "RH905", "RH906", "RH907", "RH908")
"""The completeness codes, in order."""


def problems_as_in_force(handbook: Handbook, routine_ids: Iterable[str], context: BuildContext | None = None
                         ) -> list[Problem]:
    """Every completeness finding for ``routine_ids``, each checked as a routine in force (errors).

    ``handbok release prepare`` and ``approve`` hold the routines they put before the
    nämnd to these (drafts taken along with ``--ta-med`` too); ``handbok new`` tells the
    editor which of them the new draft still has to meet.
    """
    context = context or BuildContext()
    wanted = set(routine_ids)
    problems = [problem for check in _ALL for problem in check(handbook, context, wanted)]
    return sorted(problems)


def still_to_meet(problems: Iterable[Problem]) -> list[str]:
    """One Swedish line per rule the problems come from: code, title and how many places."""
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.code] = counts.get(problem.code, 0) + 1
    lines = []
    for code in CODES:
        if code in counts:
            places = f" ({counts[code]} ställen)" if counts[code] > 1 else ""
            lines.append(f"{code} {REGISTERED[code].title}{places}")
    return lines

"""Processkartor: finns de, är de tillgängliga, går de att rita och att läsa som text?"""

from __future__ import annotations

from ..core.handbook import Handbook
from ..core.markdown_text import DIAGRAM_MARKER
from ..mermaid_node import MermaidRun
from ..problems import Problem, Severity
from .registry import BuildContext, problem_at, rule


def start_mermaid(handbook: Handbook) -> MermaidRun:
    """Start Mermaid's parser on every map in ``diagrams/`` (returns at once).

    The CLI calls this before loading the routines so that Node works in
    parallel; the rules wait for the result only when they need it. The maps'
    texts are read once, by the handbook (a map that is not UTF-8 is RH001).
    """
    texts = handbook.diagram_texts()
    return MermaidRun.start(handbook.root, {name: text for name, (text, _) in texts.items() if text is not None})


def docs_markers(handbook: Handbook) -> list[tuple[str, int, str]]:
    """(display path, line, map name) for each ``<!-- processkarta: x.mmd -->`` in docs/."""
    found = []
    docs = handbook.docs_dir
    if not docs.is_dir():
        return found
    for path in sorted(docs.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "processkarta:" not in text:
            continue
        for match in DIAGRAM_MARKER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((handbook.display(path), line, match.group("name")))
    return found


def existing_diagrams(handbook: Handbook, context: BuildContext) -> set[str]:
    return context.once("existing-diagrams", lambda: set(handbook.diagram_names()))


def used_diagrams(handbook: Handbook, context: BuildContext) -> dict[str, str]:
    """Each map that exists and is used, with the file of its first use."""
    def compute() -> dict[str, str]:
        used: dict[str, str] = {}
        existing = existing_diagrams(handbook, context)
        for source in handbook.routines.values():
            name = source.routine.diagram
            if name and name in existing:
                used.setdefault(name, source.display)
        for display, _, name in context.once("docs-markers", lambda: docs_markers(handbook)):
            if name in existing:
                used.setdefault(name, display)
        return used

    return context.once("used-diagrams", compute)


@rule("RH501", "processkartor", "processkartan finns inte")
def diagram_exists(handbook: Handbook, context: BuildContext):
    """Rutinens `diagram` eller en markering `<!-- processkarta: x.mmd -->` på
    en sida i `docs/` pekar på en fil som inte finns i `diagrams/`.

    Rätta: Skapa processkartan i `diagrams/` (`handbok new` skapar en mall),
    eller rätta filnamnet. Stora och små bokstäver räknas.
    """
    existing = existing_diagrams(handbook, context)
    for source in handbook.routines.values():
        name = source.routine.diagram
        if name and name not in existing:
            yield problem_at(source, "diagram", "RH501", f"processkartan diagrams/{name} finns inte",
                           "Skapa filen i diagrams/ eller rätta filnamnet.")
    for display, line, name in context.once("docs-markers", lambda: docs_markers(handbook)):
        if name not in existing:
            yield Problem(display, line, 1, "RH501", Severity.ERROR, f"processkartan diagrams/{name} finns inte",
                          "Skapa filen i diagrams/ eller rätta namnet i markeringen <!-- processkarta: … -->.")


@rule("RH502", "processkartor", "processkartan saknar accTitle eller accDescr")
def diagram_accessible(handbook: Handbook, context: BuildContext):
    """Processkartan saknar en titel (`accTitle`) eller en beskrivning
    (`accDescr`). Skärmläsare läser upp dem, och de står över kartans
    textversion. Offentlig sektor måste uppfylla WCAG 2.1 AA.

    Rätta: Lägg till två rader direkt efter `flowchart TD`.

    Exempel:
        flowchart TD
            accTitle: Anvisning till arbetsmarknadsinsats
            accDescr: Från behovsbedömning och samråd med AF till beslut och uppstartsmöte.
    """
    for name in used_diagrams(handbook, context):
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


@rule("RH503", "processkartor", "processkartan kan inte göras om till text")
def diagram_readable(handbook: Handbook, context: BuildContext):
    """Handboken gör om varje processkarta till en numrerad text under bilden,
    för skärmläsare och utskrift. Den här raden går inte att göra om till
    text. Handboken läser flödesscheman (`flowchart`) med noder och pilar, en
    pil per rad.

    Rätta: Skriv en pil per rad med noder i formerna `[Steg]`, `([Start])`
    eller `{Beslut?}`, och ge pilar från ett beslut en etikett (`-->|Ja|`).

    Exempel:
        fraga{Finns lämplig insats hos AF?} -->|Ja| af[AF:s insats används]
        fraga -->|Nej| beslut[Beslut om anvisning]
    """
    mermaid = _mermaid(handbook, context)
    verdicts = mermaid.verdicts()
    for name in used_diagrams(handbook, context):
        chart = handbook.diagram(name)
        display = f"diagrams/{name}"
        yield from handbook.diagram_text(name)[1]
        if chart is None:
            continue
        verdict = verdicts.get(name)
        if chart.errors and verdict is not None and not verdict.ok:
            continue  # Mermaid's own message (RH504) says what is wrong, and better
        for line, message in chart.errors:
            yield Problem(display, line, 1, "RH503", Severity.ERROR, f"processkartan: {message}",
                          "Skriv en pil per rad, t.ex. 'a[Steg ett] -->|Ja| b[Steg två]'. Se redaktörsguiden.")
        if not chart.errors and not chart.nodes:
            yield Problem(display, 1, 1, "RH503", Severity.ERROR, "processkartan har inga steg",
                          "Lägg till minst ett steg, t.ex. 'start([Början]) --> steg[Nästa steg]'.")


def _mermaid(handbook: Handbook, context: BuildContext) -> MermaidRun:
    if context.mermaid is None:
        context.mermaid = start_mermaid(handbook)
    return context.mermaid


@rule("RH504", "processkartor", "Mermaid kan inte rita processkartan")
def diagram_parses(handbook: Handbook, context: BuildContext):
    """Mermaid, som ritar processkartan i läsarens webbläsare, kan inte tolka
    filen. Kontrollen använder samma Mermaid som webbplatsen, så en karta som
    klarar kontrollen går att rita. Meddelandet säger på vilken rad Mermaid
    stannar och vad som står där.

    Rätta: Titta på raden: oftast saknas en avslutande parentes eller
    hakparentes, en text med specialtecken (som parenteser eller `;`) står
    utan citattecken, eller en `subgraph` saknar sitt `end`. Sätt texten
    inom citattecken om den innehåller specialtecken.

    Exempel:
        steg["Beslut (enligt 12 kap. 4 § SoL)"] --> nasta[Nästa steg]
    """
    used = used_diagrams(handbook, context)
    if not used:
        return
    verdicts = _mermaid(handbook, context).verdicts()
    for name in used:
        verdict = verdicts.get(name)
        if verdict is not None and not verdict.ok:
            yield Problem(f"diagrams/{name}", verdict.line, verdict.column, "RH504", Severity.ERROR,
                          verdict.message, verdict.hint)


@rule("RH509", "processkartor", "processkartorna kunde inte kontrolleras med Mermaid", severity=Severity.WARNING)
def mermaid_available(handbook: Handbook, context: BuildContext):
    """Varning: Mermaids parser kunde inte köras, så processkartorna är inte
    kontrollerade mot Mermaid (de andra kontrollerna av kartorna har gjorts).
    Det händer när Node.js eller npm-paketet linkedom saknas på datorn.

    Rätta: Installera Node.js och kör `make node-deps` (görs automatiskt av
    `make check` och `make test`). I CI finns båda.
    """
    used = used_diagrams(handbook, context)
    if not used:
        return
    run = _mermaid(handbook, context)
    run.verdicts()
    if run.unavailable:
        first = sorted(used)[0]
        yield Problem(f"diagrams/{first}", 1, 1, "RH509", Severity.WARNING,
                      f"processkartorna kunde inte kontrolleras med Mermaids parser: {run.unavailable}",
                      "Installera Node.js och kör 'make node-deps'. De övriga kontrollerna av kartorna har gjorts.")

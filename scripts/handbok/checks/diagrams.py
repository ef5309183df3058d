"""Processkartor: finns de, är de tillgängliga, går de att rita och att läsa som text?"""

from __future__ import annotations

from ..core.handbook import Handbook
from ..core.maps import MapReading, external_fetches
from ..core.markdown_text import DIAGRAM_MARKER, routine_id_of
from ..core.mermaid import verdict
from ..problems import Problem, Severity
from .references import _did_you_mean
from .registry import BuildContext, problem_at, rule


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


def _readings(handbook: Handbook, context: BuildContext) -> list[tuple[str, str, MapReading]]:
    """(name, display path, Mermaid's reading) of each used map that Mermaid read."""
    def compute():
        found = []
        for name in used_diagrams(handbook, context):
            reading = handbook.map_reading(name)
            if reading is not None:
                found.append((name, f"diagrams/{name}", reading))
        return found

    return context.once("map-readings", compute)


def _charts(handbook: Handbook, context: BuildContext):
    """(name, display path, reading, flowchart) of each used map Mermaid read as a flowchart."""
    for name, display, reading in _readings(handbook, context):
        if reading.ok and reading.chart is not None:
            yield name, display, reading, reading.chart


def _line_of(handbook: Handbook, name: str, word: str) -> int:
    """The first line of the map's text that mentions ``word`` (a setting's name), else 1."""
    text, _ = handbook.diagram_text(name)
    if text and word:
        for number, line in enumerate(text.split("\n"), start=1):
            if word in line:
                return number
    return 1


@rule("RH502", "processkartor", "processkartan saknar accTitle eller accDescr")
def diagram_accessible(handbook: Handbook, context: BuildContext):
    """Processkartan saknar en titel (`accTitle`) eller en beskrivning
    (`accDescr`). Skärmläsare läser upp dem, och de står över kartans
    textversion. Offentlig sektor måste uppfylla WCAG 2.1 AA.

    Rätta: Lägg till två rader direkt efter `flowchart TD`. En titel i
    kartans framsidesdata (`title:`) ritas ovanför kartan men räknas inte som
    `accTitle`.

    Exempel:
        flowchart TD
            accTitle: Anvisning till arbetsmarknadsinsats
            accDescr: Från behovsbedömning och samråd med AF till beslut och uppstartsmöte.
    """
    for _, display, _, chart in _charts(handbook, context):
        if not chart.title:
            yield Problem(display, 1, 1, "RH502", Severity.ERROR, "processkartan saknar accTitle",
                          "Lägg till raden 'accTitle: Kort titel' efter 'flowchart TD'.")
        if not chart.description:
            yield Problem(display, 1, 1, "RH502", Severity.ERROR, "processkartan saknar accDescr",
                          "Lägg till raden 'accDescr: En mening som beskriver flödet' efter accTitle.")


@rule("RH503", "processkartor", "processkartan kan inte göras om till text")
def diagram_readable(handbook: Handbook, context: BuildContext):
    """Handboken gör om varje processkarta till en numrerad text under bilden,
    för skärmläsare och utskrift, och det går bara med ett flödesschema med
    minst ett steg. Mermaid kan rita andra diagram (sekvensdiagram,
    tidslinjer …), men dem kan handboken inte skriva som text.

    Rätta: Rita processen som ett flödesschema: första raden `flowchart TD`
    (eller `flowchart LR`), sedan stegen och pilarna mellan dem.

    Exempel:
        flowchart TD
            accTitle: Uppföljning
            accDescr: Från planering till uppföljningsmöte.
            plan[Planering] --> mote[Uppföljningsmöte]
    """
    for name in used_diagrams(handbook, context):
        yield from handbook.diagram_text(name)[1]
    for _, display, reading in _readings(handbook, context):
        if not reading.ok:
            continue
        if not reading.is_flowchart:
            yield Problem(display, 1, 1, "RH503", Severity.ERROR,
                          f"processkartan är ett diagram av typen '{reading.diagram_type}', inte ett flödesschema, "
                          "och kan inte göras om till text",
                          "Rita processen som ett flödesschema som börjar med 'flowchart TD'.")
        elif reading.chart is None:
            yield Problem(display, 1, 1, "RH503", Severity.ERROR,
                          "Mermaid läste processkartan men gav inget flödesschema att göra om till text",
                          "Rapportera felet till den som förvaltar handbokens verktyg (Mermaids version kan ha ändrats).")
        elif not reading.chart.nodes:
            yield Problem(display, 1, 1, "RH503", Severity.ERROR, "processkartan har inga steg",
                          "Lägg till minst ett steg, t.ex. 'start([Början]) --> steg[Nästa steg]'.")


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
    for name, display, reading in _readings(handbook, context):
        if reading.error is not None:
            found = verdict(reading.error, handbook.diagram_text(name)[0] or "")
            yield Problem(display, found.line, found.column, "RH504", Severity.ERROR, found.message, found.hint)


@rule("RH505", "processkartor", "processkartan hämtar innehåll från en annan webbplats")
def diagram_self_contained(handbook: Handbook, context: BuildContext):
    """Processkartan skulle få läsarens webbläsare att hämta något från en
    annan webbplats: en bild (`@{ img: "https://…" }` eller `<img src>` i en
    text), en stilmall eller ett typsnitt (`themeCSS` med `@import` eller
    `url(…)` i `%%{init}%%` eller kartans framsidesdata). Handboken hämtar
    ingenting från andra webbplatser: det skulle lämna ut läsarens adress
    till dem och sluta fungera på ett intranät utan internet.

    Rätta: Ta bort bilden eller inställningen. En bild som behövs läggs i
    handboken och anges med en relativ adress. Länkar (`click … href`) är
    tillåtna: de hämtar inget förrän läsaren klickar.
    """
    for name, display, reading in _readings(handbook, context):
        if not reading.ok:
            continue
        for fetch in external_fetches(reading, lambda word, name=name: _line_of(handbook, name, word)):
            yield Problem(display, fetch.line or 1, 1, "RH505", Severity.ERROR,
                          f"{fetch.place} hämtar '{fetch.url[:80]}' från en annan webbplats",
                          "Ta bort det eller lägg filen i handboken; kartan får inte hämta något från andra webbplatser.")


@rule("RH506", "processkartor", "processkartan anropar JavaScript när man klickar")
def diagram_no_callbacks(handbook: Handbook, context: BuildContext):
    """En `click`-rad i processkartan anropar en JavaScript-funktion
    (`click steg anropa` eller `click steg call anropa()`). Handbokens
    webbplats kör bara sina egna skript, och Mermaid kör inga sådana
    funktioner här (säkerhetsnivån är `strict`), så klicket skulle inte göra
    något.

    Rätta: Låt steget länka till en rutin eller en webbadress i stället.

    Exempel:
        click beslut href "anvisning-arbetsmarknadsinsats.md"
    """
    for _, display, _, chart in _charts(handbook, context):
        for click in chart.clicks:
            if click.action == "call":
                steps = ", ".join(chart.nodes[n].label or n if n in chart.nodes else n for n in click.nodes)
                yield Problem(display, click.line or 1, 1, "RH506", Severity.ERROR,
                              f"click anropar JavaScript-funktionen '{click.value[:60]}' när man klickar på '{steps}'",
                              "Skriv 'click steg href \"rutinens-id.md\"' för att länka till en rutin.")


@rule("RH507", "processkartor", "processkartan försöker ändra Mermaids säkerhetsinställningar")
def diagram_keeps_security(handbook: Handbook, context: BuildContext):
    """Processkartans `%%{init: …}%%` eller framsidesdata (`config:`)
    försöker ändra en av Mermaids skyddade inställningar: `securityLevel`,
    `secure`, `startOnLoad`, `maxTextSize`, `maxEdges` eller
    `suppressErrorRendering`. Handboken ritar alla kartor med säkerhetsnivån
    `strict`, och Mermaid struntar i sådana försök, så inställningen gör
    ingenting – utom att visa att kartan var tänkt att köra något som inte
    är tillåtet.

    Rätta: Ta bort inställningen. Utseendet (`theme`, `look`, färger) får
    ändras.

    Exempel:
        %%{init: {"theme": "neutral"}}%%
    """
    for name, display, reading in _readings(handbook, context):
        for key in reading.denied if reading.ok else ():
            yield Problem(display, _line_of(handbook, name, key), 1, "RH507", Severity.ERROR,
                          f"inställningen '{key}' får inte ändras i en processkarta",
                          "Ta bort inställningen; handboken ritar alla kartor med Mermaids säkerhetsnivå strict.")


@rule("RH508", "processkartor", "processkartan är för stor för Mermaid")
def diagram_size(handbook: Handbook, context: BuildContext):
    """Processkartan har mer text än Mermaid ritar (`maxTextSize`, 50 000
    tecken efter kommentarer och inställningar). Webbläsaren skulle visa
    felet *Maximum text size in diagram exceeded* i stället för kartan.

    Rätta: Dela upp processen i flera kartor, till exempel en översikt som
    länkar till en karta per delprocess (`click steg href "rutinens-id.md"`).
    """
    for _, display, reading in _readings(handbook, context):
        if reading.limit is not None and reading.limit.name == "maxTextSize":
            yield Problem(display, 1, 1, "RH508", Severity.ERROR,
                          f"processkartan har {reading.limit.size} tecken; Mermaid ritar högst {reading.limit.maximum}",
                          "Dela upp processen i flera mindre kartor.")


@rule("RH509", "processkartor", "processkartorna kunde inte kontrolleras med Mermaid", severity=Severity.WARNING)
def mermaid_available(handbook: Handbook, context: BuildContext):
    """Varning: Mermaid kunde inte köras, så processkartorna är inte
    kontrollerade (och har ingen textversion). Det händer när Node.js eller
    npm-paketet linkedom saknas på datorn. Webbplatsen byggs inte utan dem.

    Rätta: Installera Node.js och kör `make node-deps` (görs automatiskt av
    `make check`, `make build`, `make serve` och `make test`). I CI finns båda.
    """
    used = used_diagrams(handbook, context)
    if not used:
        return
    handbook.start_maps()
    if handbook.maps_unavailable:
        first = sorted(used)[0]
        yield Problem(f"diagrams/{first}", 1, 1, "RH509", Severity.WARNING,
                      f"processkartorna kunde inte kontrolleras med Mermaid: {handbook.maps_unavailable}",
                      "Installera Node.js och kör 'make node-deps'. De övriga kontrollerna har gjorts.")


@rule("RH510", "processkartor", "processkartan har fler pilar än Mermaid ritar")
def diagram_edges(handbook: Handbook, context: BuildContext):
    """Processkartan har fler pilar än Mermaid ritar (`maxEdges`, 500).
    Mermaid stannar vid pilen på raden i meddelandet, och webbläsaren skulle
    visa ett fel i stället för kartan.

    Rätta: Dela upp processen i flera kartor, till exempel en översikt som
    länkar till en karta per delprocess.
    """
    for _, display, reading in _readings(handbook, context):
        if reading.limit is not None and reading.limit.name == "maxEdges":
            yield Problem(display, reading.limit.line, 1, "RH510", Severity.ERROR,
                          f"processkartan har fler än {reading.limit.maximum} pilar, som är det mesta Mermaid ritar",
                          "Dela upp processen i flera mindre kartor.")


@rule("RH511", "processkartor", "en länk i processkartan pekar på en rutin som inte finns")
def diagram_links_resolve(handbook: Handbook, context: BuildContext):
    """En `click`-länk i processkartan pekar på en rutin (`rutinens-id.md`)
    som inte finns. Handboken gör om sådana länkar till rutinens publicerade
    sida, både i den ritade kartan och i textversionen.

    Rätta: Rätta filnamnet (meddelandet föreslår en rutin med liknande namn).

    Exempel:
        click anvisning href "anvisning-arbetsmarknadsinsats.md"
    """
    for _, display, _, chart in _charts(handbook, context):
        for click in chart.links():
            routine_id = routine_id_of(click.value)
            if routine_id and routine_id not in handbook.routines and routine_id not in handbook.unreadable:
                yield Problem(display, click.line or 1, 1, "RH511", Severity.ERROR,
                              f"click-länken pekar på '{click.value}', men det finns ingen rutin med id '{routine_id}'"
                              + _did_you_mean(routine_id, handbook.routines),
                              "Länka till en rutin med dess filnamn, t.ex. click steg href \"anvisning-arbetsmarknadsinsats.md\".")

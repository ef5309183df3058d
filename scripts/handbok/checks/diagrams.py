"""Processkartor: finns de, är de tillgängliga och går de att läsa som text?"""

from __future__ import annotations

from ..handbook import Handbook, RoutineSource
from ..problems import Problem, Severity
from . import CheckContext, _problem, rule


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

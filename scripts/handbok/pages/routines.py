"""The routines overview and the glossary."""

from __future__ import annotations

from ..core.addresses import relative_uri, routine_src_uri
from ..core.context import BuildContext
from ..core.generated import generated
from ..core.handbook import Handbook
from ..core.state import reader_statuses
from ..model import slugify
from .html import esc, md_text


@generated("rutiner/index.md")
def overview(handbook: Handbook, page_uri: str, *, context: BuildContext) -> str:
    """Every routine by process, in the order of the chain, with its status unless it is in force."""
    statuses = reader_statuses(handbook, context)
    lines = ["# Rutiner", "",
             "Alla rutiner i handboken, ordnade efter processens steg. "
             "Varje rutin visar rutinägare, status och när den ska revideras.", ""]
    current = None
    for source in handbook.sorted_routines():
        routine = source.routine
        process = handbook.process_of(routine)
        if process.id != current:
            current = process.id
            lines += ["", f"## {md_text(process.title)}", ""]
            if process.description:
                lines += [md_text(process.description), ""]
        link = relative_uri(page_uri, routine_src_uri(routine))
        status = statuses[routine.id]
        status = "" if status.in_force else f" ({md_text(status.label[:1].lower() + status.label[1:])})"
        lines.append(f"- [{md_text(routine.title)}]({link}){status} – {md_text(routine.summary)}")
    return "\n".join(lines) + "\n"


@generated("begrepp.md")
def glossary(handbook: Handbook, page_uri: str) -> str:
    """The glossary, alphabetical; abbreviations also become tooltips on every page."""
    lines = ["# Begrepp och förkortningar", "",
             "Begreppen förklaras också när du håller muspekaren över eller fokuserar en förkortning i texten.", "",
             '<dl class="handbok-begrepp">']
    used: set[str] = set()
    for term in sorted(handbook.glossary, key=lambda t: t.term.casefold()):
        name = esc(term.term)
        if term.abbreviation:
            name += f" ({esc(term.abbreviation)})"
        # A stable anchor per term, so other pages and readers can link to it.
        anchor = base = "begrepp-" + (slugify(term.term) or "term")
        number = 2
        while anchor in used:
            anchor, number = f"{base}-{number}", number + 1
        used.add(anchor)
        lines.append(f'<dt id="{anchor}">{name}</dt>')
        lines.append(f"<dd>{esc(term.definition)}</dd>")
    lines.append("</dl>")
    return "\n".join(lines) + "\n"

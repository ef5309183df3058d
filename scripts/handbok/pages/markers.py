"""The handbook's comment markers on ordinary pages (``docs/*.md``).

``<!-- processkarta: x.mmd -->`` becomes the map with its text version,
``<!-- rutiner-for-roll: roll … -->`` the list of routines those roles use,
``<!-- ansvar-for-roll: roll … -->`` what they decide, do and follow up, and
``<!-- handbok: … -->`` the start page's generated parts (``pages.start``);
links to routines by file name are pointed at the published pages. Markers
and links inside code (the editor guide's examples) are shown as written.
The marker patterns are the core's (``core.markdown_text``), which the
checker reads too.
"""

from __future__ import annotations

from ..core.addresses import relative_uri, routine_src_uri
from ..core.context import BuildContext
from ..core.handbook import Handbook
from ..core.markdown_text import DIAGRAM_MARKER, RESPONSIBILITY_MARKER, ROLE_MARKER, START_MARKER, outside_code
from ..core.state import reader_statuses
from .html import md_text
from .routine import diagram_html, link_rewriter
from .start import responsibilities_for, start_part


def routines_for_roles(handbook: Handbook, role_ids: list[str], page_uri: str, context: BuildContext) -> str:
    """A Markdown list of the routines a role uses, owns or has a task in."""
    wanted = set(role_ids)
    statuses = reader_statuses(handbook, context)
    lines = []
    for source in handbook.sorted_routines():
        routine = source.routine
        if statuses[routine.id].repealed:
            continue
        involved = ({routine.owner} | set(routine.audience) | {r.role for r in routine.responsibilities}) & wanted
        if involved:
            lines.append(f"- [{md_text(routine.title)}]({relative_uri(page_uri, routine_src_uri(routine))})")
    return "\n".join(lines) if lines else "*Inga rutiner ännu.*"


def expand_markers(markdown: str, handbook: Handbook, page_uri: str, context: BuildContext | None = None,
                   *, raw=None) -> str:
    """Expand the handbook's comment markers in the page built from ``page_uri``.

    ``raw``, if given, is called with each block of generated HTML and returns what stands
    in the Markdown instead (the MkDocs plugin holds the handbook's own blocks apart from
    the editor's text, as on routine pages)."""
    context = context or BuildContext()
    keep = raw or (lambda block: block)
    rewrite_links = link_rewriter(handbook, page_uri)

    def expand(text: str) -> str:
        text = DIAGRAM_MARKER.sub(lambda m: keep(diagram_html(handbook, m.group("name"), page_uri)), text)
        text = ROLE_MARKER.sub(lambda m: routines_for_roles(handbook, m.group("roles").split(), page_uri, context),
                               text)
        text = RESPONSIBILITY_MARKER.sub(
            lambda m: keep(responsibilities_for(handbook, m.group("roles").split(), page_uri, context)), text)
        text = START_MARKER.sub(lambda m: keep(start_part(m.group("name"), handbook, page_uri, context)), text)
        return rewrite_links(text)

    return outside_code(markdown, expand)

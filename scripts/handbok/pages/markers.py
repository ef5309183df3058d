"""The handbook's comment markers on ordinary pages (``docs/*.md``).

``<!-- processkarta: x.mmd -->`` becomes the map with its text version and
``<!-- rutiner-for-roll: roll … -->`` the list of routines those roles use;
links to routines by file name are pointed at the published pages. Markers
and links inside code (the editor guide's examples) are shown as written.
The marker patterns are the core's (``core.markdown_text``), which the
checker reads too.
"""

from __future__ import annotations

from ..core.addresses import relative_uri, routine_src_uri
from ..core.handbook import Handbook
from ..core.markdown_text import DIAGRAM_MARKER, ROLE_MARKER, outside_code
from .html import md_text
from .routine import diagram_html, link_rewriter


def routines_for_roles(handbook: Handbook, role_ids: list[str], page_uri: str) -> str:
    """A Markdown list of the routines a role uses, owns or has a task in."""
    wanted = set(role_ids)
    lines = []
    for source in handbook.sorted_routines():
        routine = source.routine
        if routine.status == "upphävd":
            continue
        involved = ({routine.owner} | set(routine.audience) | {r.role for r in routine.responsibilities}) & wanted
        if involved:
            lines.append(f"- [{md_text(routine.title)}]({relative_uri(page_uri, routine_src_uri(routine))})")
    return "\n".join(lines) if lines else "*Inga rutiner ännu.*"


def expand_markers(markdown: str, handbook: Handbook, page_uri: str) -> str:
    """Expand the handbook's comment markers in the page built from ``page_uri``."""
    rewrite_links = link_rewriter(handbook, page_uri)

    def expand(text: str) -> str:
        text = DIAGRAM_MARKER.sub(lambda m: diagram_html(handbook, m.group("name"), page_uri), text)
        text = ROLE_MARKER.sub(lambda m: routines_for_roles(handbook, m.group("roles").split(), page_uri), text)
        return rewrite_links(text)

    return outside_code(markdown, expand)

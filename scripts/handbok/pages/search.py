"""What the search index holds for a routine page, independent of MkDocs.

Material's search indexes a page by its sections: the text under each
heading. For the editor's sections that is right, and they are indexed as
Material indexes them. The rest of a routine page is the handbook's own:
the process map's text version (every step written out with every link,
so each label stands there two or three times), the responsibilities
table, the legal references, the audit findings and the titles of the
related routines, which are other routines' facts. Indexed as they stand
they doubled the index every reader downloads.

So what a reader searches for is indexed once: the page's first entry holds
the routine's facts (its summary and its owner; its status and process are
the page's tags), the map's entry holds each label of the map once, and the
generated sections after the body are not indexed: the roles, provisions and
audit findings are found on their registers' pages, where each has its own
section, and a related routine on its own page.
The texts are in the form Material writes (escaped text, ``<p>``), so
excerpts look like every other hit.
"""

from __future__ import annotations

from .. import model
from ..core.addresses import MAP_SECTION, generated_sections, section_heading
from ..core.handbook import Handbook
from ..core.map_text import node_text
from .html import esc


def _unique(items) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        text = " ".join(str(item).split())
        if text and text.casefold() not in {s.casefold() for s in seen}:
            seen[text] = None
    return list(seen)


def _sentence(label: str, items: list[str]) -> str:
    return f"{label}: {', '.join(items)}." if items else ""


def routine_facts(handbook: Handbook, routine: model.Routine) -> str:
    """The first entry of a routine page: its summary and its owner (the page's tags, which
    Material indexes with it, are its status and its process)."""
    owner = handbook.role_name(routine.owner) if routine.owner else ""
    paragraphs = [routine.summary or "", f"{model.label(model.Routine, 'owner')}: {owner}." if owner else ""]
    return " ".join(f"<p>{esc(p)}</p>" for p in paragraphs if p)


def map_words(handbook: Handbook, routine: model.Routine) -> str | None:
    """The process map's entry: each label of the map once, steps in reading order, then its
    groups and the labels of its links (None: the routine has no map)."""
    chart = handbook.diagram(routine.diagram) if routine.diagram else None
    if chart is None:
        return None
    labels = _unique([node_text(step.node) for step in chart.steps()]
                     + [group.title for group in chart.groups.values()]
                     + [edge.label for edge in chart.edges if edge.label])
    return f"<p>{esc(' · '.join(labels))}</p>" if labels else ""


def unindexed_headings(routine: model.Routine) -> list[str]:
    """The headings of the generated sections after the body, which the index leaves out."""
    return [section_heading(name) for name in generated_sections(routine)]


MAP_HEADING = section_heading(MAP_SECTION)

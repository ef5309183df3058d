"""Reading a routine's Markdown body for the link, anchor and safety rules.

Code (fenced blocks and inline code spans) and HTML comments are *masked*
(``core.markdown_text.mask``): replaced by spaces with the line breaks kept,
so that what an editor shows as an example is not checked as if it were
live, and every offset in the masked text is still the offset in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.addresses import MAP_SECTION, generated_sections, section_heading
from ..core.handbook import Handbook, RoutineSource
from ..core.map_text import STEP_ANCHOR
from ..core.markdown_text import (AUTOLINK, HEADING, INLINE_LINK, REFERENCE, explicit_id, heading_text, is_external,
                                  mask)
from .registry import BuildContext

__all__ = ["Link", "anchors", "heading_text", "is_external", "links", "masked_body", "position"]

# Every pattern here runs over an editor's text, so none may scan the same characters
# again and again (see core.markdown_text).
_HTML_ID = re.compile(r"\b(?:id|name)\s*=\s*[\"']?(?P<id>[^\"'\s>]+)", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]+>")


@dataclass(frozen=True)
class Link:
    target: str
    line: int
    column: int


def masked_body(source: RoutineSource, context: BuildContext) -> str:
    return context.once(f"masked:{source.display}", lambda: mask(source.body))


def position(source: RoutineSource, body: str, offset: int) -> tuple[int, int]:
    """(line, column) in the file of an offset in the body."""
    line = body.count("\n", 0, offset)
    start = body.rfind("\n", 0, offset) + 1
    return source.body_line + line, offset - start + 1


def links(source: RoutineSource, context: BuildContext) -> list[Link]:
    """Every link target in the body (inline, reference definitions, autolinks)."""
    def compute() -> list[Link]:
        body = masked_body(source, context)
        found: list[Link] = []
        patterns = [pattern for pattern, marker in ((INLINE_LINK, "]("), (REFERENCE, "]:"), (AUTOLINK, ":"))
                    if marker in body]
        if patterns:
            for pattern in patterns:
                for match in pattern.finditer(body):
                    target = match.group("target")
                    if target.startswith("<") and target.endswith(">"):
                        target = target[1:-1]
                    line, column = position(source, body, match.start("target"))
                    found.append(Link(target.strip(), line, column))
        found.sort(key=lambda link: (link.line, link.column))
        return found

    return context.once(f"links:{source.display}", compute)


# --- anchors ----------------------------------------------------------------------------


def anchors(handbook: Handbook, source: RoutineSource, context: BuildContext) -> list[str]:
    """The ids a link can point to on the routine's published page, in page order."""
    def compute() -> list[str]:
        from markdown.extensions.toc import slugify, unique  # the slugs MkDocs' toc makes

        routine = source.routine
        body = masked_body(source, context)
        ids: set[str] = set()
        ordered: list[str] = []

        def add_heading(text: str, explicit: str | None = None) -> None:
            slug = explicit or unique(slugify(text, "-"), ids)
            ids.add(slug)
            ordered.append(slug)

        add_heading(routine.title)
        chart = handbook.diagram(routine.diagram) if routine.diagram else None
        if chart is not None:
            add_heading(section_heading(MAP_SECTION))
            for number in range(1, len(chart.steps()) + 1):
                ids.add(f"{STEP_ANCHOR}{number}")
                ordered.append(f"{STEP_ANCHOR}{number}")
        if "#" in body:
            for match in HEADING.finditer(body):
                raw = match.group("text")
                add_heading(heading_text(raw), explicit_id(raw))
        if "<" in body:  # ids from HTML elements
            for tag in _TAG.finditer(body):
                for match in _HTML_ID.finditer(tag.group(0)):
                    ids.add(match.group("id"))
                    ordered.append(match.group("id"))
        for name in generated_sections(routine):
            add_heading(section_heading(name))
        return ordered

    return context.once(f"anchors:{source.display}", compute)

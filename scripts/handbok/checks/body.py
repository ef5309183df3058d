"""Reading a routine's Markdown body for the link, anchor and safety rules.

Code (fenced blocks and inline code spans) and HTML comments are *masked*
(``core.markdown_text.mask``): replaced by spaces with the line breaks kept,
so that what an editor shows as an example is not checked as if it were
live, and every offset in the masked text is still the offset in the file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..core.addresses import MAP_SECTION, generated_sections, section_heading
from ..core.handbook import Handbook, RoutineSource
from ..core.markdown_text import AUTOLINK, INLINE_LINK, REFERENCE, is_external, mask
from .registry import BuildContext

__all__ = ["Link", "anchors", "heading_text", "is_external", "links", "masked_body", "position"]

# Every pattern here runs over an editor's text, so none may scan the same characters
# again and again (a line of 200 000 characters must cost linear time): no lazy or
# repeated group can run on past a character that its own end could also match.
_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(?P<text>[^\n]*)$", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{[^{}\n]*\}")
_ATTR_ID = re.compile(r"#(?P<id>[A-Za-z][\w\-:.]*)")
_TRAILING_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}\s*$")
_HTML_ID = re.compile(r"\b(?:id|name)\s*=\s*[\"']?(?P<id>[^\"'\s>]+)", re.IGNORECASE)
_MD_LINK_TEXT = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_TAG = re.compile(r"<[^<>]+>")
# Emphasis whose text holds no other * or _: each opener looks no further than the next one.
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=[^\s*_])([^*_]+?)(?<=[^\s*_])\1")


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


def heading_text(raw: str) -> str:
    """A heading's text as the reader sees it (what the table of contents slugifies)."""
    if not any(ch in raw for ch in "{[<\\`*_&"):
        return raw.strip()
    text = _ATTR_LIST.sub(lambda m: "" if _ATTR_ID.search(m.group(0)) else m.group(0), raw)
    text = _TRAILING_ATTR_LIST.sub("", text)
    text = _MD_LINK_TEXT.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = text.replace("\\", "").replace("`", "")
    for _ in range(2):  # the outer of two nested emphases, then the inner
        text = _EMPHASIS.sub(r"\2", text)
    return html.unescape(text).strip()


def _heading_text_of_line(text: str) -> str:
    """The text of an ATX heading line without its closing #s (as Python-Markdown reads it)."""
    return text.rstrip(" \t").rstrip("#").rstrip(" \t")


def _explicit_id(raw: str) -> str | None:
    """The id an attribute list ``{: #id }`` in a heading gives it."""
    for attribute_list in _ATTR_LIST.finditer(raw):
        found = _ATTR_ID.search(attribute_list.group(0))
        if found:
            return found.group("id")
    return None


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
            for number in range(1, len(chart.nodes) + 1):
                ids.add(f"steg-{number}")
                ordered.append(f"steg-{number}")
        if "#" in body:
            for match in _HEADING.finditer(body):
                raw = _heading_text_of_line(match.group("text"))
                add_heading(heading_text(raw), _explicit_id(raw) if "{" in raw else None)
        if "<" in body:  # ids from HTML elements
            for tag in _TAG.finditer(body):
                for match in _HTML_ID.finditer(tag.group(0)):
                    ids.add(match.group("id"))
                    ordered.append(match.group("id"))
        for name in generated_sections(routine):
            add_heading(section_heading(name))
        return ordered

    return context.once(f"anchors:{source.display}", compute)

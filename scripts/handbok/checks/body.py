"""Reading a routine's Markdown body for the link, anchor and safety rules.

Code (fenced blocks and inline code spans) and HTML comments are *masked*:
replaced by spaces with the line breaks kept, so that what an editor shows
as an example is not checked as if it were live, and every offset in the
masked text is still the offset in the file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..handbook import Handbook, RoutineSource
from . import CheckContext

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")

# [text](target "title") and ![alt](target); the target may be <in brackets>.
INLINE_LINK = re.compile(r"\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\(\s*(?P<target><[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)")
# [label]: target
REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?P<target><[^>\n]*>|\S+)", re.MULTILINE)
# <https://…> and other autolinks
AUTOLINK = re.compile(r"<(?P<target>[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>]*)>")

_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_ATTR_ID = re.compile(r"\{[^}\n]*#(?P<id>[A-Za-z][\w\-:.]*)[^}\n]*\}")
_HTML_ID = re.compile(r"\b(?:id|name)\s*=\s*[\"']?(?P<id>[^\"'\s>]+)", re.IGNORECASE)
_MD_LINK_TEXT = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")


def _blank(text: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in text)


def mask(body: str) -> str:
    """The body with code and HTML comments blanked out, offsets unchanged."""
    if "`" not in body and "~~~" not in body and "<!--" not in body:
        return body
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                lines[index] = " " * len(line)
            continue
        lines[index] = " " * len(line)
        if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not line.strip(" \t`~"):
            fence = None
    text = "\n".join(lines)
    if "<!--" in text:
        text = _COMMENT.sub(lambda m: _blank(m.group(0)), text)
    if "`" in text:
        text = _INLINE_CODE.sub(lambda m: _blank(m.group(0)), text)
    return text


@dataclass(frozen=True)
class Link:
    target: str
    line: int
    column: int


def masked_body(source: RoutineSource, context: CheckContext) -> str:
    return context.once(f"masked:{source.display}", lambda: mask(source.body))


def position(source: RoutineSource, body: str, offset: int) -> tuple[int, int]:
    """(line, column) in the file of an offset in the body."""
    line = body.count("\n", 0, offset)
    start = body.rfind("\n", 0, offset) + 1
    return source.body_line + line, offset - start + 1


def links(source: RoutineSource, context: CheckContext) -> list[Link]:
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


def is_external(target: str) -> bool:
    return bool(_SCHEME.match(target)) or target.startswith("//")


# --- anchors ----------------------------------------------------------------------------


def heading_text(raw: str) -> str:
    """A heading's text as the reader sees it (what the table of contents slugifies)."""
    if not any(ch in raw for ch in "{[<\\`*_&"):
        return raw.strip()
    text = _ATTR_ID.sub("", raw)
    text = re.sub(r"\{:?[^}\n]*\}\s*$", "", text)
    text = _MD_LINK_TEXT.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = text.replace("\\", "").replace("`", "")
    text = re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return html.unescape(text).strip()


def anchors(handbook: Handbook, source: RoutineSource, context: CheckContext) -> list[str]:
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
            add_heading("Processkarta")
            for number in range(1, len(chart.nodes) + 1):
                ids.add(f"steg-{number}")
                ordered.append(f"steg-{number}")
        if "#" in body:
            for match in _HEADING.finditer(body):
                raw = match.group("text")
                explicit = _ATTR_ID.search(raw) if "{" in raw else None
                add_heading(heading_text(raw), explicit.group("id") if explicit else None)
        if "<" in body:  # ids from HTML elements
            for tag in _TAG.finditer(body):
                for match in _HTML_ID.finditer(tag.group(0)):
                    ids.add(match.group("id"))
                    ordered.append(match.group("id"))
        for present, title in ((routine.responsibilities, "Ansvar"), (routine.legal_basis, "Lagstöd"),
                               (routine.answers, "Svarar på revisionsrekommendationer"),
                               (routine.related, "Relaterade rutiner")):
            if present:
                add_heading(title)
        return ordered

    return context.once(f"anchors:{source.display}", compute)

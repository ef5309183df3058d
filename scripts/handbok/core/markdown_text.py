"""The one reading of an editor's Markdown that the handbook does itself.

Code – fenced blocks and inline code spans – is found here once, by a linear
scan: the renderer leaves markers and routine links in code as written
(``outside_code``), and the checker does not check what an editor shows as an
example (``mask``, which also blanks HTML comments and keeps every offset).
The handbook's comment markers, the routine-link pattern and the link
patterns the checker reads are defined here too, so the renderer and the
checker cannot disagree about them.
"""

from __future__ import annotations

import html
import re
from typing import Callable

# --- code ----------------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def _fenced_blocks(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced block, to its closing fence or the end of the text."""
    if "```" not in markdown and "~~~" not in markdown:
        return []
    blocks: list[tuple[int, int]] = []
    fence: str | None = None
    start = position = 0
    for line in markdown.split("\n"):
        end = position + len(line)
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence, start = match.group(1), position
        elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                and not line.strip(" \t`~"):
            blocks.append((start, end))
            fence = None
        position = end + 1
    if fence is not None:
        blocks.append((start, len(markdown)))
    return blocks


def _code_spans(text: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of inline code spans in text between fenced blocks.

    A span opens with a run of backticks and closes with the next run of the
    same length in the same paragraph (CommonMark); a backslash before the
    first backtick makes it literal. Each run is looked at a bounded number of
    times, so a long line of backticks costs linear time.
    """
    if "`" not in text:
        return []
    breaks = [m.start() for m in _BLANK_LINE.finditer(text)]
    runs = []
    for match in _TICKS.finditer(text):
        start, end = match.start(), match.end()
        backslashes = 0
        while start - backslashes - 1 >= 0 and text[start - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2:
            start += 1  # an escaped backtick is text; the rest of the run may still open a span
            if start == end:
                continue
        runs.append((start, end))
    # The next run of each length after a given run: scanned from the back once.
    following: list[int | None] = [None] * len(runs)
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last_of_length.get(length)
        last_of_length[length] = index
    spans = []
    index, paragraph = 0, 0
    while index < len(runs):
        start, _ = runs[index]
        closer = following[index]
        while paragraph < len(breaks) and breaks[paragraph] < start:
            paragraph += 1
        limit = breaks[paragraph] if paragraph < len(breaks) else len(text)
        if closer is not None and runs[closer][0] < limit:
            spans.append((offset + start, offset + runs[closer][1]))
            index = closer + 1
        else:
            index += 1
    return spans


def code_regions(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of every fenced block and inline code span, in order."""
    regions: list[tuple[int, int]] = []
    position = 0
    for start, end in _fenced_blocks(markdown):
        regions += _code_spans(markdown[position:start], position)
        regions.append((start, end))
        position = end
    regions += _code_spans(markdown[position:], position)
    return regions


def outside_code(markdown: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the Markdown between code blocks and code spans, which stay as written."""
    parts, position = [], 0
    for start, end in code_regions(markdown):
        parts.append(change(markdown[position:start]))
        parts.append(markdown[start:end])
        position = end
    parts.append(change(markdown[position:]))
    return "".join(parts)


def _blank(text: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in text)


def mask(markdown: str) -> str:
    """The Markdown with code and HTML comments blanked out, every offset unchanged."""
    if "`" not in markdown and "~~~" not in markdown and "<!--" not in markdown:
        return markdown
    parts, position = [], 0
    for start, end in code_regions(markdown):
        parts.append(markdown[position:start])
        parts.append(_blank(markdown[start:end]))
        position = end
    parts.append(markdown[position:])
    text = "".join(parts)
    if "<!--" in text:
        text = _COMMENT.sub(lambda m: _blank(m.group(0)), text)
    return text


# --- headings ------------------------------------------------------------------------
#
# Every pattern here runs over an editor's text, so none may scan the same characters
# again and again (a line of 200 000 characters must cost linear time): no lazy or
# repeated group can run on past a character that its own end could also match.

HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(?P<text>[^\n]*)$", re.MULTILINE)
"""An ATX heading line; group 1 is the run of ``#`` (its level), ``text`` the rest of the line
(closing ``#``s included: ``heading_text`` drops them, as Python-Markdown does)."""

_ATTR_LIST = re.compile(r"\{[^{}\n]*\}")
_ATTR_ID = re.compile(r"#(?P<id>[A-Za-z][\w\-:.]*)")
_TRAILING_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}\s*$")
_MD_LINK_TEXT = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_TAG = re.compile(r"<[^<>]+>")
# Emphasis whose text holds no other * or _: each opener looks no further than the next one.
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=[^\s*_])([^*_]+?)(?<=[^\s*_])\1")


def _without_closing_hashes(text: str) -> str:
    """The text of an ATX heading line without its closing #s (as Python-Markdown reads it)."""
    return text.rstrip(" \t").rstrip("#").rstrip(" \t")


def heading_text(raw: str) -> str:
    """A heading's text as the reader sees it (what the table of contents slugifies)."""
    raw = _without_closing_hashes(raw)
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


def explicit_id(raw: str) -> str | None:
    """The id an attribute list ``{: #id }`` in a heading gives it."""
    if "{" not in raw:
        return None
    for attribute_list in _ATTR_LIST.finditer(raw):
        found = _ATTR_ID.search(attribute_list.group(0))
        if found:
            return found.group("id")
    return None


# --- what Markdown would have to do --------------------------------------------------

MARKDOWN_WORK_LIMIT = 10_000_000
"""The most scanning work (see ``markdown_work``) one text may ask of Python-Markdown:
a few seconds at worst; an ordinary routine asks for well under a hundredth of it."""

_OPENERS = re.compile(r"[\[\]()<>]|`+")


def markdown_work(markdown: str) -> tuple[int, int]:
    """(work, offset of the costliest block): how far Python-Markdown will scan.

    Python-Markdown looks for the end of each ``[`` (link text), ``(`` (link
    target), ``<`` (inline HTML) and backtick (code span) by scanning ahead: to
    the matching ``]`` or ``)``, the next ``>``, or the next run of exactly as
    many backticks (its pattern may start anywhere in a run, and with fewer
    backticks), or to the end of the block when there is none. A line of
    45 000 ``[`` takes it minutes. Blocks end at blank lines, so no scan passes
    one. The work is the sum of those distances, counted here in one pass
    (stacks for brackets, the next run of each length from the back), so that
    ``handbok check`` can refuse such a text before Markdown sees it. Its
    inline processing of one block also grows faster than the block (20 000
    tags or 200 000 backslashes in a row take it seconds), so each block adds
    its length squared over 2 000 as well: a block of 100 000 characters is
    half the limit, and a paragraph of a few thousand almost nothing.
    """
    if len(markdown) < 2000 and not any(ch in markdown for ch in "[(<`"):
        return 0, 0
    total, worst, worst_at = 0, 0, 0
    start = 0
    for block_end in [m.start() for m in _BLANK_LINE.finditer(markdown)] + [len(markdown)]:
        work = _block_work(markdown, start, block_end)
        total += work
        if work > worst:
            worst, worst_at = work, start
        start = block_end
    return total, worst_at


def _block_work(text: str, start: int, end: int) -> int:
    work = (end - start) ** 2 // 2000
    open_brackets: list[int] = []
    open_parentheses: list[int] = []
    open_angles: list[int] = []
    runs: list[tuple[int, int]] = []
    for match in _OPENERS.finditer(text, start, end):
        token, at = match.group(0), match.start()
        if token == "[":
            open_brackets.append(at)
        elif token == "]":
            if open_brackets:
                work += at - open_brackets.pop()
        elif token == "(":
            open_parentheses.append(at)
        elif token == ")":
            if open_parentheses:
                work += at - open_parentheses.pop()
        elif token == "<":
            open_angles.append(at)
        elif token == ">":
            work += sum(at - opened for opened in open_angles)
            open_angles.clear()
        else:
            runs.append((at, len(token)))
    for opened in (open_brackets, open_parentheses, open_angles):
        work += sum(end - at for at in opened)
    following: dict[int, int] = {}  # length -> start of the next run of exactly that length
    for at, length in reversed(runs):
        for shorter in range(1, length + 1):
            # (length - shorter + 1) places in the run start a search for `shorter` backticks.
            work += (length - shorter + 1) * (following.get(shorter, end) - at)
        following[length] = at
    return work


# --- the handbook's markers -------------------------------------------------------------

ROLE_MARKER = re.compile(r"^<!--[ \t]*rutiner-for-roll:[ \t]*(?P<roles>[a-z0-9-]+(?:[ ]+[a-z0-9-]+)*)[ \t]*-->[ \t]*$",
                         re.MULTILINE)
"""``<!-- rutiner-for-roll: socialsekreterare … -->`` on a docs page: the routines those roles use."""

RESPONSIBILITY_MARKER = re.compile(r"^<!--\s*ansvar-for-roll:\s*(?P<roles>[a-z0-9 -]+?)\s*-->\s*$", re.MULTILINE)
"""``<!-- ansvar-for-roll: socialsekreterare … -->``: what those roles decide, do and follow up, per routine."""

START_MARKERS = ("sok", "utgava", "kedjan", "senast-faststallda", "revidering-snart")
START_MARKER = re.compile(r"^<!--\s*handbok:\s*(?P<name>" + "|".join(START_MARKERS) + r")\s*-->\s*$", re.MULTILINE)
"""``<!-- handbok: utgava -->`` and the other generated parts of a start page: the search form, which
version this is, the chain step by step, the latest approved changes, the routines due for review."""

DIAGRAM_MARKER = re.compile(r"^<!--\s*processkarta:\s*(?P<name>[A-Za-z0-9_-]+\.mmd)\s*-->\s*$", re.MULTILINE)
"""``<!-- processkarta: oversikt.mmd -->`` on a docs page: the map with its text version."""


# --- links ------------------------------------------------------------------------------

ROUTINE_FILE = re.compile(r"(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.md")
"""An editor's link to a routine: its file name, ``rutinens-id.md``."""

ROUTINE_LINK = re.compile(r"\]\((?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.md(?P<anchor>#[^)\s]*)?\)")
"""An inline Markdown link whose target is a routine's file name, with an optional anchor."""

INLINE_LINK = re.compile(r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(?P<target><[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)")
"""``[text](target "title")`` and ``![alt](target)``; the target may be ``<in brackets>``."""

REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?P<target><[^>\n]*>|\S+)", re.MULTILINE)
"""A reference definition ``[label]: target``."""

AUTOLINK = re.compile(r"<(?P<target>[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>]*)>")
"""``<https://…>`` and other autolinks."""

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def routine_id_of(target: str) -> str | None:
    """The routine id a link target names (``uppfoljning-arbetsmarknadsinsats.md#steg``), or None."""
    match = ROUTINE_FILE.fullmatch(target.split("#", 1)[0])
    return match.group("id") if match else None


def is_external(target: str) -> bool:
    """A link to another site (any scheme, or ``//host``)."""
    return bool(_SCHEME.match(target)) or target.startswith("//")

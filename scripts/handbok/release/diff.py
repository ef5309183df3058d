"""Readable diffs for the beslutsunderlag: lines first, then words within changed lines.

A board member reads the changes on paper, so a diff is the changed passages
with a little context, removed words struck through (``<del>``) and added
words underlined (``<ins>``), never a unified diff with ``+``/``-``.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
CONTEXT_LINES = 2


@dataclass
class Hunk:
    """Consecutive lines of a diff; ``lines`` are HTML, each with a kind."""

    lines: list[tuple[str, str]]  # (kind: same|changed|added|removed, html)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def words(old: str, new: str) -> str:
    """Word-level diff of two passages as HTML with <del>/<ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # (removed, added) pairs; equal text has removed == added.
    runs: list[list] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        runs.append([op == "equal", removed, added])
    # A lone space between two changes belongs to the change: "två veckor" → "en vecka"
    # reads as one replacement, not two.
    merged: list[list] = []
    for index, run in enumerate(runs):
        between = (run[0] and run[1].isspace() and 0 < index < len(runs) - 1
                   and not runs[index - 1][0] and not runs[index + 1][0])
        if between:
            run = [False, run[1], run[2]]
        if merged and not run[0] and not merged[-1][0]:
            merged[-1][1] += run[1]
            merged[-1][2] += run[2]
        else:
            merged.append(list(run))
    parts = []
    for equal, removed, added in merged:
        if equal:
            parts.append(_esc(removed))
            continue
        if removed:
            parts.append(f"<del>{_esc(removed)}</del>")
        if added:
            parts.append(f"<ins>{_esc(added)}</ins>")
    return "".join(parts)


def hunks(old: str, new: str, context: int = CONTEXT_LINES) -> list[Hunk]:
    """The changed passages of two texts with ``context`` unchanged lines around each."""
    a, b = old.split("\n"), new.split("\n")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    result = []
    for group in matcher.get_grouped_opcodes(context):
        lines: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += [("same", _esc(line)) for line in a[i1:i2]]
            elif op == "delete":
                lines += [("removed", f"<del>{_esc(line)}</del>") for line in a[i1:i2]]
            elif op == "insert":
                lines += [("added", f"<ins>{_esc(line)}</ins>") for line in b[j1:j2]]
            else:
                old_block, new_block = a[i1:i2], b[j1:j2]
                if len(old_block) == len(new_block):
                    lines += [("changed", words(x, y)) for x, y in zip(old_block, new_block)]
                else:
                    lines.append(("changed", words("\n".join(old_block), "\n".join(new_block))))
        result.append(Hunk(lines))
    return result


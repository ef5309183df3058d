"""The pages in ``docs/`` (start page, editor guide, accessibility statement …).

They are Markdown like the routines and are checked by the same safety rules;
their front matter (optional, between ``---`` lines, as MkDocs reads it) is
read with the one YAML reader. A page that is a symbolic link out of the
handbook is refused (RH009) and not published.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import ProblemList
from ..source import Document, read_text, split_front_matter
from .paths import OUTSIDE_HINT, outside_message

if TYPE_CHECKING:  # pragma: no cover - types only
    from .handbook import Handbook


@dataclass
class DocsPage:
    path: Path
    display: str
    text: str  # the whole file, decoded and normalised
    document: Document | None  # the front matter, if any
    body: str
    body_line: int


def docs_files(handbook: Handbook) -> list[Path]:
    """Every file below ``docs/`` that is not in a hidden folder, sorted (links are not followed)."""
    found: list[Path] = []
    root = handbook.docs_dir
    if not root.is_dir():
        return found
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        base = Path(folder)
        found += [base / name for name in sorted(names) if not name.startswith(".")]
        # A linked folder is listed, not entered: report its files as the build would publish them.
        for name in list(subfolders):
            if (base / name).is_symlink() and handbook.outside(base / name):
                found.append(base / name)
                subfolders.remove(name)
    return found


def load_docs_pages(handbook: Handbook) -> list[DocsPage]:
    pages: list[DocsPage] = []
    problems = handbook.problems
    for path in docs_files(handbook):
        display = handbook.display(path)
        if handbook.outside(path):
            problems.add(display, 1, "RH009", outside_message(path), hint=OUTSIDE_HINT)
            continue
        if path.suffix != ".md":
            continue
        text = read_text(path, display, problems)
        if text is None:
            continue
        document, body, body_line = None, text.text, 1
        if text.text.startswith("---\n"):
            local = ProblemList()
            parsed = split_front_matter(text, local)
            if parsed is not None:
                problems.extend(p for p in local if p.code not in ("RH002", "RH003"))
                document, body, body_line = parsed.document, parsed.body, parsed.body_line
        pages.append(DocsPage(path, display, text.text, document, body, body_line))
    return pages

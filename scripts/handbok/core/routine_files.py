"""What reading one routine file gives, as plain data that the cache can keep.

Reading front matter is most of what ``handbok check`` spends its time on and
depends only on the file's bytes, so the result is stored per file content
(``core.cache``) and shared by the loader and the parallel first run.
"""

from __future__ import annotations

from pathlib import Path

from ..problems import Problem, ProblemList, Severity
from ..source import Document, FrontMatterFile, read_text_from, split_front_matter
from .cache import Store
from .cache import key as cache_key


def _problem_rows(problems: ProblemList) -> list[tuple]:
    return [(p.path, p.line, p.column, p.code, p.severity.value, p.message, p.hint) for p in problems]


def _problems_from(rows: list) -> list[Problem]:
    return [Problem(path, line, column, code, Severity(severity), message, hint)
            for path, line, column, code, severity, message, hint in rows]


def routine_entry(raw: bytes | None, path: Path, display: str, error: OSError | None = None) -> tuple:
    """What reading a routine file gives, as plain data (cacheable, picklable).

    ``(problem rows, found)`` where ``found`` is ``None`` or
    ``(data, packed locations, first line, offset of the body, body line)``.
    """
    local = ProblemList()
    if raw is None:
        local.add(display, 0, "RH001", f"filen kan inte läsas: {error.strerror if error else ''}",
                  hint="Kontrollera att filen finns och att du har läsbehörighet.")
        return _problem_rows(local), None
    text = read_text_from(raw, path, display, local)
    parsed: FrontMatterFile | None = split_front_matter(text, local) if text is not None else None
    found = None
    if parsed is not None and parsed.document is not None:
        document = parsed.document
        found = (document.data, document.packed_locations(), document.first_line,
                 len(text.text) - len(parsed.body), parsed.body_line)
    return _problem_rows(local), found


def read_front_matter(path: Path, display: str, problems: ProblemList, store: Store | None,
                       raw: bytes | None = None):
    """(document, body, body_line) of a routine file, or None; from the cache when unchanged."""
    error = None
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raw, error = None, exc
    entry = cache_key(display, raw) if raw is not None else None
    hit = store.get(entry) if store is not None and entry is not None else None
    if hit is None:
        hit = routine_entry(raw, path, display, error)
        if store is not None and entry is not None:
            store.put(entry, hit)
    rows, found = hit
    problems.extend(_problems_from(rows))
    if found is None:
        return None
    data, packed, first_line, body_start, body_line = found
    # The body is the file's own text after the front matter (not stored twice).
    text = read_text_from(raw, path, display, ProblemList())
    if text is None:
        return None
    return Document(data, None, first_line, packed=packed), text.text[body_start:], body_line

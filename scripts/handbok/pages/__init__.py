"""The pages: Markdown and HTML the site shows, made from the core's state.

Each module renders pages and nothing else: ``routine`` the routine pages
(title, process map with its text version, body, generated sections) and the
values of the metadata box; ``markers`` the handbook's comment markers on
ordinary pages; and one module per generated page or group of pages, each
attaching its generator to the page declared in ``core.generated``
(``@generated("uri.md")``). Values from front matter and registers are
escaped here (``html.esc`` in HTML, ``html.md_text`` in Markdown).
"""

from __future__ import annotations

from ..core.generated import GENERATORS, PAGES, render_page

# Modules attach their generators on import.
from . import audit, changes, editor, legal, registers, releases, routines, tags  # noqa: E402,F401

_missing = sorted(set(PAGES) - set(GENERATORS))
if _missing:  # pragma: no cover - a programming error, caught by any build
    raise RuntimeError(f"generated pages without a generator: {', '.join(_missing)}")

__all__ = ["GENERATORS", "PAGES", "render_page"]

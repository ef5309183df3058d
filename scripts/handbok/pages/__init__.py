"""Pages generated from the model and registers on every build.

Generators live in topic modules of this package (``routines`` for the
overview and glossary, and one module per feature) and register themselves
with ``@generated("uri.md")``. Each generator takes the loaded handbook and the page's own source URI and
returns Markdown. The plugin adds a page for every entry in ``GENERATED``
unless ``docs/`` has a file at that URI (then that file wins). Generated pages
are never committed: they are rebuilt from the data each time.
"""

from __future__ import annotations

from typing import Callable

from ..handbook import Handbook


Generator = Callable[[Handbook, str], str]
GENERATED: dict[str, Generator] = {}


def generated(uri: str):
    def register(function: Generator) -> Generator:
        GENERATED[uri] = function
        return function

    return register


# Topic modules register their pages on import.
from . import routines  # noqa: E402,F401

"""Pages generated from the model and registers on every build.

Generators live in topic modules of this package (``routines`` for the
overview and glossary, and one module per feature) and register themselves
with ``@generated("uri.md")``. Each generator takes the loaded handbook and
the page's own source URI and returns Markdown. A generator that needs the
build's day or settings (the review plan, anything dated) also takes a keyword
argument ``context``: the ``CheckContext`` the build's checks use. Generators
are called through ``render_page``, which passes what each asks for.

The plugin adds a page for every entry in ``GENERATED`` unless ``docs/`` has
a file at that URI (then that file wins). Generated pages are never
committed: they are rebuilt from the data each time.
"""

from __future__ import annotations

import inspect
from typing import Callable

from ..checks import CheckContext
from ..handbook import Handbook


Generator = Callable[[Handbook, str], str]
GENERATED: dict[str, Generator] = {}


def generated(uri: str):
    def register(function: Generator) -> Generator:
        GENERATED[uri] = function
        return function

    return register


def render_page(generator: Generator, handbook: Handbook, page_uri: str,
                context: CheckContext | None = None) -> str:
    """Run one generator, passing ``context`` if it takes one."""
    if "context" in inspect.signature(generator).parameters:
        return generator(handbook, page_uri, context=context or CheckContext())
    return generator(handbook, page_uri)


# Topic modules register their pages on import.
from . import registers, releases, routines  # noqa: E402,F401
from . import editor  # noqa: E402,F401

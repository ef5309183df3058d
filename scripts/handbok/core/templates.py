"""The templates a new routine is made from, read once from the package.

``templates/rutin.md`` (front matter and the body's sections) and
``templates/processkarta.mmd`` (a small flowchart) are package data. ``handbok
new`` fills them in; the completeness rules read the same files to know which
sections a routine must have and which sentences are the template's own, so
the two cannot drift apart.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from string import Template

ROUTINE = "rutin.md"
MAP = "processkarta.mmd"


@lru_cache(maxsize=None)
def template_text(name: str) -> str:
    """The text of ``templates/<name>`` as shipped with the package."""
    return resources.files("handbok").joinpath("templates").joinpath(name).read_text(encoding="utf-8")


def template(name: str) -> Template:
    """``templates/<name>`` as a ``string.Template`` (``$title`` …)."""
    return Template(template_text(name))


def routine_template_body() -> tuple[str, int]:
    """The body of the routine template (after its front matter) and the line it starts on."""
    text = template_text(ROUTINE)
    lines = text.split("\n")
    closing = next(index for index, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    return "\n".join(lines[closing + 1:]), closing + 2

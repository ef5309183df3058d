"""Where things are published: the one computation of every address.

A routine is published at ``rutiner/<process>/<id>/`` (the same in every
release, so ``/<version>/rutiner/…`` never changes). Pages are MkDocs source
files (``a/b.md``) published as directory URLs (``a/b/``). Every consumer –
the pages, the plugin, the feed, ``handbok gallande`` – asks here.
"""

from __future__ import annotations

import posixpath

from .. import model


def routine_src_uri(routine: model.Routine | model.ReleasedRoutine) -> str:
    """The routine's place among the site's source files: ``rutiner/<process>/<id>.md``."""
    return f"rutiner/{model.slugify(routine.process)}/{routine.id}.md"


def page_url(uri: str) -> str:
    """The directory URL MkDocs gives a source file (``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``)."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def routine_url(routine: model.Routine | model.ReleasedRoutine) -> str:
    """Where a routine is published, relative to the site (or a version's) root:
    ``rutiner/<process>/<id>/``. A routine as recorded in a release has the same address."""
    return page_url(routine_src_uri(routine))


def site_address(base: str, url: str) -> str:
    """``url`` (relative to the site root) as data outside the site gives it: under ``base``, the
    site's address (``site_url``; in a mike build the version's own folder), or as it is without one."""
    return f"{base.rstrip('/')}/{url}" if base else url


def relative_uri(from_uri: str, to_uri: str) -> str:
    """A relative link between two source files (MkDocs turns ``.md`` links into page URLs)."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def url_from(page_uri: str, target_url: str) -> str:
    """A relative URL from the page built from ``page_uri`` to a directory URL of the site
    (for raw HTML, whose links MkDocs does not rewrite)."""
    relative = posixpath.relpath(target_url or ".", page_url(page_uri) or ".")
    return "./" if relative == "." else relative + "/"


# --- headings a routine page generates ---------------------------------------------------

MAP_SECTION = "diagram"
"""The field whose section (the process map) stands before the editor's body."""

SECTIONS_AFTER_BODY = ("responsibilities", "legal_basis", "answers", "related")
"""The fields whose sections follow the body, in page order; each heading is the field's label."""


def section_heading(field_name: str) -> str:
    """The heading of a generated section of a routine page: the field's Swedish label."""
    return model.label(model.Routine, field_name)


def generated_sections(routine: model.Routine) -> list[str]:
    """The fields of ``routine`` that give a section after the body (an empty field gives none)."""
    present = {
        "responsibilities": bool(routine.responsibilities),
        "legal_basis": bool(routine.legal_basis),
        "answers": bool(routine.answers or routine.answers_in_part),
        "related": bool(routine.related),
    }
    return [name for name in SECTIONS_AFTER_BODY if present[name]]

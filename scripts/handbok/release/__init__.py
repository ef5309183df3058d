"""Versioned releases approved by the nämnd.

A *release* is a numbered version of the whole handbook (``2026.1``) that a
board has decided on. The package is a set of small modules under one CLI
group (``handbok release prepare|approve|aktivera|verifiera`` and ``handbok gallande``):

- ``register``  – the releases register ``routines/register/releaser.yml``
  (read with the one model, ``model.Release``), periods in force and
  point-in-time lookups;
- ``hashing``   – content hashes of routines and process maps;
- ``plan``      – what changed since the last release, and the proposal that
  ``prepare`` writes and ``approve`` holds the tree to;
- ``diff``      – readable word-level diffs (difflib);
- ``underlag``  – the print-ready beslutsunderlag (HTML);
- ``frontmatter`` – round-trip edits of a routine's front matter (ruamel);
- ``git`` / ``publish`` – git plumbing and mike;
- ``workflow``  – prepare, approve and activate, all-or-nothing;
- ``transaction`` – approve's lock, journal and signal handling (resume or undo);
- ``site``      – what a build is: a release (and which) or a draft;
- ``cli``       – the thin click verbs.

Every refusal is a ``ReleaseError`` with a Swedish message; nothing is written
before every precondition holds, and what has been written is rolled back if
a later step fails.
"""


from pathlib import Path

from ..core.errors import HandbookError


class ReleaseError(HandbookError):
    """A refusal or failure of the release workflow (see ``core.errors``)."""


def write_whole(path: Path, text: str, *, newline: str | None = None) -> None:
    """Write ``text`` to ``path`` whole or not at all: beside it first, then renamed over it, so
    that nobody (and no interrupted run) ever reads half a file."""
    temporary = path.with_name(path.name + ".handbok-tmp")
    temporary.write_text(text, encoding="utf-8", newline=newline)
    temporary.replace(path)

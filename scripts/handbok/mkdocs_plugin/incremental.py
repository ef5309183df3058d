"""Live reload at the cost of one page: ``make serve`` rebuilds what an edit affects.

``mkdocs serve`` builds the whole site after every change, because MkDocs
cannot know what a page shows of other pages. The handbook can: a routine's
text is shown on its own page only (and in its search entries), while its
facts (title, owner, status, dates, process, summary …: the front matter and
the reader status) are shown by the navigation, the registers, the overview
and other pages. So when a build follows another in the same ``make serve``
(``mkdocs serve --dirty``), the plugin compares what it read with what it read
the last time:

- only routine files changed, and what other pages show of them did not: only
  those routines' pages are rendered and written, and their entries in the
  search index replaced; every other page keeps what the last build gave it
  (its title, table of contents and dates for the menu, the sitemap and the
  links between pages), so each file is what a full build writes;
- anything else changed (a register, a map, a page in ``docs/``, ``mkdocs.yml``,
  the theme, a routine's facts, the build's day or state, a routine added or
  removed): the whole site is built again from an empty folder, and the log
  says why.

The checks give the findings of a full build in every build: when only routine
files changed since the handbook was read, the plugin reads just those again
(``core.loader.reload_routines``) and the ``per_routine`` rules run on them alone
(``checks.registry.run_checks``); the other rules run on the whole handbook. The
tests edit routines in a served site and compare every file with a fresh
full build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.context import BuildContext
from ..core.handbook import Handbook
from ..core.history import LastChanged
from ..core.state import status_of

log = logging.getLogger("mkdocs.plugins.handbok")

WATCHED = ("routines", "diagrams")
"""Folders of the handbook root whose files the build reads (besides docs/, mkdocs.yml and the theme)."""


EDITORS_NAMES = ("4913", "__pycache__")
"""Vim writes and removes a file '4913' to see whether it may write in a folder; Python's cache."""
EDITORS_ENDINGS = ("~", "___jb_tmp___", "___jb_old___", ".swp", ".swx")
"""Backups (Vim, Emacs, nano), the safe-write files of JetBrains' editors, Vim's swap files."""


def not_the_handbooks(name: str) -> bool:
    """A file or folder name that is an editor's swap, backup or temporary file, or Python's cache,
    not the handbook's (a build neither reads nor waits for it): hidden names ('.x.md.swp', VS Code's
    and gedit's temporary files, Emacs' lock files), Emacs' auto-save files ('#x.md#') and the rest
    above."""
    return (name.startswith(".") or name in EDITORS_NAMES or name.endswith(EDITORS_ENDINGS)
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


def file_states(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file below ``roots`` (or the file itself) with its size and modification time."""
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        if root.is_file():
            stat = root.stat()
            found[str(root)] = (stat.st_size, stat.st_mtime_ns)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not not_the_handbooks(d))
            for name in names:
                if not_the_handbooks(name):
                    continue  # an editor's swap and backup files are not the handbook's
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def routine_facts(handbook: Handbook, context: BuildContext, changed: LastChanged, files_of,
                  kept: dict[str, str] | None = None) -> dict[str, str]:
    """What other pages show of each routine, as a fingerprint per routine id: its front matter,
    its reader status and the day its files last changed (``kept``: those known from the last build
    of routines whose files, and everything else they depend on, have not changed since)."""
    kept = kept or {}
    if len(kept) == len(handbook.routines):
        return dict(kept)
    facts = {}
    for rid, source in handbook.routines.items():
        if rid in kept:
            facts[rid] = kept[rid]
            continue
        routine = source.routine
        data = [routine.model_dump(mode="json"), status_of(handbook, context, routine).as_dict(),
                str(changed.day(files_of(source), context.today))]
        facts[rid] = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return facts


@dataclass
class Snapshot:
    """What one build read, for comparing with the next."""

    key: tuple  # the site folder, the configuration file, the day and the build's state
    files: dict[str, tuple[int, int]]
    facts: dict[str, str]
    routine_paths: dict[str, str]  # the file of each routine -> its id


@dataclass
class Plan:
    full: bool
    reason: str = ""
    pages: set[str] = field(default_factory=set)  # the pages to build (src_uri), when not full


def plan(previous: Snapshot | None, current: Snapshot, uri_of: dict[str, str], root: Path) -> Plan:
    """What this build must build, given the last build's snapshot (``uri_of``: routine id -> src_uri)."""
    if previous is None:
        return Plan(True, "första bygget")
    if previous.key != current.key:
        return Plan(True, "inställningarna, dagen eller byggets läge (utkast eller fastställd version) ändrades")
    changed = sorted(path for path in previous.files.keys() | current.files.keys()
                     if previous.files.get(path) != current.files.get(path))
    if not changed:
        return Plan(False, "inget ändrades", set())
    pages: set[str] = set()
    for path in changed:
        rid = current.routine_paths.get(path)
        if rid is None or previous.routine_paths.get(path) != rid:
            return Plan(True, f"{_display(path, root)} ändrades")
        if previous.facts.get(rid) != current.facts.get(rid):
            return Plan(True, f"det som andra sidor visar om rutinen {rid} ändrades (titel, ägare, status, datum …)")
        pages.add(uri_of[rid])
    return Plan(False, f"bara texten i {', '.join(sorted(_display(p, root) for p in changed))} ändrades", pages)


def _display(path: str, root: Path) -> str:
    """A path as the editor knows it: from the handbook's root."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path

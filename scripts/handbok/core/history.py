"""Recent changes to routines, read from git history.

The page *Senast ändrade* lists the latest commits that touched a routine
file. The handbook is also built where there is no history (a downloaded
archive, a temporary test directory, a machine without git); then
``routine_changes`` returns no changes and a Swedish note saying why, and the
build goes on.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .paths import ROUTINES_DIR

# Separators git will not put in a date, hash or one-line subject.
_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass(frozen=True)
class Change:
    """One commit's change to one routine file."""

    date: dt.date
    routine_id: str
    subject: str
    commit: str


@dataclass
class History:
    changes: list[Change] = field(default_factory=list)
    # Why there is no history, in Swedish; empty when git answered.
    note: str = ""


def routine_changes(root: Path | str, *, limit: int = 50, timeout: float = 30.0) -> History:
    """The ``limit`` latest changes to ``routines/*.md`` below ``root``, newest first.

    Merge commits are skipped (their changes are listed with the commits that
    made them). A commit that changed several routines gives one entry each.
    """
    root = Path(root)
    command = [
        "git", "-C", str(root), "log", "--no-merges", "--relative", "--name-only",
        "--no-renames", f"--max-count={limit}", f"--format={_RECORD}%H{_FIELD}%cs{_FIELD}%s",
        "--", f"{ROUTINES_DIR}/*.md",
    ]
    try:
        # English messages from git so the reason can be recognised below.
        env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C.UTF-8"}
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", timeout=timeout, check=False, env=env)
    except FileNotFoundError:
        return History(note="Ändringshistoriken kan inte visas: programmet git finns inte där handboken byggdes.")
    except (OSError, subprocess.TimeoutExpired):
        return History(note="Ändringshistoriken kan inte visas: git gick inte att köra när handboken byggdes.")
    if result.returncode != 0:
        stderr = result.stderr.lower()
        if "not a git repository" in stderr:
            return History(note="Ändringshistoriken kan inte visas: handboken byggdes utan versionshistorik "
                                "(inte från ett git-arkiv).")
        if "does not have any commits" in stderr:
            return History(note="Ändringshistoriken är tom: inga ändringar är incheckade ännu.")
        return History(note="Ändringshistoriken kan inte visas: git kunde inte läsa historiken när handboken byggdes.")
    return History(changes=_parse(result.stdout, limit))


def _parse(output: str, limit: int) -> list[Change]:
    changes: list[Change] = []
    for record in output.split(_RECORD):
        if not record.strip():
            continue
        header, _, names = record.partition("\n")
        parts = header.split(_FIELD)
        if len(parts) != 3:
            continue
        commit, date_text, subject = parts
        try:
            date = dt.date.fromisoformat(date_text.strip())
        except ValueError:
            continue
        for name in names.splitlines():
            name = name.strip()
            # Only routines themselves, not the registers in routines/register/.
            if posixpath.dirname(name) != ROUTINES_DIR or not name.endswith(".md"):
                continue
            changes.append(Change(date, posixpath.basename(name)[:-3], subject.strip(), commit))
            if len(changes) >= limit:
                return changes
    return changes


# --- when each file last changed ------------------------------------------------------


@dataclass
class LastChanged:
    """The day each file last changed in git (``dates``, by path relative to the root),
    the files changed in the working copy but not yet committed (``uncommitted``),
    and, when git could not answer, why (``note``, Swedish)."""

    dates: dict[str, dt.date] = field(default_factory=dict)
    uncommitted: set[str] = field(default_factory=set)
    note: str = ""

    def of(self, *sources: str) -> dt.date | None:
        """The latest day any of ``sources`` was committed: files, or folders ending in ``/``."""
        folders = tuple(source for source in sources if source.endswith("/"))
        found = [self.dates[source] for source in sources if source in self.dates]
        if folders:  # only generated pages name whole folders; routines name their files
            found += [day for path, day in self.dates.items() if path.startswith(folders)]
        return max(found) if found else None

    def is_uncommitted(self, *sources: str) -> bool:
        """Whether one of ``sources`` (files or folders ending in ``/``) has changes not yet committed."""
        return bool(self.uncommitted) and any(_within(path, sources) for path in self.uncommitted)

    def day(self, sources: tuple[str, ...], today: dt.date) -> dt.date | None:
        """When the content from ``sources`` last changed: today if it has uncommitted
        changes (a preview), else the last commit; None when git could not say."""
        if self.is_uncommitted(*sources):
            return today
        return self.of(*sources)


def _within(path: str, sources: tuple[str, ...]) -> bool:
    return any(path == source or (source.endswith("/") and path.startswith(source)) for source in sources)


def last_changed(root: Path | str, *, timeout: float = 60.0) -> LastChanged:
    """One pass over the history: the last day each file below ``root`` was committed.

    Renames are not followed (a routine's file name is its id and never changes).
    Without git, or outside a repository, every date is unknown and ``note`` says why.
    """
    root = Path(root)
    env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C.UTF-8"}
    command = ["git", "-C", str(root), "log", "--relative", "--name-only", "--no-renames",
               f"--format={_RECORD}%cs", "--", "."]
    try:
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", timeout=timeout, check=False, env=env)
        # Porcelain paths are relative to the repository's top, which may be above the root.
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain=v1", "-z",
                                 "--untracked-files=all", "--", "."], capture_output=True, text=True,
                                encoding="utf-8", errors="replace", timeout=timeout, check=False, env=env) \
            if result.returncode == 0 else None
        prefix = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True,
                                text=True, encoding="utf-8", errors="replace", timeout=timeout, check=False,
                                env=env).stdout.strip() if status is not None else ""
    except FileNotFoundError:
        return LastChanged(note="programmet git finns inte där handboken byggdes")
    except (OSError, subprocess.TimeoutExpired):
        return LastChanged(note="git gick inte att köra när handboken byggdes")
    if result.returncode != 0:
        if "not a git repository" in result.stderr.lower():
            return LastChanged(note="handboken byggdes utan versionshistorik")
        if "does not have any commits" in result.stderr.lower():
            return LastChanged(note="inga ändringar är incheckade ännu")
        return LastChanged(note="git kunde inte läsa historiken när handboken byggdes")
    changed = LastChanged()
    for record in result.stdout.split(_RECORD):
        header, _, names = record.partition("\n")
        try:
            day = dt.date.fromisoformat(header.strip())
        except ValueError:
            continue
        for name in names.splitlines():
            name = name.strip()
            if name and name not in changed.dates:  # newest first: the first date seen is the last change
                changed.dates[name] = day
    if status is not None and status.returncode == 0:
        items = status.stdout.split("\0")
        index = 0
        while index < len(items):
            item = items[index]
            index += 1
            if len(item) < 4 or item[2] != " ":
                continue
            if item[0] in "RC":
                index += 1  # the original path of a rename or copy follows
            path = item[3:]
            if path.startswith(prefix):
                changed.uncommitted.add(path[len(prefix):])
    return changed

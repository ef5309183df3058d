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

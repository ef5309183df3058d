"""What each release approved, in the routines' own words (their approved ``change_note``).

Read from the releases register (``core.releases``), the routine files and,
for a routine edited since, the file at the release's tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import model
from . import git
from .errors import HandbookError
from .handbook import Handbook
from .hashing import routine_hash
from .loader import routine_from_text
from .releases import REMOVED, decided_changes


@dataclass(frozen=True)
class ApprovedChange:
    """One routine in one release's decision, with the change note the nämnd approved."""

    release: model.Release
    kind: str
    routine: model.ReleasedRoutine
    note: str | None  # the approved version's change_note, when it can be read


def approved_note(handbook: Handbook, entry: model.ReleasedRoutine, release: model.Release) -> str | None:
    """The ``change_note`` of the routine version a release recorded.

    It is the routine file's own note while the file still holds the approved text (same
    content hash); after a later edit, the file at the release's tag, when the tag is there.
    """
    source = handbook.routines.get(entry.id)
    if source is not None and routine_hash(source) == entry.sha256:
        return source.routine.change_note
    try:
        text = git.show(handbook.root, f"refs/tags/{release.tag}", f"./routines/{entry.id}.md")
    except HandbookError:
        return None  # no git here
    if text is None:
        return None
    then = routine_from_text(text, f"routines/{entry.id}.md")
    if then is None or routine_hash(then) != entry.sha256:
        return None
    return then.routine.change_note


def approved_changes(handbook: Handbook) -> list[ApprovedChange]:
    """Every decided change of every release, newest release first, in the beslutsunderlag's order."""
    register = handbook.releases
    if register.problems:
        return []
    diagram_of = {rid: s.routine.diagram for rid, s in handbook.routines.items() if s.routine.diagram}
    found: list[ApprovedChange] = []
    previous = None
    for release in register.releases:
        for change in decided_changes(handbook.root, previous, release, diagram_of):
            note = None if change.kind == REMOVED else approved_note(handbook, change.routine, release)
            found.append(ApprovedChange(release, change.kind, change.routine, note))
        previous = release
    return sorted(found, key=lambda c: c.release.version_key, reverse=True)

"""What a release changes since the last approved one, and the proposal file.

``make_plan`` compares the routines in the working tree with the last
release in the register and sorts every routine into one category. ``prepare``
writes the plan as a proposal (``forslag.json``) beside the beslutsunderlag;
``approve`` makes the plan again and refuses if it differs, so what is
published is exactly what the board was shown.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..core import git
from ..core.handbook import Handbook, RoutineSource
from ..core.hashing import diagram_hash, released_roles, routine_hash
from ..core.loader import routine_from_text
from ..core.releases import (CHANGED, DECIDED, DRAFT, HEADINGS, NEW, PROPOSAL_FILE, REMOVED, REPEALED, REVIEWED,
                             UNCHANGED, UNDERLAG_DIR, read_proposal, underlag_dir)
from . import ReleaseError, write_whole

__all__ = ["CHANGED", "DRAFT", "HEADINGS", "NEW", "REMOVED", "REPEALED", "REVIEWED", "UNCHANGED", "UNDERLAG_DIR",
           "Plan", "Previous", "RoutineChange", "differences", "make_plan", "read_proposal", "underlag_dir",
           "write_proposal"]

@dataclass
class RoutineChange:
    kind: str
    id: str
    current: RoutineSource | None
    previous: model.ReleasedRoutine | None
    text_changed: bool = False
    diagram_changed: bool = False

    @property
    def title(self) -> str:
        if self.current:
            return self.current.routine.title
        return self.previous.title if self.previous else self.id


@dataclass
class Plan:
    version: str
    base: model.Release | None
    changes: list[RoutineChange]
    included_drafts: list[str] = field(default_factory=list)
    diagrams: dict[str, str] = field(default_factory=dict)
    # Roles named on approved pages whose name changed since the base: id -> (name then, name now).
    renamed_roles: dict[str, tuple[str, str]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[RoutineChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def approved_ids(self) -> list[str]:
        """Routines whose ``approved`` this decision sets: new, changed and reviewed ones."""
        return [c.id for c in self.changes if c.kind in (NEW, CHANGED, REVIEWED)]

    @property
    def decided(self) -> list[RoutineChange]:
        return [c for c in self.changes if c.kind in DECIDED]

    @property
    def anything_to_decide(self) -> bool:
        return bool(self.decided or self.renamed_roles)

    def overdue(self, day: dt.date) -> list[RoutineSource]:
        """Routines that will be in force after the decision and whose review date has passed."""
        result = []
        for change in self.changes:
            source = change.current
            if source is None or change.kind in (REPEALED, DRAFT):
                continue
            if source.routine.status in ("gällande", "utkast") and source.routine.review_by < day:
                result.append(source)
        return result

    def proposal(self) -> dict:
        """The plan as data: what approve must find unchanged."""
        routines = {}
        for change in self.changes:
            entry = {"kategori": change.kind}
            if change.current:
                entry["version"] = change.current.routine.version
                entry["sha256"] = routine_hash(change.current)
                entry["review_by"] = str(change.current.routine.review_by)
            routines[change.id] = entry
        return {
            "version": self.version,
            "foregaende": self.base.version if self.base else None,
            "ta_med": sorted(self.included_drafts),
            "rutiner": routines,
            "processkartor": dict(sorted(self.diagrams.items())),
            "roller": {rid: new for rid, (_, new) in sorted(self.renamed_roles.items())},
        }


def make_plan(handbook: Handbook, base: model.Release | None, version: str,
              include: list[str] | tuple[str, ...] = ()) -> Plan:
    """Sort every routine into a category relative to ``base`` (the last release)."""
    include = list(dict.fromkeys(include))
    for rid in include:
        source = handbook.routines.get(rid)
        if source is None:
            raise ReleaseError(f"--ta-med {rid}: det finns ingen rutin med id '{rid}'",
                               "Ange id för ett utkast i routines/ (filnamnet utan .md).")
        if source.routine.status != "utkast":
            raise ReleaseError(f"--ta-med {rid}: rutinen har status '{source.routine.status}', inte 'utkast'",
                               "--ta-med behövs bara för utkast som ska fastställas; gällande och upphävda rutiner ingår alltid.")
    diagrams = {name: digest for name in handbook.diagram_names() if (digest := diagram_hash(handbook, name))}
    changes: list[RoutineChange] = []
    for rid in sorted(handbook.routines):
        source = handbook.routines[rid]
        routine = source.routine
        previous = base.routine(rid) if base else None
        was_in_force = previous is not None and previous.status == "gällande"
        change = RoutineChange(UNCHANGED, rid, source, previous)
        if routine.status == "utkast":
            change.kind = (CHANGED if was_in_force else NEW) if rid in include else DRAFT
            change.text_changed = change.kind == CHANGED
        elif routine.status == "gällande":
            if not was_in_force:
                change.kind = NEW
            else:
                change.text_changed = previous.sha256 != routine_hash(source)
                if routine.diagram:
                    before = base.diagram(routine.diagram)
                    change.diagram_changed = before is None or before.sha256 != diagrams.get(routine.diagram)
                if change.text_changed or change.diagram_changed:
                    change.kind = CHANGED
                elif previous.review_by != routine.review_by:
                    change.kind = REVIEWED
        else:  # upphävd
            change.kind = UNCHANGED if previous is not None and previous.status == "upphävd" else REPEALED
        changes.append(change)
    if base is not None:
        for previous in base.routines:
            if previous.id not in handbook.routines:
                changes.append(RoutineChange(REMOVED, previous.id, None, previous))
    return Plan(version, base, changes, include, diagrams, renamed_roles(handbook, base))


def renamed_roles(handbook: Handbook, base: model.Release | None) -> dict[str, tuple[str, str]]:
    """Roles the routines in force name whose name differs from the one recorded in ``base`` (RH811)."""
    if base is None:
        return {}
    now = {role.id: role.name for role in released_roles(handbook)}
    return {r.id: (r.name, now[r.id]) for r in base.roles if r.id in now and now[r.id] != r.name}


# --- the proposal file ------------------------------------------------------------


def write_proposal(root: Path, plan: Plan, head: str | None) -> Path:
    data = plan.proposal()
    data["commit"] = head
    path = underlag_dir(root, plan.version) / PROPOSAL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path


def differences(proposed: dict, current: dict) -> list[str]:
    """Swedish lines saying how the tree differs from what the board was shown."""
    lines = []
    if proposed.get("foregaende") != current.get("foregaende"):
        lines.append(f"föregående version är nu {current.get('foregaende') or 'ingen'}, "
                     f"underlaget utgick från {proposed.get('foregaende') or 'ingen'}")
    old, new = proposed.get("rutiner", {}), current.get("rutiner", {})
    for rid in sorted(set(old) | set(new)):
        if rid not in new:
            lines.append(f"rutinen {rid} finns inte längre")
        elif rid not in old:
            lines.append(f"rutinen {rid} har tillkommit")
        elif old[rid] != new[rid]:
            lines.append(f"rutinen {rid} har ändrats")
    old_roles, new_roles = proposed.get("roller", {}), current.get("roller", {})
    for rid in sorted(set(old_roles) | set(new_roles)):
        if old_roles.get(rid) != new_roles.get(rid):
            lines.append(f"rollen {rid} har bytt namn")
    old_maps, new_maps = proposed.get("processkartor", {}), current.get("processkartor", {})
    for name in sorted(set(old_maps) | set(new_maps)):
        if old_maps.get(name) != new_maps.get(name):
            lines.append(f"processkartan {name} har ändrats")
    return lines


# --- the previous release's text --------------------------------------------------


@dataclass
class Previous:
    """The last release's files, read from its tag."""

    root: Path
    tag: str
    prefix: str  # the handbook root relative to the repository root, '' or 'sub/'

    def routine(self, routine_id: str) -> RoutineSource | None:
        path = f"{self.prefix}routines/{routine_id}.md"
        text = git.show(self.root, self.tag, path)
        return routine_from_text(text, path) if text is not None else None

    def diagram(self, name: str) -> str | None:
        text = git.show(self.root, self.tag, f"{self.prefix}diagrams/{name}")
        return unicodedata.normalize("NFC", text.replace("\r\n", "\n")) if text is not None else None

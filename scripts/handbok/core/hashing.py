"""Content hashes of routines and process maps.

A routine's hash covers what the board approves: the Markdown body and every
front-matter field except ``review_by`` (a moved review date is its own
finding, RH802, and its own category in the beslutsunderlag). The fields are
taken from the validated model, not from the YAML text, so re-indenting or
re-quoting the front matter does not change the hash, and fields left at
their default are left out, so a new optional field in the model does not
change the hash of every approved routine.
"""

from __future__ import annotations

import hashlib
import json

from .. import model
from .handbook import Handbook, RoutineSource

EXCLUDED_FIELDS = {"review_by"}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def routine_fields(routine: model.Routine) -> dict:
    """The routine's hashed fields as plain JSON data."""
    return routine.model_dump(mode="json", exclude_defaults=True, exclude=EXCLUDED_FIELDS)


def routine_hash(source: RoutineSource) -> str:
    canonical = json.dumps({"fields": routine_fields(source.routine), "body": source.body},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256_text(canonical)


def diagram_hash(handbook: Handbook, name: str) -> str | None:
    """Hash of a process map's decoded text (UTF-8, LF, NFC); None if it cannot be read."""
    text, _ = handbook.diagram_text(name)
    return sha256_text(text) if text is not None else None


def released_routine(source: RoutineSource) -> model.ReleasedRoutine:
    routine = source.routine
    return model.ReleasedRoutine(
        id=routine.id, title=routine.title, process=routine.process, version=routine.version,
        status=routine.status, owner=routine.owner, valid_from=routine.valid_from,
        review_by=routine.review_by, sha256=routine_hash(source),
    )


def snapshot(handbook: Handbook) -> tuple[list[model.ReleasedRoutine], list[model.ReleasedDiagram]]:
    """Every routine and every process map in ``diagrams/``, with hashes, sorted by id and name."""
    routines = [released_routine(handbook.routines[rid]) for rid in sorted(handbook.routines)]
    diagrams = []
    for name in handbook.diagram_names():
        digest = diagram_hash(handbook, name)
        if digest is not None:
            diagrams.append(model.ReleasedDiagram(name=name, sha256=digest))
    return routines, diagrams


def role_ids(routine: model.Routine) -> set[str]:
    """Every role a routine's page names: its owner, its readers and each responsibility's role."""
    return {routine.owner, *routine.audience, *(r.role for r in routine.responsibilities)}


def released_roles(handbook: Handbook) -> list[model.ReleasedRole]:
    """The name of every role the routines in force name, as the roles register has it now."""
    used = set()
    for source in handbook.routines.values():
        if source.routine.status == "gällande":
            used |= role_ids(source.routine)
    return [model.ReleasedRole(id=rid, name=handbook.roles[rid].name) for rid in sorted(used) if rid in handbook.roles]

"""The releases register and what each approved release decided.

``routines/register/releaser.yml`` holds every release the nämnd has approved,
read with the one model (``model.Release``) and the loader's own YAML and
validation helpers, so a malformed register is reported with file and line
like every other register. ``Handbook.releases`` reads it once per load; the
checker, the pages, the feed and the release tool all use that reading.

Beside each release lies the proposal the nämnd was shown
(``beslutsunderlag/<version>/forslag.json``, written by ``handbok release
prepare``): its categories are what the feed and the decisions page report.
The register is only ever appended to, by ``handbok release approve``
(``release.register`` writes it).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..problems import ProblemList, relative
from ..source import load_yaml_file, parse_yaml
from .errors import HandbookError
from .paths import REGISTER_DIR
from .validation import validate

UNDERLAG_DIR = "beslutsunderlag"
PROPOSAL_FILE = "forslag.json"

# Category keys of a routine in a decision (ASCII: file and HTML attributes) and their Swedish headings.
NEW, CHANGED, REPEALED, REMOVED, REVIEWED, UNCHANGED, DRAFT = (
    "ny", "andrad", "upphavd", "borttagen", "granskad", "oforandrad", "utkast")
HEADINGS = {
    NEW: "Nya rutiner",
    CHANGED: "Ändrade rutiner",
    REPEALED: "Upphävda rutiner",
    REMOVED: "Rutiner som tas bort ur handboken",
    REVIEWED: "Granskade utan ändring (nytt revideringsdatum)",
    UNCHANGED: "Oförändrade rutiner",
    DRAFT: "Utkast som inte ingår i förslaget",
}
DECIDED = (NEW, CHANGED, REPEALED, REMOVED, REVIEWED)
"""The categories a decision is about, in the beslutsunderlag's order."""


def register_path(root: Path) -> Path:
    return Path(root) / REGISTER_DIR / model.RELEASES_FILE


@dataclass
class ReleaseRegister:
    """The releases in register order (oldest first), with where each stood."""

    path: Path
    display: str
    exists: bool = False
    releases: list[model.Release] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    problems: ProblemList = field(default_factory=ProblemList)

    @property
    def last(self) -> model.Release | None:
        return self.releases[-1] if self.releases else None

    def get(self, version: str) -> model.Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def period(self, release: model.Release) -> tuple[dt.date, dt.date | None]:
        """First and last day the release was in force (None: until further notice)."""
        index = self.releases.index(release)
        following = self.releases[index + 1:]
        if not following:
            return release.valid_from, None
        return release.valid_from, following[0].valid_from - dt.timedelta(days=1)

    def in_force_on(self, day: dt.date) -> model.Release | None:
        """The release in force on ``day``: the latest one that had begun to apply."""
        current = None
        for release in self.releases:
            if release.valid_from <= day:
                current = release
        return current

    def routine_on(self, day: dt.date, routine_id: str) -> tuple[model.Release, model.ReleasedRoutine] | None:
        """The release and routine version in force on ``day``.

        A routine can begin to apply later than the release it is in; until then
        the version from an earlier release still applies.
        """
        for release in reversed(self.releases):
            if release.valid_from > day:
                continue
            entry = release.routine(routine_id)
            if entry is None:
                # Removed from the handbook by this release (or never in it).
                return None
            if entry.status == "utkast":
                continue
            if entry.valid_from and entry.valid_from > day and entry.status == "gällande":
                continue
            return release, entry
        return None


def load_register(root: Path | str) -> ReleaseRegister:
    """Read the register; problems are collected, never raised. A missing file means no releases yet."""
    root = Path(root)
    path = register_path(root)
    register = ReleaseRegister(path=path, display=relative(path, root))
    if not path.is_file():
        return register
    register.exists = True
    document = load_yaml_file(path, register.display, register.problems)
    return _read_entries(register, document)


def register_from_text(text: str, display: str) -> ReleaseRegister:
    """The register as it stood in a git revision (a tag's commit), read like the file."""
    register = ReleaseRegister(path=Path(display), display=display, exists=True)
    if not text.strip():
        return register
    return _read_entries(register, parse_yaml(text.replace("\r\n", "\n").lstrip("\ufeff"), display,
                                              register.problems))


def _read_entries(register: ReleaseRegister, document) -> ReleaseRegister:
    if document is None:
        return register
    data = document.data
    if data is None:
        return register  # only comments: no releases yet
    if not isinstance(data, list):
        register.problems.add(register.display, 1, "RH010",
                              "registret ska vara en YAML-lista där varje post börjar med '- '",
                              hint="Posterna skrivs av 'handbok release approve'; återställ filen från git.")
        return register
    for index, entry in enumerate(data):
        release = validate(model.Release, entry, document, register.display, register.problems, prefix=(index,))
        if release is None:
            continue
        register.releases.append(release)
        register.lines.setdefault(release.version, document.where((index,))[0])
    return register


# --- the proposal beside each release -------------------------------------------------


def underlag_dir(root: Path, version: str) -> Path:
    return Path(root) / UNDERLAG_DIR / version


def read_proposal(root: Path, version: str) -> dict:
    path = underlag_dir(root, version) / PROPOSAL_FILE
    if not path.is_file():
        raise HandbookError(f"det finns inget beslutsunderlag för version {version} "
                            f"({path.relative_to(root).as_posix()} saknas)",
                            f"Kör 'handbok release prepare {version}' och låt nämnden besluta om underlaget först.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        raise HandbookError(f"{path.relative_to(root).as_posix()} går inte att läsa",
                            f"Kör 'handbok release prepare {version}' igen.") from None
    if not isinstance(data, dict) or data.get("version") != version:
        raise HandbookError(f"{path.relative_to(root).as_posix()} hör inte till version {version}",
                            f"Kör 'handbok release prepare {version}' igen.")
    return data


# --- what a release decided -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str
    routine: model.ReleasedRoutine


def release_changes(previous: model.Release | None, release: model.Release,
                    diagram_of: dict[str, str] | None = None) -> list[Change]:
    """What ``release`` changed since ``previous``, in the beslutsunderlag's categories.

    ``diagram_of`` maps a routine id to its process map's file name, so that a routine
    whose map alone changed counts as changed.
    """
    diagram_of = diagram_of or {}
    before_maps = {d.name: d.sha256 for d in previous.diagrams} if previous else {}
    after_maps = {d.name: d.sha256 for d in release.diagrams}
    changes = []
    for entry in release.routines:
        if entry.status == "utkast":
            continue  # not part of the decision
        old = previous.routine(entry.id) if previous else None
        was_in_force = old is not None and old.status == "gällande"
        if entry.status == "upphävd":
            if old is None or old.status != "upphävd":
                changes.append(Change(REPEALED, entry))
            continue
        if not was_in_force:
            changes.append(Change(NEW, entry))
            continue
        name = diagram_of.get(entry.id)
        map_changed = bool(name) and name in after_maps and before_maps.get(name) != after_maps[name]
        if old.sha256 != entry.sha256 or map_changed:
            changes.append(Change(CHANGED, entry))
        elif old.review_by != entry.review_by:
            changes.append(Change(REVIEWED, entry))
    if previous is not None:
        kept = {entry.id for entry in release.routines}
        changes += [Change(REMOVED, old) for old in previous.routines
                    if old.id not in kept and old.status != "utkast"]
    return _ordered(changes)


def _ordered(changes: list[Change]) -> list[Change]:
    """In the beslutsunderlag's order of categories, by title within each."""
    return sorted(changes, key=lambda c: (DECIDED.index(c.kind), c.routine.title.casefold()))


def decided_changes(root, previous: model.Release | None, release: model.Release,
                    diagram_of: dict[str, str] | None = None) -> list[Change]:
    """What the nämnd was shown for ``release``: the categories in the proposal that
    ``release prepare`` wrote and ``release approve`` checked (``beslutsunderlag/<version>/``).

    Without a readable proposal the register is compared release against release instead
    (``release_changes``); that cannot tell a routine reviewed without change from a changed
    one, as the new decision's ``approved`` is part of the recorded checksum.
    """
    try:
        proposal = read_proposal(Path(root), release.version)
    except HandbookError:
        return release_changes(previous, release, diagram_of)
    decided = proposal.get("rutiner")
    if not isinstance(decided, dict):
        return release_changes(previous, release, diagram_of)
    changes = []
    for rid, entry in decided.items():
        kind = entry.get("kategori") if isinstance(entry, dict) else None
        if kind not in DECIDED:
            continue  # unchanged, or a draft left out of the decision
        routine = release.routine(rid) if kind != REMOVED else (previous.routine(rid) if previous else None)
        if routine is not None:
            changes.append(Change(kind, routine))
    return _ordered(changes)

"""The releases register ``routines/register/releaser.yml``.

Read with the one model (``model.Release``) and the loader's own YAML and
validation helpers, so a malformed register is reported with file and line
like every other register. Entries are only ever appended: the text of an
earlier entry is never rewritten, so an approved release stays byte-identical
in the register too.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import model
from ..handbook import REGISTER_DIR, validate
from ..problems import ProblemList, relative
from ..source import load_yaml_file

HEADER = """\
# Fastställda versioner av handboken.
#
# Skrivs av 'handbok release approve' när nämnden har fattat beslut.
# Ändra aldrig en post för hand: en fastställd version är oföränderlig, och
# kontrollsummorna används för att upptäcka ändringar efter fastställande.
"""


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


# --- writing ---------------------------------------------------------------------


def _quoted(value: str) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(value)


def entry_yaml(release: model.Release) -> str:
    """One register entry as block YAML (a list item), in the model's field order."""
    data = {
        "version": _quoted(release.version),
        "organ": release.organ,
        "date": release.date,
        "reference": _quoted(release.reference),
        "valid_from": release.valid_from,
        "routines": [
            {k: v for k, v in {
                "id": r.id, "title": r.title, "process": r.process, "version": _quoted(r.version),
                "status": r.status, "owner": r.owner, "valid_from": r.valid_from,
                "review_by": r.review_by, "sha256": r.sha256,
            }.items() if v is not None}
            for r in release.routines
        ],
        "diagrams": [{"name": d.name, "sha256": d.sha256} for d in release.diagrams],
    }
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump([data], out)
    # Top-level items at column 0, like the other registers; nested lists stay indented.
    return textwrap.dedent(out.getvalue())


def appended_text(register: ReleaseRegister, release: model.Release) -> str:
    """The register's new text: the old text unchanged, the new entry after it."""
    if register.exists:
        old = register.path.read_text(encoding="utf-8")
        if not register.releases:
            # An empty flow list cannot be continued with a block item.
            old = "\n".join(line for line in old.split("\n") if line.strip() != "[]")
    else:
        old = HEADER
    if old and not old.endswith("\n"):
        old += "\n"
    return old + entry_yaml(release)

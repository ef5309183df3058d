"""Write the releases register of a fixture handbook, as 'handbok release approve' would have.

A routine is in force only when a recorded release approved it (check RH706), so
every fixture with routines in force carries ``routines/register/releaser.yml``.
This script writes it from the fixture's own routines with the release tool's
code (``core.hashing.snapshot``, ``release.register.entry_yaml``): one release per
approval decision the routines name, oldest first, each holding every routine
approved so far (and, in the last one, the repealed routines). A routine whose
claim cannot be a release (a reference that is not a protocol reference, as in the
hostile fixtures) is left out and stays "ej fastställd".

Run it again after changing a fixture routine in force (the hashes change):

    .venv/bin/python tests/fixture_releases.py tests/fixtures/grund [...]
    .venv/bin/python tests/fixture_releases.py --check-koder

``--check-koder`` writes the register into each folder of ``tests/fixtures/check-koder/``
and ``tests/fixtures/check-klarar/`` whose overlay adds a routine in force, over the
clean handbook ``check-bas``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tempfile
from pathlib import Path

from handbok import model
from handbok.core.hashing import released_routine, snapshot
from handbok.core.loader import load_handbook
from handbok.core.releases import register_path
from handbok.release.register import HEADER, entry_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = re.compile(model.DECISION_REFERENCE_PATTERN)
# Overlays whose point is a claim that no release records: their register is check-bas's own.
UNRECORDED = {"RH706"}


def releases_of(root: Path) -> list[model.Release]:
    """One release per approval decision of the routines in force, oldest first."""
    handbook = load_handbook(root)
    _, diagrams = snapshot(handbook)
    claims: dict[tuple, list] = {}
    for rid in sorted(handbook.routines):
        source = handbook.routines[rid]
        routine = source.routine
        claim = routine.approved
        if routine.status != "gällande" or claim is None or not REFERENCE.match(claim.reference):
            continue
        claims.setdefault((claim.date, claim.by, claim.reference), []).append(source)
    releases: list[model.Release] = []
    approved: dict[str, model.ReleasedRoutine] = {}
    numbers: dict[int, int] = {}
    for (date, organ, reference), sources in sorted(claims.items()):
        for source in sources:
            approved[source.routine.id] = released_routine(source)
        starts = [s.routine.valid_from for s in sources if s.routine.valid_from]
        first = max(min(starts) if starts else date, date)
        valid_from = dt.date(first.year, first.month, first.day)  # its own object: no YAML alias in the register
        if releases and valid_from <= releases[-1].valid_from:
            raise SystemExit(f"{root}: the decision {reference} would apply from {valid_from}, "
                             f"not after the release before it ({releases[-1].valid_from})")
        numbers[date.year] = numbers.get(date.year, 0) + 1
        releases.append(model.Release(version=f"{date.year}.{numbers[date.year]}", organ=organ, date=date,
                                      reference=reference, valid_from=valid_from,
                                      routines=sorted(approved.values(), key=lambda r: r.id), diagrams=diagrams))
    if releases:
        repealed = [released_routine(s) for s in handbook.routines.values() if s.routine.status == "upphävd"]
        last = releases[-1]
        releases[-1] = last.model_copy(update={"routines": sorted(last.routines + repealed, key=lambda r: r.id)})
    return releases


def register_text(releases: list[model.Release]) -> str:
    return HEADER + "".join(entry_yaml(release) for release in releases)


def record(root: Path, target: Path | None = None) -> bool:
    """Write the register of ``root`` (into ``target``'s register, if given); False if nothing is in force."""
    releases = releases_of(root)
    path = register_path(target or root)
    if not releases:
        return False
    path.write_text(register_text(releases), encoding="utf-8")
    return True


def record_check_overlays(folder: str = "check-koder") -> list[str]:
    """The register of each overlay in ``folder`` (check-koder: failing fixtures, check-klarar:
    passing ones) that adds a routine in force (over check-bas)."""
    base = FIXTURES / "check-bas"
    written = []
    for overlay in sorted((FIXTURES / folder).iterdir()):
        if overlay.name in UNRECORDED:
            continue
        with tempfile.TemporaryDirectory() as temporary:
            project = Path(temporary) / "handbok"
            shutil.copytree(base, project)
            for path in sorted(overlay.rglob("*")):
                if path.is_dir() or path.name == "README.txt" or path.name == model.RELEASES_FILE:
                    continue
                relative = path.relative_to(overlay)
                if path.name.endswith(".ta-bort"):
                    (project / str(relative)[: -len(".ta-bort")]).unlink(missing_ok=True)
                    continue
                (project / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, project / relative)
            text = register_text(releases_of(project))
            if text == (base / "routines/register" / model.RELEASES_FILE).read_text(encoding="utf-8"):
                (overlay / "routines/register" / model.RELEASES_FILE).unlink(missing_ok=True)
                continue
            target = overlay / "routines/register" / model.RELEASES_FILE
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(overlay.name)
    return written


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments == ["--check-koder"]:
        record(FIXTURES / "check-bas")
        for folder in ("check-koder", "check-klarar"):
            print(f"{folder}:", ", ".join(record_check_overlays(folder)) or "inga")
    else:
        for argument in arguments:
            print(argument, "skrivet" if record(Path(argument)) else "inga gällande rutiner")

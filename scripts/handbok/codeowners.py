"""``handbok codeowners``: CODEOWNERS from the routines' owner roles.

Each routine file, and its process map, is owned by the platform handle of
its owner's role (``handle`` in the roles register), so a pull request that
changes a routine asks the routine owner for review. The same file format
works on GitHub (``.github/CODEOWNERS``) and GitLab (``.gitlab/CODEOWNERS``
or ``CODEOWNERS``). Later lines win in CODEOWNERS, so the default owner, if
any, comes first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .core.handbook import DIAGRAMS_DIR, REGISTER_DIR, ROUTINES_DIR, Handbook

HEADER = """\
# Genereras av 'handbok codeowners' från rutinernas ägarroller och rollregistret
# (routines/register/roller.yml, fältet handle). Ändra inte för hand: ändra
# rutinens owner eller rollens handle och kör 'handbok codeowners' igen.
"""


@dataclass
class Codeowners:
    text: str
    # Routines whose owner role has no handle: nobody is asked for review.
    without_handle: list[tuple[str, str]] = field(default_factory=list)


def _pattern(path: str) -> str:
    # CODEOWNERS patterns are gitignore-like: escape what would be special.
    escaped = "".join("\\" + ch if ch in " #*?[]!\\" else ch for ch in path)
    return "/" + escaped


def generate(handbook: Handbook, *, default: list[str] | None = None, registers: list[str] | None = None) -> Codeowners:
    lines = [HEADER.rstrip("\n"), ""]
    if default:
        lines += ["# Standardgranskare för allt som inte har en rutinägare", "* " + " ".join(default), ""]
    if registers:
        lines += ["# Registren", _pattern(REGISTER_DIR + "/") + " " + " ".join(registers), ""]
    without: list[tuple[str, str]] = []
    diagram_owners: dict[str, list[str]] = {}
    routine_lines: list[str] = []
    for source in sorted(handbook.routines.values(), key=lambda s: s.routine.id):
        routine = source.routine
        role = handbook.roles.get(routine.owner)
        handle = role.handle if role else None
        path = f"{ROUTINES_DIR}/{source.path.name}"
        if not handle:
            without.append((path, routine.owner))
            routine_lines.append(f"# {path}: rollen '{routine.owner}' saknar handle")
            continue
        routine_lines.append(f"{_pattern(path)} {handle}")
        if routine.diagram:
            owners = diagram_owners.setdefault(routine.diagram, [])
            if handle not in owners:
                owners.append(handle)
    if routine_lines:
        lines += ["# Rutiner: rutinägarens roll"] + routine_lines + [""]
    if diagram_owners:
        lines.append("# Processkartor: ägarna till rutinerna som använder kartan")
        for name in sorted(diagram_owners):
            lines.append(f"{_pattern(f'{DIAGRAMS_DIR}/{name}')} {' '.join(diagram_owners[name])}")
        lines.append("")
    return Codeowners("\n".join(lines).rstrip("\n") + "\n", without)

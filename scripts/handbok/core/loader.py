"""Loading a whole handbook: the routines and their registers, as typed objects.

``load_handbook`` never raises for bad input: everything wrong with a file is
returned as a ``Problem`` with file and line, and the objects that could be
built are returned beside them. ``routine_from_text`` reads one routine from
text (for example a file at a release's tag) the same way.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from .. import model
from ..problems import ProblemList, Severity
from ..source import Text, load_yaml_file, split_front_matter
from .cache import Store, code_version
from .handbook import OUTSIDE_HINT, REGISTER_DIR, ROUTINES_DIR, Handbook, RoutineSource, outside_message
from .prefetch import prefetch_new_files
from .routine_files import read_front_matter
from .validation import validate


def load_routine_file(path: Path, display: str, problems: ProblemList, store: Store | None = None,
                      raw: bytes | None = None) -> RoutineSource | None:
    found = read_front_matter(path, display, problems, store, raw)
    if found is None:
        return None
    document, body, body_line = found
    routine = validate(model.Routine, document.data, document, display, problems)
    if routine is None:
        return None
    return RoutineSource(routine, path, display, document, body, body_line)


def _load_register(handbook: Handbook, attribute: str, filename: str, model_cls: type, problems: ProblemList) -> None:
    path = handbook.root / REGISTER_DIR / filename
    display = handbook.display(path)
    if not path.exists():
        problems.add(display, 0, "RH010", f"registret {filename} saknas",
                     hint=f"Skapa {display} som en YAML-lista (se redaktörsguiden).")
        return
    if handbook.outside(path):
        problems.add(display, 1, "RH009", outside_message(path), hint=OUTSIDE_HINT)
        return
    document = load_yaml_file(path, display, problems)
    if document is None:
        return
    handbook.register_documents[attribute] = document
    if not isinstance(document.data, list):
        problems.add(display, 1, "RH010", "registret ska vara en YAML-lista där varje post börjar med '- '",
                     hint="Se exemplet i redaktörsguiden.")
        return
    key_field = "term" if attribute == "glossary" else "id"
    target = getattr(handbook, attribute)
    for index, entry in enumerate(document.data):
        item = validate(model_cls, entry, document, display, problems, prefix=(index,))
        if item is None:
            continue
        key = getattr(item, key_field)
        line = document.where((index,))[0]
        if (attribute, key) in handbook.register_lines:
            first = handbook.register_lines[(attribute, key)][1]
            problems.add(display, line, "RH402", f"'{key}' finns redan på rad {first}",
                         hint="Varje id får bara förekomma en gång i registret.")
            continue
        handbook.register_lines[(attribute, key)] = (display, line)
        handbook.register_index[(attribute, key)] = index
        if isinstance(target, dict):
            target[key] = item
        else:
            target.append(item)


def load_handbook(root: Path | str, *, workers: int = 1, into: Handbook | None = None) -> Handbook:
    """Load all registers and routines below ``root``.

    With ``workers`` > 1, many new or changed files (a first run) are read in
    that many processes first; only the CLI asks for it (a build may run in a
    threaded server, where starting processes by fork is not safe).
    ``into`` is an empty ``Handbook(root)`` made earlier, for example so that
    its process maps could be given to Mermaid's parser before the routines
    are read (the maps are then read once).
    """
    root = Path(root)
    handbook = into if into is not None else Handbook(root=root)
    problems = handbook.problems
    for attribute, (filename, model_cls) in model.REGISTERS.items():
        _load_register(handbook, attribute, filename, model_cls, problems)
    store = Store("rutiner", code_version("source.py", "core/routine_files.py", "core/validation.py"))
    paths = []
    for path in routine_paths(root):
        if handbook.outside(path):
            problems.add(handbook.display(path), 1, "RH009", outside_message(path), hint=OUTSIDE_HINT)
            handbook.unreadable.add(path.stem)
        else:
            paths.append(path)
    raws = prefetch_new_files(handbook, paths, store, workers)
    for path in paths:
        display = handbook.display(path)
        source = load_routine_file(path, display, problems, store, raws.get(path))
        if source is None:
            handbook.unreadable.add(path.stem)
            continue
        routine = source.routine
        if routine.id in handbook.routines:
            other = handbook.routines[routine.id].display
            problems.add(display, source.value_line("id"), "RH401",
                         f"id '{routine.id}' används redan av {other}",
                         hint="Ett id är unikt och återanvänds aldrig. Ge rutinen ett nytt id och byt filnamn.")
            continue
        handbook.routines[routine.id] = source
    store.save()
    handbook.docs_pages()  # read now, so that what is wrong with them is among the loader's findings
    return handbook


def reload_routines(handbook: Handbook, paths: list[Path]) -> list[str] | None:
    """Read again the files of routines ``handbook`` holds (only they changed since it was loaded)
    and put them in place, with their loader problems; the ids of the routines replaced. None,
    and ``handbook`` as it was, when that is not what a new load would give (a file that is gone,
    cannot be read, has errors, links out of the handbook or now has another id): load it all."""
    by_path = {source.path: rid for rid, source in handbook.routines.items()}
    replaced: dict[str, tuple[RoutineSource, ProblemList]] = {}
    for path in paths:
        rid = by_path.get(path)
        if rid is None or not path.is_file() or handbook.outside(path):
            return None
        problems = ProblemList()
        source = load_routine_file(path, handbook.display(path), problems)  # no cache: they are new
        if source is None or source.routine.id != rid or has_errors(problems):
            return None
        replaced[rid] = (source, problems)
    displays = {source.display for source, _ in replaced.values()}
    kept = [problem for problem in handbook.problems if problem.path not in displays]
    handbook.problems[:] = kept + [problem for _, problems in replaced.values() for problem in problems]
    for rid, (source, _) in replaced.items():
        handbook.routines[rid] = source
    handbook.release_findings = None  # computed once per load
    return list(replaced)


def routine_paths(root: Path) -> list[Path]:
    directory = Path(root) / ROUTINES_DIR
    try:
        entries = [entry for entry in os.scandir(directory) if entry.name.endswith(".md") and entry.is_file()]
    except OSError:
        return []
    return [directory / name for name in sorted(entry.name for entry in entries)]


def has_errors(problems: ProblemList) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def routine_from_text(text: str, display: str) -> RoutineSource | None:
    """A routine from file text (e.g. ``git show``), read with the one model; None if it has errors."""
    problems = ProblemList()
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff").replace("\r\n", "\n"))
    parsed = split_front_matter(Text(Path(display), display, text), problems)
    if parsed is None or parsed.document is None:
        return None
    routine = validate(model.Routine, parsed.document.data, parsed.document, display, problems)
    if routine is None:
        return None
    return RoutineSource(routine, Path(display), display, parsed.document, parsed.body, parsed.body_line)

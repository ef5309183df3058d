"""Loading a whole handbook: the routines and their registers, as typed objects.

``load_handbook`` never raises for bad input: everything wrong with a file is
returned as a ``Problem`` with file and line, and the objects that could be
built are returned beside them.
"""

from __future__ import annotations

import difflib
import marshal
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import diagram as diagrams
from . import model
from .cache import Store, code_version
from .cache import key as cache_key
from .problems import Problem, ProblemList, Severity, relative
from .source import Document, FrontMatterFile, load_yaml_file, read_text, read_text_from, split_front_matter

ROUTINES_DIR = "routines"
REGISTER_DIR = "routines/register"
DIAGRAMS_DIR = "diagrams"


@dataclass
class RoutineSource:
    """A routine together with where it came from."""

    routine: model.Routine
    path: Path
    display: str
    document: Document
    body: str
    body_line: int

    def line_of(self, *loc: Any) -> int:
        return self.document.where(loc)[0]

    def value_line(self, key: str) -> int:
        return self.document.where((key, "__value__"))[0]


def routine_url(routine: model.Routine | model.ReleasedRoutine) -> str:
    """Where a routine is published, relative to the site (or a version's) root:
    ``rutiner/<process>/<id>/``. A routine as recorded in a release has the same address."""
    return f"rutiner/{model.slugify(routine.process)}/{routine.id}/"


@dataclass
class Handbook:
    """Everything loaded from one handbook root."""

    root: Path
    routines: dict[str, RoutineSource] = field(default_factory=dict)
    processes: dict[str, model.Process] = field(default_factory=dict)
    roles: dict[str, model.Role] = field(default_factory=dict)
    legal: dict[str, model.LegalReference] = field(default_factory=dict)
    glossary: list[model.GlossaryTerm] = field(default_factory=list)
    findings: dict[str, model.AuditFinding] = field(default_factory=dict)
    # where each register entry stood: (register attribute, key) -> (display path, line)
    register_lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    problems: ProblemList = field(default_factory=ProblemList)
    # File names (without .md) of routines that have errors and could not be loaded:
    # links to them are not reported again as links to routines that do not exist.
    unreadable: set[str] = field(default_factory=set)
    _diagrams: dict[str, tuple[str | None, ProblemList]] = field(default_factory=dict, repr=False)
    _charts: dict[str, "diagrams.Flowchart | None"] = field(default_factory=dict, repr=False)
    _store: "Store | None" = field(default=None, repr=False)

    def diagram_text(self, name: str) -> tuple[str | None, ProblemList]:
        """The decoded source of ``diagrams/<name>`` and any problem reading it."""
        if name not in self._diagrams:
            problems = ProblemList()
            path = self.diagrams_dir / name
            text = read_text(path, self.display(path), problems) if path.is_file() else None
            self._diagrams[name] = (text.text if text else None, problems)
        return self._diagrams[name]

    def add_diagram_texts(self, texts: dict[str, tuple[str | None, ProblemList]]) -> None:
        """Texts of maps already read (by the checker's Mermaid run), so they are not read twice."""
        for name, entry in texts.items():
            self._diagrams.setdefault(name, entry)

    def diagram(self, name: str) -> "diagrams.Flowchart | None":
        """The parsed flowchart of ``diagrams/<name>`` (parsed once per load, cached by content)."""
        if name not in self._charts:
            source, _ = self.diagram_text(name)
            self._charts[name] = _cached_chart(self._chart_store(), source) if source is not None else None
        return self._charts[name]

    def _chart_store(self) -> Store:
        if self._store is None:
            self._store = Store("kartor", code_version("diagram.py", "handbook.py"))
        return self._store

    def save_caches(self) -> None:
        """Write what was parsed this run to the on-disk cache (see ``cache``)."""
        if self._store is not None:
            self._store.save()

    @property
    def routines_dir(self) -> Path:
        return self.root / ROUTINES_DIR

    @property
    def diagrams_dir(self) -> Path:
        return self.root / DIAGRAMS_DIR

    def display(self, path: Path) -> str:
        # Paths the loader builds start with the root: string work, no file system
        # and no new Path objects (this runs for every file on every check).
        text, root = str(path), str(self.root)
        if root == ".":
            if not text.startswith(("/", "..")):
                return text.replace(os.sep, "/")
        else:
            prefix = root.rstrip(os.sep) + os.sep
            if text.startswith(prefix):
                return text[len(prefix):].replace(os.sep, "/")
        return relative(path, self.root)

    def sorted_routines(self) -> list[RoutineSource]:
        """Routines in chain order: by process order, then title."""
        order = {pid: index for index, pid in enumerate(self.processes)}
        return sorted(
            self.routines.values(),
            key=lambda s: (order.get(s.routine.process, len(order)), s.routine.title.casefold()),
        )

    def process_of(self, routine: model.Routine) -> model.Process:
        return self.processes.get(routine.process) or model.Process(id=routine.process, title=routine.process.capitalize())

    def url_of(self, routine: model.Routine) -> str:
        """The routine's stable URL path, relative to the site root."""
        return routine_url(routine)

    def src_uri_of(self, routine: model.Routine) -> str:
        return f"rutiner/{model.slugify(routine.process)}/{routine.id}.md"


# --- validation errors in Swedish -------------------------------------------------


def _field_name(loc: tuple) -> str:
    return ".".join(str(part) if not isinstance(part, int) else f"[{part + 1}]" for part in loc).replace(".[", "[")


def _swedish(error: dict, model_cls: type[BaseModel]) -> tuple[str, str, str]:
    """(code, message, hint) for one pydantic error."""
    loc = tuple(error.get("loc", ()))
    name = _field_name(loc) or "posten"
    kind = error.get("type", "")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "RH101", f"fältet '{name}' saknas", f"Lägg till '{loc[-1]}:' med ett värde. Se Fältreferensen i redaktörsguiden."
    if kind == "extra_forbidden":
        known = _known_fields(model_cls, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        message = f"okänt fält '{name}'"
        if guess:
            message += f" – menade du '{guess[0]}'?"
        return "RH102", message, "Tillåtna fält: " + ", ".join(known) + "."
    if kind == "value_error":
        return "RH103", f"'{name}': {ctx.get('error', error.get('msg'))}", "Datum skrivs ÅÅÅÅ-MM-DD, t.ex. 2027-03-31."
    if kind == "literal_error":
        allowed = [part.strip().strip("'") for part in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        allowed = [part for part in allowed if part]
        message = f"'{name}' har värdet '{value}', som inte är tillåtet"
        guess = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        if guess:
            message += f" – menade du '{guess[0]}'?"
        listed = ", ".join(allowed[:-1]) + " eller " + allowed[-1] if len(allowed) > 1 else "".join(allowed)
        return "RH104", message, f"Tillåtna värden: {listed}."
    if kind == "string_pattern_mismatch":
        field_name = str(loc[-1]) if loc else ""
        hints = {
            "version": "Skriv versionen inom citattecken, t.ex. \"2.1\".",
            "diagram": "Ange filnamnet i diagrams/, t.ex. anvisning.mmd.",
            "contact": "Ange en e-postadress, t.ex. enheten@kommunen.se.",
            "handle": "Ange ett namn som börjar med @, t.ex. @kommunen/ekonomiskt-bistand.",
            "url": "Länken ska börja med https://.",
        }
        hint = hints.get(field_name, "Id skrivs med gemener a–z, siffror och bindestreck, t.ex. anvisning-arbetsmarknadsinsats.")
        return "RH105", f"'{name}' har ett ogiltigt format: '{value}'", hint
    if kind in ("string_type", "int_type", "list_type", "model_type", "dict_type", "date_type", "model_attributes_type"):
        expected = {
            "string_type": "text",
            "int_type": "ett heltal",
            "list_type": "en lista, t.ex. [a, b]",
            "model_type": "fält på formen nyckel: värde",
            "dict_type": "fält på formen nyckel: värde",
            "model_attributes_type": "fält på formen nyckel: värde",
            "date_type": "ett datum",
        }[kind]
        hint = "Sätt värdet inom citattecken." if kind == "string_type" else "Se Fältreferensen i redaktörsguiden."
        if kind == "string_type" and loc and loc[-1] == "version":
            hint = "Skriv versionen inom citattecken, t.ex. version: \"2.1\" (annars blir det ett decimaltal)."
        return "RH103", f"'{name}' ska vara {expected}, inte '{value}'", hint
    if kind == "string_too_short":
        return "RH101", f"fältet '{name}' är tomt", "Skriv ett värde efter kolonet."
    return "RH103", f"'{name}': ogiltigt värde '{value}'", "Se Fältreferensen i redaktörsguiden."


def _known_fields(model_cls: type[BaseModel], loc: tuple) -> list[str]:
    cls: Any = model_cls
    for part in loc:
        if isinstance(part, int):
            continue
        info = cls.model_fields.get(part)
        if info is None:
            break
        annotation = info.annotation
        for candidate in getattr(annotation, "__args__", ()) or (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                cls = candidate
                break
            for inner in getattr(candidate, "__args__", ()):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    cls = inner
                    break
    return list(cls.model_fields)


def validate(model_cls: type[BaseModel], data: Any, document: Document, display: str,
             problems: ProblemList, prefix: tuple = ()) -> BaseModel | None:
    """Validate plain data against a model, reporting errors at their lines."""
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error.get("loc", ()))
            code, message, hint = _swedish(error, model_cls)
            if error.get("type") == "missing":
                line, col = document.where(prefix + loc[:-1])
            elif error.get("type") == "extra_forbidden":
                line, col = document.where(prefix + loc)
            else:
                line, col = document.where(prefix + loc + ("__value__",)) if (prefix + loc + ("__value__",)) in document.locations else document.where(prefix + loc)
            problems.add(display, line, code, message, column=col, hint=hint)
        return None


# --- loading ---------------------------------------------------------------------


# --- caching what only depends on a file's bytes -----------------------------------


def _problem_rows(problems: ProblemList) -> list[tuple]:
    return [(p.path, p.line, p.column, p.code, p.severity.value, p.message, p.hint) for p in problems]


def _problems_from(rows: list) -> list[Problem]:
    return [Problem(path, line, column, code, Severity(severity), message, hint)
            for path, line, column, code, severity, message, hint in rows]


def routine_entry(raw: bytes | None, path: Path, display: str, error: OSError | None = None) -> tuple:
    """What reading a routine file gives, as plain data (cacheable, picklable).

    ``(problem rows, found)`` where ``found`` is ``None`` or
    ``(data, packed locations, first line, offset of the body, body line)``.
    """
    local = ProblemList()
    if raw is None:
        local.add(display, 0, "RH001", f"filen kan inte läsas: {error.strerror if error else ''}",
                  hint="Kontrollera att filen finns och att du har läsbehörighet.")
        return _problem_rows(local), None
    text = read_text_from(raw, path, display, local)
    parsed: FrontMatterFile | None = split_front_matter(text, local) if text is not None else None
    found = None
    if parsed is not None and parsed.document is not None:
        document = parsed.document
        found = (document.data, document.packed_locations(), document.first_line,
                 len(text.text) - len(parsed.body), parsed.body_line)
    return _problem_rows(local), found


def _read_front_matter(path: Path, display: str, problems: ProblemList, store: Store | None,
                       raw: bytes | None = None):
    """(document, body, body_line) of a routine file, or None; from the cache when unchanged."""
    error = None
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raw, error = None, exc
    entry = cache_key(display, raw) if raw is not None else None
    hit = store.get(entry) if store is not None and entry is not None else None
    if hit is None:
        hit = routine_entry(raw, path, display, error)
        if store is not None and entry is not None:
            store.put(entry, hit)
    rows, found = hit
    problems.extend(_problems_from(rows))
    if found is None:
        return None
    data, packed, first_line, body_start, body_line = found
    # The body is the file's own text after the front matter (not stored twice).
    text = read_text_from(raw, path, display, ProblemList())
    if text is None:
        return None
    return Document(data, None, first_line, packed=packed), text.text[body_start:], body_line


# --- reading many new files on several cores (the CLI's first run) ------------------

PARALLEL_FROM = 200  # new files; below this, starting processes costs more than it saves


def _routine_job(job: tuple[str, str]) -> tuple[str, tuple]:
    path_text, display = job
    path = Path(path_text)
    try:
        raw, error = path.read_bytes(), None
    except OSError as exc:
        raw, error = None, exc
    return cache_key(display, raw or b""), routine_entry(raw, path, display, error)


def _chart_job(source: str) -> tuple[str, bytes]:
    return cache_key(source), marshal.dumps(_chart_rows(diagrams.parse(source)))


def _prefetch(jobs: list, function, store: Store, workers: int) -> None:
    """Run ``function`` over ``jobs`` in worker processes and put the results in ``store``."""
    import concurrent.futures
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: read them one by one instead
        return
    chunk = max(1, len(jobs) // (workers * 4))
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for entry, value in pool.map(function, jobs, chunksize=chunk):
                store.put(entry, value)
    except (OSError, concurrent.futures.process.BrokenProcessPool):
        return  # the files are simply read in this process


def _prefetch_new_files(handbook: "Handbook", paths: list[Path], store: Store, workers: int) -> dict[Path, bytes]:
    """Read the routine files (returned, to be read once), parsing new ones on several cores."""
    raws: dict[Path, bytes] = {}
    if workers < 2:
        return raws
    jobs = []
    for path in paths:
        display = handbook.display(path)
        try:
            raw = raws[path] = path.read_bytes()
        except OSError:
            continue
        if cache_key(display, raw) not in store:
            jobs.append((str(path), display))
    charts = handbook._chart_store()
    sources = []
    for name in sorted(p.name for p in handbook.diagrams_dir.glob("*.mmd")) if handbook.diagrams_dir.is_dir() else []:
        source, _ = handbook.diagram_text(name)
        if source is not None and cache_key(source) not in charts:
            sources.append(source)
    if len(jobs) >= PARALLEL_FROM:
        _prefetch(jobs, _routine_job, store, workers)
    if len(sources) >= PARALLEL_FROM:
        _prefetch(sources, _chart_job, charts, workers)
    return raws


def _chart_rows(chart: "diagrams.Flowchart") -> tuple:
    return (chart.direction, chart.title, chart.title_line, chart.description, chart.description_line,
            [(n.id, n.label, n.shape, n.line, n.link) for n in chart.nodes.values()],
            [(e.source, e.target, e.label, e.line) for e in chart.edges],
            [tuple(error) for error in chart.errors])


def _chart_from(rows: tuple) -> "diagrams.Flowchart":
    direction, title, title_line, description, description_line, nodes, edges, errors = rows
    chart = diagrams.Flowchart(direction=direction, title=title, title_line=title_line,
                               description=description, description_line=description_line)
    for node_id, label, shape, line, link in nodes:
        chart.nodes[node_id] = diagrams.Node(node_id, label, shape, line, link)
    chart.edges = [diagrams.Edge(source, target, label, line) for source, target, label, line in edges]
    chart.errors = [tuple(error) for error in errors]
    return chart


def _cached_chart(store: Store, source: str) -> "diagrams.Flowchart":
    if not store.enabled:
        return diagrams.parse(source)
    entry = cache_key(source)
    packed = store.get(entry)
    if packed is not None:
        try:
            return _chart_from(marshal.loads(packed))
        except (TypeError, ValueError, AttributeError, EOFError):
            pass
    chart = diagrams.parse(source)
    try:
        # Packed per map, so that loading the store does not unpack every map.
        store.put(entry, marshal.dumps(_chart_rows(chart)))
    except (TypeError, AttributeError, ValueError):
        pass
    return chart


def load_routine_file(path: Path, display: str, problems: ProblemList, store: Store | None = None,
                      raw: bytes | None = None) -> RoutineSource | None:
    found = _read_front_matter(path, display, problems, store, raw)
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
    document = load_yaml_file(path, display, problems)
    if document is None:
        return
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
        if isinstance(target, dict):
            target[key] = item
        else:
            target.append(item)


def load_handbook(root: Path | str, *, workers: int = 1,
                  diagram_texts: dict[str, tuple[str | None, ProblemList]] | None = None) -> Handbook:
    """Load all registers and routines below ``root``.

    With ``workers`` > 1, many new or changed files (a first run) are read in
    that many processes first; only the CLI asks for it (a build may run in a
    threaded server, where starting processes by fork is not safe).
    ``diagram_texts`` are maps already read (``Handbook.add_diagram_texts``).
    """
    root = Path(root)
    handbook = Handbook(root=root)
    if diagram_texts:
        handbook.add_diagram_texts(diagram_texts)
    problems = handbook.problems
    for attribute, (filename, model_cls) in model.REGISTERS.items():
        _load_register(handbook, attribute, filename, model_cls, problems)
    store = Store("rutiner", code_version("source.py", "handbook.py"))
    paths = routine_paths(root)
    raws = _prefetch_new_files(handbook, paths, store, workers)
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
    return handbook


def routine_paths(root: Path) -> list[Path]:
    directory = Path(root) / ROUTINES_DIR
    try:
        entries = [entry for entry in os.scandir(directory) if entry.name.endswith(".md") and entry.is_file()]
    except OSError:
        return []
    return [directory / name for name in sorted(entry.name for entry in entries)]


def has_errors(problems: ProblemList) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)

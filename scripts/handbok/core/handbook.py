"""The handbook as loaded: routines, registers, maps and releases, as typed objects.

``Handbook`` is the aggregate every consumer reads (the checker, the pages,
the release tool, the MkDocs plugin). It is built by ``core.loader``; what is
derived from it (review state, status, addresses, labels) is computed in
``core.state`` and ``core.addresses``, never in a consumer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model
from ..problems import ProblemList, relative
from ..source import Document, read_text
from .paths import (DIAGRAMS_DIR, DOCS_DIR, OUTSIDE_HINT, REGISTER_DIR, ROUTINES_DIR,  # noqa: F401 (re-exported)
                    outside_message)

# The template map's name in a Mermaid run: a ':' cannot occur in a map's file name.
TEMPLATE_MAP = "mall:processkarta.mmd"

if TYPE_CHECKING:  # pragma: no cover - types only
    from .cache import Store
    from .docs_pages import DocsPage
    from .maps import Flowchart, MapReading
    from .mermaid import MermaidRun
    from .release_integrity import Finding
    from .releases import ReleaseRegister


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
    _diagram_names: list[str] | None = field(default=None, repr=False)
    _stores: dict[str, "Store"] = field(default_factory=dict, repr=False)
    _mermaid: "MermaidRun | None" = field(default=None, repr=False)
    _readings: dict[str, "MapReading | None"] = field(default_factory=dict, repr=False)
    _releases: "ReleaseRegister | None" = field(default=None, repr=False)
    # How the register, the release tags and gh-pages disagree (``core.release_integrity``), once per load.
    release_findings: "list[Finding] | None" = field(default=None, repr=False)
    _docs_pages: "list[DocsPage] | None" = field(default=None, repr=False)
    # Each register as read (attribute -> document), and each entry's place in it, so
    # that a finding about one field of an entry can name the field's own line.
    register_documents: dict[str, Document] = field(default_factory=dict, repr=False)
    register_index: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    # -- paths ---------------------------------------------------------------------

    @property
    def routines_dir(self) -> Path:
        return self.root / ROUTINES_DIR

    @property
    def diagrams_dir(self) -> Path:
        return self.root / DIAGRAMS_DIR

    @property
    def docs_dir(self) -> Path:
        return self.root / DOCS_DIR

    def display(self, path: Path) -> str:
        """A path as findings show it: relative to the root, with forward slashes."""
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

    def outside(self, path: Path) -> bool:
        """Whether ``path`` is (or links to) a file outside the handbook's folder.

        A symbolic link in ``routines/``, ``diagrams/`` or ``docs/`` that points
        elsewhere on the machine would publish that file; such files are refused.
        Without a link on the way (the usual case) nothing is resolved.
        """
        try:
            inner = path.relative_to(self.root)
        except ValueError:
            inner = None
        try:
            if inner is not None and not path.is_symlink() and not any(
                    (self.root / parent).is_symlink() for parent in inner.parents if parent != Path(".")):
                return False
            path.resolve().relative_to(self.root.resolve())
            return False
        except (ValueError, OSError):
            return True

    def register_field(self, attribute: str, key: str, name: str) -> tuple[str, int, int]:
        """(display path, line, column) of one field of a register entry."""
        display, line = self.register_lines.get((attribute, key), (f"{REGISTER_DIR}/{model.REGISTERS[attribute][0]}", 1))
        document, index = self.register_documents.get(attribute), self.register_index.get((attribute, key))
        if document is None or index is None:
            return display, line, 1
        loc = (index, name, "__value__")
        return (display, *(document.locations[loc] if loc in document.locations else document.where((index, name))))

    # -- routines --------------------------------------------------------------------

    def sorted_routines(self) -> list[RoutineSource]:
        """Routines in chain order: by process order, then title."""
        order = {pid: index for index, pid in enumerate(self.processes)}
        return sorted(
            self.routines.values(),
            key=lambda s: (order.get(s.routine.process, len(order)), s.routine.title.casefold()),
        )

    def process_of(self, routine: model.Routine | model.ReleasedRoutine) -> model.Process:
        return self.processes.get(routine.process) or model.Process(id=routine.process, title=routine.process.capitalize())

    def role_name(self, role_id: str) -> str:
        """A role's Swedish name, or its id when the register does not know it (reported by RH201/RH203)."""
        role = self.roles.get(role_id)
        return role.name if role else role_id

    # -- process maps ----------------------------------------------------------------

    def diagram_names(self) -> list[str]:
        """The ``.mmd`` files in ``diagrams/``, sorted (the one listing of the folder)."""
        if self._diagram_names is None:
            try:
                self._diagram_names = sorted(entry.name for entry in os.scandir(self.diagrams_dir)
                                             if entry.name.endswith(".mmd") and entry.is_file())
            except OSError:
                self._diagram_names = []
        return self._diagram_names

    def diagram_text(self, name: str) -> tuple[str | None, ProblemList]:
        """The decoded source of ``diagrams/<name>`` and any problem reading it."""
        if name not in self._diagrams:
            problems = ProblemList()
            path = self.diagrams_dir / name
            if self.outside(path):
                problems.add(self.display(path), 1, "RH009", outside_message(path),
                             hint=OUTSIDE_HINT)
                text = None
            else:
                text = read_text(path, self.display(path), problems) if path.is_file() else None
            self._diagrams[name] = (text.text if text else None, problems)
        return self._diagrams[name]

    def diagram_texts(self) -> dict[str, tuple[str | None, ProblemList]]:
        """Every map in ``diagrams/`` with its text (read once)."""
        return {name: self.diagram_text(name) for name in self.diagram_names()}

    def start_maps(self) -> None:
        """Start Mermaid's reading of every map in ``diagrams/`` (returns at once).

        The CLI calls this before loading the routines so that Node works beside
        Python; anything that asks for a map waits for the reading then.
        """
        if self._mermaid is None:
            from .mermaid import MermaidRun
            from .templates import MAP, template_text

            texts = {name: text for name, (text, _) in self.diagram_texts().items() if text is not None}
            # The template map too, so the completeness rules know its texts as Mermaid reads them.
            texts[TEMPLATE_MAP] = template_text(MAP).replace("$title", "Mall")
            self._mermaid = MermaidRun.start(self.root, texts)

    def map_reading(self, name: str) -> "MapReading | None":
        """What Mermaid made of ``diagrams/<name>``: its verdict and, for a flowchart, its reading.

        None when the file is missing or unreadable, or Mermaid could not run
        (``maps_unavailable`` says why).
        """
        if name not in self._readings:
            from .maps import reading_from

            self.start_maps()
            result = self._mermaid.results().get(name)
            self._readings[name] = reading_from(result) if result is not None else None
        return self._readings[name]

    def template_map(self) -> "Flowchart | None":
        """The template of a new routine's map (``templates/processkarta.mmd``) as Mermaid reads it."""
        return self.diagram(TEMPLATE_MAP)

    def diagram(self, name: str) -> "Flowchart | None":
        """The flowchart of ``diagrams/<name>`` as Mermaid read it (None if Mermaid did not read one)."""
        reading = self.map_reading(name)
        return reading.chart if reading is not None and reading.ok else None

    @property
    def maps_unavailable(self) -> str | None:
        """Why Mermaid could not read the maps (Node.js or linkedom missing …), or None."""
        if self._mermaid is None:
            return None
        self._mermaid.results()
        return self._mermaid.unavailable

    def require_maps(self) -> None:
        """Stop when the maps cannot be read: a published map needs its text version."""
        self.start_maps()
        reason = self.maps_unavailable
        if reason:
            from .errors import HandbookError

            raise HandbookError(
                f"Processkartorna kan inte läsas med Mermaid ({reason}), så de får ingen textversion "
                "och webbplatsen byggs inte.",
                "Installera Node.js med npm och kör 'make node-deps' ('make build' och 'make serve' gör det).")

    def store(self, name: str, *modules: str) -> "Store":
        """An on-disk cache ``name`` for results that depend only on file contents and on the
        named source files of the package (``core.cache``); written by ``save_caches``."""
        if name not in self._stores:
            from .cache import Store, code_version

            self._stores[name] = Store(name, code_version(*modules))
        return self._stores[name]

    def save_caches(self) -> None:
        """Write what was read this run to the on-disk cache (see ``core.cache``)."""
        if self._mermaid is not None:
            self._mermaid.results()  # the run saves its own store when it finishes
        for store in self._stores.values():
            store.save()

    # -- pages in docs/ ----------------------------------------------------------------

    def docs_pages(self) -> "list[DocsPage]":
        """The Markdown pages in ``docs/`` (read once per load; see ``core.docs_pages``)."""
        if self._docs_pages is None:
            from .docs_pages import load_docs_pages

            self._docs_pages = load_docs_pages(self)
        return self._docs_pages

    # -- releases ----------------------------------------------------------------------

    @property
    def releases(self) -> "ReleaseRegister":
        """The releases register ``routines/register/releaser.yml``, read once per load."""
        if self._releases is None:
            from .releases import load_register

            self._releases = load_register(self.root)
        return self._releases

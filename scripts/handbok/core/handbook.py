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

if TYPE_CHECKING:  # pragma: no cover - types only
    from .. import diagram as diagrams
    from .cache import Store
    from .docs_pages import DocsPage
    from .releases import ReleaseRegister

ROUTINES_DIR = "routines"
REGISTER_DIR = "routines/register"
DIAGRAMS_DIR = "diagrams"
DOCS_DIR = "docs"

OUTSIDE_HINT = "Lägg filen i handbokens mapp i stället för att länka till den; bara handbokens egna filer publiceras."


def outside_message(path: Path) -> str:
    return "filen är en symbolisk länk till en plats utanför handboken och publiceras inte"


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
    _charts: dict[str, "diagrams.Flowchart | None"] = field(default_factory=dict, repr=False)
    _store: "Store | None" = field(default=None, repr=False)
    _releases: "ReleaseRegister | None" = field(default=None, repr=False)
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

    def diagram(self, name: str) -> "diagrams.Flowchart | None":
        """The parsed flowchart of ``diagrams/<name>`` (parsed once per load, cached by content)."""
        if name not in self._charts:
            from .charts import cached_chart

            source, _ = self.diagram_text(name)
            self._charts[name] = cached_chart(self._chart_store(), source) if source is not None else None
        return self._charts[name]

    def _chart_store(self) -> "Store":
        if self._store is None:
            from .cache import Store, code_version

            self._store = Store("kartor", code_version("diagram.py", "core/charts.py"))
        return self._store

    def save_caches(self) -> None:
        """Write what was parsed this run to the on-disk cache (see ``core.cache``)."""
        if self._store is not None:
            self._store.save()

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

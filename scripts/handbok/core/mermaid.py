"""Reading process maps with Mermaid itself.

The handbook's maps are drawn in the reader's browser by the vendored Mermaid
build (``docs/assets/vendor/mermaid/mermaid.min.js``). To know what a map
says and that it will draw, the handbook runs *that same file* under Node
(``mermaid_read.mjs``), with linkedom as the small DOM that Mermaid's label
sanitiser needs, and takes Mermaid's own reading of each map: its verdict
and, for a flowchart, its flowchart database (``core.maps`` turns that into
the handbook's data classes). A home-made grammar would drift from what
Mermaid accepts and draws; there is no second reader.

All maps go to one Node process (several for a large batch), started before
the routines are loaded so that it runs beside the Python work. Mermaid
spends about 15 ms on each map, so results are kept in the handbook's cache
(``core.cache``, one store per Mermaid build and reading script) by the
map's text: only new or changed maps are read again. When Node or linkedom
is missing, ``unavailable`` says why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cache import Store

CORE = Path(__file__).resolve().parent
REPO = CORE.parent.parent.parent
SCRIPT = CORE / "mermaid_read.mjs"
VENDORED = Path("docs/assets/vendor/mermaid/mermaid.min.js")
TIMEOUT = 300  # seconds for one Node run (Mermaid needs ~15 ms per map)
PARALLEL_FROM = 100  # maps; below this one Node process is faster than several

_COMMENT_LINE = re.compile(r"^[ \t]*%%(?!\{)[^\n]+", re.MULTILINE)  # as Mermaid's cleanupComments


@dataclass(frozen=True)
class Verdict:
    """Mermaid's error for one map, located and in Swedish."""

    ok: bool
    line: int = 1
    column: int = 1
    message: str = ""
    hint: str = ""


def find_mermaid_js(root: Path) -> Path | None:
    for candidate in (Path(root) / VENDORED, REPO / VENDORED):
        if candidate.is_file():
            return candidate.resolve()
    return None


def find_node_modules(root: Path) -> Path | None:
    """The node_modules folder that has linkedom (``make`` installs it in the repo)."""
    for base in (Path(root), REPO, Path.cwd()):
        candidate = base / "node_modules"
        if (candidate / "linkedom" / "package.json").is_file():
            return candidate.resolve()
    return None


def find_node() -> str | None:
    configured = os.environ.get("HANDBOK_NODE")
    if configured is not None:
        return configured if configured.strip() and Path(configured).is_file() else None
    return shutil.which("node")


def prepare(source: str) -> str:
    """The text Mermaid gets: the map with ``%%`` comment lines blanked.

    Mermaid removes comment lines before parsing, which would shift its line
    numbers; blank lines keep them pointing at the editor's file. (What it
    removes from the top, front matter and directives, the reading script
    counts itself.)
    """
    text = source.replace("\r\n", "\n") if "\r" in source else source
    return _COMMENT_LINE.sub("", text) if "%%" in text else text


def _store(mermaid_js: Path) -> Store:
    digest = hashlib.sha1(mermaid_js.read_bytes())
    digest.update(SCRIPT.read_bytes() if SCRIPT.is_file() else b"")
    return Store("mermaid", digest.hexdigest()[:12])


class MermaidRun:
    """One batch of maps being read; ``results()`` waits for them."""

    def __init__(self) -> None:
        self.unavailable: str | None = None
        self._results: dict[str, dict] = {}
        self._pending: dict[str, str] = {}  # name -> cache key
        self._processes: list[subprocess.Popen] = []
        self._inputs: list[Path] = []
        self._cache: Store | None = None
        self._done = False

    @classmethod
    def start(cls, root: Path | str, sources: dict[str, str]) -> "MermaidRun":
        """Start reading ``{name: source}``; returns at once."""
        run = cls()
        root = Path(root)
        if not sources:
            run._done = True
            return run
        mermaid_js = find_mermaid_js(root)
        if mermaid_js is None:
            run.unavailable = f"Mermaid finns inte i {VENDORED.as_posix()}"
            return run
        run._cache = _store(mermaid_js)
        todo: dict[str, str] = {}
        for name, source in sources.items():
            text = prepare(source)
            key = hashlib.sha1(text.encode("utf-8")).hexdigest()
            cached = run._cache.get(key)
            if cached is not None:
                run._results[name] = cached
                continue
            run._pending[name] = key
            todo[name] = text
        if not todo:
            run._done = True
            return run
        node = find_node()
        if node is None:
            run.unavailable = "Node.js finns inte på datorn"
            return run
        node_modules = find_node_modules(root)
        if node_modules is None:
            run.unavailable = "npm-paketet linkedom är inte installerat"
            return run
        # Mermaid needs ~15 ms a map: a large batch is split over the cores.
        names = list(todo)
        workers = min(os.cpu_count() or 1, 4) if len(names) >= PARALLEL_FROM else 1
        for index in range(workers):
            part = {name: todo[name] for name in names[index::workers]}
            handle, path = tempfile.mkstemp(prefix="handbok-mermaid-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump({"mermaid": str(mermaid_js), "node_modules": str(node_modules), "diagrams": part}, stream)
            run._inputs.append(Path(path))
            try:
                run._processes.append(subprocess.Popen(
                    [node, str(SCRIPT), path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    stdin=subprocess.DEVNULL,
                ))
            except OSError as exc:
                run.unavailable = f"Node.js kunde inte startas ({exc.strerror})"
                run._stop()
                break
        return run

    def results(self) -> dict[str, dict]:
        """Mermaid's reading per map name (waits for Node if it is still running)."""
        if self._done or not self._processes:
            return self._results
        self._done = True
        results: dict[str, dict] = {}
        for process in self._processes:
            try:
                out, err = process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.unavailable = f"Mermaid svarade inte inom {TIMEOUT} sekunder"
                self._stop()
                return self._results
            try:
                results.update(json.loads(out.decode("utf-8"))["results"])
            except (ValueError, KeyError, UnicodeDecodeError):
                detail = err.decode("utf-8", "replace").strip().splitlines()
                self.unavailable = "Mermaid avbröts" + (f" ({detail[-1][:200]})" if detail else "")
        self._stop()
        for name, key in self._pending.items():
            result = results.get(name)
            if result is None:
                continue
            if self._cache is not None:
                self._cache.put(key, result)
            self._results[name] = result
        if self._cache is not None:
            self._cache.save()
        return self._results

    def _stop(self) -> None:
        """End any Node process still running and remove the input files."""
        for process in self._processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
        for path in self._inputs:
            try:
                path.unlink()
            except OSError:
                pass
        self._inputs = []


# --- Swedish messages ---------------------------------------------------------------

_TOKENS = {
    "EOF": "filens slut",
    "LINK": "en pil",
    "START_LINK": "början på en pil",
    "EDGE_TEXT": "text på en pil",
    "NEWLINE": "ett radslut",
    "SEMI": "semikolon (;)",
    "SPACE": "ett mellanslag",
    "TEXT": "text",
    "UNICODE_TEXT": "text",
    "STR": "text inom citattecken",
    "MD_STR": "text inom citattecken",
    "NODE_STRING": "ett nod-id",
    "NUM": "ett tal",
    "SQS": "[",
    "SQE": "]",
    "PS": "(",
    "PE": ")",
    "DIAMOND_START": "{",
    "DIAMOND_STOP": "}",
    "STADIUMSTART": "([",
    "STADIUMEND": "])",
    "SUBROUTINESTART": "[[",
    "SUBROUTINEEND": "]]",
    "CYLINDERSTART": "[(",
    "CYLINDEREND": ")]",
    "DOUBLECIRCLESTART": "(((",
    "DOUBLECIRCLEEND": ")))",
    "TAGSTART": "<",
    "TAGEND": ">",
    "PIPE": "|",
    "COLON": ":",
    "AMP": "&",
    "MINUS": "-",
    "MULT": "*",
    "COMMA": ",",
    "DOWN": "v",
    "end": "end",
    "subgraph": "subgraph",
    "GRAPH": "flowchart",
    "DIR": "en riktning (TD, LR …)",
}


# Tokens worth naming to an editor, most helpful first (Mermaid lists dozens).
_READABLE = ("SQE", "PE", "DIAMOND_STOP", "STADIUMEND", "SUBROUTINEEND", "PIPE", "NEWLINE", "EOF",
             "LINK", "NODE_STRING", "end", "TEXT")


def _token(name: str) -> str:
    readable = _TOKENS.get(name, name)
    if len(readable) <= 3 and readable not in ("end",):
        return f"'{readable}'"
    return readable


def verdict(result: dict, text: str) -> Verdict:
    """Mermaid's parse error as a located Swedish message (``text`` is the map)."""
    if result.get("ok"):
        return Verdict(True)
    message = str(result.get("message", ""))
    lines = text.split("\n")
    line = int(result.get("line") or 1)
    line = min(max(line, 1), max(len(lines), 1))
    column = int(result.get("column") or 1)
    if "No diagram type detected" in message:
        return Verdict(False, 1, 1,
                       "Mermaid känner inte igen diagramtypen",
                       "Första raden ska vara 'flowchart TD' (uppifrån och ned) eller 'flowchart LR' (vänster till höger).")
    token = result.get("token")
    if token:
        found = _token(str(token))
        offered = {str(item) for item in result.get("expected") or []}
        expected = [_token(name) for name in _READABLE if name in offered][:4]
        wanted = ", ".join(expected[:-1]) + " eller " + expected[-1] if len(expected) > 1 else (expected[0] if expected else "")
        text_line = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        detail = f"Mermaid läser raden '{text_line}' och hittar {found}" + (f" där det skulle stå {wanted}." if wanted else ".")
        if token == "EOF":
            summary = "processkartan tar slut mitt i ett uttryck (saknas målet för en pil eller en avslutande parentes?)"
        else:
            summary = f"Mermaid kan inte tolka processkartan: {found} står där det inte får stå"
        return Verdict(False, line, column, summary,
                       detail + " Kontrollera att varje form har sina parenteser i par, "
                       "att texter med specialtecken står inom citattecken och att varje subgraph avslutas med end.")
    text_line = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if message.startswith("Lexical error"):
        return Verdict(False, line, column, "Mermaid känner inte igen texten på raden",
                       f"Mermaid läser raden '{text_line}' och kan inte dela upp den i noder och pilar. "
                       "Sätt text med specialtecken inom citattecken, t.ex. a[\"Steg (ett)\"].")
    first = message.strip().splitlines()[0] if message.strip() else "okänt fel"
    if first.startswith("No such shape:"):
        shape = first.removeprefix("No such shape:").strip().rstrip(".")
        return Verdict(False, line, column, f"Mermaid har ingen form som heter '{shape}'",
                       "Formerna står i Mermaids dokumentation (t.ex. rect, rounded, stadium, diam, circle); "
                       "namnen skrivs med små bokstäver och bindestreck.")
    return Verdict(False, line, column, f"Mermaid kan inte tolka processkartan ({first[:160]})",
                   "Jämför med exemplet i redaktörsguiden.")

"""The package's arrows point one way: model ← core ← checks, pages, release ← plugin, CLI.

The import graph is read from the source with ``ast`` (every import, also the
ones inside functions), so a module cannot hide a wrong-way import by making
it lazy; only imports for type annotations (``if TYPE_CHECKING:``), which never
run, are left out. A module's package ``__init__`` counts as part of that package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scripts" / "handbok"

# Layers from the bottom. A module may import its own layer and the layers below.
LAYERS = {
    "model": 0, "problems": 0,
    "source": 1, "diagram": 1, "mermaid_node": 1, "core": 1,
    "checks": 2, "pages": 2, "release": 2, "scaffold": 2, "codeowners": 2, "fences": 2, "cli_types": 2, "reminders": 2,
    "mkdocs_plugin": 3, "cli": 3, "cli_sv": 3,
}

# Consumers of the core that must not know one another (besides what LAYERS allows).
FORBIDDEN = {
    "checks": {"pages", "release", "mkdocs_plugin", "cli", "scaffold", "codeowners"},
    "pages": {"release", "mkdocs_plugin", "cli"},
    "release": {"pages", "mkdocs_plugin"},
    "core": {"checks", "pages", "release", "mkdocs_plugin", "cli"},
}


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["handbok", *parts])


def _imports(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, as dotted names."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "handbok"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "handbok":
                continue
            # "from . import x" and "from .core import loader" import the modules they name;
            # "from .core.state import review_state" imports core.state.
            named = [f"{module}.{alias.name}" for alias in node.names]
            modules = [candidate for candidate in named if _exists(candidate)]
            found.update(modules)
            if len(modules) < len(named):
                found.add(module)
    found.discard(name)
    return {module for module in found if _exists(module)}


def _runtime_nodes(tree: ast.AST):
    """Every node except those under ``if TYPE_CHECKING:`` (annotations only: never imported when run)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


GRAPH = {_module_name(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "handbok"


def test_the_graph_was_read():
    assert "handbok.core.loader" in GRAPH and "handbok.checks.registry" in GRAPH
    assert "handbok.core.handbook" in GRAPH["handbok.core.loader"]


def test_no_module_is_in_a_circle():
    """Tarjan's strongly connected components: a component of more than one module is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert circles == []


def test_the_model_imports_nothing_of_the_package():
    assert GRAPH["handbok.model"] == set()
    assert GRAPH["handbok.problems"] == set()


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_arrows_point_down(module):
    top = _top(module)
    if top not in LAYERS:
        pytest.fail(f"{module}: the package's top-level module {top} has no layer in this test; add it to LAYERS")
    wrong = []
    for target in GRAPH[module]:
        target_top = _top(target)
        if target_top == top:
            continue
        if LAYERS.get(target_top, 99) > LAYERS[top] or target_top in FORBIDDEN.get(top, set()):
            wrong.append(target)
    assert wrong == [], f"{module} imports {', '.join(sorted(wrong))}"


def test_a_circle_would_be_found(monkeypatch):
    """The circle check itself can fail: a graph with a circle gives a component."""
    monkeypatch.setitem(GRAPH, "handbok.core.loader", GRAPH["handbok.core.loader"] | {"handbok.core.zz_circle"})
    monkeypatch.setitem(GRAPH, "handbok.core.zz_circle", {"handbok.core.loader"})
    with pytest.raises(AssertionError):
        test_no_module_is_in_a_circle()

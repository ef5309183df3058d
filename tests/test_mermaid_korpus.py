"""The corpus of flowcharts (``tests/fixtures/mermaid-korpus/``), scored like an editor's maps.

Every map of the corpus is valid for the vendored Mermaid and must pass
``handbok check`` as it is; every map under ``avvisas/`` is refused, with the
code its file name starts with. For each valid map the text version names
every node and every drawn link (with its label), names the groups, and leaks
no Mermaid syntax.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from handbok.cli import main
from handbok.core.handbook import Handbook
from handbok.core.map_text import node_text, text_version_html
from handbok.core.mermaid import find_node, find_node_modules

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KORPUS = FIXTURES / "mermaid-korpus"
MAPS = sorted(path.name for path in KORPUS.glob("*.mmd"))
REFUSED = sorted(path.name for path in (KORPUS / "avvisas").glob("*.mmd"))
TODAY = "2026-11-25"

pytestmark = pytest.mark.skipif(find_node() is None or find_node_modules(FIXTURES.parent.parent) is None,
                                reason="Node.js eller linkedom saknas (make node-deps)")

# What the issue lists, each found in at least one map of the corpus.
CONSTRUCTS = ["@{ shape:", "e1@-->", "e1@{ animate", ":::", " & ", "---\ntitle:", "--->", "-- med text ---",
              '"Samråd; med AF"', "#quot;", "(((", "~~~", "o--o", "<-->", "x--x", "--x", "--o", "-.->", "==>",
              "subgraph", "click", "href", "fa:fa-", "`**", "<br>", "steg-ett", "steg.1", "%%{init", "accDescr {",
              "classDef", "linkStyle", "style ", "direction LR", "graph TD", "@{ icon:", "@{ img:"]

# Mermaid syntax a reader must never meet in the text version.
LEAKS = ["-->", "---", "==>", "-.-", "~~~", "@{", ":::", "fa:fa-", "#quot;", "#35;", "**", "`", "<br", "accTitle",
         "accDescr", "classDef", "linkStyle", "click ", "subgraph", "%%", "[[", "]]", "([", "])", "((", "))", "{{",
         "}}", "[/", "/]", "[\\", "\\]", "&quot;", "&amp;", "&#"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """check-bas with every corpus map in diagrams/, each shown on a docs page (so each is checked)."""
    root = tmp_path_factory.mktemp("korpus") / "handbok"
    shutil.copytree(FIXTURES / "check-bas", root)
    markers = []
    for name in MAPS:
        shutil.copyfile(KORPUS / name, root / "diagrams" / name)
        markers.append(f"<!-- processkarta: {name} -->")
    for name in REFUSED:
        shutil.copyfile(KORPUS / "avvisas" / name, root / "diagrams" / name)
        markers.append(f"<!-- processkarta: {name} -->")
    (root / "docs" / "korpus.md").write_text("# Korpus\n\n" + "\n\n".join(markers) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def findings(project) -> dict[str, set[str]]:
    """The codes ``handbok check`` reports per map."""
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", TODAY, "--format", "json"])
    report = json.loads(result.output)
    found: dict[str, set[str]] = {}
    for problem in report["problems"]:
        found.setdefault(problem["path"], set()).add(problem["code"])
    return found


@pytest.fixture(scope="module")
def handbook(project) -> Handbook:
    handbook = Handbook(root=project)
    handbook.start_maps()
    assert handbook.maps_unavailable is None
    return handbook


def test_the_corpus_is_large_and_covers_the_constructs():
    assert len(MAPS) >= 100
    text = "\n".join((KORPUS / name).read_text(encoding="utf-8") for name in MAPS)
    assert [construct for construct in CONSTRUCTS if construct not in text] == []
    readme = (KORPUS / "README.md").read_text(encoding="utf-8")
    assert "avvisas/" in readme and "Mermaid 11.17.2" in readme


def test_every_valid_map_passes_the_checker(findings):
    assert {path: codes for path, codes in findings.items() if path.removeprefix("diagrams/") in MAPS} == {}


@pytest.mark.parametrize("name", REFUSED)
def test_every_refused_map_gets_its_code(findings, name):
    assert findings.get(f"diagrams/{name}") == {name.split("-")[0]}


def _text_version(handbook: Handbook, name: str) -> BeautifulSoup:
    chart = handbook.diagram(name)
    assert chart is not None, handbook.map_reading(name)
    return BeautifulSoup(text_version_html(chart, link_for=lambda target: target), "html.parser")


def _plain(element) -> str:
    return " ".join(element.get_text(" ").split()).replace(" :", ":").replace(" ,", ",").replace(" .", ".")


@pytest.mark.parametrize("name", MAPS)
def test_text_version_names_every_node_and_link(handbook, name):
    chart = handbook.diagram(name)
    soup = _text_version(handbook, name)
    numbers = chart.step_numbers()
    steps = {node_id: soup.select_one(f"#steg-{number}") for node_id, number in numbers.items()}
    assert len(soup.select("ol.handbok-processtext > li")) == len(chart.nodes)
    for node_id, node in chart.nodes.items():
        assert _plain(steps[node_id]).startswith(" ".join(node_text(node).split())), (node_id, _plain(steps[node_id]))
    groups = soup.select("ul.handbok-processtext-grupper > li")
    for group in chart.groups.values():
        assert any(_plain(item).startswith(group.title) for item in groups), group.title
    for edge in chart.edges:
        if not edge.visible:
            continue
        if edge.source in chart.nodes:
            where = _plain(steps[edge.source])
        else:
            title = chart.groups[edge.source].title
            where = next(_plain(item) for item in groups if _plain(item).startswith(title))
        if edge.target in chart.nodes:
            assert f"steg {numbers[edge.target]}" in where, (edge, where)
        else:
            assert f"gruppen {chart.groups[edge.target].title}" in where, (edge, where)
        if edge.label:
            assert edge.label in where, (edge, where)


@pytest.mark.parametrize("name", MAPS)
def test_text_version_leaks_no_syntax(handbook, name):
    text = _plain(_text_version(handbook, name))
    leaked = [token for token in LEAKS if token in text]
    assert leaked == [], text
    assert not re.search(r"[?!.]\.(?!\.)", text.replace("...", "…")), text  # no 'Klart?.'

"""Template whitespace is collapsed in built pages without changing what they show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURE_TODAY, Site, build_project, prepare_project
from handbok.mkdocs_plugin.compact import collapse_whitespace

NAV = [{"Start": "index.md"}, {"Rutiner": "rutiner/index.md"},
       {"Guide": ["guide/index.md", {"Exempel": "guide/exempel.md"}]}]


def test_line_breaks_and_indentation_collapse():
    html = '<ul>\n    <li>\n      <a href="x">\n        Rubrik\n      </a>\n    </li>\n\n\n  </ul>'
    assert collapse_whitespace(html) == '<ul>\n<li>\n<a href="x">\nRubrik\n</a>\n</li>\n</ul>'


def test_whitespace_that_is_shown_is_kept():
    kept = [
        '<pre class="mermaid"><code>flowchart TD\n    a --> b\n\n    b --> c</code></pre>',
        "<code>två\n    rader</code>",
        "<kbd>Ctrl\n  C</kbd>",
        "<textarea>\n  text\n</textarea>",
        '<script>\n  var a = "x\n  y";\n</script>',
        "<STYLE>\n  a { color: red }\n</STYLE>",
    ]
    for block in kept:
        assert collapse_whitespace(f"<div>\n   {block}\n   </div>") == f"<div>\n{block}\n</div>"


def test_spaces_without_line_break_and_no_break_spaces_stay():
    html = "<p>ett   två\u00a0\n\u00a0tre</p>"
    assert collapse_whitespace(html) == "<p>ett   två\u00a0\n\u00a0tre</p>"


def _build(project: Path, *, compact: bool) -> Site:
    site_dir = "site" if compact else "site-utan"
    return build_project(project, nav=NAV, today=FIXTURE_TODAY, site_dir=site_dir, compact_html=compact)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    project = prepare_project("kartor", tmp_path_factory.mktemp("kompakt"))
    return _build(project, compact=True), _build(project, compact=False)


def _shape(soup: BeautifulSoup) -> list:
    """Every element with its attributes, and the text as a browser collapses it."""
    elements = [(el.name, {k: " ".join(v) if isinstance(v, list) else re.sub(r"\s+", " ", v)
                           for k, v in el.attrs.items()}) for el in soup.find_all(True)]
    text = re.sub(r"\s+", " ", soup.get_text()).strip()
    shown = [el.get_text() for el in soup.select("pre, code, kbd, textarea, script, style")]
    return [elements, text, shown]


def test_pages_show_the_same_and_are_smaller(sites):
    compact, plain = sites
    names = [p.relative_to(compact.site_dir) for p in compact.pages()]
    assert names == [p.relative_to(plain.site_dir) for p in plain.pages()]
    for name in names:
        small = (compact.site_dir / name).read_text(encoding="utf-8")
        large = (plain.site_dir / name).read_text(encoding="utf-8")
        assert _shape(BeautifulSoup(small, "html.parser")) == _shape(BeautifulSoup(large, "html.parser")), name
        if name.name != "404.html":  # rendered as a template, not as a page
            assert len(small) < len(large), name
    routine = (compact.site_dir / "rutiner/anvisning/med-karta/index.html").read_text(encoding="utf-8")
    assert not re.search(r"\n[ \t]+<", routine.split("<pre", 1)[0])

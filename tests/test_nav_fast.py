"""The menu's plain links put together from parts give the very pages Material's macro gives."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import REPO, build_project
from handbok.mkdocs_plugin.nav import NavLinks

sys.path.insert(0, str(REPO / "bench"))
import generate  # noqa: E402
import run as bench  # noqa: E402


def _project(root: Path) -> Path:
    generate.generate(root, 24)
    (root / "overrides").symlink_to(REPO / "overrides")
    (root / "scripts").symlink_to(REPO / "scripts")
    (root / "docs").mkdir()
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")  # a link out would be refused (RH009)
    (root / "docs" / "index.md").write_text("# Start\n\nSe [Rutiner](rutiner/index.md).\n", encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _build(project: Path, site_dir: str, **options):
    return build_project(project, today=bench.TODAY, site_dir=site_dir, **options).plugin


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    project = _project(tmp_path_factory.mktemp("meny"))
    fast = _build(project, "snabb", fast_nav=True)
    slow = _build(project, "macro", fast_nav=False)
    # Without compact HTML too: the parts must keep the template's own whitespace.
    loose = _build(project, "snabb-los", fast_nav=True, compact_html=False)
    _build(project, "macro-los", fast_nav=False, compact_html=False)
    return project, fast, slow, loose


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_fast_menu_is_used_and_pages_are_identical(builds):
    project, fast, slow, loose = builds
    assert slow.nav_links is None
    assert not fast.nav_links.disabled and not loose.nav_links.disabled
    # 24 routines in 8 processes: every routine page has plain links to its siblings.
    assert fast.nav_links.fast > 24
    for compacted, macro in (("snabb", "macro"), ("snabb-los", "macro-los")):
        ours, theirs = _pages(project / compacted), _pages(project / macro)
        assert ours.keys() == theirs.keys() and len(ours) > 24
        different = [name for name in ours if ours[name] != theirs[name]]
        assert different == []


def test_menu_still_marks_the_current_page(builds):
    project = builds[0]
    page = next((project / "snabb" / "rutiner").glob("*/*/index.html"))
    html = page.read_text(encoding="utf-8")
    assert html.count("md-nav__link--active") >= 1
    assert 'class="md-nav__link"' in html


class _Page(SimpleNamespace):
    is_page = True
    active = False
    children = None
    meta: dict = {}


def _links(render):
    links = NavLinks(lambda context, url: "../" + url)
    current = _Page(title="Nu", url="nu/")
    return links, {"page": current}, render


def test_a_theme_whose_link_differs_switches_the_fast_path_off():
    calls = []

    def render(item, path, level, parent):
        calls.append(item.title)
        # A theme that writes the address into the link twice for some pages.
        extra = f' data-x="../{item.url}"' if item.title == "B" else ""
        return f'<li><a href="../{item.url}"{extra}>{item.title}</a></li>'

    links, context, render = _links(render)
    first = links(context, render, _Page(title="A", url="a/"), "p", 2, None)
    assert first == '<li><a href="../a/">A</a></li>'
    assert links(context, render, _Page(title="B", url="b/"), "p", 2, None) is None
    assert links.disabled
    # Once off, every link goes to the macro.
    assert links(context, render, _Page(title="C", url="c/"), "p", 2, None) is None
    assert links.fast == 0


def test_the_current_page_and_links_with_a_status_go_to_the_macro():
    links, context, render = _links(lambda *a: pytest.fail("the macro is not called for these"))
    assert links(context, render, context["page"], "p", 2, None) is None
    assert links(context, render, _Page(title="S", url="s/", meta={"status": "new"}), "p", 2, None) is None
    assert links(context, render, _Page(title="I", url="i/", active=True), "p", 2, None) is None
    assert not links.disabled


def test_a_title_that_also_occurs_in_the_markup_is_rendered_by_the_macro_and_the_next_link_is_split():
    def render(item, path, level, parent):
        return f'<li class="md-nav__item"><a href="../{item.url}" class="md-nav__link">{item.title}</a></li>'

    links, context, render = _links(render)
    assert links(context, render, _Page(title="nav", url="n/"), "p", 2, None) == render(_Page(title="nav", url="n/"), 0, 0, 0)
    assert links.parts is None and not links.disabled
    assert links(context, render, _Page(title="Beslut", url="b/"), "p", 2, None) == render(_Page(title="Beslut", url="b/"), 0, 0, 0)
    assert links.parts is not None
    for number in range(5):
        item = _Page(title=f"Rutin {number}", url=f"r{number}/")
        assert links(context, render, item, "p", 2, None) == render(item, 0, 0, 0)
    assert links.fast == 3 and not links.disabled

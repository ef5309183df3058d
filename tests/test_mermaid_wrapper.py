"""The handbok plugin does mermaid2's page step by string (``mkdocs_plugin/mermaid2_scripts.py``).

mermaid2 stays configured; the tests build the same fixture with the string
step and with mermaid2's own BeautifulSoup step and compare what each page
loads, and check that the Mermaid bundle is loaded exactly by pages with a map.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURE_TODAY, Site, build_project, prepare_project
from handbok.mkdocs_plugin import mermaid2_scripts as mermaid

NAV = [
    {"Start": "index.md"},
    {"Rutiner": "rutiner/index.md"},
    {"Guide": ["guide/index.md", {"Exempel": "guide/exempel.md"}]},
]
BUNDLE = "assets/vendor/mermaid/mermaid.min.js"


def _build(project: Path, *, fast: bool) -> Site:
    site_dir = "site" if fast else "site-mermaid2"
    return build_project(project, nav=NAV, today=FIXTURE_TODAY, site_dir=site_dir, fast_mermaid=fast)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    project = prepare_project("kartor", tmp_path_factory.mktemp("kartor"))
    return _build(project, fast=True), _build(project, fast=False)


def _scripts(site: Site, page: Path) -> list[str]:
    """Every script a page runs, in order: src for files, the text of inline scripts."""
    html = page.read_text(encoding="utf-8")
    scripts = []
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
        src = re.search(r'src="([^"]+)"', attrs)
        if src:
            target = (page.parent / src.group(1)).resolve()
            # Inline scripts may have been moved to files named by content; compare the content.
            if "/inline/" in src.group(1) and target.is_file():
                scripts.append("inline:" + target.read_text(encoding="utf-8"))
            else:
                scripts.append(src.group(1))
        elif 'type="application/json"' not in attrs:
            scripts.append("inline:" + body)
    return scripts


def _pages(site: Site) -> dict[str, Path]:
    return {str(p.relative_to(site.site_dir)): p for p in site.pages()}


def test_bundle_only_on_pages_with_a_map(sites):
    fast, _ = sites
    pages = _pages(fast)
    loading = {name for name, path in pages.items() if any(BUNDLE in s for s in _scripts(fast, path))}
    with_map = {name for name, path in pages.items() if fast.soup(str(path.relative_to(fast.site_dir))).select("pre.mermaid code")}
    assert with_map == {"rutiner/anvisning/med-karta/index.html", "guide/index.html"}
    assert loading == with_map
    # Pages that only mention mermaid, or show its markup as text, load nothing of it.
    for name in ("index.html", "rutiner/uppfoljning/utan-karta/index.html", "guide/exempel/index.html"):
        assert "mermaid" in pages[name].read_text(encoding="utf-8")
        assert not any("mermaid" in s for s in _scripts(fast, pages[name])), name


def test_self_hosted_bundle_path_resolves_from_every_depth(sites):
    fast, _ = sites
    for name in ("rutiner/anvisning/med-karta/index.html", "guide/index.html"):
        page = fast.site_dir / name
        sources = [s for s in _scripts(fast, page) if s.endswith("mermaid.min.js")]
        assert len(sources) == 1, name
        assert not sources[0].startswith(("http", "/"))
        assert (page.parent / sources[0]).resolve() == (fast.site_dir / BUNDLE).resolve()


def test_config_script_follows_the_bundle(sites):
    fast, _ = sites
    scripts = _scripts(fast, fast.site_dir / "rutiner/anvisning/med-karta/index.html")
    at = next(i for i, s in enumerate(scripts) if s.endswith("mermaid.min.js"))
    config = scripts[at + 1]
    assert "window.mermaidConfig" in config
    assert re.search(r'securityLevel:\s*"strict"', config)
    assert re.search(r"startOnLoad:\s*false", config)


def test_same_scripts_as_mermaid2_itself(sites):
    fast, slow = sites
    fast_pages, slow_pages = _pages(fast), _pages(slow)
    assert fast_pages.keys() == slow_pages.keys()
    for name in fast_pages:
        assert _scripts(fast, fast_pages[name]) == _scripts(slow, slow_pages[name]), name


def test_same_content_as_mermaid2_itself(sites):
    fast, slow = sites
    for name in ("rutiner/anvisning/med-karta/index.html", "guide/index.html"):
        a = fast.soup(name).select_one("article")
        b = slow.soup(name).select_one("article")
        assert a.select("pre.mermaid code")[0].get_text() == b.select("pre.mermaid code")[0].get_text()
        assert a.get_text(" ", strip=True) == b.get_text(" ", strip=True)


@pytest.mark.parametrize("html, expected", [
    ('<pre class="mermaid"><code>flowchart TD</code></pre>', True),
    ('<pre id="k" class="diagram mermaid"><code>x</code></pre>', True),
    ("<pre class='mermaid'>\n<code>x</code></pre>", True),
    ('<pre class="mermaid">x</pre>', False),
    ('<pre class="mermaids"><code>x</code></pre>', False),
    ('<pre><code class="language-mermaid">x</code></pre>', False),
    ("<p>&lt;pre class=&quot;mermaid&quot;&gt;&lt;code&gt;</p>", False),
])
def test_has_map(html, expected):
    assert mermaid.has_map(f"<html><body>{html}</body></html>") is expected


def _fake(javascript: str):
    return {"javascript": javascript, "mermaid_args": {"securityLevel": "strict"}}


def test_scripts_for_a_module_library():
    scripts = mermaid._Scripts(_fake("assets/mermaid.esm.min.mjs"))
    tag = scripts.for_page("rutiner/a/b/")
    assert tag.startswith('<script type="module">import mermaid from "../../../assets/mermaid.esm.min.mjs";')
    assert tag.count("<script") == 1 and "window.mermaidConfig" in tag


def test_scripts_on_the_home_page_and_for_a_remote_library():
    assert '<script src="assets/m.min.js">' in mermaid._Scripts(_fake("assets/m.min.js")).for_page("")
    remote = mermaid._Scripts(_fake("https://example.org/m.min.js")).for_page("a/")
    assert '<script src="https://example.org/m.min.js">' in remote

"""Inline scripts become files, so the site runs under ``script-src 'self'``."""

from __future__ import annotations

from bs4 import BeautifulSoup

from handbok.mkdocs_plugin import inline_scripts

PAGE = """<!doctype html><html><head>
<script>__md_scope=new URL("../..",location)</script>
<script src="../../assets/javascripts/bundle.js"></script>
</head><body>
<pre><code>&lt;script&gt;not a script&lt;/script&gt;</code></pre>
<script id="__config" type="application/json">{"base": ".."}</script>
<SCRIPT type="text/javascript">var a = "</scr" + "ipt>";</SCRIPT>
<script type="module">import x from "./x.js";</script>
<script>window.mermaidConfig = {default: {}};</script>
<script>__md_scope=new URL("../..",location)</script>
</body></html>"""


def test_inline_scripts_become_files_in_place():
    html, files = inline_scripts.externalize(PAGE, "../../")
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.select("script")
    inline = [s for s in scripts if not s.get("src") and s.get("type") != "application/json"]
    assert inline == []
    # Same order as before, so the page behaves as before.
    sources = [s.get("src") or s.get("id") for s in scripts]
    assert sources[1] == "../../assets/javascripts/bundle.js"
    assert sources[2] == "__config"
    assert sources[0] == sources[-1]  # the same script twice is one file
    assert all(src.startswith("../../assets/javascripts/inline/") for i, src in enumerate(sources) if i not in (1, 2))
    assert soup.select("script[type=module]")[0]["src"].endswith(".js")
    assert len(files) == 4
    assert 'window.mermaidConfig = {default: {}};' in files.values()
    assert 'var a = "</scr" + "ipt>";' in files.values()
    # Data stays inline, and text that only looks like a script is untouched.
    assert soup.select_one("#__config").string == '{"base": ".."}'
    assert soup.select_one("pre code").get_text() == "<script>not a script</script>"


def test_file_names_are_content_hashes():
    _, first = inline_scripts.externalize("<script>a()</script>", "")
    _, second = inline_scripts.externalize("<p></p><script>a()</script>", "/")
    _, other = inline_scripts.externalize("<script>b()</script>", "")
    assert list(first) == list(second) != list(other)
    assert list(first)[0].startswith(inline_scripts.SCRIPT_DIR + "/")


def test_root_relative_prefix_for_error_pages():
    html, files = inline_scripts.externalize("<script>a()</script>", "/")
    assert html == f'<script src="/{next(iter(files))}"></script>'


def test_written_files(tmp_path):
    _, files = inline_scripts.externalize("<script>a()</script>", "")
    inline_scripts.write_scripts(tmp_path, files)
    path, body = next(iter(files.items()))
    assert (tmp_path / path).read_text(encoding="utf-8") == body == "a()"


def test_built_pages_have_no_inline_scripts(grund_site):
    for page in grund_site.pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.select("script"):
            assert script.get("src") or script.get("type") == "application/json", (page, str(script)[:80])
            src = script.get("src", "")
            if "/inline/" in "/" + src:
                target = grund_site.site_dir / src.lstrip("/") if src.startswith("/") else page.parent / src
                assert target.resolve().is_file(), (page, src)

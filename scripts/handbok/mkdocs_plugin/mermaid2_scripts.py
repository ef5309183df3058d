"""mermaid2's page step, done with string operations instead of a re-parse.

mermaid2 stays the configured toolchain: its options in mkdocs.yml (``javascript``,
``arguments``) and its own properties decide which library is loaded, from
where and with which configuration. Only its ``on_post_page`` is replaced.
That handler parses every page containing the word "mermaid" with
BeautifulSoup and serialises it again, to count ``pre.mermaid code`` blocks
and append two ``<script>`` elements to ``<body>``; on a handbook with a
thousand routines that re-parse is most of the build time (see
``bench/RESULTAT.md``). Here the blocks are found with a regular expression
and the same two elements are inserted before ``</body>``, so a page without a
map still gets no Mermaid bundle.

Only the configuration the handbook uses is handled (superfences with a
``fence_mermaid_custom`` formatter, library given by ``javascript`` rather
than ``extra_javascript``); any other configuration falls back to mermaid2's
own handler.
"""

from __future__ import annotations

import html
import logging
import os
import re
from functools import partial

from mkdocs.plugins import PluginCollection

from .internals import mermaid2_config_json, mermaid2_settings, replace_event_handler

log = logging.getLogger("mkdocs.plugins.handbok")

PLUGIN_NAME = "mermaid2"

# The markup mermaid2's custom loader counts (``soup.select("pre.mermaid code")``).
MERMAID_BLOCK = re.compile(
    r"""<pre\b[^>]*?\sclass\s*=\s*(?:"[^"]*?\bmermaid\b[^"]*"|'[^']*?\bmermaid\b[^']*'|mermaid\b)[^>]*>\s*<code\b""",
    re.IGNORECASE,
)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def has_map(html: str) -> bool:
    """Whether a rendered page contains a Mermaid block that mermaid2 would load the library for."""
    return MERMAID_BLOCK.search(html) is not None


class _Scripts:
    """The two elements mermaid2 appends to a page with diagrams, computed once per build."""

    def __init__(self, settings: dict) -> None:
        self.javascript = settings["javascript"].strip()
        arguments = settings["mermaid_args"]
        # mermaid2 sets this on every page with a diagram when the custom loader is active.
        arguments["startOnLoad"] = False
        self.config_script = "<script>window.mermaidConfig = {default: %s};</script>" % mermaid2_config_json(arguments)

    def for_page(self, page_url: str) -> str:
        javascript = self.javascript
        if not javascript.startswith("http"):
            javascript = os.path.relpath(javascript, os.path.dirname(page_url) or ".")
        if javascript.endswith(".mjs"):
            library = f'<script type="module">import mermaid from "{javascript}";\n'  # as mermaid2 writes it
            return library + self.config_script.removeprefix("<script>")
        return f'<script src="{html.escape(javascript)}"></script>' + self.config_script


def known_bodies(plugins: PluginCollection) -> set[str]:
    """The inline scripts mermaid2 writes into a page with a map (its fast and its own path alike)."""
    mermaid = plugins.get(PLUGIN_NAME)
    if mermaid is None:
        return set()
    arguments = dict(mermaid2_settings(mermaid)["mermaid_args"])
    bodies = {"mermaid.initialize(%s);" % mermaid2_config_json(arguments)}
    arguments["startOnLoad"] = False  # as mermaid2 sets it with the custom loader
    configuration = mermaid2_config_json(arguments)
    return bodies | {"window.mermaidConfig = {default: %s};" % configuration, "mermaid.initialize(%s);" % configuration}


def _post_page(mermaid, original, state: dict, output: str, *, page, config, **kwargs) -> str:
    if "settings" not in state:
        state["settings"] = mermaid2_settings(mermaid)
    settings = state["settings"]
    if not settings["activate_custom_loader"] or settings["extra_javascript"]:
        return original(output, page=page, config=config, **kwargs)
    if "mermaid" not in output or not has_map(output):
        return output
    if "scripts" not in state:
        state["scripts"] = _Scripts(settings)
    insertion = state["scripts"].for_page(page.url)
    ends = list(_BODY_END.finditer(output))
    if not ends:
        return output + insertion
    at = ends[-1].start()
    return output[:at] + insertion + output[at:]


def speed_up(plugins: PluginCollection) -> bool:
    """Replace the configured mermaid2 plugin's ``on_post_page`` by the string version.

    Returns whether mermaid2 was found. The handler keeps mermaid2's place and
    priority among the ``post_page`` handlers.
    """
    mermaid = plugins.get(PLUGIN_NAME)
    if mermaid is None:
        return False
    original = mermaid.on_post_page
    # One build's state: mermaid2's settings and the scripts, computed on the first page.
    fast = partial(_post_page, mermaid, original, {})
    return replace_event_handler(plugins, "post_page", PLUGIN_NAME, original, fast)

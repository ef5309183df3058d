"""Finished HTML held out of Markdown and put back into the page afterwards.

A routine page has blocks of generated HTML (summary, process map with its
text version, responsibilities table, legal references, audit findings).
Given to Markdown as raw HTML they are parsed again by Python-Markdown's HTML
block parser, which costs about a quarter of a routine page's Markdown time
(see ``bench/RESULTAT.md``). Instead each block stands in the Markdown as a
token paragraph and is swapped back into the HTML in ``on_page_content``,
before search, tags and the templates see the page. Markdown does not touch
raw HTML blocks, so the page is the same.
"""

from __future__ import annotations

import json
import re
import secrets

from mkdocs.exceptions import PluginError

# The handbook's own data for its scripts (pages.releases): JSON with every '<' escaped.
_DATA_SCRIPT = re.compile(r'<script type="application/json" id="[a-z0-9-]+">[^<]*</script>')


class HtmlStash:
    """The generated blocks of one page."""

    def __init__(self) -> None:
        # A fresh random part per page: an editor cannot type a token by accident.
        self.prefix = f"HANDBOKHTML{secrets.token_hex(6)}X"
        self.blocks: list[tuple[str, str]] = []

    def hold(self, html: str) -> str:
        """Keep ``html`` and return the token that stands in its place in the Markdown."""
        token = f"{self.prefix}{len(self.blocks)}"
        self.blocks.append((token, html))
        return token

    def release(self, html: str) -> str:
        """Put every held block back into the page's HTML."""
        for token, block in self.blocks:
            paragraph = f"<p>{token}</p>"
            if paragraph in html:
                html = html.replace(paragraph, block, 1)
            elif token in html:
                html = html.replace(token, block, 1)
            else:
                raise PluginError(f"handbok: ett genererat avsnitt försvann ur sidan ({token}); detta är ett programfel")
        return html


def hold_data_scripts(html: str, stash: HtmlStash) -> str:
    """Hold the handbook's JSON data blocks out of the sanitiser (into ``stash``).

    A generated page may carry data for its script as ``<script
    type="application/json" id="…">``, which a browser never runs. Only that
    exact form, with content that is JSON and holds no ``<``, is held back and
    put back after sanitising; anything else is sanitised like all content.
    """
    if "application/json" not in html:
        return html

    def hold(match: re.Match) -> str:
        element = match.group(0)
        try:
            json.loads(element[element.index(">") + 1: -len("</script>")])
        except ValueError:
            return element
        return f"<p>{stash.hold(element)}</p>"

    return _DATA_SCRIPT.sub(hold, html)

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

import secrets

from mkdocs.exceptions import PluginError


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

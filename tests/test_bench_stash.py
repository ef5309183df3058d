"""Generated HTML blocks held out of Markdown give the same page as raw HTML in Markdown."""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError

from conftest import FIXTURES, REPO
from handbok.pages import routine as render
from handbok.core.loader import load_handbook
from handbok.mkdocs_plugin.stash import HtmlStash


@pytest.fixture(scope="module")
def converter():
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))

    def convert(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions,
                                 extension_configs=config.mdx_configs).convert(text)

    return convert


def _shape(html: str) -> list:
    soup = BeautifulSoup(html, "html.parser")
    elements = [(el.name, {k: " ".join(v) if isinstance(v, list) else v for k, v in el.attrs.items()})
                for el in soup.find_all(True)]
    return [elements, re.sub(r"\s+", " ", soup.get_text()).strip(),
            [el.get_text() for el in soup.select("pre, code")]]


@pytest.mark.parametrize("fixture", ["grund", "kartor"])
def test_same_html_as_raw_blocks_in_markdown(fixture, converter):
    handbook = load_handbook(FIXTURES / fixture)
    abbreviations = render.abbreviation_lines(handbook)
    assert handbook.routines
    for source in handbook.routines.values():
        plain = converter(render.routine_markdown(handbook, source, abbreviations))
        stash = HtmlStash()
        held = render.routine_markdown(handbook, source, abbreviations, raw=stash.hold)
        assert "<table" not in held and "<figure" not in held and "<details" not in held
        assert stash.blocks, source.routine.id
        assert _shape(stash.release(converter(held))) == _shape(plain), source.routine.id


def test_every_block_must_come_back():
    stash = HtmlStash()
    token = stash.hold("<table><tr><td>x</td></tr></table>")
    assert stash.release(f"<h2>Ansvar</h2>\n<p>{token}</p>") == "<h2>Ansvar</h2>\n<table><tr><td>x</td></tr></table>"
    with pytest.raises(PluginError):
        stash.release("<h2>Ansvar</h2>")


def test_tokens_differ_between_pages():
    assert HtmlStash().hold("<p>a</p>") != HtmlStash().hold("<p>a</p>")

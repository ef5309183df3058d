"""A routine with <script>, tags and quotes in its fields shows them as text, everywhere.

The 'grund' fixture's ``farlig-rutin.md`` has a title, owner, decision body and
protocol reference with markup in them. In the browser no dialog may open, no
element may come from those values, and the values read as typed, on the
routine page, in every register and overview that lists it, and in search.
"""

from __future__ import annotations

import pytest
from .browsing import page_urls, search

pytestmark = pytest.mark.browser

TITLE = "Rutin <script>alert('titel')</script> & \"citat\""
ROUTINE_URL = "rutiner/lonestod/farlig-rutin/"

# Executable inline scripts and elements that only the hostile values could create.
INJECTED = """
() => ({
  inline: [...document.querySelectorAll("script:not([src])")]
    .filter((s) => !s.type || /javascript|module/.test(s.type)).map((s) => s.outerHTML.slice(0, 80)),
  elements: [...document.querySelectorAll("img[src='x'], article i, article b, [onerror]")]
    .map((el) => el.outerHTML.slice(0, 80)),
  text: document.body.innerText,
  title: document.title,
})
"""


@pytest.fixture(scope="module")
def grund_pages(grund_browsing, grund_site):
    pages = {}
    for url in page_urls(grund_site.site_dir):
        grund_browsing.visit(url)
        pages[url] = grund_browsing.page.evaluate(INJECTED)
    return pages


def test_no_page_runs_or_builds_anything_from_the_values(grund_pages, grund_browsing):
    assert grund_browsing.dialogs == []
    assert {url: p["inline"] for url, p in grund_pages.items() if p["inline"]} == {}
    assert {url: p["elements"] for url, p in grund_pages.items() if p["elements"]} == {}


def test_the_routine_page_shows_the_values_as_typed(grund_pages):
    page = grund_pages[ROUTINE_URL]
    assert page["title"].startswith(TITLE)
    assert TITLE in page["text"]
    for value in ("SN <script>x</script> § 1", "Nämnd <i>x</i>", "Varje <b>vecka</b>",
                  "Sammanfattning med <img src=x onerror=alert(1)>"):
        assert value in page["text"], value


def test_every_page_that_lists_the_routine_shows_its_title_as_text(grund_pages):
    listing = [url for url, page in grund_pages.items() if "alert('titel')" in page["text"]]
    # The routine page, the routine overview and the navigation of other pages at least.
    assert ROUTINE_URL in listing and "rutiner/" in listing
    assert {url for url in listing if TITLE not in grund_pages[url]["text"]} == set()


def test_search_results_show_the_title_as_text(grund_browsing, grund_pages):
    grund_browsing.visit("")
    results = search(grund_browsing.page, "citat")
    match = [result for result in results if result["href"].endswith("/" + ROUTINE_URL)]
    assert match, results
    assert match[0]["title"] == TITLE
    assert all(result["elements"] == [] for result in results)
    assert grund_browsing.dialogs == []

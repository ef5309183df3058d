"""Swedish search in the browser: plain words and inflected forms."""

from __future__ import annotations

import re

import pytest
from .browsing import REPO, search

from handbok.core.addresses import routine_url
from handbok.core.loader import load_handbook

pytestmark = pytest.mark.browser

# An inflected word and the routine whose title has the word's base form only.
INFLECTED = [
    ("uppföljningen", "uppfoljning-arbetsmarknadsinsats"),
    ("anvisningen", "anvisning-arbetsmarknadsinsats"),
    ("lönestödet", "anstallning-med-lonestod"),
]


def _routine(routine_id: str):
    handbook = load_handbook(REPO)
    routine = handbook.routines[routine_id].routine
    return routine, routine_url(routine)


def _result_for(results: list[dict], base_url: str, url: str) -> dict | None:
    return next((result for result in results if result["href"] == base_url + url), None)


@pytest.fixture(scope="module")
def search_page(static_browsing, static_visits):
    page = static_browsing.new_page()
    static_browsing.visit("", page=page)
    yield page
    page.close()


@pytest.mark.parametrize("query, routine_id", INFLECTED)
def test_inflected_form_finds_the_routine_by_its_title(search_page, static_browsing, query, routine_id):
    routine, url = _routine(routine_id)
    # The premise: the title has the base form, not the inflected form searched for.
    assert query not in routine.title.lower()
    result = _result_for(search(search_page, query), static_browsing.base_url, url)
    assert result is not None, f"'{query}' hittar inte {url}"
    assert result["title"] == routine.title
    # The title itself matched (Material marks the matched word), not just some text on the page.
    assert result["marks"] and all(query.startswith(mark.lower()) for mark in result["marks"]), result


def test_without_the_swedish_stemmer_the_inflected_form_misses_the_title(static_browsing, static_visits):
    # The control for the test above: with Material's own query handling only,
    # 'uppföljningen' does not match the title 'Uppföljning av …'.
    page = static_browsing.new_page()
    try:
        page.route("**/assets/javascripts/sok.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
        page.goto(static_browsing.base_url)
        routine, url = _routine("uppfoljning-arbetsmarknadsinsats")
        result = _result_for(search(page, "uppföljningen"), static_browsing.base_url, url)
        assert result is None or result["marks"] == []
    finally:
        page.close()


@pytest.mark.parametrize("query", ["försörjningsstöd", "rutinägare", "arbetsmarknadsinsats"])
def test_plain_swedish_words_are_found(search_page, query):
    results = search(search_page, query)
    assert results, query
    assert all(result["href"] and result["title"] for result in results)


def test_nonsense_finds_nothing(search_page):
    assert search(search_page, "qxzvjk") == []
    assert "Inga sökresultat" in search_page.locator(".md-search-result__meta").inner_text()


def test_search_stems_in_the_browser(search_page):
    # The same code the unit tests run in Node is what the page loaded.
    assert search_page.evaluate("() => handbokSok.stem('Uppföljningen')") == "uppföljning"
    assert search_page.evaluate("() => handbokSok.transform('lönestödet \"anvisningen\"')") == 'lönestöd "anvisning*"'


@pytest.mark.parametrize("query", ["lönestöd", "enhetschef", "anvisning"])
def test_excerpts_keep_words_apart_and_hits_show_few_tags(search_page, query):
    results = search(search_page, query)
    assert results, query
    # Table cells are not run together ("lönestödAnställning med lönestödEnhetschef").
    joined = {r["href"]: m.group(0) for r in results for m in [re.search(r"[a-zåäö][A-ZÅÄÖ][a-zåäö]", r["excerpt"])] if m}
    assert joined == {}
    # A hit shows its status and process, not every role and target group of the routine.
    assert max(len(r["tags"]) for r in results) <= 3
    assert any(r["tags"] for r in results)


def test_the_start_page_search_field_hands_its_words_to_the_search(static_browsing, static_visits):
    page = static_browsing.new_page()
    try:
        page.goto(static_browsing.base_url)
        field = page.get_by_label("Vad letar du efter?")
        assert field.is_visible()
        field.fill("lönestödet")
        field.press("Enter")
        page.wait_for_function("() => /sökresultat/.test(document.querySelector('.md-search-result__meta').textContent)",
                               timeout=15_000)
        routine, url = _routine("anstallning-med-lonestod")
        hrefs = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.pathname)")
        assert "/" + url in hrefs
        assert page.locator("#__search").is_checked()
        assert page.url.split("#")[0] == static_browsing.base_url  # no reload, no query string
    finally:
        page.close()

"""Keyboard only: the search, the version selector and the map's text version."""

from __future__ import annotations

import pytest
from .browsing import REPO, Browsing, StaticServer

from handbok.core.addresses import routine_url
from handbok.core.loader import load_handbook

pytestmark = pytest.mark.browser

MAX_TABS = 400


def _tab_to(page, selector: str, *, from_top: bool = True) -> int:
    """Press Tab (from the top of the page) until ``selector`` has focus; return the presses."""
    if from_top:
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement && document.activeElement.matches(selector)", selector):
            return presses
    raise AssertionError(f"{selector} nås inte med Tab ({MAX_TABS} tryck)")


@pytest.fixture()
def page(static_browsing, static_visits):
    page = static_browsing.new_page()
    yield page
    page.close()


def test_search_works_with_the_keyboard_only(page, static_browsing):
    page.goto(static_browsing.base_url)
    _tab_to(page, "input.md-search__input")
    page.keyboard.type("uppföljningen")
    handbook = load_handbook(REPO)
    target = routine_url(handbook.routines["uppfoljning-arbetsmarknadsinsats"].routine)
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    first.wait_for(timeout=15_000)
    page.wait_for_function(
        "(path) => [...document.querySelectorAll('.md-search-result__link')].some(a => a.pathname.endsWith(path))",
        arg="/" + target)
    # Arrow down moves from the query to the results; Enter opens the focused one.
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.closest('.md-search-result__link') && document.activeElement.href")
    assert focused
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0] == focused.split("?")[0]


def test_search_opens_with_its_shortcut_and_closes_with_escape(page, static_browsing):
    page.goto(static_browsing.base_url)
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('input.md-search__input')")
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()


def test_the_text_version_of_a_map_opens_and_closes_with_the_keyboard(page, static_browsing):
    handbook = load_handbook(REPO)
    source = next(s for s in handbook.sorted_routines() if s.routine.diagram)
    page.goto(static_browsing.base_url + routine_url(source.routine))
    summary = "details.handbok-processtext-ruta > summary"
    _tab_to(page, summary)
    details = page.locator("details.handbok-processtext-ruta").first
    steps = details.locator("ol.handbok-processtext > li").first
    assert not details.evaluate("(d) => d.open") and not steps.is_visible()
    page.keyboard.press("Enter")
    assert details.evaluate("(d) => d.open") and steps.is_visible()
    page.keyboard.press(" ")
    assert not details.evaluate("(d) => d.open")
    # The focus stays where the reader is, visibly.
    assert page.evaluate("(s) => document.activeElement.matches(s)", summary)
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"


@pytest.fixture(scope="module")
def published(mike_dir, browser):
    server = StaticServer(mike_dir)
    browsing = Browsing(browser, server.url)
    yield browsing
    browsing.close()
    server.close()


def test_the_version_selector_works_with_the_keyboard(published):
    page = published.page
    page.goto(published.base_url + "2026.1/rutiner/")
    page.wait_for_selector(".md-version__current")
    _tab_to(page, ".md-version__current")
    assert page.locator(".md-version__list").is_visible()
    _tab_to(page, ".md-version__link[href$='/2025.2/']", from_top=False)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The same page in the chosen version.
    assert page.url == published.base_url + "2025.2/rutiner/"
    assert published.external_requests() == []


def test_escape_in_search_gives_the_focus_back(page, static_browsing):
    page.goto(static_browsing.base_url)
    link = page.locator("article a[href]:not(.headerlink)").first
    link.focus()
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("anvisning")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    target = link.evaluate("(a) => a.href")
    # From the query, from a result and from the result list itself.
    for move in ([], ["ArrowDown"], ["Tab"]):
        if not page.locator("#__search").is_checked():
            page.keyboard.press("/")
            page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        for key in move:
            page.keyboard.press(key)
        assert page.evaluate("() => Boolean(document.activeElement.closest('.md-search'))"), move
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.activeElement.closest('.md-search')")
        # Back where the reader was, not on the hidden list of results.
        assert not page.locator("#__search").is_checked(), move
        assert page.evaluate("() => document.activeElement.href") == target, move
        assert page.evaluate("() => document.activeElement.checkVisibility()"), move


def test_the_focused_search_result_is_plainly_marked(page, static_browsing):
    page.goto(static_browsing.base_url)
    _tab_to(page, "input.md-search__input")
    page.keyboard.type("uppföljningen")
    page.locator(".md-search-result__item a.md-search-result__link").first.wait_for(timeout=15_000)
    page.keyboard.press("ArrowDown")
    style = page.evaluate("""() => { const el = document.activeElement.closest('.md-search-result__link');
      const s = getComputedStyle(el); return [s.outlineStyle, parseFloat(s.outlineWidth), s.backgroundColor]; }""")
    assert style[0] == "solid" and style[1] >= 2, style


def test_a_map_opens_large_and_closes_with_the_keyboard(page, static_browsing):
    page.goto(static_browsing.base_url)
    page.wait_for_function("() => document.querySelector('.handbok-kartruta div.mermaid')")
    _tab_to(page, "[data-handbok-visa-storre]")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.handbok-kartdialog[open]")
    assert dialog.count() == 1 and dialog.locator("div.mermaid").count() == 1
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")
    assert dialog.get_by_role("button", name="Stäng").is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.handbok-kartdialog')")
    # The map is back in its box and the focus on the button that opened it.
    assert page.locator(".handbok-kartruta div.mermaid").count() >= 1
    assert page.evaluate("() => document.activeElement.matches('[data-handbok-visa-storre]')")


def test_the_open_version_list_leaves_its_button_visible(published):
    page = published.page
    page.goto(published.base_url + "2026.1/rutiner/")
    page.wait_for_selector(".md-version__current")
    _tab_to(page, ".md-version__current")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-version__list')).opacity === '1'")
    button = page.locator(".md-version__current").bounding_box()
    listing = page.locator(".md-version__list").bounding_box()
    assert listing["y"] >= button["y"] + button["height"] - 1, (button, listing)


def test_the_version_selector_marks_the_version_in_force(published):
    page = published.page
    page.goto(published.base_url + "2025.2/rutiner/")
    page.wait_for_selector(".md-version__link .handbok-gallande-markering", state="attached")
    labels = page.eval_on_selector_all(".md-version__link", "links => links.map(a => a.textContent.trim())")
    assert labels == ["2026.1 – gällande", "2025.2"]
    assert published.external_requests() == []

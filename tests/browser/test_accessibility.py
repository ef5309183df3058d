"""WCAG 2.1 A and AA with axe-core on every page, and in the states a reader opens."""

from __future__ import annotations

import pytest
from .browsing import WCAG_TAGS, search

pytestmark = pytest.mark.browser


def _describe(violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} – "
                         f"{node['failureSummary'].splitlines()[-1].strip()}")
    return lines


def _settle(page) -> None:
    """Wait until no CSS transition or animation runs: Material fades the search form (0.25 s)
    and its results (0.4 s) in, and axe must read the final colours, not mid-fade ones."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running'"
                           " || (a.effect && a.effect.getTiming().iterations === Infinity))")


def _axe(page) -> list[dict]:
    _settle(page)
    return page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)["violations"]


def test_every_page_has_no_wcag_21_aa_violations(static_visits):
    found = {url: _describe(visit.axe_violations) for url, visit in static_visits.items() if visit.axe_violations}
    assert found == {}


def test_axe_ran_on_every_page_with_its_rules(static_browsing, static_visits):
    # axe-core is loaded from node_modules into each page and runs its WCAG rules there.
    page = static_browsing.page
    assert page.evaluate("() => typeof axe === 'object' && axe.version") >= "4."
    rules = page.evaluate("(tags) => axe.getRules(tags).map(r => r.ruleId)", WCAG_TAGS)
    assert {"color-contrast", "image-alt", "label", "link-name", "html-has-lang"} <= set(rules)


def test_open_search_and_text_version_have_no_violations(static_browsing, static_visits):
    page = static_browsing.page
    static_browsing.visit("")
    results = search(page, "uppföljningen")
    assert results
    assert _describe(_axe(page)) == []
    page.keyboard.press("Escape")
    for details in page.locator("details.handbok-processtext-ruta").all():
        details.locator("summary").click()
    assert page.locator("details.handbok-processtext-ruta[open]").count() >= 1
    assert _describe(_axe(page)) == []


def test_search_dialog_has_an_accessible_name(static_browsing, static_visits):
    page = static_browsing.page
    static_browsing.visit("")
    dialog = page.locator("[data-md-component='search'][role='dialog']")
    assert dialog.get_attribute("aria-label") or dialog.get_attribute("aria-labelledby")
    assert page.get_by_role("dialog", name="Sök").count() == 1


def test_the_full_view_of_a_map_has_no_violations(static_browsing, static_visits):
    page = static_browsing.page
    static_browsing.visit("")
    page.locator("[data-handbok-visa-storre]").first.click()
    assert page.locator("dialog.handbok-kartdialog[open]").count() == 1
    assert _describe(_axe(page)) == []
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.handbok-kartdialog')")

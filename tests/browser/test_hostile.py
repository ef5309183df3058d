"""The hostile cases of issue 12 in Chromium: no editor's script runs, whatever the checker says.

The hostile handbook (``tests/hostile_cases.py``) is built with every check
bypassed, so the build's own sanitiser is the last line, and served by a
plain static server (no Content-Security-Policy header, as with ``make serve``
or any other web server). On every page, no script of an editor may write
its console marker, request its marker address or open a dialog, also when
every element of the content is clicked.
"""

from __future__ import annotations

import pytest

import hostile_cases
from .browsing import Browsing, StaticServer, page_urls

pytestmark = pytest.mark.browser

CLICK_EVERYTHING = """
() => {
  const found = [];
  // The handbook's own forms (the start page's search, the day lookup) would navigate away.
  document.addEventListener("submit", (event) => event.preventDefault(), true);
  for (const el of document.querySelectorAll("article *")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) found.push(el.tagName + " " + attr.name);
    }
    const href = el.getAttribute("href") || el.getAttribute("src") || "";
    if (/^\\s*javascript:/i.test(href)) found.push(el.tagName + " " + href);
    // Not a link, nor what is inside one (the edit button's icon): a link only navigates.
    if (!el.closest("a")) el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
  }
  found.push(...[...document.querySelectorAll("script:not([src])")]
    .filter((s) => !s.type || /javascript|module/.test(s.type)).map((s) => "inline " + s.textContent.slice(0, 60)));
  return found;
}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from mkdocs.exceptions import Abort

    from conftest import build_project, checks_bypassed
    from handbok import checks
    from test_safety_bypasses import site_project

    project = site_project(tmp_path_factory.mktemp("fientlig"))
    nav = [{"Start": "index.md"}, {"Rutiner": "rutiner/index.md"}, {"Fientlig": "fientlig.md"}]
    with checks_bypassed(*checks.RULES), pytest.raises(Abort):  # the sanitiser reports and stops the build
        build_project(project, nav=nav)
    return project / "site"


@pytest.fixture(scope="module")
def hostile_browsing(browser, hostile_site):
    server = StaticServer(hostile_site)
    browsing = Browsing(browser, server.url)
    browsing.console_all = []
    browsing.page.on("console", lambda message: browsing.console_all.append(message.text))
    yield browsing
    browsing.close()
    server.close()


def test_no_editor_script_runs_on_any_page(hostile_site, hostile_browsing):
    urls = page_urls(hostile_site)
    hostile = [f"rutiner/anvisning/{case.name}/" for case in hostile_cases.CASES if "/" not in case.name]
    assert set(hostile) <= set(urls) and "fientlig/" in urls
    leftovers = {}
    for url in urls:
        hostile_browsing.visit(url)
        found = hostile_browsing.page.evaluate(CLICK_EVERYTHING)
        hostile_browsing.page.wait_for_timeout(50)
        if found:
            leftovers[url] = found
    assert leftovers == {}
    assert [text for text in hostile_browsing.console_all if hostile_cases.MARKER in text] == []
    assert [url for url in hostile_browsing.all_requests if hostile_cases.MARKER in url] == []
    assert hostile_browsing.dialogs == []
    assert hostile_browsing.external_requests() == []  # the image from another host is gone too


def test_the_control_an_unsanitised_script_would_be_seen(hostile_browsing):
    """The recording works: a script that does run is seen by each of the three markers."""
    seen = len(hostile_browsing.console_all), len(hostile_browsing.all_requests), len(hostile_browsing.dialogs)
    hostile_browsing.visit("")
    hostile_browsing.page.evaluate(f"() => {{ {hostile_cases.CODE} }}")
    hostile_browsing.page.wait_for_timeout(200)
    assert any(hostile_cases.MARKER in text for text in hostile_browsing.console_all[seen[0]:])
    assert any(hostile_cases.MARKER in url for url in hostile_browsing.all_requests[seen[1]:])
    assert hostile_browsing.dialogs[seen[2]:] == [hostile_cases.MARKER]

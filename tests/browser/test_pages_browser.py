"""The registers and the print view in Chromium, on the 'sidor-register' fixture site.

Sorting and filtering of the routine register (register.js), and what a
routine looks like when printed: no navigation chrome, the metadata box, the
process map on one A4 page and its text version expanded. Uses the browser
suite's one Chromium (the ``browser`` fixture of this directory): a process
can run only one Playwright at a time.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import re
import threading
from pathlib import Path

import pytest
from handbok.core.generated import register_pages

pytestmark = pytest.mark.browser

MM = 96 / 25.4
REGISTER_NAV = [
    {"Start": "index.md"},
    {"Rutiner": "rutiner/index.md"},
    {"Register": ["register/index.md"] + [{p.title: p.uri} for p in register_pages()]},
]


def _fixture_helpers():
    # The name 'conftest' means this directory's file here; load tests/conftest.py by path.
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("handbok_tests_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_helpers = _fixture_helpers()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    project = _helpers.prepare_project("sidor-register", tmp_path_factory.mktemp("register-webb"))
    with _helpers.checks_bypassed("RH605"):  # its hostile values, shown as text (tests/test_pages_registers.py)
        site = _helpers.build_project(project, nav=REGISTER_NAV)  # built on FIXTURE_TODAY, 2026-11-25
    handler = functools.partial(QuietHandler, directory=str(site.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    # Material draws process maps in a closed shadow root; open it so the map can be measured.
    context.add_init_script("""(() => {
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) { return attach.call(this, Object.assign({}, init, {mode: "open"})); };
    })();""")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def register_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#handbok-rutinregister tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.rutin)")


def test_register_sorts_by_column_with_buttons_and_aria_sort(page, base_url):
    page.goto(base_url + "register/rutinregister/")
    header = page.locator("#handbok-rutinregister thead th", has_text="Nästa revidering")
    button = header.get_by_role("button", name="Nästa revidering", exact=True)
    assert header.get_attribute("aria-sort") is None

    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert register_ids(page) == ["upphavd-gammal", "forsenad-uppfoljning", "snart-lonestod", "anvisning-praktik",
                                  "farlig-rutin", "utkast-avslut"]
    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert register_ids(page)[0] == "utkast-avslut"

    # Versions sort as numbers, and only the sorted column carries aria-sort.
    page.get_by_role("button", name="Version", exact=True).click()
    assert header.get_attribute("aria-sort") is None
    ids = register_ids(page)
    assert ids.index("snart-lonestod") < ids.index("anvisning-praktik")  # 1.9 before 2.10
    # The buttons are reachable with the keyboard.
    page.get_by_role("button", name="Rutin", exact=True).focus()
    page.keyboard.press("Enter")
    assert register_ids(page)[:2] == ["anvisning-praktik", "utkast-avslut"]


def test_register_filter_is_labelled_and_announces_the_count(page, base_url):
    page.goto(base_url + "register/rutinregister/")
    field = page.get_by_label("Filtrera rutiner")
    assert field.is_visible()
    field.fill("enhetschef")
    assert sorted(register_ids(page)) == ["anvisning-praktik", "snart-lonestod"]
    status = page.locator("#handbok-rutinregister-antal")
    page.wait_for_function("document.getElementById('handbok-rutinregister-antal').textContent.startsWith('Visar')")
    assert status.text_content() == "Visar 2 av 6 rutiner."
    # Every word must match, in any column.
    field.fill("gällande lönestöd")
    assert sorted(register_ids(page)) == ["farlig-rutin", "snart-lonestod"]
    field.fill("finns inte")
    page.wait_for_function("document.getElementById('handbok-rutinregister-antal').textContent.startsWith('Ingen')")
    assert register_ids(page) == []
    field.fill("")
    assert len(register_ids(page)) == 6


def test_review_plan_is_rechecked_with_the_readers_date(page, base_url):
    # The fixture site was built on 2026-11-25; the reader opens it on 2027-07-10.
    page.clock.set_fixed_time("2027-07-10T09:00:00")
    page.goto(base_url + "register/revideringsplan/")
    rows = page.eval_on_selector_all(
        'table[data-handbok-tabell="revideringsplan"] tbody tr',
        "rows => rows.map(r => [r.querySelector('th a').textContent, r.dataset.lage,"
        " r.querySelector('.handbok-lage').textContent])")
    assert rows == [
        ["Uppföljning av praktik", "forsenad", "Försenad sedan 525 dagar"],
        ["Lönestöd", "forsenad", "Försenad sedan 202 dagar"],
        ["Anvisning till praktik", "forsenad", "Försenad sedan 40 dagar"],
        [page.evaluate("document.querySelectorAll('tbody th a')[3].textContent"), "snart",
         "Ska revideras inom 52 dagar"],
    ]
    summary = page.locator(".handbok-revideringsläge").text_content()
    assert summary == "Läget den 2027-07-10: 3 försenade revideringar, 1 rutin ska revideras inom 60 dagar."


def test_review_plan_keeps_the_build_days_states_on_that_day(page, base_url):
    page.clock.set_fixed_time("2026-11-25T09:00:00")
    page.goto(base_url + "register/revideringsplan/")
    assert page.locator(".handbok-revideringsläge time").text_content() == "2026-11-25"
    states = page.eval_on_selector_all('table[data-handbok-tabell="revideringsplan"] tbody tr',
                                       "rows => rows.map(r => r.dataset.lage)")
    assert states == ["forsenad", "snart", "i-tid", "i-tid"]


def print_state(page) -> dict:
    return page.evaluate("""() => {
      // checkVisibility() is false under display: none and inside a closed <details>.
      const shown = (selector) => [...document.querySelectorAll(selector)].some(
        (el) => el.checkVisibility() && el.getBoundingClientRect().height > 0);
      const map = document.querySelector(".handbok-processkarta .mermaid");
      const steps = document.querySelector("details.handbok-processtext-ruta ol.handbok-processtext");
      return {
        header: shown(".md-header"), sidebar: shown(".md-sidebar"), footer: shown(".md-footer"),
        search: shown(".md-search"), tags: shown(".md-tags"), printButton: shown("[data-handbok-skriv-ut]"),
        metadata: shown("section.handbok-metadata"),
        steps: Boolean(steps && steps.checkVisibility()),
        mapHeight: map ? map.getBoundingClientRect().height : 0,
        mapRendered: Boolean(map && map.shadowRoot && map.shadowRoot.querySelector("svg")),
      };
    }""")


def test_printed_routine_has_no_chrome_and_expanded_text_version(page, base_url):
    page.goto(base_url + "rutiner/anvisning/anvisning-praktik/")
    page.wait_for_function("() => { const m = document.querySelector('.handbok-processkarta .mermaid');"
                           " return m && m.shadowRoot && m.shadowRoot.querySelector('svg'); }")
    screen = print_state(page)
    assert screen["header"] and screen["sidebar"] and not screen["steps"]  # closed on screen

    # Print media alone (no script): chrome gone, text version open.
    page.emulate_media(media="print")
    printed = print_state(page)
    assert not any(printed[key] for key in ("header", "sidebar", "footer", "search", "tags", "printButton"))
    assert printed["metadata"] and printed["mapRendered"]
    assert printed["steps"]

    # As when printing: beforeprint fits the map on one A4 page, afterprint restores it.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert 0 < print_state(page)["mapHeight"] <= 225 * MM + 2
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert print_state(page)["mapHeight"] == pytest.approx(screen["mapHeight"], abs=1)


def test_routine_prints_to_a4_pdf(page, base_url):
    page.goto(base_url + "rutiner/anvisning/anvisning-praktik/")
    pdf = page.pdf(prefer_css_page_size=True)  # the page size comes from print.css, not from Playwright
    assert pdf.startswith(b"%PDF")
    boxes = [tuple(float(v) for v in match.groups())
             for match in re.finditer(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)]
    assert boxes, "no pages"
    # A4 is 210 × 297 mm: 595 × 842 points (Letter would be 612 × 792).
    for width, height in boxes:
        assert width == pytest.approx(595.3, abs=1.5) and height == pytest.approx(841.9, abs=1.5)

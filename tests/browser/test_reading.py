"""The handbook as staff read it: on a 1366 px desktop, a 390 px phone and a 320 px phone.

Every page of the real handbook is opened at the three widths and measured once;
the tests assert on what was measured: no page scrolls sideways, a routine page's
status, owner and next review are on the first screen, process-map labels are
readable (12 CSS px on the desktop, 10 on the phone), the steps of a routine are
not behind a map taller than the window, every link drawn in a map leads to a page,
and no internal id shows in the text. Material draws maps in a closed shadow root;
the contexts open it (``OPEN_SHADOW_ROOTS``) to measure the SVG. The buttons in a routine's
box are one size and do not touch.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from .browsing import OPEN_SHADOW_ROOTS, REPO

from handbok.core.addresses import routine_url
from handbok.core.loader import load_handbook

pytestmark = pytest.mark.browser

DESKTOP, PHONE, NARROW = "dator 1366×900", "telefon 390×844", "telefon 320×640"
CONTEXTS = {
    DESKTOP: {"viewport": {"width": 1366, "height": 900}},
    PHONE: {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
            "has_touch": True},
    NARROW: {"viewport": {"width": 320, "height": 640}},
}
SMALLEST_LABEL = {DESKTOP: 12, PHONE: 10, NARROW: 10}
FIRST_SCREEN = ("Status", "Rutinägare", "Nästa revidering")

MEASURE = """
(facts) => {
  const root = document.documentElement;
  const maps = [...document.querySelectorAll("div.mermaid")].map((host) => {
    const svg = (host.shadowRoot || host).querySelector("svg");
    if (!svg) { return null; }
    const view = svg.viewBox && svg.viewBox.baseVal;
    const scale = view && view.width ? svg.getBoundingClientRect().width / view.width : 1;
    const sizes = [...svg.querySelectorAll(".nodeLabel, .edgeLabel, .node text, .label text")]
      .filter((el) => (el.textContent || "").trim())
      .map((el) => parseFloat(getComputedStyle(el).fontSize) * scale);
    const box = host.closest(".handbok-kartruta");
    const figure = host.closest("figure");
    const text = figure && figure.nextElementSibling;
    return {
      smallest: sizes.length ? Math.min(...sizes) : null,
      box: box ? box.getBoundingClientRect().height : null,
      // From the top of the map to the end of its (closed) text version: what the reader scrolls past.
      section: figure && text ? text.getBoundingClientRect().bottom - figure.getBoundingClientRect().top : null,
      links: [...svg.querySelectorAll("a")].map((a) => a.getAttribute("href") || a.getAttribute("xlink:href"))
        .filter(Boolean),
    };
  });
  const metadata = document.querySelector("section.handbok-metadata");
  const first = {};
  if (metadata) {
    for (const div of metadata.querySelectorAll("dl > div")) {
      const label = div.querySelector("dt").textContent.replace(/\\s+/g, " ").trim();
      if (facts.includes(label)) {
        const dd = div.querySelector("dd").getBoundingClientRect();
        first[label] = { bottom: dd.bottom + window.scrollY, shown: div.checkVisibility() };
      }
    }
  }
  const buttons = metadata ? [...metadata.querySelectorAll(".md-button")].filter((b) => b.checkVisibility())
    .map((b) => { const r = b.getBoundingClientRect(); const range = document.createRange();
                  range.selectNodeContents(b);
                  const lines = new Set([...range.getClientRects()].map((line) => Math.round(line.top))).size;
                  return { text: b.textContent.trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                           lines, lineHeight: parseFloat(getComputedStyle(b).lineHeight) }; })
    : [];
  const steps = document.getElementById("arbetsgang");
  const measures = {
    sideways: root.scrollWidth - root.clientWidth,
    maps,
    first,
    buttons,
    stepsAt: steps ? steps.getBoundingClientRect().top + window.scrollY : null,
  };
  // The text as the reader can get it: with every collapsed part (text versions, roles) opened.
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  measures.text = document.body.innerText;
  measures.textVersions = [...document.querySelectorAll("ol.handbok-processtext")].map((o) => o.innerText);
  return measures;
}
"""


def _pages(site_dir) -> list[str]:
    urls = []
    for path in sorted(site_dir.rglob("index.html")):
        relative = path.relative_to(site_dir).as_posix()
        urls.append(relative[: -len("index.html")])
    return urls


@pytest.fixture(scope="module")
def measured(browser, static_server, site_dir):
    """Every page at every width: what the reader gets, measured once."""
    found: dict[str, dict[str, dict]] = {}
    for name, options in CONTEXTS.items():
        context = browser.new_context(locale="sv-SE", **options)
        context.add_init_script(OPEN_SHADOW_ROOTS)
        page = context.new_page()
        for url in _pages(site_dir):
            page.goto(static_server.url + url, wait_until="load")
            if page.locator("pre.mermaid, div.mermaid").count():
                page.wait_for_function(
                    "() => !document.querySelector('pre.mermaid') && [...document.querySelectorAll('div.mermaid')]"
                    ".every((host) => host.shadowRoot && host.shadowRoot.querySelector('svg'))", timeout=20_000)
            found.setdefault(url, {})[name] = page.evaluate(MEASURE, list(FIRST_SCREEN))
        context.close()
    return found


@pytest.fixture(scope="module")
def routine_pages() -> list[str]:
    handbook = load_handbook(REPO)
    return [routine_url(source.routine) for source in handbook.sorted_routines()]


@pytest.mark.parametrize("width", [DESKTOP, PHONE, NARROW])
def test_no_page_scrolls_sideways(measured, width):
    sideways = {url: widths[width]["sideways"] for url, widths in measured.items() if widths[width]["sideways"] > 1}
    assert sideways == {}, f"sidor som rullar i sidled ({width}), px för bred"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_status_owner_and_next_review_are_on_the_first_screen(measured, routine_pages, width):
    height = CONTEXTS[width]["viewport"]["height"]
    assert routine_pages
    for url in routine_pages:
        first = measured[url][width]["first"]
        assert set(first) == set(FIRST_SCREEN), (url, first)
        below = {label: round(fact["bottom"]) for label, fact in first.items()
                 if not fact["shown"] or fact["bottom"] > height}
        assert below == {}, f"{url}: under första skärmen ({width}, {height} px)"


@pytest.mark.parametrize("width", [DESKTOP, PHONE, NARROW])
def test_the_buttons_about_a_routine_are_one_size_and_apart(measured, routine_pages, width):
    assert routine_pages
    for url in routine_pages:
        buttons = measured[url][width]["buttons"]
        texts = [b["text"] for b in buttons]
        assert "Föreslå ändring" in texts and "Skriv ut rutinen" in texts, (url, width, texts)
        # The same height for one line of text (a long text may wrap on a narrow phone).
        heights = [b["bottom"] - b["top"] - (b["lines"] - 1) * b["lineHeight"] for b in buttons]
        assert max(heights) - min(heights) <= 1, (url, width, dict(zip(texts, heights)))
        for i, a in enumerate(buttons):
            for b in buttons[i + 1:]:
                apart = (a["right"] + 4 <= b["left"] or b["right"] + 4 <= a["left"]
                         or a["bottom"] + 4 <= b["top"] or b["bottom"] + 4 <= a["top"])
                assert apart, (url, width, a, b)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_map_labels_are_readable(measured, width):
    drawn = {url: [m for m in widths[width]["maps"] if m] for url, widths in measured.items()}
    drawn = {url: maps for url, maps in drawn.items() if maps}
    assert "" in drawn and len(drawn) >= 2, "processkartor på startsidan och rutinsidorna"
    too_small = {url: round(min(m["smallest"] for m in maps), 1) for url, maps in drawn.items()
                 if min(m["smallest"] for m in maps) < SMALLEST_LABEL[width] - 0.05}
    assert too_small == {}, f"minsta etikett i CSS px ({width}), minst {SMALLEST_LABEL[width]}"


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_steps_are_not_behind_a_tall_map(measured, routine_pages, width):
    height = CONTEXTS[width]["viewport"]["height"]
    for url in routine_pages:
        widths = measured[url][width]
        assert widths["maps"] and widths["stepsAt"] is not None, url
        for number, drawn in enumerate(widths["maps"], 1):
            # However large the map, its box, caption and text version take at most one screen:
            # the routine's own text follows (a larger map scrolls in its box or opens in full).
            assert drawn["box"] is not None and drawn["box"] <= height, (url, number, drawn["box"])
            assert drawn["section"] is not None and drawn["section"] <= height, (url, number, drawn["section"])


def test_every_link_in_every_drawn_map_leads_to_a_page(measured, static_server, browser):
    links = {(url, href) for url, widths in measured.items() for drawn in widths[DESKTOP]["maps"] if drawn
             for href in drawn["links"]}
    assert links, "kartan över kedjan har länkar"
    context = browser.new_context()
    broken = []
    try:
        for url, href in sorted(links):
            target = urljoin(static_server.url + url, href)
            if urlsplit(target).netloc != urlsplit(static_server.url).netloc:
                broken.append((url, href, "annan värd"))
                continue
            response = context.request.get(target)
            if response.status != 200 or "Sidan finns inte" in response.text():
                broken.append((url, href, response.status))
    finally:
        context.close()
    assert broken == []


def _internal_ids() -> re.Pattern:
    """Ids a reader should never see: audit findings, provisions, routines and roles (the ones
    that are not ordinary words)."""
    ids = set()
    for name in ("lagrum", "revisionsfynd", "roller"):
        ids |= {entry["id"] for entry in yaml.safe_load((REPO / "routines/register" / f"{name}.yml").read_text())}
    ids |= {path.stem for path in (REPO / "routines").glob("*.md")}
    ids = {i for i in ids if "-" in i}
    return re.compile(r"(?<![\w/#-])(" + "|".join(sorted(map(re.escape, ids), key=len, reverse=True)) + r")(?![\w/-])")


def test_no_internal_ids_in_the_text(measured):
    pattern = _internal_ids()
    found = {}
    for url, widths in measured.items():
        if url.startswith("redaktor/"):
            continue  # the editor guide shows ids on purpose
        hits = sorted(set(pattern.findall(widths[DESKTOP]["text"])))
        if hits:
            found[url] = hits
    assert found == {}


def test_sentences_of_the_text_versions_end_once(measured):
    # A step that ends with a question is not followed by a full stop ("?.").
    versions = {url: "\n".join(widths[DESKTOP]["textVersions"]) for url, widths in measured.items()}
    assert sum(1 for text in versions.values() if text) >= 2, "textversioner av kartorna"
    found = {url: text.count("?.") for url, text in versions.items() if "?." in text}
    assert found == {}
    assert {url for url, widths in measured.items() if "?." in widths[DESKTOP]["text"]} == set()

"""Every page of the real handbook in Chromium: maps, metadata, requests, console."""

from __future__ import annotations

import re

import pytest
from .browsing import MISSING_PAGE, REPO, diagram_problems

from handbok.core.addresses import routine_url
from handbok.core.loader import load_handbook

pytestmark = pytest.mark.browser


def _routine_urls() -> set[str]:
    handbook = load_handbook(REPO)
    return {routine_url(source.routine) for source in handbook.routines.values()}


def test_every_page_answers(static_visits, handbook_pages):
    statuses = {url: visit.status for url, visit in static_visits.items()}
    assert {url: status for url, status in statuses.items() if url != MISSING_PAGE and status != 200} == {}
    assert statuses[MISSING_PAGE] == 404
    # Every kind of page is in the scan.
    routine = sorted(_routine_urls())[0]
    for url in ("", "rutiner/", routine, "begrepp/", "redaktor/", "404.html"):
        assert url in handbook_pages, url


def test_every_process_map_renders(static_visits):
    problems = {url: diagram_problems(visit) for url, visit in static_visits.items()}
    assert {url: found for url, found in problems.items() if found} == {}
    rendered = sum(len(visit.diagrams) for visit in static_visits.values())
    # Each routine has a map, and the start page has the whole chain.
    assert rendered >= len(_routine_urls()) + 1


def test_every_process_map_has_its_text_version_under_it(static_visits):
    problems = []
    for url, visit in static_visits.items():
        for number, diagram in enumerate(visit.diagrams, 1):
            text = diagram["textVersion"]
            if text is None:
                problems.append(f"{url} karta {number}: ingen textversion under kartan")
                continue
            if not text["summary"].startswith("Processkartan som text") or text["steps"] == 0:
                problems.append(f"{url} karta {number}: textversionen saknar rubrik eller steg")
            # Every step drawn in the map is also in its text version.
            plain = re.sub(r"\s+", " ", text["text"])
            missing = [label for label in diagram["labels"] if re.sub(r"\s+", " ", label) not in plain]
            if missing:
                problems.append(f"{url} karta {number}: steg som saknas i texten: {missing}")
            if not diagram["labels"]:
                problems.append(f"{url} karta {number}: kartan har inga steg")
    assert problems == []


def test_links_in_drawn_maps_lead_to_the_routine_pages(static_visits, static_browsing):
    """The start page's map links its steps to the routines ('click … "rutin.md"' in the map)."""
    routines = {static_browsing.base_url + url for url in _routine_urls()}
    links = static_visits[""].diagrams[0]["links"]
    chart = load_handbook(REPO).diagram("oversikt.mmd")
    linked = {node for click in chart.clicks if click.action == "href" for node in click.nodes}
    assert linked and len(links) == len(linked) and set(links) <= routines, links
    for url, visit in static_visits.items():
        for diagram in visit.diagrams:
            assert all(link.startswith(static_browsing.base_url) and static_visits.get(
                link.removeprefix(static_browsing.base_url).split("#")[0]) is not None for link in diagram["links"]), url


def test_metadata_box_and_banners_are_visible_on_routines(static_visits):
    routines = _routine_urls()
    assert routines
    for url in routines:
        parts = static_visits[url].routine_parts
        boxes = [part for part in parts if part["kind"] == "metadata"]
        assert len(boxes) == 1 and boxes[0]["visible"] and boxes[0]["height"] > 0, url
        assert "Rutinägare" in boxes[0]["text"] and "Nästa revidering" in boxes[0]["text"], url
        for banner in (part for part in parts if part["kind"] == "banner"):
            # A banner is shown exactly when it is not hidden.
            assert banner["visible"] == (not banner["hidden"]), (url, banner)
            if not banner["hidden"]:
                assert banner["height"] > 0 and banner["text"], (url, banner)


def test_no_request_leaves_the_site(static_browsing, static_visits):
    requests = static_browsing.all_requests
    assert static_browsing.external_requests() == []
    # The recording sees what the pages load, the search worker's own requests included.
    loaded = " ".join(requests)
    for part in ("assets/vendor/mermaid/mermaid.min.js", "search/search_index.json", "assets/javascripts/sok.js",
                 "assets/javascripts/workers/search.", "assets/javascripts/lunr/min/lunr.sv.min.js"):
        assert part in loaded, part


def test_no_console_errors(static_visits, static_browsing):
    missing = static_browsing.base_url + MISSING_PAGE
    errors = {}
    for url, visit in static_visits.items():
        found = visit.console_errors + visit.page_errors
        if url == MISSING_PAGE:
            # The browser reports the 404 status of the document itself; nothing else may fail.
            found = [e for e in found if not (e.startswith("Failed to load resource") and e.endswith(f"({missing})"))]
        if found:
            errors[url] = found
    assert errors == {}


def test_a_map_that_does_not_render_is_reported(static_browsing, static_visits, site_dir):
    # The control for test_every_process_map_renders: a page whose map Mermaid
    # cannot draw keeps its pre.mermaid and raises an error, and the check says so.
    url = sorted(_routine_urls())[0]
    html = (site_dir / url / "index.html").read_text(encoding="utf-8")
    broken, count = re.subn(r'(<pre class="mermaid"><code>).*?(</code></pre>)',
                            r"\1flowchart TD\n  a[Början --&gt; ((\2", html, count=1, flags=re.DOTALL)
    assert count == 1
    page = static_browsing.new_page()
    try:
        page.route(static_browsing.base_url + url,
                   lambda route: route.fulfill(body=broken, content_type="text/html; charset=utf-8"))
        visit = static_browsing.start(url)
        page.goto(static_browsing.base_url + url, wait_until="load")
        static_browsing.settle_diagrams(page, visit, timeout=3_000)
        problems = diagram_problems(visit)
        assert any("pre.mermaid finns kvar" in p for p in problems), problems
        assert any(p.startswith("sidfel:") for p in problems), problems
    finally:
        static_browsing.current = None
        page.close()

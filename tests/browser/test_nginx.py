"""The site as users get it: nginx with the repository's configuration and headers."""

from __future__ import annotations

import re

import pytest
from .browsing import MISSING_PAGE, Browsing, diagram_problems, search

pytestmark = pytest.mark.browser


def _policy(headers: dict[str, str]) -> dict[str, list[str]]:
    policy = {}
    for directive in headers["content-security-policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def test_security_headers_on_every_response(nginx_visits):
    for url, visit in nginx_visits.items():
        headers = visit.headers
        assert "content-security-policy" in headers, url
        policy = _policy(headers)
        assert policy["script-src"] == ["'self'"], url  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy["default-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["object-src" if "object-src" in policy else "default-src"] == ["'none'"], url
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["referrer-policy"] == "no-referrer", url
        assert headers["x-frame-options"] == "DENY", url
        assert "server" not in headers or not re.search(r"\d", headers["server"]), url  # no version


def test_no_csp_violations_on_any_page(nginx_visits):
    found = {url: visit.csp_violations for url, visit in nginx_visits.items() if visit.csp_violations}
    assert found == {}


def test_pages_work_under_the_policy(nginx_visits, nginx_browsing):
    assert nginx_visits[MISSING_PAGE].status == 404
    assert {url: v.status for url, v in nginx_visits.items() if url != MISSING_PAGE and v.status != 200} == {}
    problems = {url: diagram_problems(visit) for url, visit in nginx_visits.items()}
    assert {url: found for url, found in problems.items() if found} == {}
    assert sum(len(visit.diagrams) for visit in nginx_visits.values()) > 0
    assert nginx_browsing.external_requests() == []
    missing = nginx_browsing.base_url + MISSING_PAGE
    errors = {}
    for url, visit in nginx_visits.items():
        found = [e for e in visit.console_errors + visit.page_errors
                 if not (url == MISSING_PAGE and e.endswith(f"({missing})"))]
        if found:
            errors[url] = found
    assert errors == {}


def test_search_works_under_the_policy(nginx_browsing, nginx_visits):
    page = nginx_browsing.page
    visit = nginx_browsing.visit("")
    results = search(page, "uppföljningen")
    assert any(result["marks"] for result in results)
    visit.csp_violations += page.evaluate("() => window.__cspViolations")
    assert visit.csp_violations == [] and visit.console_errors == []


def test_the_policy_blocks_an_injected_inline_script(nginx_browsing, nginx_visits):
    # The control: the recording above would see a violation, and the policy does stop inline code.
    page = nginx_browsing.page
    nginx_browsing.visit("")
    ran = page.evaluate("""() => new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", () => resolve(window.__injected === true), {once: true});
        const script = document.createElement("script");
        script.textContent = "window.__injected = true";
        document.body.append(script);
    })""")
    assert ran is False
    assert [v["directive"] for v in page.evaluate("() => window.__cspViolations")] == ["script-src-elem"]


def test_missing_page_gets_the_handbook_404_page(nginx_browsing, nginx_visits):
    page = nginx_browsing.page
    nginx_browsing.visit(MISSING_PAGE)
    assert page.locator("article h1").inner_text().strip() == "Sidan finns inte"
    assert page.locator("link[rel=stylesheet]").count() > 0
    assert page.evaluate("() => [...document.styleSheets].some(s => s.cssRules.length > 100)")


# -- the branch mike publishes: a folder per version, the version in force under /gallande/

@pytest.fixture(scope="module")
def mike_browsing(browser, mike_nginx):
    browsing = Browsing(browser, mike_nginx.url)
    yield browsing
    browsing.close()


def test_published_versions_work_through_nginx(mike_browsing):
    page = mike_browsing.page
    visits = {}
    # The start address goes to the version in force, without mike's inline-script page.
    visits[""] = mike_browsing.visit("")
    assert page.url == mike_browsing.base_url + "gallande/"
    assert page.locator(".md-version__current").is_visible()  # versions.json was read
    for url in ("2026.1/rutiner/", "gallande/begrepp/", "2025.2/", "rutiner/"):
        visits[url] = mike_browsing.visit(url)
        assert visits[url].status == 200, url
    # An address without a version shows the page of the version in force.
    assert page.locator("article h1").inner_text().strip().startswith("Rutiner")
    visits[MISSING_PAGE] = missing = mike_browsing.visit(MISSING_PAGE)
    assert missing.status == 404
    assert page.locator("article h1").inner_text().strip() == "Sidan finns inte"
    assert page.evaluate("() => [...document.styleSheets].some(s => s.cssRules.length > 100)")
    problems = {url: diagram_problems(visit) for url, visit in visits.items()}
    assert {url: found for url, found in problems.items() if found} == {}
    assert len(visits[""].diagrams) >= 1
    assert {url: visit.csp_violations for url, visit in visits.items() if visit.csp_violations} == {}
    # On the 404 page, the browser reports the status of the document, and of the
    # check whether the same page exists in the version in force (versioner.js).
    errors = {url: [e for e in v.console_errors + v.page_errors
                    if not (url == MISSING_PAGE and e.startswith("Failed to load resource")
                            and e.endswith(f"/{MISSING_PAGE})"))]
              for url, v in visits.items()}
    assert {url: found for url, found in errors.items() if found} == {}
    assert mike_browsing.external_requests() == []


# -- the large assets under load: precompressed, cached by kind, no errors ----------

def _large_assets(site_dir) -> dict[str, str]:
    """URL path -> the Cache-Control nginx must send for it."""
    assets = {
        "assets/vendor/mermaid/mermaid.min.js": "public, max-age=3600",
        "search/search_index.json": "no-cache",
    }
    for pattern in ("assets/javascripts/bundle.*.min.js", "assets/stylesheets/main.*.min.css",
                    "assets/javascripts/workers/search.*.min.js"):
        found = sorted(site_dir.glob(pattern))
        assert found, pattern
        assets[found[0].relative_to(site_dir).as_posix()] = "public, max-age=31536000, immutable"
    inline = sorted((site_dir / "assets" / "javascripts" / "inline").glob("*.js"))
    assert inline
    assets[inline[0].relative_to(site_dir).as_posix()] = "public, max-age=31536000, immutable"
    return assets


def _fetch(url: str, gzip_wanted: bool) -> tuple[int, dict, bytes]:
    import urllib.request

    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_wanted else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_large_assets_hold_50_concurrent_requests_precompressed(nginx, site_dir):
    """Behaviour under load, not speed: 50 requests at once, with and without gzip, all answered right."""
    import gzip
    from concurrent.futures import ThreadPoolExecutor

    assets = _large_assets(site_dir)
    jobs = [(path, index % 2 == 0) for index in range(50) for path in [list(assets)[index % len(assets)]]]
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda job: (job, _fetch(nginx.url + job[0], job[1])), jobs))
    assert len(results) == 50
    for (path, gzip_wanted), (status, headers, body) in results:
        original = (site_dir / path).read_bytes()
        assert status == 200, path
        assert headers.get("cache-control") == assets[path], (path, headers.get("cache-control"))
        if gzip_wanted:
            assert headers.get("content-encoding") == "gzip", path
            # gzip_static: the build's own .gz file is sent as it is (its length, not chunks).
            assert int(headers["content-length"]) == (site_dir / (path + ".gz")).stat().st_size, path
            assert gzip.decompress(body) == original, path
        else:
            assert "content-encoding" not in headers, path
            assert body == original, path


def test_pages_and_the_search_index_are_revalidated(nginx):
    for path in ("", "rutiner/", "404.html", "search/search_index.json"):
        status, headers, _ = _fetch(nginx.url + path, True)
        assert status == 200 and headers["cache-control"] == "no-cache", path


def test_the_routine_list_is_json_for_the_intranet_and_the_calendars_are_calendars(nginx):
    import json

    for path in ("api/rutiner.json", "api/rutiner.schema.json"):
        status, headers, body = _fetch(nginx.url + path, False)
        assert status == 200 and headers["content-type"] == "application/json", path
        assert headers["cache-control"] == "no-cache", path
        assert headers["access-control-allow-origin"] == "*", path  # the intranet's pages may read it
        assert json.loads(body), path
    status, headers, body = _fetch(nginx.url + "api/rutiner.json", True)
    assert headers.get("content-encoding") == "gzip"
    status, headers, body = _fetch(nginx.url + "revideringar.ics", False)
    assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert headers["content-security-policy"]  # the server's headers reach the calendar's location too
    for path in ("", "rutiner/", "search/search_index.json"):
        _, headers, _ = _fetch(nginx.url + path, False)
        assert "access-control-allow-origin" not in headers, path


def test_no_source_maps_and_well_known_is_served(nginx, site_dir):
    import urllib.error

    maps = sorted(site_dir.glob("assets/javascripts/*.map")) + sorted(site_dir.glob("assets/stylesheets/*.map"))
    assert maps, "Material ships source maps beside its bundles"
    for path in maps[:2]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            _fetch(nginx.url + path.relative_to(site_dir).as_posix(), False)
        assert refused.value.code == 404
    well_known = site_dir / ".well-known"
    well_known.mkdir(exist_ok=True)
    (well_known / "security.txt").write_text("Contact: mailto:it-sakerhet@kommunen.se\n", encoding="utf-8")
    status, _, body = _fetch(nginx.url + ".well-known/security.txt", False)
    assert status == 200 and body.startswith(b"Contact:")
    with pytest.raises(urllib.error.HTTPError) as hidden:
        _fetch(nginx.url + ".git/config", False)
    assert hidden.value.code == 404

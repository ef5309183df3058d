"""Fixtures of the browser tests (helpers in ``browsing.py``).

One session builds the repository's real handbook once with MkDocs' API into a
temporary directory, serves it from a static server in a thread and from
Debian's nginx with the repository's configuration, and drives one Chromium.
Every page is visited once per server; the tests assert on what was recorded.
Figures (pages, axe violations, external requests, CSP violations) are printed
at the end of the run.

The fixtures are package-scoped: Playwright's sync API allows one instance at
a time, so the browser is closed before other test modules start their own.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml
from .browsing import (AXE, CHROMIUM, CHROMIUM_ARGS, MISSING_PAGE, REPO, Browsing, Nginx, StaticServer,
                      build_site, page_urls)

FIGURES: dict[str, object] = {}


@pytest.fixture(scope="package")
def site_dir(tmp_path_factory) -> Path:
    """The repository's handbook, built once for all browser tests."""
    started = time.monotonic()
    site = build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("handbok-webb") / "site")
    FIGURES["bygge (s)"] = round(time.monotonic() - started, 1)
    return site


@pytest.fixture(scope="package")
def handbook_pages(site_dir) -> list[str]:
    """Every page of the built handbook (URL paths relative to the site root)."""
    return page_urls(site_dir)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml has !!python/name tags; only plain settings are read here."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mike_configured() -> bool:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    return ((config.get("extra") or {}).get("version") or {}).get("provider") == "mike"


@pytest.fixture(scope="package")
def mike_dir(tmp_path_factory) -> Path:
    """The handbook as mike publishes it: a folder per version (and the alias) beside versions.json."""
    if not mike_configured():
        pytest.skip("ingen versionsväljare: mkdocs.yml har inte extra.version.provider: mike")
    root = tmp_path_factory.mktemp("mike")
    previous = os.environ.get("MIKE_DOCS_VERSION")
    os.environ["MIKE_DOCS_VERSION"] = "2026.1"  # what mike sets while it builds a version
    try:
        build_site(REPO / "mkdocs.yml", root / "2026.1")
    finally:
        if previous is None:
            del os.environ["MIKE_DOCS_VERSION"]
        else:
            os.environ["MIKE_DOCS_VERSION"] = previous
    shutil.copytree(root / "2026.1", root / "2025.2")
    shutil.copytree(root / "2026.1", root / "gallande")  # mike --alias-type copy
    (root / "versions.json").write_text(json.dumps([
        {"version": "2026.1", "title": "2026.1", "aliases": ["gallande"]},
        {"version": "2025.2", "title": "2025.2", "aliases": []},
    ]), encoding="utf-8")
    # mike's own start page: a redirect with an inline script (nginx answers "/" itself).
    (root / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Redirecting</title>'
        '<script>window.location.replace("gallande/")</script></head>'
        '<body>Redirecting to <a href="gallande/">gallande/</a>...</body></html>', encoding="utf-8")
    return root


@pytest.fixture(scope="package")
def static_server(site_dir):
    server = StaticServer(site_dir)
    yield server
    server.close()


@pytest.fixture(scope="package")
def nginx(site_dir, tmp_path_factory):
    executable = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(executable).is_file():
        pytest.fail("nginx saknas: kör 'make system-deps' (installerar Debians nginx)")
    server = Nginx(executable, site_dir, tmp_path_factory.mktemp("nginx"))
    yield server
    server.close()


def _missing_programs() -> list[str]:
    """What the browser tests need from the machine and the machine lacks, with how to install it."""
    missing = []
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium saknas ({CHROMIUM}). Installera Debians chromium: sudo apt-get install chromium")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").is_file()):
        missing.append("nginx saknas. Installera Debians nginx: sudo apt-get install nginx")
    if not AXE.is_file():
        missing.append("axe-core saknas i node_modules/. Installera npm-paketen: make node-deps")
    return missing


def pytest_collection_modifyitems(session, config, items):
    """One clear message before any browser test runs, instead of an error per test."""
    if not any(item.get_closest_marker("browser") for item in items):
        return
    missing = _missing_programs()
    if missing:
        pytest.exit("Webbläsartesterna kan inte köras:\n  " + "\n  ".join(missing)
                    + "\n('make test' installerar allt detta själv; 'make test-fast' hoppar över webbläsartesterna.)",
                    returncode=3)


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} saknas: kör 'make system-deps' (installerar Debians chromium)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core saknas i node_modules/: kör 'make node-deps' (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="package")
def static_browsing(browser, static_server, axe_source):
    browsing = Browsing(browser, static_server.url, axe=axe_source)
    yield browsing
    FIGURES["externa anrop (statisk server)"] = len(browsing.external_requests())
    browsing.close()


@pytest.fixture(scope="package")
def static_visits(static_browsing, handbook_pages):
    """Every page of the handbook, and the 404 page, loaded once with axe-core run on each."""
    visits = {url: static_browsing.visit(url, axe=True) for url in handbook_pages + [MISSING_PAGE]}
    FIGURES["sidor granskade (statisk server, med axe-core)"] = len(visits)
    FIGURES["axe-överträdelser WCAG 2.1 A/AA (element)"] = sum(
        len(violation["nodes"]) for visit in visits.values() for violation in visit.axe_violations)
    return visits


@pytest.fixture(scope="package")
def mike_nginx(mike_dir, tmp_path_factory):
    server = Nginx(shutil.which("nginx") or "/usr/sbin/nginx", mike_dir, tmp_path_factory.mktemp("nginx-mike"))
    yield server
    server.close()


@pytest.fixture(scope="package")
def nginx_browsing(browser, nginx):
    browsing = Browsing(browser, nginx.url)
    yield browsing
    FIGURES["externa anrop (nginx)"] = len(browsing.external_requests())
    browsing.close()


@pytest.fixture(scope="package")
def nginx_visits(nginx_browsing, handbook_pages):
    """Every page, and the 404 page, loaded once through nginx with the repository's headers."""
    visits = {url: nginx_browsing.visit(url) for url in handbook_pages + [MISSING_PAGE]}
    FIGURES["sidor granskade (nginx)"] = len(visits)
    FIGURES["CSP-överträdelser (nginx)"] = sum(len(visit.csp_violations) for visit in visits.values())
    return visits


@pytest.fixture(scope="package")
def grund_browsing(browser, grund_site):
    """The 'grund' fixture site (a routine with <script> and quotes in its fields) in the browser."""
    server = StaticServer(grund_site.site_dir)
    browsing = Browsing(browser, server.url)
    yield browsing
    browsing.close()
    server.close()


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    terminalreporter.section("webbläsartester: mätvärden")
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name}: {value}")
    terminalreporter.write_line("json: " + json.dumps(FIGURES, ensure_ascii=False))

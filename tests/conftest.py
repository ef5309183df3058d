"""Shared test helpers: build real fixture sites with MkDocs and read the HTML."""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# The suite runs on MkDocs by default and on ProperDocs (the maintained MkDocs fork)
# with HANDBOK_ENGINE=properdocs (make test-properdocs). ProperDocs' own command line
# redirects every 'mkdocs.*' import to 'properdocs.*'; the tests import MkDocs' API
# directly, so they ask for the same redirection here, before anything imports it.
ENGINE = os.environ.get("HANDBOK_ENGINE", "mkdocs")
if ENGINE == "properdocs":
    import properdocs.replacement  # noqa: F401
elif ENGINE != "mkdocs":
    raise pytest.UsageError(f"HANDBOK_ENGINE={ENGINE}: välj mkdocs eller properdocs")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The fixed day the fixture sites are built on, so date logic is reproducible.
FIXTURE_TODAY = "2026-11-25"

# The day the repository's own routines were last brought up to date; tests that
# check or build the real handbook run on this day, whatever the machine's clock says.
CONTENT_DAY = "2026-12-01"

# Nothing a test does reads or writes the developer's own cache (~/.cache/handbok):
# session-wide fixtures (the fixture sites) get this folder, and every test its own below.
os.environ["HANDBOK_CACHE"] = tempfile.mkdtemp(prefix="handbok-test-cache-")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """Each test gets an empty cache of its own, so no test depends on what another cached."""
    monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path / "handbok-cache"))


class Site:
    """A built site: read pages as parsed HTML."""

    def __init__(self, root: Path):
        self.root = root
        self.site_dir = root / "site"

    def path(self, url: str) -> Path:
        url = url.strip("/")
        candidate = self.site_dir / url
        # A page's URL is its folder; a file (.html, .ics, .xml, .json …) is itself.
        return candidate if Path(url).suffix else candidate / "index.html"

    def html(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(url), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.site_dir.rglob("*.html"))


def prepare_project(name: str, tmp_path: Path) -> Path:
    """Copy fixture ``name`` into tmp_path beside the repo's theme and config."""
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    (project / "overrides").symlink_to(REPO / "overrides")
    (project / "scripts").symlink_to(REPO / "scripts")
    docs = project / "docs"
    docs.mkdir(exist_ok=True)
    # A copy, not a link: the build refuses files that link out of the handbook (RH009).
    shutil.copytree(REPO / "docs" / "assets", docs / "assets")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def build_project(project: Path, *, nav: list | None = None, today: str = FIXTURE_TODAY, strict: bool = True,
                  site_dir: str = "site", config: dict | None = None, **plugin_options) -> Site:
    """Build a project directory with MkDocs' own API, like ``mkdocs build``.

    ``config`` overrides settings of mkdocs.yml (e.g. ``repo_url``); other keyword
    arguments are options of the handbok plugin."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides = {"site_dir": str(project / site_dir), "strict": strict, **(config or {})}
    overrides["nav"] = nav if nav is not None else [{"Start": "index.md"}, {"Rutiner": "rutiner/index.md"}]
    loaded = load_config(str(project / "mkdocs.yml"), **overrides)
    loaded.plugins["handbok"].config.today = today
    for name, value in plugin_options.items():
        loaded.plugins["handbok"].config[name] = value
    try:
        build(loaded)
    finally:
        loaded.plugins.on_shutdown()
    site = Site(project)
    site.site_dir = project / site_dir
    # The plugin's state after the build, for tests that read it: a copy, since MkDocs keeps one
    # instance of a plugin with on_startup from build to build in a process (for 'mkdocs serve').
    site.plugin = copy.copy(loaded.plugins["handbok"])
    return site


@contextlib.contextmanager
def checks_bypassed(*codes: str):
    """The build without the named rules, so that what they would stop reaches the pages
    (to show that the page's own escaping and sanitising are the last line)."""
    from handbok.checks import registry

    removed = {code: registry.RULES.pop(code) for code in codes}
    try:
        yield
    finally:
        registry.RULES.update(removed)


@pytest.fixture(scope="session")
def grund_site(tmp_path_factory) -> Site:
    """The 'grund' fixture: one routine of each status, hostile values, a diagram.

    ``farlig-rutin`` has scripts and markup in its fields: an error for the checker
    (RH605), bypassed here so that the tests see them shown as text on every page."""
    project = prepare_project("grund", tmp_path_factory.mktemp("grund"))
    with checks_bypassed("RH605"):
        return build_project(project)

""""Föreslå ändring" opens a routine's own file in the forge; "Senast ändrad" and the
sitemap's lastmod come from git, with a clear fallback when there is no history."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import checks_bypassed, FIXTURE_TODAY, build_project, prepare_project

GITLAB = "https://git.kommunen.se/ifo/rutinhandboken"


def build_grund(project, **options):
    """The 'grund' fixture has a hostile routine (RH605): bypassed, as its own site tests do."""
    with checks_bypassed("RH605"):
        return build_project(project, **options)


def _git(project: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Redaktör", "GIT_AUTHOR_EMAIL": "redaktor@kommunen.se",
           "GIT_COMMITTER_NAME": "Redaktör", "GIT_COMMITTER_EMAIL": "redaktor@kommunen.se"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00"
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def versioned(tmp_path) -> Path:
    """The 'grund' fixture in a git repository: everything committed 2026-05-04, the start page
    changed again 2026-06-10."""
    project = prepare_project("grund", tmp_path)
    (project / ".gitignore").write_text("site/\n", encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Handboken", date="2026-05-04")
    start = project / "docs" / "index.md"
    start.write_text(start.read_text(encoding="utf-8") + "\nNy mening.\n", encoding="utf-8")
    _git(project, "commit", "-q", "-am", "Startsidan", date="2026-06-10")
    return project


def _lastmod(site) -> dict[str, str]:
    """Page address -> lastmod ('' when none) from the built sitemap, read as XML."""
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(site.site_dir / "sitemap.xml").getroot()
    return {url.findtext("s:loc", namespaces=ns).split("/", 3)[-1]: url.findtext("s:lastmod", "", namespaces=ns)
            for url in root.findall("s:url", ns)}


def _box_value(soup, label: str) -> str:
    term = next(dt for dt in soup.select(".handbok-metadata dt") if dt.get_text(strip=True) == label)
    return term.find_next_sibling("dd").get_text(" ", strip=True)


def test_last_changed_and_lastmod_come_from_git(versioned):
    site = build_grund(versioned)
    routine = site.soup("rutiner/anvisning/gallande-rutin/")
    assert _box_value(routine, "Senast ändrad") == "2026-05-04"
    lastmod = _lastmod(site)
    assert lastmod["rutiner/anvisning/gallande-rutin/"] == "2026-05-04"
    assert lastmod[""] == "2026-06-10"  # the start page changed later than the routines
    assert lastmod["rutiner/"] == "2026-05-04"  # a generated page: when its sources last changed
    assert FIXTURE_TODAY not in lastmod.values()  # never the build date


def test_an_uncommitted_edit_is_shown_as_such(versioned):
    path = versioned / "routines" / "utkast-rutin.md"  # a draft: editing it needs no new version
    path.write_text(path.read_text(encoding="utf-8").replace("Utkast till uppföljning.", "Ett utkast till uppföljning."),
                    encoding="utf-8")
    site = build_grund(versioned)
    routine = site.soup("rutiner/uppfoljning/utkast-rutin/")
    assert _box_value(routine, "Senast ändrad") == f"{FIXTURE_TODAY} (ändringen är inte incheckad)"
    assert _lastmod(site)["rutiner/uppfoljning/utkast-rutin/"] == FIXTURE_TODAY
    assert _lastmod(site)["rutiner/anvisning/gallande-rutin/"] == "2026-05-04"


def test_without_git_history_the_page_says_so_and_the_sitemap_has_no_date(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path))
    routine = site.soup("rutiner/anvisning/gallande-rutin/")
    assert _box_value(routine, "Senast ändrad") == "uppgift saknas: handboken byggdes utan versionshistorik"
    assert set(_lastmod(site).values()) == {""}


def test_propose_a_change_opens_the_routine_and_its_map_in_gitlab(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path))  # the repository's mkdocs.yml: GitLab
    routine = site.soup("rutiner/anvisning/gallande-rutin/")
    buttons = {a.get_text(strip=True): a["href"] for a in routine.select(".handbok-metadata__andra a")}
    assert buttons == {
        "Föreslå ändring": f"{GITLAB}/-/edit/main/routines/gallande-rutin.md",
        "Föreslå ändring av processkartan": f"{GITLAB}/-/edit/main/diagrams/flode.mmd",
    }
    # Material's own edit action points at the routine's file too, not at a generated page.
    assert routine.select_one('a.md-content__button[rel="edit"]')["href"] == buttons["Föreslå ändring"]


def test_generated_pages_edit_the_register_they_come_from_or_nothing(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path), nav=[{"Start": "index.md"}, {"Begrepp": "begrepp.md"},
                                                                     {"Rutiner": "rutiner/index.md"}])
    glossary = site.soup("begrepp/").select_one('a.md-content__button[rel="edit"]')
    assert glossary["href"] == f"{GITLAB}/-/edit/main/routines/register/begrepp.yml"
    assert site.soup("rutiner/").select_one('a[rel="edit"]') is None
    start = site.soup("").select_one('a.md-content__button[rel="edit"]')
    assert start["href"] == f"{GITLAB}/-/edit/main/docs/index.md"


def test_propose_a_change_on_github(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path),
                         config={"repo_url": "https://github.com/kommunen/rutinhandboken", "edit_uri": "edit/main/docs/"})
    routine = site.soup("rutiner/anvisning/gallande-rutin/")
    hrefs = [a["href"] for a in routine.select(".handbok-metadata__andra a")]
    assert hrefs == ["https://github.com/kommunen/rutinhandboken/edit/main/routines/gallande-rutin.md",
                     "https://github.com/kommunen/rutinhandboken/edit/main/diagrams/flode.mmd"]


def test_without_a_forge_there_is_no_button(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path), config={"repo_url": "", "edit_uri": ""})
    routine = site.soup("rutiner/anvisning/gallande-rutin/")
    assert routine.select(".handbok-metadata__andra a") == [] and routine.select('a[rel="edit"]') == []


def test_the_repository_link_does_not_ask_the_forge_for_anything(tmp_path):
    """Material's source component fetches stars and forks from GitHub/GitLab in the browser."""
    site = build_grund(prepare_project("grund", tmp_path),
                         config={"repo_url": "https://github.com/kommunen/rutinhandboken", "edit_uri": "edit/main/docs/"})
    link = site.soup("").select_one("a.md-source")
    assert link["href"] == "https://github.com/kommunen/rutinhandboken"
    assert link.get("data-md-component") is None

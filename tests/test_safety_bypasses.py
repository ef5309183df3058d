"""Every way a script or handler got past the checker before (issue 12) is now found.

The hostile cases (``hostile_cases.py``) are written into the clean handbook;
``handbok check`` must report each at its file and line, and the build, with
the checks bypassed, must remove each from the page and report it the same
way, so that its own sanitiser is the last line.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

import hostile_cases
from conftest import FIXTURE_TODAY, REPO, build_project, checks_bypassed
from handbok import checks
from handbok.cli import main

FINDING = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):\d+: fel (?P<code>RH\d{3}) ")


@pytest.fixture
def project(tmp_path):
    return hostile_cases.write_project(tmp_path / "handbok")


def findings(output: str) -> set[tuple[str, int, str]]:
    return {(m["file"], int(m["line"]), m["code"]) for m in map(FINDING.match, output.splitlines()) if m}


def test_handbok_check_finds_every_case_at_its_line(project):
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", FIXTURE_TODAY])
    assert result.exit_code == 1
    expected = hostile_cases.expected_lines(project)
    assert expected <= findings(result.output), result.output
    # Nothing else is reported: no finding on a line that holds no hostile text.
    assert findings(result.output) - expected == set(), result.output


@pytest.mark.parametrize("case", hostile_cases.CASES, ids=[case.name for case in hostile_cases.CASES])
def test_each_case_alone_is_an_error(tmp_path, case):
    project = tmp_path / "handbok"
    hostile_cases.write_project(project)
    # Only this case: the others and the hostile glossary entry are removed again.
    for other in hostile_cases.CASES:
        if other is not case:
            (project / hostile_cases.file_of(other)).unlink()
    (project / "routines" / "register" / "begrepp.yml").write_text(
        (hostile_cases.BASE / "routines" / "register" / "begrepp.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", FIXTURE_TODAY])
    assert result.exit_code == 1, result.output
    assert {code for _, _, code in findings(result.output)} == {code for code, _ in case.expected}


def site_project(tmp_path):
    """The hostile handbook as a site project (the repository's theme and mkdocs.yml)."""
    import shutil

    project = hostile_cases.write_project(tmp_path / "fientlig")
    (project / "overrides").symlink_to(REPO / "overrides")
    (project / "scripts").symlink_to(REPO / "scripts")
    shutil.copytree(REPO / "docs" / "assets", project / "docs" / "assets")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def build_bypassed(project, caplog):
    """Build with every rule bypassed: the sanitiser removes, reports, and stops the build at the end."""
    from mkdocs.exceptions import Abort

    nav = [{"Start": "index.md"}, {"Rutiner": "rutiner/index.md"}, {"Fientlig": "fientlig.md"}]
    with checks_bypassed(*checks.RULES), pytest.raises(Abort):
        build_project(project, nav=nav)
    return project / "site"


def test_the_builds_sanitiser_removes_and_reports_every_case(tmp_path, caplog):
    project = site_project(tmp_path)
    site = build_bypassed(project, caplog)
    assert "Säkerhetsfiltret tog bort" in caplog.text
    reported = findings("\n".join(record.getMessage() for record in caplog.records))
    body_cases = {(file, line, code) for file, line, code in hostile_cases.expected_lines(project)
                  if not file.startswith("routines/register/")}
    assert body_cases <= reported, caplog.text
    # Every page is written, and none holds anything of the editor's scripts or handlers.
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > len(hostile_cases.CASES)
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert hostile_cases.MARKER not in str(soup.select("script")), page
        for element in soup.find_all(True):
            assert not [name for name in element.attrs if name.startswith("on")], (page, str(element)[:80])
            for name in ("href", "src"):
                assert not str(element.get(name, "")).lower().startswith("javascript:"), (page, str(element)[:80])
        assert not soup.select("article style"), page
        assert not soup.select("article img[src^='http'], article img[src^='//']"), page
    for script in (site / "assets" / "javascripts" / "inline").glob("*.js"):
        assert hostile_cases.MARKER not in script.read_text(encoding="utf-8"), script


def test_a_glossary_abbreviation_cannot_end_its_line(tmp_path, caplog):
    """'TBX\\n\\n<script>…' in the glossary once put the script on every page; now it is one line of text."""
    project = site_project(tmp_path)
    site = build_bypassed(project, caplog)
    soup = BeautifulSoup((site / "rutiner" / "anvisning" / "anvisning-praktik" / "index.html")
                         .read_text(encoding="utf-8"), "html.parser")
    assert hostile_cases.MARKER not in str(soup.select("script"))
    assert hostile_cases.CODE not in soup.get_text()  # the abbreviation is never defined in the page text


def test_files_linked_from_outside_are_not_published(tmp_path, monkeypatch):
    """Even with every finding ignored, a routine or page that links out of the handbook is not on the site."""
    from handbok.mkdocs_plugin import plugin
    from handbok.problems import ProblemList

    project = site_project(tmp_path)
    outside = tmp_path / "utanfor"
    outside.mkdir()
    (outside / "hemlig.md").write_text("# Hemlig\n\nHEMLIG-TEXT utanför handboken.\n", encoding="utf-8")
    routine = project / "routines" / "uppfoljning-praktik.md"
    (outside / "rutin.md").write_text(routine.read_text(encoding="utf-8").replace("## Syfte", "## Syfte\n\nHEMLIG-TEXT"),
                                      encoding="utf-8")
    routine.unlink()
    routine.symlink_to(outside / "rutin.md")
    (project / "docs" / "hemlig.md").symlink_to(outside / "hemlig.md")
    for case in hostile_cases.CASES:  # only the links here
        (project / hostile_cases.file_of(case)).unlink()
    (project / "routines" / "register" / "begrepp.yml").write_text(
        (hostile_cases.BASE / "routines" / "register" / "begrepp.yml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(plugin, "run_checks", lambda *args, **kwargs: ProblemList())
    site = build_project(project, strict=False).site_dir
    assert (site / "index.html").is_file()
    assert not (site / "hemlig").exists() and not (site / "hemlig.html").exists()
    assert not (site / "rutiner" / "uppfoljning" / "uppfoljning-praktik").exists()
    assert not [path for path in site.rglob("*") if path.is_file() and path.suffix in (".html", ".json")
                and "HEMLIG-TEXT" in path.read_text(encoding="utf-8", errors="replace")]

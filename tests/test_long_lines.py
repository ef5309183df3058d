"""Hostile sizes: a 200 KB line is checked and built in reasonable time, with a located finding.

Python-Markdown scans ahead from each ``[``, ``(``, ``<`` and backtick, so a
line of 45 000 ``[`` took it minutes; the checker's own patterns were
quadratic on such lines too. ``core.markdown_text.markdown_work`` counts that
work in one pass and ``handbok check`` refuses a text that asks too much of
it (RH011), so the build stops before Markdown sees it. These tests are not
timed: the subprocess timeouts are generous guards against a hang, and the
work itself is asserted as an operation count.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import hostile_cases
from conftest import FIXTURE_TODAY, REPO
from handbok.core.markdown_text import MARKDOWN_WORK_LIMIT, markdown_work

SIZE = 200_000
SHAPES = {
    "ord": "ord " * (SIZE // 4),
    "hakparenteser": "[" * SIZE,
    "lanktext": "[a](" * (SIZE // 4),
    "bakatfnuttar": "``x`" * (SIZE // 4),
    "kodspann": "`x` " * (SIZE // 4),
    "taggar": "<b>x</b> " * (SIZE // 9),
    "emfas": "*a " * (SIZE // 3),
    "klamrar": "{" * SIZE,
    "snedstreck": "\\" * SIZE,
    "mellanslag": "a" + " " * SIZE + "b",
    "rubrik": "## " + "*a " * (SIZE // 3) + " {#x" * 1000,
}
ROUTINE = "routines/uppfoljning-praktik.md"
GUARD = 300  # seconds: only against a hang; each run takes a few seconds


def project_with(tmp_path, text: str):
    project = tmp_path / "handbok"
    shutil.copytree(hostile_cases.BASE, project)
    path = project / ROUTINE
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n" + text + "\n", encoding="utf-8")
    return project, original.count("\n") + 2


def check(project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from handbok.cli import main; main()", "--rot", str(project),
                           "check", "--datum", FIXTURE_TODAY], capture_output=True, text=True, timeout=GUARD)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_200_kb_line_is_checked_with_a_located_finding(tmp_path, shape):
    project, line = project_with(tmp_path, SHAPES[shape])
    result = check(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (f"{ROUTINE}:{line}:1: fel RH011 rutinen har ett stycke som är för stort för Markdown-tolken "
            "(mycket långa rader med många [, (, < eller `)") in result.stdout.splitlines(), result.stdout


def site_project(project):
    (project / "overrides").symlink_to(REPO / "overrides")
    (project / "scripts").symlink_to(REPO / "scripts")
    shutil.copytree(REPO / "docs" / "assets", project / "docs" / "assets")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def build(project) -> subprocess.CompletedProcess:
    code = ("import logging; logging.basicConfig(level=logging.INFO); "
            "from mkdocs.commands.build import build; from mkdocs.config import load_config; "
            f"c = load_config({str(project / 'mkdocs.yml')!r}, strict=True, "
            "nav=[{'Start': 'index.md'}, {'Rutiner': 'rutiner/index.md'}]); "
            f"c.plugins['handbok'].config.today = {FIXTURE_TODAY!r}; build(c)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=GUARD, cwd=project)


def test_the_build_stops_at_once_on_a_200_kb_line(tmp_path):
    project, line = project_with(tmp_path, SHAPES["hakparenteser"])
    result = build(site_project(project))
    assert result.returncode != 0
    assert f"{ROUTINE}:{line}:1: fel RH011 " in result.stderr, result.stderr[-2000:]
    assert not (project / "site" / "rutiner").exists()


def ordinary_text(size: int) -> str:
    """Long but ordinary text: paragraphs with links, code, emphasis and a little HTML."""
    paragraph = ("Handläggaren följer [uppföljningsrutinen](anvisning-praktik.md) och noterar `beslut` i "
                 "journalen. Det *viktiga* är att **planen** följs upp (varje månad) och att <abbr title=\"x\">AF</abbr> "
                 "får besked.\n\n")
    return paragraph * (size // len(paragraph))


def test_a_long_ordinary_routine_checks_and_builds(tmp_path):
    project, _ = project_with(tmp_path, ordinary_text(SIZE))
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert [line.split()[2] for line in result.stdout.splitlines() if " RH" in line and not line.startswith(" ")] \
        == ["RH610"]
    built = build(site_project(project))
    assert built.returncode == 0, built.stderr[-2000:]
    page = project / "site" / "rutiner" / "uppfoljning" / "uppfoljning-praktik" / "index.html"
    assert page.read_text(encoding="utf-8").count("uppföljningsrutinen") >= SIZE // 300


def test_the_work_is_counted_in_proportion_to_the_text():
    """Ordinary text asks little of Markdown, in proportion to its length; the hostile shapes ask too much."""
    small, large = markdown_work(ordinary_text(50_000))[0], markdown_work(ordinary_text(200_000))[0]
    assert 0 < large <= 4.5 * small
    assert large < MARKDOWN_WORK_LIMIT // 20  # 200 KB of ordinary text: a few per cent of the limit
    for shape, text in SHAPES.items():
        assert markdown_work(text)[0] > MARKDOWN_WORK_LIMIT, shape
    # 45 000 '[' (minutes in Markdown) is about n²/2 of work; 1 000 paired links are nothing.
    assert markdown_work("[" * 45_000)[0] >= 45_000 ** 2 // 2
    assert markdown_work("[länk](x.md) " * 1_000)[0] < 100_000

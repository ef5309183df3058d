"""Helpers for the release tests: throwaway git repositories holding a small handbook."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner


def _root_conftest():
    # tests/browser/ has a conftest.py of its own, and whichever pytest loaded
    # last answers to the name 'conftest'; load this directory's one by path.
    import importlib.util
    import sys

    name = "handbok_tests_conftest"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("conftest.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


prepare_project = _root_conftest().prepare_project
build_project = _root_conftest().build_project

# The day the release commands run on in these tests (hidden option --idag).
TODAY = "2026-11-25"
SMALL_NAV = ("nav:\n  - Start: index.md\n  - Rutiner: rutiner/index.md\n"
             "  - Beslut och versioner: beslut-och-versioner.md\n")


def git(repo: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout


def make_repo(name: str, tmp_path: Path) -> Path:
    """A fixture handbook with the repo's theme and config, committed in a new git repository."""
    project = prepare_project(name, tmp_path)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config[: config.index("\nnav:")] + "\n" + SMALL_NAV
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / ".gitignore").write_text("site/\n__pycache__/\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "Nämndsekreteraren")
    git(project, "config", "user.email", "sekreterare@kommunen.se")
    git(project, "config", "commit.gpgsign", "false")
    git(project, "config", "tag.gpgsign", "false")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Handboken")
    return project


def approve_first_release(repo: Path) -> Path:
    """Prepare and approve 2026.1 (Socialnämnden, SN 2026-03-12 § 45, in force 2026-04-01), published."""
    result = handbok(repo, "release", "prepare", "2026.1", "--utan-pdf", "--idag", TODAY)
    assert result.exit_code == 0, result.output
    result = handbok(repo, "release", "approve", "2026.1", "--organ", "Socialnämnden", "--datum", "2026-03-12",
                     "--referens", "SN 2026-03-12 § 45", "--galler-fran", "2026-04-01", "--idag", TODAY)
    assert result.exit_code == 0, result.output
    return repo


def copy_repo(repo: Path, target: Path) -> Path:
    shutil.copytree(repo, target, symlinks=True)
    return target


def handbok(repo: Path, *args: str):
    from handbok.cli import main

    return CliRunner().invoke(main, ["--rot", str(repo), *args], catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@dataclass
class State:
    """Everything a refused run must leave exactly as it was."""

    head: str
    tags: str
    pages: str
    status: str
    register: bytes | None
    routines: dict[str, bytes]


def state(repo: Path) -> State:
    register = repo / "routines/register/releaser.yml"
    return State(
        head=git(repo, "rev-parse", "HEAD").strip(),
        tags=git(repo, "for-each-ref", "refs/tags"),
        pages=git(repo, "rev-parse", "--verify", "-q", "refs/heads/gh-pages", check=False).strip(),
        status=git(repo, "status", "--porcelain", "--untracked-files=all"),
        register=register.read_bytes() if register.exists() else None,
        routines={p.name: p.read_bytes() for p in sorted((repo / "routines").glob("*.md"))},
    )


def pages_tree(repo: Path, prefix: str) -> dict[str, str]:
    """path -> blob id of every file under ``prefix`` on gh-pages."""
    out = git(repo, "ls-tree", "-r", "refs/heads/gh-pages", "--", prefix)
    result = {}
    for line in out.splitlines():
        meta, path = line.split("\t", 1)
        result[path] = meta.split()[2]
    return result


def pages_file(repo: Path, path: str) -> str:
    return git(repo, "show", f"refs/heads/gh-pages:{path}")


def pages_soup(repo: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup(pages_file(repo, path), "html.parser")


def versions(repo: Path) -> list[dict]:
    return json.loads(pages_file(repo, "versions.json"))


def underlag(repo: Path, version: str) -> BeautifulSoup:
    path = repo / "beslutsunderlag" / version / f"beslutsunderlag-{version}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed(soup: BeautifulSoup, kind: str) -> list[str]:
    return [a["data-rutin"] for a in soup.select(f'section.kategori[data-kategori="{kind}"] article[data-rutin]')]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()

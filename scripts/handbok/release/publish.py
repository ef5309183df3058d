"""Publishing with mike: each release a version of the site, the one in force under an alias.

mike commits built sites to the ``gh-pages`` branch without touching the
working tree. Aliases are copies (``--alias-type copy``): ``/gallande/`` is a
real directory, so bookmarks keep working on any web server, and moving the
alias never touches the directory of an approved version.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..core import git
from ..core.build import ALIAS
from ..core.release_integrity import PAGES_BRANCH
from . import ReleaseError

BRANCH = PAGES_BRANCH


def published(root: Path, branch: str = BRANCH, ref: str | None = None) -> list[dict]:
    """mike's versions.json on the branch ([] if nothing is published yet)."""
    text = git.show(root, ref or f"refs/heads/{branch}", "versions.json")
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        raise ReleaseError(f"versions.json på grenen {branch} går inte att läsa",
                           "Grenen har ändrats utanför handboksverktyget; kontrollera den innan du fortsätter.") from None
    return data if isinstance(data, list) else []


def published_version(root: Path, version: str, branch: str = BRANCH) -> dict | None:
    """The version on the local branch or on origin's (a fresh clone may only have the latter)."""
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        found = next((v for v in published(root, branch, ref) if v.get("version") == version), None)
        if found is not None:
            return found
    return None


def in_force_alias(root: Path, branch: str = BRANCH) -> str | None:
    """The version that carries the alias now."""
    return next((v["version"] for v in published(root, branch) if ALIAS in v.get("aliases", [])), None)


def _mike() -> list[str]:
    beside = Path(sys.executable).with_name("mike")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("mike")
    if found:
        return [found]
    raise ReleaseError("mike finns inte installerat", "Kör 'make test' eller installera handbokens beroenden (pip install -e .).")


def mike(root: Path, *args: str) -> None:
    # mike runs 'mkdocs build' from PATH: use the one beside this Python.
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run([*_mike(), *args], cwd=root, capture_output=True, text=True, encoding="utf-8",
                            errors="replace", env=env, check=False)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise ReleaseError(f"mike {args[0]} misslyckades", "Se utskriften ovan. Ingenting har publicerats.",
                           details=output[-15:])


def deploy(root: Path, config_file: Path, version: str, title: str, message: str, *, alias: bool) -> None:
    args = ["deploy", "--config-file", str(config_file), "--branch", BRANCH, "--alias-type", "copy",
            "--title", title, "--message", message]
    if alias:
        args += ["--update-aliases", version, ALIAS]
    else:
        args += [version]
    mike(root, *args)


def move_alias(root: Path, config_file: Path, version: str, message: str) -> None:
    mike(root, "alias", "--config-file", str(config_file), "--branch", BRANCH, "--alias-type", "copy",
         "--update-aliases", "--message", message, version, ALIAS)


# The site's start page: a plain meta refresh, because the site forbids inline scripts (CSP).
START_PAGE_TEMPLATE = Path(__file__).parent / "templates" / "startsida.html"


def set_default(root: Path, config_file: Path) -> None:
    mike(root, "set-default", "--config-file", str(config_file), "--branch", BRANCH,
         "--template", str(START_PAGE_TEMPLATE), "--message", f"Startsidan leder till {ALIAS}", ALIAS)

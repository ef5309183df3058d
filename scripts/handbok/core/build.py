"""What a build is: an approved release (and which one) or a draft.

A build is a release only when all of this holds: the version is in the
releases register, git's HEAD is that release's tag, and the working tree
has no changes. mike tells the build which version it deploys
(``MIKE_DOCS_VERSION``); ``make build`` on a checkout of a release tag is a
release too. Everything else – ``make serve``, a build of main, a mike deploy
of a version nobody approved – is a draft, and every page says so.

The MkDocs plugin asks once per build (``on_config``) and tells the templates.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from . import git
from .releases import ReleaseRegister, load_register

MIKE_VERSION_VARIABLE = "MIKE_DOCS_VERSION"
ALIAS = "gallande"
"""The ASCII alias of the version in force on the site branch (also Material's ``extra.version.default``)."""
# mike writes its build configuration beside mkdocs.yml while it builds.
_BUILD_FILES = ("mike-mkdocs*.yml",)


@dataclass(frozen=True)
class BuildState:
    version: str | None  # the approved release this build is
    deployed_as: str | None  # the version mike deploys to, approved or not

    @property
    def draft(self) -> bool:
        return self.version is None


def _clean(root: Path) -> bool:
    for _, path in git.status(root):
        name = path.rsplit("/", 1)[-1]
        if not any(fnmatch.fnmatch(name, pattern) for pattern in _BUILD_FILES):
            return False
    return True


def build_state(root: Path | str, register: ReleaseRegister | None = None, environ: dict | None = None) -> BuildState:
    """What a build of ``root`` is, given its releases register (read here when not given)."""
    environ = os.environ if environ is None else environ
    root = Path(root)
    deployed_as = environ.get(MIKE_VERSION_VARIABLE) or None
    register = register if register is not None else load_register(root)
    if not register.releases or register.problems or not git.is_repository(root):
        return BuildState(None, deployed_as)
    head = git.head(root)
    candidates = [deployed_as] if deployed_as else [r.version for r in register.releases]
    for version in candidates:
        release = register.get(version)
        if release is None:
            continue
        if git.ref_sha(root, f"refs/tags/{release.tag}") == head and _clean(root):
            return BuildState(version, deployed_as)
    return BuildState(None, deployed_as)

"""The few site settings the core needs, read from ``mkdocs.yml`` without MkDocs.

The checker, the reminders and the release tool run without MkDocs; they
only need the site's published address. ``mkdocs.yml`` may hold MkDocs'
Python tags (``!!python/name:…``) and ``!ENV``; those are not evaluated here.
"""

from __future__ import annotations

from pathlib import Path

import yaml

CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")


class _Loader(yaml.SafeLoader):
    """Plain settings only: tags that would run code or read the environment give None."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_config(root: Path | str) -> dict:
    """The site configuration beside the handbook, or an empty one."""
    for name in CONFIG_FILES:
        path = Path(root) / name
        if path.is_file():
            try:
                data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)
            except (yaml.YAMLError, OSError, UnicodeDecodeError):
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def site_url(root: Path | str) -> str | None:
    """The site's published address (``site_url``), ending in ``/``; None when not set."""
    value = read_config(root).get("site_url")
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    return value if value.endswith("/") else value + "/"


def edit_root(repo_url: str | None, edit_uri: str | None, docs_dir: str = "docs") -> str | None:
    """The forge's editor address of the repository's root, from ``repo_url`` and ``edit_uri``
    (which MkDocs points at the docs folder): ``…/edit/main/`` on GitHub, ``…/-/edit/main/`` on
    GitLab. None when either is missing or ``edit_uri`` does not end with the docs folder."""
    if not repo_url or not edit_uri:
        return None
    base = repo_url.rstrip("/") + "/" + edit_uri.lstrip("/")
    if not base.endswith("/"):
        base += "/"
    docs_part = docs_dir.strip("/") + "/"
    if not base.endswith("/" + docs_part):
        return None
    return base[: -len(docs_part)]


def forge_edit_root(root: Path | str) -> str | None:
    """``edit_root`` for the handbook at ``root``, from its mkdocs.yml."""
    config = read_config(root)
    return edit_root(config.get("repo_url"), config.get("edit_uri"), config.get("docs_dir") or "docs")

"""Markdown rendered as the build renders it, without MkDocs.

``handbok check`` judges the HTML an editor's Markdown becomes, not a guess at
Markdown's structure: Python-Markdown with the extensions and options of
``mkdocs.yml``'s ``markdown_extensions`` (read from the handbook's own
``mkdocs.yml``), plus the three MkDocs always adds (``toc``, ``tables``,
``fenced_code``), in MkDocs' order. Where a handbook has no ``mkdocs.yml``
(the test fixtures of single checks), the handbook's standard set is used.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml

MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
"""Extensions MkDocs always loads (``mkdocs.config.defaults``: ``markdown_extensions`` builtins)."""

DEFAULT_EXTENSIONS: list[Any] = [
    "abbr", "admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details",
    {"pymdownx.superfences": {"custom_fences": [
        {"name": "mermaid", "class": "mermaid", "format": "handbok.fences.fence_mermaid_custom"}]}},
]
"""The handbook's standard ``markdown_extensions`` (as in its ``mkdocs.yml``), for a root without one."""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: ``!!python/name:`` names a function, ``!ENV`` a variable."""


def _python_name(loader, suffix, node):
    module, _, name = suffix.rpartition(".")
    return _Named(suffix, lambda: getattr(importlib.import_module(module), name))


def _env(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    default = names.pop() if len(names) > 1 else None
    return next((os.environ[n] for n in names if n in os.environ), default)


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_constructor("!relative", lambda loader, node: loader.construct_scalar(node) or ".")


@dataclass(frozen=True)
class _Named:
    """A ``!!python/name:`` value, imported when the renderer is made."""

    name: str
    load: Any

    def __repr__(self) -> str:  # the fingerprint names it, never calls it
        return self.name


@dataclass(frozen=True)
class MarkdownSettings:
    extensions: tuple[str, ...]
    configs: dict
    fingerprint: str  # changes when the extensions or their options change


def _resolve(value: Any) -> Any:
    if isinstance(value, _Named):
        return value.load()
    if isinstance(value, str) and value.startswith("handbok."):
        module, _, name = value.rpartition(".")
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            return value
    if isinstance(value, dict):
        return {key: _resolve(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item) for item in value]
    return value


def markdown_settings(root: Path | str) -> MarkdownSettings:
    """The ``markdown_extensions`` the build of the handbook at ``root`` uses."""
    configured: Any = DEFAULT_EXTENSIONS
    path = Path(root) / "mkdocs.yml"
    if path.is_file():
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            data = {}  # the build reports a broken mkdocs.yml itself
        if isinstance(data, dict) and isinstance(data.get("markdown_extensions"), (list, dict)):
            configured = data["markdown_extensions"]
    items = configured.items() if isinstance(configured, dict) else (
        next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None)
        for item in configured)
    names: list[str] = list(MKDOCS_BUILTINS)
    configs: dict[str, dict] = {}
    for name, options in items:
        if not isinstance(name, str):
            continue
        if name not in names:
            names.append(name)
        if isinstance(options, dict):
            configs[name] = options
    fingerprint = hashlib.sha1(json.dumps([names, configs], sort_keys=True, default=repr).encode()).hexdigest()[:12]
    return MarkdownSettings(tuple(names), configs, fingerprint)


class Renderer:
    """One Python-Markdown instance with the build's extensions, reused (reset) per text."""

    def __init__(self, settings: MarkdownSettings) -> None:
        self.settings = settings
        self._markdown: markdown.Markdown | None = None

    def html(self, text: str) -> str:
        if self._markdown is None:
            self._markdown = markdown.Markdown(extensions=list(self.settings.extensions),
                                               extension_configs=_resolve(self.settings.configs))
        self._markdown.reset()
        return self._markdown.convert(text)

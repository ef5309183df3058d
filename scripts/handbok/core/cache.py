"""A small on-disk cache for work that depends only on a file's bytes.

Reading front matter and process maps is most of what ``handbok check``
spends its time on; the result depends only on the file's content and on the
code that reads it. Each ``Store`` is one file in the cache folder
(``$HANDBOK_CACHE``, else ``$XDG_CACHE_HOME/handbok`` or ``~/.cache/handbok``)
whose name includes a checksum of the reading code, so changing that code
starts a fresh cache. Values are plain data written with ``marshal`` (no code
can be loaded from a cache file). Setting ``HANDBOK_CACHE`` to an empty value
turns caching off. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

LIMIT = 20_000  # entries kept per store; the least recently used go first


def cache_dir() -> Path | None:
    configured = os.environ.get("HANDBOK_CACHE")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "handbok"


def code_version(*modules: str) -> str:
    """A checksum of the named source files of this package."""
    digest = hashlib.sha1(f"{sys.version_info[:2]}{marshal.version}".encode())
    package = Path(__file__).resolve().parent
    for module in modules:
        try:
            digest.update((package / module).read_bytes())
        except OSError:
            digest.update(module.encode())
    return digest.hexdigest()[:12]


def key(*parts: str | bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


class Store:
    """``{key: plain value}`` persisted in one file; ``save()`` writes it if changed."""

    def __init__(self, name: str, version: str) -> None:
        directory = cache_dir()
        # Without a cache folder the store still holds values for this run (in memory).
        self.path = directory / f"{name}-{version}.marshal" if directory else None
        self._data: dict[str, Any] | None = None
        self._changed = False

    @property
    def enabled(self) -> bool:
        return True

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            self._data = {}
            if self.path is not None:
                try:
                    loaded = marshal.loads(self.path.read_bytes())
                    if isinstance(loaded, dict):
                        self._data = loaded
                except (OSError, ValueError, EOFError, TypeError):
                    pass
        return self._data

    def get(self, entry: str) -> Any:
        return self._load().get(entry)

    def __contains__(self, entry: str) -> bool:
        return entry in self._load()

    def put(self, entry: str, value: Any) -> None:
        self._load()[entry] = value
        self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed or self._data is None:
            return
        data = self._data
        if len(data) > LIMIT:
            data = dict(list(data.items())[-LIMIT:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(marshal.dumps(data))
            os.replace(name, self.path)
            self._changed = False
        except (OSError, ValueError):
            pass

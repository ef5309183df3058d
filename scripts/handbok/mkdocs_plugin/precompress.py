"""Precompressed copies of the large assets, for nginx's ``gzip_static``.

Compressing Mermaid (3.5 MB) on every request costs nginx most of a core
(see ``deploy/nginx/README.md``); with a ``.gz`` file beside each large
script, stylesheet and data file, nginx sends that file as it is. The copies
are made once per build, reproducibly (no name or time in the gzip header),
so two builds of the same handbook give the same bytes. A copy newer than its
file is kept as it is (the builds of ``make serve`` write only what changed).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

SUFFIXES = (".js", ".css", ".json", ".svg", ".xml", ".txt")
MIN_SIZE = 1024  # smaller files gain nothing


def precompress(site_dir: str | Path) -> list[Path]:
    """Write ``<file>.gz`` beside every large asset in ``site_dir``; return the files written."""
    written = []
    for folder, _, names in os.walk(site_dir):
        for name in names:
            if not name.endswith(SUFFIXES):
                continue
            path = Path(folder) / name
            target = path.with_name(name + ".gz")
            try:
                if target.stat().st_mtime_ns > path.stat().st_mtime_ns:
                    written.append(target)
                    continue
            except OSError:
                pass
            data = path.read_bytes()
            if len(data) < MIN_SIZE:
                continue
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) >= len(data):
                continue
            if not target.is_file() or target.read_bytes() != packed:
                target.write_bytes(packed)
            else:
                os.utime(target)  # newer than its file again
            written.append(target)
    return written

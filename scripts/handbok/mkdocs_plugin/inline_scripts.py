"""Move inline ``<script>`` elements into files, so the site runs under a strict CSP.

The deployed site sends ``Content-Security-Policy: script-src 'self'`` (see
``deploy/nginx/``), which forbids inline scripts. Material puts a few small
inline scripts into every page (local storage helpers, tab state) and mermaid2
adds one with the diagram configuration. Each inline script becomes a file
named by its content hash under ``assets/javascripts/inline/`` and the element
becomes ``<script src="…">`` in the same place, so the order of execution and
the behaviour stay the same. Identical scripts on many pages share one file.

Scripts that are data, not code (``type="application/json"`` like Material's
``__config``), are left alone: the browser never executes them.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

SCRIPT_DIR = "assets/javascripts/inline"

# The HTML tokenizer ends script data at the first "</script", whatever it says.
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"""\ssrc\s*=""", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _is_executable(attrs: str) -> bool:
    if _SRC.search(attrs):
        return False
    match = _TYPE.search(attrs)
    kind = next((g for g in match.groups() if g is not None), "") if match else ""
    return html.unescape(kind).strip().lower() in _EXECUTABLE_TYPES


def script_name(body: str) -> str:
    """The file name of a script: a hash of its content, so equal scripts share a file."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:20] + ".js"


def externalize(document: str, prefix: str) -> tuple[str, dict[str, str]]:
    """Replace inline scripts in ``document`` by ``<script src="{prefix}{SCRIPT_DIR}/…">``.

    ``prefix`` leads from the page to the site root (``"../../"``, ``""`` or
    ``"/"``). Returns the new document and the files to write, by path
    relative to the site root.
    """
    files: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        attrs, body = match.group("attrs") or "", match.group("body")
        if not _is_executable(attrs) or not body.strip():
            return match.group(0)
        path = f"{SCRIPT_DIR}/{script_name(body)}"
        files[path] = body
        return f'<script{attrs} src="{html.escape(prefix + path)}"></script>'

    return _SCRIPT.sub(replace, document), files


def write_scripts(site_dir: str | Path, files: dict[str, str]) -> None:
    for path, body in files.items():
        target = Path(site_dir) / path
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")

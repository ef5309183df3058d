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

Only known scripts are moved: those written by the theme's templates (each
inline ``<script>`` in a template the theme or ``overrides/`` provides, its
``{{ … }}`` values standing for text that cannot leave a string) and the
handbook's own (mermaid2's configuration, ``KnownScripts.add``). Any other
inline script means something put a script into a page that neither the
theme nor the handbook wrote; the build stops (``UnknownScript``). The page
content itself is sanitised before (``core.safe_html``), so this is the second
line, for templates and plugins.
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
_TEMPLATE_SCRIPT = re.compile(r"<script>(?P<body>.+?)</script>", re.DOTALL)
_JINJA_VALUE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
# What a template value may become inside a script: text that cannot end a string or the element.
_VALUE = r"""[^"'`<>\\\n]*"""


class UnknownScript(Exception):
    """An inline script that neither the theme's templates nor the handbook wrote."""

    def __init__(self, body: str) -> None:
        super().__init__(body[:80])
        self.body = body


class KnownScripts:
    """The inline scripts a page may have: the theme's templates' and the handbook's own."""

    def __init__(self) -> None:
        self.exact: set[str] = set()
        self.patterns: list[re.Pattern] = []

    @classmethod
    def from_templates(cls, sources) -> "KnownScripts":
        """From the source text of each template (``sources``: iterable of str)."""
        known = cls()
        for source in sources:
            for match in _TEMPLATE_SCRIPT.finditer(source):
                known.add_template(match.group("body"))
        return known

    @classmethod
    def from_environment(cls, env) -> "KnownScripts":
        """From every HTML template the theme's Jinja environment can load (overrides first)."""
        from .internals import template_sources

        return cls.from_templates(template_sources(env))

    def add_template(self, body: str) -> None:
        if "{%" in body or "{#" in body:
            return  # logic inside a script: not a form this can recognise safely
        parts = _JINJA_VALUE.split(body)
        if len(parts) == 1:
            self.exact.add(body)
        else:
            self.patterns.append(re.compile(_VALUE.join(re.escape(part) for part in parts)))

    def copy(self) -> "KnownScripts":
        known = KnownScripts()
        known.exact, known.patterns = set(self.exact), list(self.patterns)
        return known

    def add(self, body: str) -> None:
        """A script the handbook itself writes (exactly this text)."""
        self.exact.add(body)

    def knows(self, body: str) -> bool:
        return body in self.exact or any(pattern.fullmatch(body) for pattern in self.patterns)


def _is_executable(attrs: str) -> bool:
    if _SRC.search(attrs):
        return False
    match = _TYPE.search(attrs)
    kind = next((g for g in match.groups() if g is not None), "") if match else ""
    return html.unescape(kind).strip().lower() in _EXECUTABLE_TYPES


def script_name(body: str) -> str:
    """The file name of a script: a hash of its content, so equal scripts share a file."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:20] + ".js"


def externalize(document: str, prefix: str, known: KnownScripts) -> tuple[str, dict[str, str]]:
    """Replace inline scripts in ``document`` by ``<script src="{prefix}{SCRIPT_DIR}/…">``.

    ``prefix`` leads from the page to the site root (``"../../"``, ``""`` or
    ``"/"``). Returns the new document and the files to write, by path
    relative to the site root. Raises ``UnknownScript`` for a script that is
    not ``known``.
    """
    files: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        attrs, body = match.group("attrs") or "", match.group("body")
        if not _is_executable(attrs) or not body.strip():
            return match.group(0)
        if not known.knows(body):
            raise UnknownScript(body)
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

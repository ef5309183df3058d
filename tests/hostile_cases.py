"""Hostile Markdown that got a script or a handler past the checker before (issue 12).

Each case is the text an attacker with write access to a branch would write
into one file of the clean handbook ``tests/fixtures/check-bas``. The same
cases are checked with ``handbok check`` (tests/test_safety_bypasses.py),
built with the checks bypassed so that the build's own sanitiser is the last
line (same file), and opened in Chromium (tests/browser/test_hostile.py).

Every script writes ``MARKER`` to the console, requests ``/MARKER`` and opens
a dialog: if any of it happens in the browser, an editor's script ran.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent / "fixtures" / "check-bas"
MARKER = "HANDBOK-XSS"
CODE = f"console.log('{MARKER}');fetch('/{MARKER}');alert('{MARKER}')"
SCRIPT = f"<script>{CODE}</script>"


# A one-pixel image the cases show (so that the image itself is not what is wrong).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf000000030101001827a6f50000000049454e44ae426082")


@dataclass(frozen=True)
class Case:
    name: str  # the file: routines/<name>.md, or a path when it has a slash
    text: str  # the body of a routine, or the whole file
    expected: tuple[tuple[str, str], ...]  # (code, text on the line the finding names)


def _routine(name: str, body: str) -> str:
    return f"""---
id: {name}
title: Fientlig rutin {name}
summary: En rutin med fientlig text.
process: anvisning
status: utkast
version: "0.1"
owner: enhetschef
review_by: 2027-03-31
---

## Syfte

Text.

{body}
"""


CASES = (
    Case("bakatfnutt", f"Ett exempel: `\\`{SCRIPT}` slut.\n", (("RH601", "Ett exempel"),)),
    Case("tom-kommentar", f"<!--> {SCRIPT} -->\n", (("RH601", "<!-->"),)),
    Case("indragen-staket", f"    ```\n{SCRIPT}\n```\n", (("RH601", SCRIPT),)),
    Case("ogiltigt-staket", f"~~~ !!!\n{SCRIPT}\n~~~\n", (("RH601", SCRIPT),)),
    Case("fnuttar-i-div", f"<div>\n`{SCRIPT}`\n</div>\n", (("RH601", SCRIPT),)),
    Case("attribut-onerror", f'![Bild](../../bild.png){{: onerror="{CODE}" }}\n', (("RH602", 'onerror="'),)),
    Case("attribut-onclick", f'Klicka på stycket.\n{{: onclick="{CODE}" }}\n', (("RH602", 'onclick="'),)),
    Case("attribut-href", '[Läs mer](uppfoljning-praktik.md){: href="javascript:alert(1)" }\n',
         (("RH603", "javascript:alert(1)"),)),
    Case("referens-nasta-rad", "Se [rutinen][mer].\n\n[mer]:\n    javascript:alert(1)\n",
         (("RH603", "    javascript:alert(1)"),)),
    Case("lanktext-tva-rader", "[Klicka\nhär](javascript:alert(1))\n", (("RH603", "här](javascript:alert(1))"),)),
    Case("citerat-storre-an", f'<p><img src="../../bild.png" alt="a>b" onerror="{CODE}"></p>\n', (("RH602", 'onerror="'),)),
    Case("stil", "<style>.md-content article { display: none }</style>\n", (("RH607", "<style>"),)),
    Case("extern-bild", "![Karta](https://example.org/karta.png)\n\n<img src=\"//example.org/x.png\" alt=\"x\">\n",
         (("RH608", "![Karta]"), ("RH608", "//example.org/x.png"))),
    Case("docs/fientlig.md", f"# Fientlig sida\n\nText.\n\n{SCRIPT}\n", (("RH601", SCRIPT),)),
)

GLOSSARY = ("- term: Tillfällig förkortning\n"
            f'  abbreviation: "TBX\\n\\n{SCRIPT}"\n'
            "  definition: En förkortning med en radbrytning.\n")
"""A glossary abbreviation with a line break: once written into every page's Markdown unescaped."""
GLOSSARY_EXPECTED = (("RH605", "abbreviation"), ("RH606", "abbreviation"))


def write_project(project: Path) -> Path:
    """The clean handbook with every hostile case (and the hostile glossary entry) in it."""
    shutil.copytree(BASE, project)
    (project / "docs" / "bild.png").write_bytes(PNG)
    for case in CASES:
        if "/" in case.name:
            path = project / case.name
            path.write_text(case.text, encoding="utf-8")
        else:
            (project / "routines" / f"{case.name}.md").write_text(_routine(case.name, case.text), encoding="utf-8")
    glossary = project / "routines" / "register" / "begrepp.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + GLOSSARY, encoding="utf-8")
    return project


def file_of(case: Case) -> str:
    return case.name if "/" in case.name else f"routines/{case.name}.md"


def expected_lines(project: Path) -> set[tuple[str, int, str]]:
    """(file, line, code) of every finding the hostile project must give."""
    found = set()
    for case in CASES:
        display = file_of(case)
        lines = (project / display).read_text(encoding="utf-8").split("\n")
        for code, text in case.expected:
            number = next(i for i, line in enumerate(lines, 1) if text in line)
            found.add((display, number, code))
    lines = (project / "routines" / "register" / "begrepp.yml").read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "TBX" in line)
    found |= {("routines/register/begrepp.yml", number, code) for code, _ in GLOSSARY_EXPECTED}
    return found

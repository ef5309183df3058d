"""The editor guide's page of check codes, generated from the rule registry.

Every code that ``handbok check`` can report is listed with its title,
severity, what it means and how to fix it. The text comes from the rules'
docstrings and the loader's declarations (``checks.CODES``), so a code cannot
be added without appearing here.
"""

from __future__ import annotations

from ..checks import CODES, Code
from ..core.generated import generated
from ..core.handbook import Handbook
from ..problems import Severity
from .html import esc

TOPIC_TITLES = {
    "filer": "Filer och YAML (RH0xx)",
    "fält": "Fält och värden (RH1xx)",
    "ägare": "Rutinägare (RH2xx)",
    "datum": "Datum (RH3xx)",
    "referenser": "Referenser och länkar (RH4xx)",
    "processkartor": "Processkartor (RH5xx)",
    "säkerhet": "Säkerhet (RH6xx)",
    "status": "Status (RH7xx)",
    "integritet": "Fastställda versioner (RH8xx)",
    "fullständighet": "Fullständighet (RH9xx)",
}


def _severity(code: Code) -> tuple[str, str]:
    """(lead-in of the entry, word in the table): *Fel.*, *Varning.*, or both for codes a draft gets as a warning."""
    word = "fel" if code.severity is Severity.ERROR else "varning"
    if code.draft_severity is not None and code.draft_severity is not code.severity:
        draft = "fel" if code.draft_severity is Severity.ERROR else "varning"
        return f"{word.capitalize()} i en gällande rutin, {draft} i ett utkast.", f"{word} (utkast: {draft})"
    return f"{word.capitalize()}.", word


def _entry(code: Code) -> list[str]:
    severity, _ = _severity(code)
    lines = [f"### {code.code} – {esc(code.title)} {{#{code.code.lower()}}}", ""]
    lines += [f"**{severity}** " + (code.meaning or "Ingen beskrivning ännu."), ""]
    if code.fix:
        lines += ["**Så rättar du:** " + code.fix, ""]
    if code.example:
        lines += [f"```{_language(code.example)}", code.example, "```", ""]
    return lines


def _language(example: str) -> str:
    """Highlighting for an example: a process map, Markdown or YAML."""
    if "-->" in example or example.startswith("flowchart"):
        return "text"  # never "mermaid": the example must show as text, not be drawn
    if "](" in example or example.startswith(("---", "#")):
        return "markdown"
    return "yaml"


@generated("redaktor/kontroller.md")
def check_codes(handbook: Handbook, page_uri: str) -> str:
    """Every check code by topic, with meaning and fix."""
    lines = [
        "# Kontrollkoder", "",
        "`handbok check` kontrollerar rutinerna, registren och processkartorna. Samma kontroller "
        "körs när du förhandsgranskar, när webbplatsen byggs och i varje pull request. Varje fynd "
        "har en kod, till exempel `RH201`, och skrivs på en rad:", "",
        "```text",
        "routines/anvisning-arbetsmarknadsinsats.md:8:8: fel RH201 rutinägaren 'enhetschef' finns inte i rollregistret",
        "    → Ange ett id ur routines/register/roller.yml eller lägg till rollen där.",
        "```", "",
        "Först kommer filen, raden och kolumnen, sedan om det är ett **fel** eller en **varning**, "
        "koden och vad som är fel. Raden med pilen säger hur du rättar det. Ett fel stoppar "
        "ändringen tills det är rättat; en varning stoppar inget, men bör åtgärdas.", "",
        "Sök på sidan efter koden (Ctrl+F) för att läsa mer om den.", "",
    ]
    topics: dict[str, list[Code]] = {}
    for code in sorted(CODES.values(), key=lambda c: c.code):
        topics.setdefault(code.topic, []).append(code)
    # The summary table is left out of the search index: each code is found in its own
    # section, whose heading is the code and what it means.
    lines += ['<div data-search-exclude="lista" markdown>', "",
              "| Kod | Typ | Betyder |", "|---|---|---|"]
    for code in sorted(CODES.values(), key=lambda c: c.code):
        _, kind = _severity(code)
        lines.append(f"| [{code.code}](#{code.code.lower()}) | {kind} | {esc(code.title)} |")
    lines += ["", "</div>", ""]
    for topic, codes in topics.items():
        lines += [f"## {TOPIC_TITLES.get(topic, topic.capitalize())}", ""]
        for code in codes:
            lines += _entry(code)
    return "\n".join(lines) + "\n"

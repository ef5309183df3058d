"""The page *Beslut och versioner*: every approved release, and what applied on a given day."""

from __future__ import annotations

import json

from ..core.addresses import routine_url
from ..core.generated import generated
from ..core.handbook import Handbook
from ..core.state import STATUS_LABELS
from .html import esc

URI = "beslut-och-versioner.md"


def _period(start, end) -> str:
    return f"{start} – {end}" if end else f"från {start} tills vidare"


def with_feed_link(markdown: str, href: str) -> str:
    """The page with a paragraph about the Atom feed before its first section (the plugin adds
    it when the build has a feed, which needs the site's address)."""
    paragraph = ("Följ nämndens beslut i en flödesläsare, till exempel Outlook: "
                 f"[prenumerera på de fastställda ändringarna (Atom-flöde)]({href}). "
                 "Varje ny version kommer som ett inlägg med de rutiner den ändrar.\n\n")
    at = markdown.find("\n## ")
    return markdown + "\n" + paragraph if at < 0 else markdown[:at + 1] + paragraph + markdown[at + 1:]


@generated(URI)
def releases_page(handbook: Handbook, page_uri: str) -> str:
    register = handbook.releases
    lines = [
        "# Beslut och versioner", "",
        "Nämnden fastställer handboken i numrerade versioner. En version gäller från sin startdag "
        "till dagen innan nästa version börjar gälla. Äldre versioner finns kvar oförändrade, så att "
        "det alltid går att läsa exakt vad som gällde en viss dag.", "",
    ]
    releases = register.releases
    if not releases:
        lines += ['<p class="handbok-inga-versioner">Ingen version av handboken har fastställts ännu. '
                  "Allt innehåll är utkast tills nämnden har fattat beslut.</p>", ""]
        return "\n".join(lines)

    owner = handbook.role_name

    rows = []
    for release in reversed(releases):
        start, end = register.period(release)
        rows.append(
            f'<tr data-version="{esc(release.version)}"><th scope="row">{esc(release.version)}</th> '
            f"<td>{esc(release.organ)}</td> <td><time datetime=\"{release.date}\">{release.date}</time></td> "
            f"<td>{esc(release.reference)}</td> <td data-period>{esc(_period(start, end))}</td></tr>")
    lines += [
        "## Fastställda versioner", "",
        # No class: Material styles the table and lets it scroll inside its box on a phone.
        '<table data-handbok-tabell="versioner">',
        '<thead><tr><th scope="col">Version</th><th scope="col">Beslutat av</th><th scope="col">Beslutsdatum</th>'
        '<th scope="col">Protokollsreferens</th><th scope="col">Gäller</th></tr></thead>',
        "<tbody>", *rows, "</tbody>", "</table>", "",
    ]

    ids: dict[str, str] = {}
    data = []
    for release in releases:
        start, end = register.period(release)
        entries = []
        for entry in release.routines:
            ids.setdefault(entry.id, entry.title)
            entries.append({"id": entry.id, "title": entry.title, "version": entry.version, "status": entry.status,
                            "owner": owner(entry.owner),
                            "valid_from": str(entry.valid_from) if entry.valid_from else None,
                            "url": routine_url(entry)})
        data.append({"version": release.version, "organ": release.organ, "date": str(release.date),
                     "reference": release.reference, "valid_from": str(start),
                     "period": _period(start, end), "routines": entries})
    options = "".join(f'<option value="{esc(rid)}">{esc(title)}</option>'
                      for rid, title in sorted(ids.items(), key=lambda item: item[1].casefold()))
    lines += [
        "## Vilken version gällde en viss dag?", "",
        "Välj en dag, och om du vill en rutin, så visas vilken version som gällde då. "
        "Tabellerna nedan visar samma sak: varje version med sina rutiner.", "",
        '<form class="handbok-vid-datum" data-handbok-vid-datum hidden>',
        '<p><label>Datum <input type="date" name="datum" required></label> ',
        f'<label>Rutin <select name="rutin"><option value="">Hela handboken</option>{options}</select></label> ',
        '<button type="submit" class="md-button">Visa</button></p>',
        "</form>",
        '<div class="handbok-beslut-svar" data-handbok-svar aria-live="polite"></div>', "",
        "## Rutinerna i varje version", "",
    ]
    for release in reversed(releases):
        start, end = register.period(release)
        body = "".join(
            f'<tr data-rutin="{esc(e.id)}"><td>{esc(e.title)}</td> <td>{esc(e.version)}</td> '
            f"<td>{esc(STATUS_LABELS.get(e.status, e.status))}</td> <td>{esc(owner(e.owner))}</td> "
            f"<td>{e.valid_from or '–'}</td></tr>"
            for e in release.routines)
        lines += [
            f'<details class="handbok-version-rutiner" data-version="{esc(release.version)}">',
            f"<summary>Version {esc(release.version)} ({esc(_period(start, end))}): "
            f"{len(release.routines)} rutiner</summary>",
            '<table><thead><tr><th scope="col">Rutin</th><th scope="col">Version</th><th scope="col">Status</th>'
            '<th scope="col">Rutinägare</th><th scope="col">Gäller från</th></tr></thead>',
            f"<tbody>{body}</tbody></table>",
            "</details>", "",
        ]
    # No '<' at all in the data: nothing in it can end or change the script element.
    payload = json.dumps({"releases": data}, ensure_ascii=False).replace("<", "\\u003c")
    lines += [f'<script type="application/json" id="handbok-releaser">{payload}</script>', ""]
    return "\n".join(lines)

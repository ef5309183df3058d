"""What a routine page shows, independent of MkDocs.

``routine_markdown`` assembles the Markdown of a routine page (title, process
map with its text version, the editor's body, and the generated sections);
``routine_view`` gives the values of the metadata box and banners as plain,
already-Swedish strings for the template. Every value from front matter or a
register is HTML-escaped here or by the template.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from dataclasses import dataclass

from . import diagram as diagrams
from .handbook import Handbook, RoutineSource

STATUS_LABELS = {"utkast": "Utkast", "gällande": "Gällande", "upphävd": "Upphävd"}
KIND_ORDER = ("beslutar", "utför", "följer upp")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#+!|])")
_ROUTINE_LINK = re.compile(r"\]\((?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.md(?P<anchor>#[^)\s]*)?\)")
ROLE_MARKER = re.compile(r"^<!--\s*rutiner-for-roll:\s*(?P<roles>[a-z0-9 -]+?)\s*-->\s*$", re.MULTILINE)
DIAGRAM_MARKER = re.compile(r"^<!--\s*processkarta:\s*(?P<name>[A-Za-z0-9_-]+\.mmd)\s*-->\s*$", re.MULTILINE)


# Code the handbook's rewriting leaves as written: fenced blocks (to their closing fence,
# or the end of the text) and inline code spans.
_CODE = re.compile(
    r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=fence)[`~]*[ \t]*$|\Z)"
    r"|(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)",  # a span ends with its paragraph
    re.MULTILINE | re.DOTALL,
)


def outside_code(markdown: str, change) -> str:
    """``change`` applied to the Markdown between code blocks and code spans, which stay as written."""
    parts, position = [], 0
    for match in _CODE.finditer(markdown):
        parts.append(change(markdown[position:match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(change(markdown[position:]))
    return "".join(parts)


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def md_text(value: str) -> str:
    """Text safe to put into Markdown: HTML-escaped and Markdown syntax neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", esc(value))


def relative_uri(from_uri: str, to_uri: str) -> str:
    """Relative link between two source files (MkDocs resolves .md links)."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def _link_rewriter(handbook: Handbook, page_uri: str):
    """A function that points the routine links in a piece of Markdown (no code in it) at the pages."""

    def replace(match: re.Match) -> str:
        source = handbook.routines.get(match.group("id"))
        if source is None:
            return match.group(0)
        target = relative_uri(page_uri, handbook.src_uri_of(source.routine))
        return f"]({target}{match.group('anchor') or ''})"

    return lambda text: _ROUTINE_LINK.sub(replace, text)


def rewrite_routine_links(markdown: str, handbook: Handbook, page_uri: str) -> str:
    """Editors link to routines by file name; point those links at the published page."""
    return outside_code(markdown, _link_rewriter(handbook, page_uri))


def diagram_html(handbook: Handbook, name: str, *, link_for=None) -> str:
    """The Mermaid block and the map's text version, for any page."""
    source, _ = handbook.diagram_text(name)
    chart = handbook.diagram(name)
    if source is None or chart is None:
        return ""
    title = chart.title or "Processkarta"
    parts = [
        '<figure class="handbok-processkarta">',
        # Search indexes the text version below, not the Mermaid source (Material's search
        # skips the block and then removes the attribute from the page).
        f'<pre class="mermaid" data-search-exclude="processkarta"><code>{esc(source.strip())}</code></pre>',
        f"<figcaption>{esc(title)}</figcaption>",
        "</figure>",
        '<details class="abstract handbok-processtext-ruta">',
        f"<summary>Processkartan som text: {esc(title)}</summary>",
    ]
    if chart.description:
        parts.append(f"<p>{esc(chart.description)}</p>")
    parts.append(diagrams.text_alternative_html(chart, link_for=link_for))
    parts.append("</details>")
    return "\n".join(parts)


def routines_for_roles(handbook: Handbook, role_ids: list[str], page_uri: str) -> str:
    """A Markdown list of the routines a role uses, owns or has a task in."""
    wanted = set(role_ids)
    lines = []
    for source in handbook.sorted_routines():
        routine = source.routine
        if routine.status == "upphävd":
            continue
        involved = ({routine.owner} | set(routine.audience) | {r.role for r in routine.responsibilities}) & wanted
        if involved:
            link = relative_uri(page_uri, handbook.src_uri_of(routine))
            lines.append(f"- [{md_text(routine.title)}]({link})")
    return "\n".join(lines) if lines else "*Inga rutiner ännu.*"


def expand_markers(markdown: str, handbook: Handbook, page_uri: str, page_url: str) -> str:
    """Expand the handbook's comment markers in an ordinary page."""

    def link_for(target: str) -> str:
        match = re.fullmatch(r"([a-z0-9-]+)\.md", target)
        if match and match.group(1) in handbook.routines:
            url = handbook.url_of(handbook.routines[match.group(1)].routine)
            return posixpath.relpath(url, page_url or ".") + "/"
        return target

    rewrite_links = _link_rewriter(handbook, page_uri)

    def expand(text: str) -> str:
        text = DIAGRAM_MARKER.sub(lambda m: diagram_html(handbook, m.group("name"), link_for=link_for), text)
        text = ROLE_MARKER.sub(lambda m: routines_for_roles(handbook, m.group("roles").split(), page_uri), text)
        return rewrite_links(text)

    # Markers and links in code (the editor guide's examples) are shown as written.
    return outside_code(markdown, expand)


def _list_block(items: list[str]) -> str:
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"


def routine_markdown(handbook: Handbook, source: RoutineSource, abbreviations: str = "", *, raw=None) -> str:
    """The full Markdown of a routine page.

    ``raw``, if given, is called with each block of generated HTML and returns
    what stands in the Markdown instead (the MkDocs plugin holds the blocks
    back, so Markdown does not parse HTML that is already finished).
    """
    keep = raw or (lambda block: block)
    routine = source.routine
    page_uri = handbook.src_uri_of(routine)
    blocks: list[str] = [f"# {md_text(routine.title)}", ""]
    blocks += [keep(f'<p class="handbok-sammanfattning">{esc(routine.summary)}</p>'), ""]
    if routine.diagram:
        rendered = diagram_html(handbook, routine.diagram)
        if rendered:
            blocks += ["## Processkarta", "", keep(rendered), ""]
    blocks += [rewrite_routine_links(source.body.strip("\n"), handbook, page_uri), ""]

    if routine.responsibilities:
        rows = []
        for item in sorted(routine.responsibilities, key=lambda r: KIND_ORDER.index(r.kind)):
            role = handbook.roles.get(item.role)
            name = role.name if role else item.role
            rows.append(f"<tr><td>{esc(name)}</td><td>{esc(item.kind.capitalize())}</td><td>{esc(item.task)}</td></tr>")
        blocks += [
            "## Ansvar", "",
            keep('<table class="handbok-ansvar">\n<thead><tr><th scope="col">Roll</th><th scope="col">Ansvar</th>'
                 '<th scope="col">Uppgift</th></tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"),
            "",
        ]
    if routine.legal_basis:
        items = []
        for ref in routine.legal_basis:
            legal = handbook.legal.get(ref)
            if legal is None:
                items.append(esc(ref))
                continue
            text = f'<a href="{esc(legal.url)}">{esc(legal.citation)}</a>' if legal.url else esc(legal.citation)
            if legal.title:
                text += f" – {esc(legal.title)}"
            if legal.in_force_to:
                text += f' <strong class="handbok-upphavd">(upphävd {esc(legal.in_force_to)})</strong>'
            items.append(text)
        blocks += ["## Lagstöd", "", keep(_list_block(items)), ""]
    if routine.answers:
        items = []
        for ref in routine.answers:
            finding = handbook.findings.get(ref)
            if finding is None:
                items.append(esc(ref))
                continue
            items.append(f"<strong>{esc(finding.municipality)} {esc(finding.year)} ({esc(finding.auditor)})</strong>: "
                         f"{esc(finding.text)} <small>[{esc(finding.id)}]</small>")
        blocks += ["## Svarar på revisionsrekommendationer", "", keep(_list_block(items)), ""]
    if routine.related:
        items = []
        for ref in routine.related:
            other = handbook.routines.get(ref)
            if other is None:
                items.append(esc(ref))
                continue
            items.append(f"[{md_text(other.routine.title)}]({relative_uri(page_uri, handbook.src_uri_of(other.routine))})")
        blocks += ["## Relaterade rutiner", "", "\n".join(f"- {item}" for item in items), ""]
    if abbreviations:
        blocks += ["", abbreviations]
    return "\n".join(blocks)


def abbreviation_lines(handbook: Handbook) -> str:
    """Markdown abbreviation definitions from the glossary (tooltips everywhere)."""
    lines = []
    for term in handbook.glossary:
        if term.abbreviation:
            title = term.term.replace("\n", " ")
            lines.append(f"*[{term.abbreviation}]: {title}")
    return "\n".join(lines)


@dataclass
class Banner:
    kind: str  # utkast | forsenad | upphavd | kommande
    text: str
    link_text: str = ""
    link_url: str = ""


def routine_view(handbook: Handbook, source: RoutineSource, today: dt.date, url_to) -> dict:
    """Plain values for the metadata box and banners. ``url_to(uri)`` makes a relative URL."""
    routine = source.routine
    role = handbook.roles.get(routine.owner)
    process = handbook.process_of(routine)
    banners: list[Banner] = []
    if routine.status == "utkast":
        banners.append(Banner("utkast", "Utkast – rutinen är inte fastställd och gäller inte."))
    if routine.status == "upphävd":
        replacement = handbook.routines.get(routine.replaced_by or "")
        if replacement:
            banners.append(Banner("upphavd", "Upphävd – rutinen gäller inte längre. Den ersätts av",
                                  replacement.routine.title, url_to(handbook.src_uri_of(replacement.routine))))
        else:
            banners.append(Banner("upphavd", "Upphävd – rutinen gäller inte längre."))
    if routine.status == "gällande" and routine.valid_from and routine.valid_from > today:
        banners.append(Banner("kommande", f"Rutinen börjar gälla {routine.valid_from}."))
    approved = routine.approved
    contact_subject = f"Fråga om rutinen {routine.title}"
    return {
        "id": routine.id,
        "title": routine.title,
        "status": routine.status,
        "status_label": STATUS_LABELS[routine.status],
        "version": routine.version,
        "process": process.title,
        "owner_name": role.name if role else routine.owner,
        "owner_unit": role.unit if role else "",
        "owner_contact": role.contact if role and role.contact else "",
        "contact_href": (f"mailto:{role.contact}?subject=" + _mail_quote(contact_subject)) if role and role.contact else "",
        "approved_by": approved.by if approved else "",
        "approved_date": str(approved.date) if approved else "",
        "approved_reference": approved.reference if approved else "",
        "valid_from": str(routine.valid_from) if routine.valid_from else "",
        "review_by": str(routine.review_by),
        "review_overdue": routine.status == "gällande" and routine.review_by < today,
        "follow_up": routine.follow_up or "",
        "banners": [b.__dict__ for b in banners],
    }


def _mail_quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")

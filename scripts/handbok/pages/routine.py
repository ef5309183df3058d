"""A routine's page, independent of MkDocs.

``routine_markdown`` assembles the Markdown of a routine page (title, process
map with its text version, the editor's body, and the generated sections);
``routine_view`` gives the values of the metadata box and banners as plain,
already-Swedish strings for the template. Every value from front matter or a
register is HTML-escaped here or by the template. The sections' headings are
the fields' labels in the model (``core.addresses.section_heading``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from .. import diagram as diagrams
from .. import model
from ..core.addresses import MAP_SECTION, generated_sections, relative_uri, routine_src_uri, section_heading
from ..core.handbook import Handbook, RoutineSource
from ..core.markdown_text import ROUTINE_LINK, outside_code
from ..core.state import KIND_LABELS, STATUS_LABELS, review_overdue
from .html import esc, list_block, md_text


def link_rewriter(handbook: Handbook, page_uri: str):
    """A function that points the routine links in a piece of Markdown (no code in it) at the pages."""

    def replace(match) -> str:
        source = handbook.routines.get(match.group("id"))
        if source is None:
            return match.group(0)
        target = relative_uri(page_uri, routine_src_uri(source.routine))
        return f"]({target}{match.group('anchor') or ''})"

    return lambda text: ROUTINE_LINK.sub(replace, text)


def rewrite_routine_links(markdown: str, handbook: Handbook, page_uri: str) -> str:
    """Editors link to routines by file name; point those links at the published page."""
    return outside_code(markdown, link_rewriter(handbook, page_uri))


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


def _responsibilities(handbook: Handbook, routine: model.Routine) -> str:
    order = model.RESPONSIBILITY_KINDS
    rows = []
    for item in sorted(routine.responsibilities, key=lambda r: order.index(r.kind)):
        rows.append(f"<tr><td>{esc(handbook.role_name(item.role))}</td><td>{esc(KIND_LABELS[item.kind])}</td>"
                    f"<td>{esc(item.task)}</td></tr>")
    head = "".join(f'<th scope="col">{esc(model.label(model.Responsibility, name))}</th>'
                   for name in ("role", "kind", "task"))
    return (f'<table class="handbok-ansvar">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>")


def _legal_basis(handbook: Handbook, routine: model.Routine) -> str:
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
    return list_block(items)


def _answers(handbook: Handbook, routine: model.Routine) -> str:
    items = []
    for ref, in_part in [(r, False) for r in routine.answers] + [(r, True) for r in routine.answers_in_part]:
        finding = handbook.findings.get(ref)
        if finding is None:
            items.append(esc(ref))
            continue
        partly = ' <span class="handbok-delvis">(besvaras delvis)</span>' if in_part else ""
        items.append(f"<strong>{esc(finding.municipality)} {esc(finding.year)} ({esc(finding.auditor)})</strong>: "
                     f"{esc(finding.text)}{partly} <small>[{esc(finding.id)}]</small>")
    return list_block(items)


def _related(handbook: Handbook, routine: model.Routine, page_uri: str) -> str:
    items = []
    for ref in routine.related:
        other = handbook.routines.get(ref)
        if other is None:
            items.append(esc(ref))
            continue
        items.append(f"[{md_text(other.routine.title)}]({relative_uri(page_uri, routine_src_uri(other.routine))})")
    return "\n".join(f"- {item}" for item in items)


def routine_markdown(handbook: Handbook, source: RoutineSource, abbreviations: str = "", *, raw=None) -> str:
    """The full Markdown of a routine page.

    ``raw``, if given, is called with each block of generated HTML and returns
    what stands in the Markdown instead (the MkDocs plugin holds the blocks
    back, so Markdown does not parse HTML that is already finished).
    """
    keep = raw or (lambda block: block)
    routine = source.routine
    page_uri = routine_src_uri(routine)
    blocks: list[str] = [f"# {md_text(routine.title)}", ""]
    blocks += [keep(f'<p class="handbok-sammanfattning">{esc(routine.summary)}</p>'), ""]
    if routine.diagram:
        rendered = diagram_html(handbook, routine.diagram)
        if rendered:
            blocks += [f"## {section_heading(MAP_SECTION)}", "", keep(rendered), ""]
    blocks += [rewrite_routine_links(source.body.strip("\n"), handbook, page_uri), ""]
    for name in generated_sections(routine):
        if name == "related":
            section = _related(handbook, routine, page_uri)  # Markdown links: MkDocs resolves them
        else:
            section = keep({"responsibilities": _responsibilities, "legal_basis": _legal_basis,
                            "answers": _answers}[name](handbook, routine))
        blocks += [f"## {section_heading(name)}", "", section, ""]
    if abbreviations:
        blocks += ["", abbreviations]
    return "\n".join(blocks)


def abbreviation_lines(handbook: Handbook) -> str:
    """Markdown abbreviation definitions from the glossary (tooltips everywhere).

    Each definition is one Markdown line in every page, so both values are
    made one line (a line break is RH606): text after a line break would
    otherwise become part of every page. The abbreviation ends at ``]``, so
    one with a bracket is left out; the title is an attribute, which Markdown
    escapes itself.
    """
    lines = []
    for term in handbook.glossary:
        abbreviation = " ".join((term.abbreviation or "").split())
        if abbreviation and "]" not in abbreviation and "[" not in abbreviation:
            lines.append(f"*[{abbreviation}]: {' '.join(term.term.split())}")
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
                                  replacement.routine.title, url_to(routine_src_uri(replacement.routine))))
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
        "contact_href": (f"mailto:{role.contact}?subject=" + quote(contact_subject, safe="")) if role and role.contact else "",
        "approved_by": approved.by if approved else "",
        "approved_date": str(approved.date) if approved else "",
        "approved_reference": approved.reference if approved else "",
        "valid_from": str(routine.valid_from) if routine.valid_from else "",
        "review_by": str(routine.review_by),
        "review_overdue": review_overdue(routine, today),
        "follow_up": routine.follow_up or "",
        "banners": [b.__dict__ for b in banners],
    }

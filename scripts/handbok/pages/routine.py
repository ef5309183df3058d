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

from .. import model
from ..core.addresses import (MAP_SECTION, generated_sections, page_url, relative_uri, routine_src_uri, routine_url,
                              section_heading, url_from)
from ..core.context import BuildContext
from ..core.handbook import Handbook, RoutineSource
from ..core.map_text import text_version_html
from ..core.maps import with_links
from ..core.markdown_text import ROUTINE_LINK, outside_code, routine_id_of
from ..core.safe_html import is_dangerous_url
from ..core.state import KIND_LABELS, approval_gap, role_label, status_of
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


def map_link_resolver(handbook: Handbook, page_uri: str):
    """Where a map's click link goes from the page built from ``page_uri``.

    ``rutinens-id.md`` (with an optional ``#ankare``) becomes the routine's published
    page; a ``javascript:`` link (reported by RH603) becomes None; anything else stays.
    """

    def resolve(target: str) -> str | None:
        if is_dangerous_url(target):
            return None
        path, hash_sign, anchor = target.partition("#")
        routine_id = routine_id_of(path)
        source = handbook.routines.get(routine_id or "")
        if source is None:
            return target
        return url_from(page_uri, routine_url(source.routine)) + (hash_sign + anchor if anchor else "")

    return resolve


def diagram_html(handbook: Handbook, name: str, page_uri: str) -> str:
    """The Mermaid block and the map's text version, for the page built from ``page_uri``.

    Both come from Mermaid's reading of the map: the block is the map's text with
    its click links pointed at the pages they name, the text version lists every
    step and link (``core.map_text``).
    """
    source, _ = handbook.diagram_text(name)
    chart = handbook.diagram(name)
    if source is None or chart is None:
        return ""
    resolve = map_link_resolver(handbook, page_uri)
    title = chart.title or "Processkarta"
    parts = [
        '<figure class="handbok-processkarta">',
        # The map's own box: it scrolls when the map is larger than readable labels allow
        # (handbok.css, handbok.js), and can be reached and scrolled with the keyboard.
        f'<div class="handbok-kartruta" tabindex="0" role="group" aria-label="Processkarta: {esc(title)}">',
        # Search indexes the text version below, not the Mermaid source (Material's search
        # skips the block and then removes the attribute from the page).
        f'<pre class="mermaid" data-search-exclude="processkarta"><code>{esc(with_links(source, chart, resolve).strip())}</code></pre>',
        "</div>",
        f'<figcaption><span>{esc(title)}</span> <button type="button" class="md-button handbok-visa-storre" '
        f"data-handbok-visa-storre hidden>Visa kartan större</button></figcaption>",
        "</figure>",
        '<details class="abstract handbok-processtext-ruta">',
        f"<summary>Processkartan som text: {esc(title)}</summary>",
    ]
    if chart.description:
        parts.append(f"<p>{esc(chart.description)}</p>")
    parts.append(text_version_html(chart, link_for=resolve))
    parts.append("</details>")
    return "\n".join(parts)


def _responsibilities(handbook: Handbook, routine: model.Routine) -> str:
    order = model.RESPONSIBILITY_KINDS
    rows = []
    for item in sorted(routine.responsibilities, key=lambda r: order.index(r.kind)):
        # Cells separated by a space, so search excerpts do not run them together.
        rows.append(f"<tr><td>{esc(handbook.role_name(item.role))}</td> <td>{esc(KIND_LABELS[item.kind])}</td> "
                    f"<td>{esc(item.task)}</td></tr>")
    head = " ".join(f'<th scope="col">{esc(model.label(model.Responsibility, name))}</th>'
                    for name in ("role", "kind", "task"))
    # No class: Material styles the table like its own and lets it scroll inside its box on a phone.
    return (f'<table data-handbok-tabell="ansvar">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>")


def _legal_basis(handbook: Handbook, routine: model.Routine, today: dt.date | None) -> str:
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
        elif today is not None and legal.in_force_from and legal.in_force_from > today:
            text += f' <em class="handbok-kommande-lagrum">(gäller från {esc(legal.in_force_from)})</em>'
        items.append(text)
    return list_block(items)


AUDIT_TRAIL = "register/revisionssparning.md"


def _answers(handbook: Handbook, routine: model.Routine, page_uri: str) -> str:
    items = []
    for ref, in_part in [(r, False) for r in routine.answers] + [(r, True) for r in routine.answers_in_part]:
        finding = handbook.findings.get(ref)
        if finding is None:
            items.append(esc(ref))
            continue
        partly = ' <span class="handbok-delvis">(besvaras delvis)</span>' if in_part else ""
        # The finding's id is the anchor on the audit trail page, not text for the reader.
        trail = url_from(page_uri, page_url(AUDIT_TRAIL)) + f"#{finding.id}"
        items.append(f"<strong>{esc(finding.municipality)} {esc(finding.year)} ({esc(finding.auditor)})</strong>: "
                     f'{esc(finding.text)}{partly} <a class="handbok-till-sparning" href="{esc(trail)}">'
                     "Se i revisionsspårningen</a>")
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


def routine_markdown(handbook: Handbook, source: RoutineSource, abbreviations: str = "", *, raw=None,
                     today: dt.date | None = None) -> str:
    """The full Markdown of a routine page.

    ``today`` is the build's day: a provision that applies only later is marked with its date.
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
        rendered = diagram_html(handbook, routine.diagram, page_uri)
        if rendered:
            blocks += [f"## {section_heading(MAP_SECTION)}", "", keep(rendered), ""]
    blocks += [rewrite_routine_links(source.body.strip("\n"), handbook, page_uri), ""]
    for name in generated_sections(routine):
        if name == "related":
            section = _related(handbook, routine, page_uri)  # Markdown links: MkDocs resolves them
        else:
            makers = {"responsibilities": _responsibilities,
                      "legal_basis": lambda h, r: _legal_basis(h, r, today),
                      "answers": lambda h, r: _answers(h, r, page_uri)}
            section = keep(makers[name](handbook, routine))
        blocks += [f"## {section_heading(name)}", "", section, ""]
    if abbreviations:
        blocks += ["", abbreviations]
    return "\n".join(blocks)


def tag_links(tags: list[tuple[str, str]], url_to) -> str:
    """The routine's tags at the end of its page, as links to the tags index.

    Names arrive HTML-escaped (``core.state.routine_tags``): they are put in as they are."""
    items = "".join(f'<li><a class="md-tag" href="{esc(url_to(url))}">{name}</a></li>' if url
                    else f'<li><span class="md-tag">{name}</span></li>' for name, url in tags)
    return (f'<nav class="handbok-etiketter" aria-labelledby="handbok-etiketter-rubrik">'
            f'<h2 id="handbok-etiketter-rubrik" class="handbok-etiketter__rubrik">Etiketter</h2>'
            f'<ul class="handbok-etiketter__lista">{items}</ul></nav>')


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


def changed_text(changed, paths: tuple[str, ...], today: dt.date) -> str:
    """When the routine (or its map) last changed, in Swedish, from git (``core.history``)."""
    if changed.is_uncommitted(*paths):
        return f"{today} (ändringen är inte incheckad)"
    day = changed.of(*paths)
    if day:
        return str(day)
    return f"uppgift saknas: {changed.note}" if changed.note else "uppgift saknas"


BANNER_LOOKS = {"utkast": "warning", "ej-faststalld": "danger", "upphavd": "danger", "kommande": "info"}
"""Material's admonition type (colour and icon) of each kind of banner."""


@dataclass
class Banner:
    kind: str  # utkast | ej-faststalld | upphavd | kommande
    text: str
    link_text: str = ""
    link_url: str = ""

    @property
    def look(self) -> str:
        return BANNER_LOOKS[self.kind]


def routine_view(handbook: Handbook, source: RoutineSource, context: BuildContext, url_to) -> dict:
    """Plain values for the metadata box and banners. ``url_to(uri)`` makes a relative URL.

    Everything the box and the banners say about whether the routine applies is the
    core's reader status (``core.state.reader_status``), never the ``status`` field alone.
    """
    routine = source.routine
    role = handbook.roles.get(routine.owner)
    owner = role_label(handbook, routine.owner)
    process = handbook.process_of(routine)
    status = status_of(handbook, context, routine)
    banners: list[Banner] = []
    if status.key in ("utkast", "ej-faststalld", "upphavs"):
        banners.append(Banner("ej-faststalld" if status.key == "ej-faststalld" else "utkast", status.text))
    elif status.key == "upphavd":
        replacement = handbook.routines.get(routine.replaced_by or "")
        if replacement:
            banners.append(Banner("upphavd", status.text.removesuffix(".") + ". Den ersätts av",
                                  replacement.routine.title, url_to(routine_src_uri(replacement.routine))))
        else:
            banners.append(Banner("upphavd", status.text))
    elif status.key == "kommande":
        banners.append(Banner("kommande", status.text))
    approved = status.approved
    claim = routine.approved if approved is None and status.key == "ej-faststalld" else None
    claimed = ""
    if claim:
        why = approval_gap(handbook, routine) or "texten har ändrats sedan beslutet"
        claimed = f"Rutinen anger beslutet {claim.by} {claim.date} ({claim.reference}), men {why}"
    instead = status.in_force_instead
    contact_subject = f"Fråga om rutinen {routine.title}"
    return {
        "id": routine.id,
        "title": routine.title,
        "status": status.key,
        "status_label": status.label,
        "status_text": status.text,
        "in_force": status.in_force,
        "version": routine.version,
        "process": process.title,
        "owner_name": owner.name,
        "owner_unit": owner.unit,
        "owner_contact": role.contact if role and role.contact else "",
        "contact_href": (f"mailto:{role.contact}?subject=" + quote(contact_subject, safe="")) if role and role.contact else "",
        "approved_by": approved.organ if approved else "",
        "approved_date": str(approved.date) if approved else "",
        "approved_reference": approved.reference if approved else "",
        "approved_release": approved.release if approved else "",
        "approved_word": "Upphävd av" if approved and approved.status == "upphävd" else "Fastställd av",
        "claimed": claimed,
        "instead": (f"Version {instead.routine_version}, fastställd av {instead.words} "
                    f"(handbokens version {instead.release})") if instead else "",
        "valid_from": str(approved.valid_from if approved else routine.valid_from or ""),
        "review_by": str(routine.review_by),
        "review_overdue": status.in_force and routine.review_by < context.today,
        "follow_up": routine.follow_up or "",
        "banners": [{**b.__dict__, "look": b.look} for b in banners],
    }

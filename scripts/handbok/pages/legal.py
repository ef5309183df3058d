"""The register *Lagrum*: per provision, the routines resting on it."""

from __future__ import annotations

import re

from ..core.context import BuildContext
from ..core.generated import generated
from ..core.handbook import Handbook, RoutineSource
from ..core.state import law_change_states, legal_state, reader_statuses
from .html import esc, md_text, routine_link, time


def _legal_anchor(ref_id: str) -> str:
    return f"lagrum-{ref_id}"


@generated("register/lagrum.md")
def legal_register(handbook: Handbook, page_uri: str, *, context: BuildContext) -> str:
    """Per legal reference, the routines resting on it; repealed references stand out."""
    statuses = reader_statuses(handbook, context)
    link = lambda source: routine_link(page_uri, source.routine, statuses[source.routine.id])  # noqa: E731
    resting: dict[str, list[RoutineSource]] = {}
    for source in handbook.sorted_routines():
        if statuses[source.routine.id].repealed:
            continue
        for ref in source.routine.legal_basis:
            resting.setdefault(ref, []).append(source)

    lines = ["# Lagrum", "",
             "Bestämmelserna som rutinerna vilar på, i registrets ordning, med de rutiner som hänvisar till "
             "varje bestämmelse. Upphävda rutiner är inte med.", ""]

    def citation_link(ref_id: str) -> str:
        other = handbook.legal.get(ref_id)
        return (f'<a href="#{esc(_legal_anchor(ref_id))}">{esc(other.citation)}</a>' if other
                else f"<code>{esc(ref_id)}</code>")

    lines += _changes(handbook, page_uri, context, citation_link)

    ids = sorted(handbook.legal, key=len, reverse=True)
    mention = re.compile(r"(?<![\w-])(?:\((?P<paren>" + "|".join(map(re.escape, ids)) + r")\)|(?P<bare>"
                         + "|".join(map(re.escape, ids)) + r"))(?![\w-])") if ids else None

    def reader_text(text: str) -> str:
        """A register's text with the ids of provisions in it written as their citations, linked."""
        if mention is None:
            return esc(text)
        parts, at = [], 0
        for match in mention.finditer(text):
            ref = match.group("paren") or match.group("bare")
            link = citation_link(ref)
            parts += [esc(text[at:match.start()]), f"({link})" if match.group("paren") else link]
            at = match.end()
        return "".join(parts) + esc(text[at:])

    stale = [(ref, sources) for ref, sources in resting.items()
             if ref in handbook.legal and legal_state(handbook.legal[ref], context.today) == "upphävd"]
    if stale:
        items = []
        for ref, sources in stale:
            legal = handbook.legal[ref]
            routines = ", ".join(link(s) for s in sources)
            text = f"{citation_link(ref)} (upphävd {esc(legal.in_force_to)}"
            if legal.replaced_by:
                text += f", ersatt av {citation_link(legal.replaced_by)}"
            items.append(f"<li>{text}): {routines}</li>")
        lines += ['<div class="admonition danger handbok-inaktuella-lagrum" role="note">',
                  '<p class="admonition-title">Rutiner som hänvisar till upphävda bestämmelser</p>',
                  "<ul>", *items, "</ul>", "</div>", ""]

    for ref_id, legal in handbook.legal.items():
        state = legal_state(legal, context.today)
        lines += [f"## {md_text(legal.citation)} {{#{_legal_anchor(ref_id)}}}", ""]
        facts = []
        if legal.title:
            facts.append(esc(legal.title))
        if legal.in_force_from:
            word = "Träder i kraft" if state == "kommande" else "I kraft från"
            facts.append(f"{word} {esc(legal.in_force_from)}")
        if legal.url:
            facts.append(f'<a href="{esc(legal.url)}">Författningstexten</a>')
        body = [f'<p class="handbok-lagrum-fakta">{" · ".join(facts)}</p>'] if facts else []
        if state == "upphävd":
            replaced = (f" Ersatt av {citation_link(legal.replaced_by)}." if legal.replaced_by
                        else " Ingen ersättande bestämmelse är angiven.")
            body.append(f'<div class="admonition danger handbok-upphavt-lagrum" data-lagrum="{esc(ref_id)}">'
                        f'<p class="admonition-title">Upphävd – gällde till och med {esc(legal.in_force_to)}.'
                        f"{replaced}</p></div>")
        elif legal.in_force_to:
            body.append(f'<p class="handbok-lagrum-upphor"><strong>Upphör att gälla efter '
                        f"{esc(legal.in_force_to)}.</strong></p>")
        if legal.note:
            body.append(f'<p class="handbok-lagrum-anm"><em>Anmärkning:</em> {reader_text(legal.note)}</p>')
        sources = resting.get(ref_id, [])
        if sources:
            items = "\n".join(f"<li>{link(s)}</li>" for s in sources)
            body.append(f'<ul class="handbok-lagrum-rutiner" data-lagrum="{esc(ref_id)}">\n{items}\n</ul>')
        else:
            body.append(f'<p class="handbok-lagrum-inga" data-lagrum="{esc(ref_id)}">'
                        "Ingen rutin hänvisar till bestämmelsen.</p>")
        lines += [*body, ""]
    if not handbook.legal:
        lines += ["*Lagrumsregistret är tomt.*", ""]
    return "\n".join(lines)


def _changes(handbook: Handbook, page_uri: str, context: BuildContext, citation_link) -> list[str]:
    """Upcoming and recent changes in the law, each with the routines it concerns."""
    shown = [c for c in law_change_states(handbook, context.today) if c.state in ("kommande", "ny")]
    if not shown:
        return []
    lines = ["## Lagändringar som berör rutinerna {#lagandringar}", "",
             "Ändringar som träder i kraft snart eller har trätt i kraft under det senaste året, och de "
             "rutiner i processerna som ändringen berör. En rutin tar upp ändringen när den hänvisar till "
             "bestämmelsen; de andra ska gås igenom.", ""]
    for change in shown:
        legal = change.legal
        when = ("Träder i kraft " if change.state == "kommande" else "Gäller sedan ") + time(legal.in_force_from)
        processes = ", ".join(esc(handbook.processes[p].title if p in handbook.processes else p) for p in legal.affects)
        lines += [f'<div class="handbok-lagandring" data-lagrum="{esc(legal.id)}" data-lage="{change.state}">',
                  f"<p><strong>{citation_link(legal.id)}</strong> – {when}. Berör: {processes}.</p>"]
        if change.accounted:
            items = "".join(f"<li>{routine_link(page_uri, s.routine)}</li>" for s in change.accounted)
            lines.append(f'<p>Tar upp ändringen:</p><ul class="handbok-lagandring-klar">{items}</ul>')
        if change.missing:
            items = "".join(f"<li>{routine_link(page_uri, s.routine)}</li>" for s in change.missing)
            lines.append(f'<p><strong>Ska gås igenom:</strong></p><ul class="handbok-lagandring-saknas">{items}</ul>')
        if not change.routines:
            lines.append("<p>Inga rutiner finns ännu i de processerna.</p>")
        lines += ["</div>", ""]
    return lines

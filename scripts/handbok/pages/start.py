"""The generated parts of the start page, for staff in the middle of a case.

Each is a comment marker on an ordinary page (``core.markdown_text``):
``<!-- handbok: sok -->`` the search form, ``<!-- handbok: utgava -->`` which version of
the handbook this is, ``<!-- handbok: kedjan -->`` the chain step by step with its
routines, ``<!-- handbok: senast-faststallda -->`` what the nämnd approved last (in the
routines' own change notes), ``<!-- handbok: revidering-snart -->`` the routines whose
review is due (for their owners) and ``<!-- ansvar-for-roll: roll … -->`` what those roles
decide, do and follow up. Every status comes from the core's reader status. The parts
are HTML without blank lines (one Markdown block each), with final URLs, as MkDocs does
not rewrite links in HTML.
"""

from __future__ import annotations

from ..core.addresses import page_url, url_from
from ..core.context import BuildContext
from ..core.handbook import Handbook
from ..core.release_notes import approved_changes
from ..core.releases import DECIDED, HEADINGS, REMOVED
from ..core.state import KIND_LABELS, build_status, count, reader_statuses, review_state, role_label
from ..model import RESPONSIBILITY_KINDS
from .html import esc, routine_link, time

REVIEW_PLAN = "register/revideringsplan.md"
CHANGES = "register/senast-andrade.md"
DECISIONS = "beslut-och-versioner.md"
UPCOMING = 3
"""How many routines the start page names as next for review when none is due."""


def _page_link(page_uri: str, target_uri: str, text: str) -> str:
    return f'<a href="{esc(url_from(page_uri, page_url(target_uri)))}">{esc(text)}</a>'


def search_form() -> str:
    """A search field first on the page; handbok.js hands the words to Material's search."""
    return ('<form class="handbok-startsok" role="search" aria-label="Sök i handboken" data-handbok-startsok>'
            '<label for="handbok-startsok-falt">Vad letar du efter?</label>'
            '<span class="handbok-startsok__rad"><input type="search" id="handbok-startsok-falt" name="q" '
            'autocomplete="off" placeholder="T.ex. frånvaro, lönebidrag">'
            '<button type="submit" class="md-button md-button--primary">Sök</button></span></form>')


def edition(handbook: Handbook, context: BuildContext) -> str:
    """Which approved version of the handbook the reader has in front of them (the build's status).

    A draft build says what it is in the draft mark on every page, the start page included."""
    status = build_status(handbook, context)
    if status.draft:
        return ""
    return f'<p class="handbok-utgava">{esc(status.text)}</p>'


def chain(handbook: Handbook, page_uri: str, context: BuildContext) -> str:
    """The processes in the order of the chain, each with its routines (repealed ones left out)."""
    statuses = reader_statuses(handbook, context)
    groups: dict[str, list] = {}
    for source in handbook.sorted_routines():
        if not statuses[source.routine.id].repealed:
            groups.setdefault(source.routine.process, []).append(source)
    items = []
    for process_id, sources in groups.items():
        process = handbook.process_of(sources[0].routine)
        about = f" – {esc(process.description)}" if process.description else ""
        links = "".join(f"<li>{routine_link(page_uri, s.routine, statuses[s.routine.id])}</li>" for s in sources)
        items.append(f'<li data-process="{esc(process_id)}"><p><strong>{esc(process.title)}</strong>{about}</p>'
                     f"<ul>{links}</ul></li>")
    if not items:
        return '<p class="handbok-inga-rutiner">Det finns inga rutiner ännu.</p>'
    return '<ol class="handbok-kedjan">' + "".join(items) + "</ol>"


def latest_approved(handbook: Handbook, page_uri: str) -> str:
    """What the latest approved version of the handbook changed, in the routines' change notes."""
    changes = approved_changes(handbook)
    more = (f'<p class="handbok-fler-andringar">Alla ändringar: {_page_link(page_uri, CHANGES, "Senast ändrade")}'
            f' · {_page_link(page_uri, DECISIONS, "Beslut och versioner")}</p>')
    if not changes:
        return ('<p class="handbok-inga-andringar">Nämnden har inte fastställt någon version av handboken ännu.</p>'
                + more)
    release = changes[0].release
    latest = [c for c in changes if c.release.version == release.version]
    parts = [f'<p class="handbok-senaste-beslut">Version {esc(release.version)}, fastställd av {esc(release.organ)} '
             f"{time(release.date)} ({esc(release.reference)}), gäller från {time(release.valid_from)}.</p>"]
    for kind in DECIDED:
        group = [c for c in latest if c.kind == kind]
        if not group:
            continue
        notes = {c.note for c in group}
        shared = notes.pop() if len(notes) == 1 and None not in notes and len(group) > 1 else None
        heading = f"{esc(HEADINGS[kind])}" + (f" – {esc(shared)}" if shared else "")
        items = []
        for change in group:
            source = handbook.routines.get(change.routine.id)
            name = (routine_link(page_uri, source.routine) if source is not None and kind != REMOVED
                    else esc(change.routine.title))
            note = f" – {esc(change.note)}" if change.note and not shared else ""
            items.append(f"<li>{name} (version {esc(change.routine.version)}){note}</li>")
        parts.append(f'<p class="handbok-andringsslag"><strong>{heading}</strong></p><ul>{"".join(items)}</ul>')
    return "".join(parts) + more


def review_due(handbook: Handbook, page_uri: str, context: BuildContext) -> str:
    """For owners: approved routines whose review is overdue or due soon, else the next ones."""
    statuses = reader_statuses(handbook, context)
    approved = sorted((s for s in handbook.routines.values() if statuses[s.routine.id].decided),
                      key=lambda s: (s.routine.review_by, s.routine.title.casefold()))
    due = [(s, review_state(s.routine, context)) for s in approved]
    soon = [(s, state) for s, state in due if state.key != "i-tid"]
    plan = _page_link(page_uri, REVIEW_PLAN, "Revideringsplanen")
    if soon:
        lead = (f"Läget den {time(context.today)}: {count(len(soon), 'rutin', 'rutiner')} ska revideras inom "
                f"{context.review_warning_days} dagar eller är försenade.")
        shown = soon
    elif due:
        lead = (f"Läget den {time(context.today)}: ingen rutin ska revideras inom {context.review_warning_days} "
                "dagar. Närmast på tur:")
        shown = due[:UPCOMING]
    else:
        return f'<p class="handbok-revidering-snart">Det finns inga fastställda rutiner att revidera. {plan} visar alla.</p>'
    items = []
    for source, state in shown:
        routine = source.routine
        label = f"<strong>{esc(state.label)}</strong>" if state.key != "i-tid" else ""
        items.append(f'<li data-lage="{state.key}">{routine_link(page_uri, routine)} – revideras senast '
                     f"{time(routine.review_by)} av {esc(role_label(handbook, routine.owner).name)}"
                     + (f". {label}" if label else "") + "</li>")
    return (f'<p class="handbok-revidering-snart">{lead}</p><ul class="handbok-revidering-lista">{"".join(items)}</ul>'
            f"<p>{plan} visar alla rutiner med datum och läge.</p>")


def responsibilities_for(handbook: Handbook, role_ids: list[str], page_uri: str, context: BuildContext) -> str:
    """What the roles decide, do and follow up, routine by routine, as a collapsible section."""
    statuses = reader_statuses(handbook, context)
    wanted = list(dict.fromkeys(role_ids))
    several = len(wanted) > 1
    by_kind: dict[str, list[str]] = {kind: [] for kind in RESPONSIBILITY_KINDS}
    routines_of: dict[str, set[str]] = {kind: set() for kind in RESPONSIBILITY_KINDS}
    for source in handbook.sorted_routines():
        routine = source.routine
        if statuses[routine.id].repealed:
            continue
        for item in routine.responsibilities:
            if item.role not in wanted:
                continue
            who = f" <span class=\"handbok-roll-namn\">({esc(handbook.role_name(item.role))})</span>" if several else ""
            by_kind[item.kind].append(f"<li>{routine_link(page_uri, routine, statuses[routine.id])}: "
                                      f"{esc(item.task)}{who}</li>")
            routines_of[item.kind].add(routine.id)
    names = " / ".join(handbook.role_name(rid) for rid in wanted)
    counts = ", ".join(f"{KIND_LABELS[kind].lower()} i {count(len(routines_of[kind]), 'rutin', 'rutiner')}"
                       for kind in RESPONSIBILITY_KINDS if by_kind[kind])
    parts = [f'<details class="handbok-rollansvar" data-roller="{esc(" ".join(wanted))}">',
             f"<summary><strong>{esc(names)}</strong>" + (f" – {esc(counts)}" if counts else "") + "</summary>"]
    if not counts:
        parts.append("<p>Rollen har inget beskrivet ansvar i någon rutin.</p>")
    for kind in RESPONSIBILITY_KINDS:
        if by_kind[kind]:
            parts.append(f'<p class="handbok-ansvarsslag"><strong>{esc(KIND_LABELS[kind])}</strong></p>'
                         f'<ul data-ansvar="{esc(kind)}">{"".join(by_kind[kind])}</ul>')
    parts.append("</details>")
    return "".join(parts)


def start_part(name: str, handbook: Handbook, page_uri: str, context: BuildContext) -> str:
    """One ``<!-- handbok: name -->`` marker's HTML."""
    if name == "sok":
        return search_form()
    if name == "utgava":
        return edition(handbook, context)
    if name == "kedjan":
        return chain(handbook, page_uri, context)
    if name == "senast-faststallda":
        return latest_approved(handbook, page_uri)
    return review_due(handbook, page_uri, context)

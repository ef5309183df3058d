"""The registers: generated overviews that answer an auditor's or a new
employee's question in one click, from the routines' own data.

This module has the Register section's index, Rutinregister,
Ansvarsfördelning and Revideringsplan; ``legal``, ``audit``, ``changes`` and
``tags`` have the others. What the pages show (review state, statuses,
labels) is computed in ``core.state``. Links are computed as final directory
URLs (``core.addresses``) because MkDocs does not rewrite links inside raw HTML.
"""

from __future__ import annotations

import json

from ..core.addresses import relative_uri
from ..core.completeness import missing_kinds
from ..core.context import BuildContext
from ..core.generated import generated, register_pages
from ..core.handbook import Handbook, RoutineSource
from ..core.state import KIND_LABELS, count, reader_statuses, review_rule, review_state
from ..model import RESPONSIBILITY_KINDS
from .html import col, esc, md_text, role_name, routine_link, table, time


def _version_key(version: str) -> str:
    return ".".join(part.zfill(6) for part in version.split("."))


# --- section index ------------------------------------------------------------------


@generated("register/index.md")
def register_index(handbook: Handbook, page_uri: str) -> str:
    """The Register section's start page: what each register answers."""
    lines = ["# Register", "",
             "Registren byggs från rutinernas egna uppgifter varje gång handboken publiceras. "
             "De förs inte för hand och kan därför inte glida isär från rutinerna.", ""]
    for page in register_pages():
        lines.append(f"- [{md_text(page.title)}]({relative_uri(page_uri, page.uri)}) – {md_text(page.purpose)}")
    return "\n".join(lines) + "\n"


# --- Rutinregister ------------------------------------------------------------------


@generated("register/rutinregister.md")
def routine_register(handbook: Handbook, page_uri: str, *, context: BuildContext) -> str:
    """Every routine in one sortable, filterable table, with its status for the reader."""
    order = {pid: index for index, pid in enumerate(handbook.processes)}
    statuses = reader_statuses(handbook, context)
    sources = handbook.sorted_routines()
    rows = []
    for source in sources:
        routine = source.routine
        status = statuses[routine.id]
        process = handbook.process_of(routine)
        valid_from = str(status.valid_from) if status.valid_from and status.decided else ""
        # Cells are separated by a space: search and copied text must not run them together.
        rows.append(" ".join([
            f'<tr data-rutin="{esc(routine.id)}" data-status="{esc(status.key)}">'
            f'<th scope="row">{routine_link(page_uri, routine)}</th>',
            f'<td data-sorteringsvarde="{order.get(routine.process, len(order)):04d}">{esc(process.title)}</td>',
            f"<td>{esc(role_name(handbook, routine.owner))}</td>",
            f'<td><span class="handbok-status handbok-status--{esc(status.key)}">{esc(status.label)}</span></td>',
            f'<td data-sorteringsvarde="{esc(_version_key(routine.version))}">{esc(routine.version)}</td>',
            f"<td>{time(valid_from) if valid_from else '–'}</td>",
            f"<td>{time(routine.review_by)}</td>",
            "</tr>"]))
    head = [col("Rutin", "text"), col("Process", "text"), col("Rutinägare", "text"),
            col("Status", "text"), col("Version", "text"), col("Gäller från", "text"),
            col("Nästa revidering", "text")]
    total = len(sources)
    summary = count(total, "rutin", "rutiner")
    parts = [
        "# Rutinregister", "",
        "Alla rutiner i handboken, också utkast och upphävda rutiner. "
        "Sortera genom att välja en kolumnrubrik. Skriv i filterfältet för att bara visa rader som innehåller texten.",
        "",
        '<div class="handbok-filter" data-handbok-filter-for="handbok-rutinregister" hidden>'
        '<label for="handbok-rutinregister-filter">Filtrera rutiner</label> '
        '<input type="search" id="handbok-rutinregister-filter" autocomplete="off" '
        'aria-controls="handbok-rutinregister" aria-describedby="handbok-rutinregister-antal">'
        "</div>",
        f'<p id="handbok-rutinregister-antal" class="handbok-antal" role="status" data-total="{total}">{summary}.</p>',
        "",
        table("handbok-rutinregister", f"Rutinregister: {summary}", head, rows, kind="rutinregister",
               sortable=True),
        "",
    ]
    return "\n".join(parts)


# --- Ansvarsfördelning --------------------------------------------------------------


@generated("register/ansvarsfordelning.md")
def responsibilities(handbook: Handbook, page_uri: str, *, context: BuildContext) -> str:
    """Per role: the routines it owns and what it decides, carries out and follows up."""
    statuses = reader_statuses(handbook, context)
    active = [s for s in handbook.sorted_routines() if not statuses[s.routine.id].repealed]
    link = lambda source: routine_link(page_uri, source.routine, statuses[source.routine.id])  # noqa: E731
    role_ids = list(handbook.roles)
    for source in active:  # roles missing from the register still get a section
        for role_id in [source.routine.owner] + [r.role for r in source.routine.responsibilities]:
            if role_id not in role_ids:
                role_ids.append(role_id)

    owned: dict[str, list[RoutineSource]] = {rid: [] for rid in role_ids}
    tasks: dict[str, dict[str, list[tuple[RoutineSource, str]]]] = {
        rid: {kind: [] for kind in RESPONSIBILITY_KINDS} for rid in role_ids}
    for source in active:
        routine = source.routine
        owned[routine.owner].append(source)
        for item in routine.responsibilities:
            tasks[item.role][item.kind].append((source, item.task))

    lines = ["# Ansvarsfördelning", "",
             "Vilka rutiner varje roll äger, och vad rollen beslutar, utför och följer upp i varje rutin. "
             "Upphävda rutiner är inte med.", ""]

    # Overview: one row per role, with the counts.
    rows = []
    for rid in role_ids:
        counts = " ".join(f"<td>{len(tasks[rid][kind])}</td>" for kind in RESPONSIBILITY_KINDS)
        rows.append(f'<tr data-roll="{esc(rid)}"><th scope="row"><a href="#roll-{esc(rid)}">'
                    f"{esc(role_name(handbook, rid))}</a></th> <td>{len(owned[rid])}</td> {counts}</tr>")
    head = [col("Roll"), col("Äger")] + [col(KIND_LABELS[k]) for k in RESPONSIBILITY_KINDS]
    lines += [table("", "Antal rutiner per roll och ansvar", head, rows, kind="ansvarsoversikt"), ""]

    # Routines where a kind of responsibility is missing: the audits' "unclear responsibility".
    gaps = []
    for source in active:
        missing = [KIND_LABELS[k].lower() for k in missing_kinds(source.routine)]
        if missing:
            gaps.append(f"<li>{link(source)}: ingen roll "
                        f"{esc(' eller '.join(missing))}</li>")
    if gaps:
        lines += ['<div class="admonition warning handbok-ansvarsluckor">',
                  '<p class="admonition-title">Rutiner där ansvaret inte är helt beskrivet</p>',
                  "<ul>", *gaps, "</ul>", "</div>", ""]

    for rid in role_ids:
        role = handbook.roles.get(rid)
        lines += [f"## {md_text(role_name(handbook, rid))} {{#roll-{rid}}}", ""]
        if role is None:
            lines += [f'<p class="handbok-saknas">Rollen <code>{esc(rid)}</code> finns inte i rollregistret.</p>', ""]
        else:
            about = esc(role.unit)
            if role.contact:
                about += f' · <a href="mailto:{esc(role.contact)}">{esc(role.contact)}</a>'
            lines += [f'<p class="handbok-roll-enhet">{about}</p>', ""]
        owns = owned[rid]
        if owns:
            items = "\n".join(f"<li>{link(s)}</li>" for s in owns)
            lines += [f'<p><strong>Rutinägare för {count(len(owns), "rutin", "rutiner")}:</strong></p>',
                      f'<ul class="handbok-ager" data-roll="{esc(rid)}">\n{items}\n</ul>', ""]
        else:
            lines += ['<p class="handbok-ager-inga">Äger ingen rutin.</p>', ""]
        groups = []
        for kind in RESPONSIBILITY_KINDS:
            if not tasks[rid][kind]:
                continue
            body = "\n".join(
                f"<tr><th scope=\"row\">{link(s)}</th> <td>{esc(task)}</td></tr>"
                for s, task in tasks[rid][kind])
            groups.append(f'<tbody data-ansvar="{esc(kind)}">\n<tr><th scope="rowgroup" colspan="2" '
                          f'class="handbok-ansvarsgrupp">{esc(KIND_LABELS[kind])}</th></tr>\n{body}\n</tbody>')
        if groups:
            lines += [f'<table data-handbok-tabell="rollansvar" data-roll="{esc(rid)}">\n'
                      f"<caption>Ansvar för {esc(role_name(handbook, rid))} i rutinerna</caption>\n"
                      f"<thead><tr>{col('Rutin')}{col('Uppgift')}</tr></thead>\n"
                      + "\n".join(groups) + "\n</table>", ""]
        else:
            lines += ['<p class="handbok-ansvar-inga">Har inget beskrivet ansvar i någon rutin.</p>', ""]
    return "\n".join(lines)


# --- Revideringsplan ----------------------------------------------------------------


@generated("register/revideringsplan.md")
def review_plan(handbook: Handbook, page_uri: str, *, context: BuildContext) -> str:
    """Approved routines by review date: overdue first, then those due soon."""
    statuses = reader_statuses(handbook, context)
    in_force = sorted((s for s in handbook.routines.values() if statuses[s.routine.id].decided),
                      key=lambda s: (s.routine.review_by, s.routine.title.casefold()))
    states = [review_state(s.routine, context) for s in in_force]
    overdue = sum(1 for state in states if state.key == "forsenad")
    soon = sum(1 for state in states if state.key == "snart")
    rows = []
    for source, state in zip(in_force, states):
        routine = source.routine
        label = f"<strong>{esc(state.label)}</strong>" if state.key != "i-tid" else esc(state.label)
        rows.append(" ".join([
            f'<tr data-lage="{state.key}" data-revidera="{esc(routine.review_by)}">'
            f"<td>{time(routine.review_by)}</td>",
            f'<th scope="row">{routine_link(page_uri, routine, statuses[routine.id])}</th>',
            f"<td>{esc(role_name(handbook, routine.owner))}</td>",
            f"<td>{esc(routine.version)}</td>",
            f'<td><span class="handbok-lage handbok-lage--{state.key}">{label}</span></td>',
            "</tr>"]))
    drafts = [s for s in handbook.sorted_routines() if not statuses[s.routine.id].decided
              and not statuses[s.routine.id].repealed]
    lines = [
        "# Revideringsplan", "",
        "Fastställda rutiner i den ordning de ska revideras. Försenade revideringar står först, "
        f"sedan de som ska revideras inom {context.review_warning_days} dagar. "
        "Revideringsdatumet flyttas bara när nämnden fastställer en ny version.", "",
        # register.js applies the same rule (core.state.review_rule) again with the reader's
        # date when the page is older than today.
        f'<p class="handbok-revideringsläge" data-idag="{context.today}" '
        f'data-varningsdagar="{context.review_warning_days}" data-regel="{esc(json.dumps(review_rule(context), ensure_ascii=False))}">Läget den '
        f'<time datetime="{context.today}">{context.today}</time>: '
        f"<strong>{count(overdue, 'försenad revidering', 'försenade revideringar')}</strong>, "
        f"{count(soon, 'rutin', 'rutiner')} ska revideras inom {context.review_warning_days} dagar.</p>", "",
    ]
    if rows:
        head = [col("Revideras senast"), col("Rutin"), col("Rutinägare"), col("Version"), col("Läge")]
        lines += [table("handbok-revideringsplan", "Revideringsplan för gällande rutiner", head, rows,
                         kind="revideringsplan"), ""]
    else:
        lines += ["*Det finns inga gällande rutiner.*", ""]
    if drafts:
        items = "\n".join(f"<li>{routine_link(page_uri, s.routine, statuses[s.routine.id])} – "
                          f"planerad revidering {esc(s.routine.review_by)}</li>" for s in drafts)
        lines += ["## Utkast och ej fastställda rutiner", "",
                  "De gäller inte och revideras när nämnden har fastställt dem.", "",
                  f'<ul class="handbok-utkast">\n{items}\n</ul>', ""]
    return "\n".join(lines)

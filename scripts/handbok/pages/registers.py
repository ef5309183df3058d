"""The registers: generated overviews that answer an auditor's or a new
employee's question in one click, from the routines' own data.

Rutinregister, Ansvarsfördelning, Revideringsplan, Lagrum, Revisionsspårning,
Senast ändrade and the tags index (Etiketter), plus an index page for the
section. Every value from front
matter or a register is escaped (``esc`` in HTML, ``md_text`` in Markdown).
Links are computed as final directory URLs (like ``Handbook.url_of``) because
MkDocs does not rewrite links inside raw HTML.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from dataclasses import dataclass

from ..checks import CheckContext
from ..handbook import Handbook, RoutineSource
from ..history import routine_changes
from ..model import RESPONSIBILITY_KINDS, AuditFinding, LegalReference, Routine
from ..render import STATUS_LABELS, esc, md_text
from . import generated

# (uri, title, what it answers) – the section's index lists them in this order.
REGISTER_PAGES = [
    ("register/rutinregister.md", "Rutinregister", "Alla rutiner med ägare, status, version och datum."),
    ("register/ansvarsfordelning.md", "Ansvarsfördelning", "Vad varje roll äger, beslutar, utför och följer upp."),
    ("register/revideringsplan.md", "Revideringsplan", "När varje rutin ska revideras; försenade först."),
    ("register/lagrum.md", "Lagrum", "Vilka rutiner som vilar på varje bestämmelse; upphävda lagrum markerade."),
    ("register/revisionssparning.md", "Revisionsspårning",
     "Varje rekommendation från granskningarna och de rutiner som besvarar den."),
    ("register/senast-andrade.md", "Senast ändrade", "De senaste ändringarna i rutinerna."),
    ("register/etiketter.md", "Etiketter", "Rutinerna efter process, målgrupp och roll."),
    ("begrepp.md", "Begrepp", "Ord och förkortningar som används i rutinerna."),
]

KIND_HEADINGS = {"beslutar": "Beslutar", "utför": "Utför", "följer upp": "Följer upp"}


# --- links --------------------------------------------------------------------------


def page_url(uri: str) -> str:
    """The directory URL MkDocs gives a source file (``a/b.md`` → ``a/b/``)."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def url_from(page_uri: str, target_url: str) -> str:
    """A relative URL from the page built from ``page_uri`` to a directory URL of the site."""
    relative = posixpath.relpath(target_url or ".", page_url(page_uri) or ".")
    return "./" if relative == "." else relative + "/"


def routine_link(handbook: Handbook, page_uri: str, routine: Routine, *, mark_status: bool = True) -> str:
    """An HTML link to a routine, with its status after the title unless it is in force."""
    link = f'<a href="{esc(url_from(page_uri, handbook.url_of(routine)))}">{esc(routine.title)}</a>'
    if mark_status and routine.status != "gällande":
        link += f' <span class="handbok-status handbok-status--{esc(routine.status)}">' \
                f"({esc(STATUS_LABELS[routine.status].lower())})</span>"
    return link


def _role_name(handbook: Handbook, role_id: str) -> str:
    role = handbook.roles.get(role_id)
    return role.name if role else role_id


def _table(table_id: str, caption: str, head: list[str], rows: list[str], *, kind: str,
           sortable: bool = False) -> str:
    """An accessible HTML table. It has no class, so Material styles it (and
    makes it scroll sideways) like a Markdown table; ``data-handbok-tabell``
    names it for styles, scripts and tests."""
    attrs = f' id="{esc(table_id)}"' if table_id else ""
    sort = " data-handbok-sorterbar" if sortable else ""
    return (f'<table{attrs} data-handbok-tabell="{esc(kind)}"{sort}>\n'
            f"<caption>{esc(caption)}</caption>\n<thead><tr>{''.join(head)}</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>")


def _col(label: str, sort: str = "") -> str:
    kind = f' data-sortera="{sort}"' if sort else ""
    return f'<th scope="col"{kind}>{esc(label)}</th>'


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _time(day: object) -> str:
    return f'<time datetime="{esc(day)}">{esc(day)}</time>'


def _version_key(version: str) -> str:
    return ".".join(part.zfill(6) for part in version.split("."))


# --- section index ------------------------------------------------------------------


@generated("register/index.md")
def register_index(handbook: Handbook, page_uri: str) -> str:
    """The Register section's start page: what each register answers."""
    lines = ["# Register", "",
             "Registren byggs från rutinernas egna uppgifter varje gång handboken publiceras. "
             "De förs inte för hand och kan därför inte glida isär från rutinerna.", ""]
    for uri, title, purpose in REGISTER_PAGES:
        link = posixpath.relpath(uri, posixpath.dirname(page_uri) or ".")
        lines.append(f"- [{md_text(title)}]({link}) – {md_text(purpose)}")
    return "\n".join(lines) + "\n"


# --- Rutinregister ------------------------------------------------------------------


@generated("register/rutinregister.md")
def routine_register(handbook: Handbook, page_uri: str) -> str:
    """Every routine in one sortable, filterable table."""
    order = {pid: index for index, pid in enumerate(handbook.processes)}
    sources = handbook.sorted_routines()
    rows = []
    for source in sources:
        routine = source.routine
        process = handbook.process_of(routine)
        valid_from = str(routine.valid_from) if routine.valid_from else ""
        rows.append(
            f'<tr data-status="{esc(routine.status)}">'
            f"<td><code>{esc(routine.id)}</code></td>"
            f'<th scope="row">{routine_link(handbook, page_uri, routine, mark_status=False)}</th>'
            f'<td data-sorteringsvarde="{order.get(routine.process, len(order)):04d}">{esc(process.title)}</td>'
            f"<td>{esc(_role_name(handbook, routine.owner))}</td>"
            f'<td><span class="handbok-status handbok-status--{esc(routine.status)}">'
            f"{esc(STATUS_LABELS[routine.status])}</span></td>"
            f'<td data-sorteringsvarde="{esc(_version_key(routine.version))}">{esc(routine.version)}</td>'
            f"<td>{_time(valid_from) if valid_from else '–'}</td>"
            f"<td>{_time(routine.review_by)}</td>"
            "</tr>")
    head = [_col("Id", "text"), _col("Rutin", "text"), _col("Process", "text"), _col("Rutinägare", "text"),
            _col("Status", "text"), _col("Version", "text"), _col("Gäller från", "text"),
            _col("Nästa revidering", "text")]
    total = len(sources)
    summary = _count(total, "rutin", "rutiner")
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
        _table("handbok-rutinregister", f"Rutinregister: {summary}", head, rows, kind="rutinregister",
               sortable=True),
        "",
    ]
    return "\n".join(parts)


# --- Ansvarsfördelning --------------------------------------------------------------


@generated("register/ansvarsfordelning.md")
def responsibilities(handbook: Handbook, page_uri: str) -> str:
    """Per role: the routines it owns and what it decides, carries out and follows up."""
    active = [s for s in handbook.sorted_routines() if s.routine.status != "upphävd"]
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
        counts = "".join(f"<td>{len(tasks[rid][kind])}</td>" for kind in RESPONSIBILITY_KINDS)
        rows.append(f'<tr data-roll="{esc(rid)}"><th scope="row"><a href="#roll-{esc(rid)}">'
                    f"{esc(_role_name(handbook, rid))}</a></th><td>{len(owned[rid])}</td>{counts}</tr>")
    head = [_col("Roll"), _col("Äger")] + [_col(KIND_HEADINGS[k]) for k in RESPONSIBILITY_KINDS]
    lines += [_table("", "Antal rutiner per roll och ansvar", head, rows, kind="ansvarsoversikt"), ""]

    # Routines where a kind of responsibility is missing: the audits' "unclear responsibility".
    gaps = []
    for source in active:
        present = {item.kind for item in source.routine.responsibilities}
        missing = [KIND_HEADINGS[k].lower() for k in RESPONSIBILITY_KINDS if k not in present]
        if missing:
            gaps.append(f"<li>{routine_link(handbook, page_uri, source.routine)}: ingen roll "
                        f"{esc(' eller '.join(missing))}</li>")
    if gaps:
        lines += ['<div class="admonition warning handbok-ansvarsluckor">',
                  '<p class="admonition-title">Rutiner där ansvaret inte är helt beskrivet</p>',
                  "<ul>", *gaps, "</ul>", "</div>", ""]

    for rid in role_ids:
        role = handbook.roles.get(rid)
        lines += [f"## {md_text(_role_name(handbook, rid))} {{#roll-{rid}}}", ""]
        if role is None:
            lines += [f'<p class="handbok-saknas">Rollen <code>{esc(rid)}</code> finns inte i rollregistret.</p>', ""]
        else:
            about = esc(role.unit)
            if role.contact:
                about += f' · <a href="mailto:{esc(role.contact)}">{esc(role.contact)}</a>'
            lines += [f'<p class="handbok-roll-enhet">{about}</p>', ""]
        owns = owned[rid]
        if owns:
            items = "\n".join(f"<li>{routine_link(handbook, page_uri, s.routine)}</li>" for s in owns)
            lines += [f'<p><strong>Rutinägare för {_count(len(owns), "rutin", "rutiner")}:</strong></p>',
                      f'<ul class="handbok-ager" data-roll="{esc(rid)}">\n{items}\n</ul>', ""]
        else:
            lines += ['<p class="handbok-ager-inga">Äger ingen rutin.</p>', ""]
        groups = []
        for kind in RESPONSIBILITY_KINDS:
            if not tasks[rid][kind]:
                continue
            body = "\n".join(
                f"<tr><th scope=\"row\">{routine_link(handbook, page_uri, s.routine)}</th><td>{esc(task)}</td></tr>"
                for s, task in tasks[rid][kind])
            groups.append(f'<tbody data-ansvar="{esc(kind)}">\n<tr><th scope="rowgroup" colspan="2" '
                          f'class="handbok-ansvarsgrupp">{esc(KIND_HEADINGS[kind])}</th></tr>\n{body}\n</tbody>')
        if groups:
            lines += [f'<table data-handbok-tabell="rollansvar" data-roll="{esc(rid)}">\n'
                      f"<caption>Ansvar för {esc(_role_name(handbook, rid))} i rutinerna</caption>\n"
                      f"<thead><tr>{_col('Rutin')}{_col('Uppgift')}</tr></thead>\n"
                      + "\n".join(groups) + "\n</table>", ""]
        else:
            lines += ['<p class="handbok-ansvar-inga">Har inget beskrivet ansvar i någon rutin.</p>', ""]
    return "\n".join(lines)


# --- Revideringsplan ----------------------------------------------------------------


@dataclass(frozen=True)
class ReviewState:
    key: str     # forsenad | snart | i-tid
    label: str


def review_state(routine: Routine, context: CheckContext) -> ReviewState:
    """Whether a routine's review is overdue, due soon, or in time, on ``context.today``."""
    days = (routine.review_by - context.today).days
    if days < 0:
        return ReviewState("forsenad", f"Försenad sedan {_count(-days, 'dag', 'dagar')}")
    if days == 0:
        return ReviewState("snart", "Ska revideras i dag")
    if days <= context.review_warning_days:
        return ReviewState("snart", f"Ska revideras inom {_count(days, 'dag', 'dagar')}")
    return ReviewState("i-tid", "I tid")


@generated("register/revideringsplan.md")
def review_plan(handbook: Handbook, page_uri: str, *, context: CheckContext) -> str:
    """Routines in force by review date: overdue first, then those due soon."""
    in_force = sorted((s for s in handbook.routines.values() if s.routine.status == "gällande"),
                      key=lambda s: (s.routine.review_by, s.routine.title.casefold()))
    states = [review_state(s.routine, context) for s in in_force]
    overdue = sum(1 for state in states if state.key == "forsenad")
    soon = sum(1 for state in states if state.key == "snart")
    rows = []
    for source, state in zip(in_force, states):
        routine = source.routine
        label = f"<strong>{esc(state.label)}</strong>" if state.key != "i-tid" else esc(state.label)
        rows.append(
            f'<tr data-lage="{state.key}" data-revidera="{esc(routine.review_by)}">'
            f"<td>{_time(routine.review_by)}</td>"
            f'<th scope="row">{routine_link(handbook, page_uri, routine)}</th>'
            f"<td>{esc(_role_name(handbook, routine.owner))}</td>"
            f"<td>{esc(routine.version)}</td>"
            f'<td><span class="handbok-lage handbok-lage--{state.key}">{label}</span></td>'
            "</tr>")
    drafts = [s for s in handbook.sorted_routines() if s.routine.status == "utkast"]
    lines = [
        "# Revideringsplan", "",
        "Gällande rutiner i den ordning de ska revideras. Försenade revideringar står först, "
        f"sedan de som ska revideras inom {context.review_warning_days} dagar. "
        "Revideringsdatumet flyttas bara när nämnden fastställer en ny version.", "",
        # register.js recomputes the states with the reader's date when the page is older than today.
        f'<p class="handbok-revideringsläge" data-idag="{context.today}" '
        f'data-varningsdagar="{context.review_warning_days}">Läget den '
        f'<time datetime="{context.today}">{context.today}</time>: '
        f"<strong>{_count(overdue, 'försenad revidering', 'försenade revideringar')}</strong>, "
        f"{_count(soon, 'rutin', 'rutiner')} ska revideras inom {context.review_warning_days} dagar.</p>", "",
    ]
    if rows:
        head = [_col("Revideras senast"), _col("Rutin"), _col("Rutinägare"), _col("Version"), _col("Läge")]
        lines += [_table("handbok-revideringsplan", "Revideringsplan för gällande rutiner", head, rows,
                         kind="revideringsplan"), ""]
    else:
        lines += ["*Det finns inga gällande rutiner.*", ""]
    if drafts:
        items = "\n".join(f"<li>{routine_link(handbook, page_uri, s.routine, mark_status=False)} – "
                          f"planerad revidering {esc(s.routine.review_by)}</li>" for s in drafts)
        lines += ["## Utkast", "", "Utkast gäller inte än och revideras när de har fastställts.", "",
                  f'<ul class="handbok-utkast">\n{items}\n</ul>', ""]
    return "\n".join(lines)


# --- Lagrum -------------------------------------------------------------------------


def _legal_anchor(ref_id: str) -> str:
    return f"lagrum-{ref_id}"


def legal_state(legal: LegalReference, today: dt.date) -> str:
    """``upphävd``, ``kommande`` or ``gällande`` on ``today``."""
    if legal.in_force_to and legal.in_force_to < today:
        return "upphävd"
    if legal.in_force_from and legal.in_force_from > today:
        return "kommande"
    return "gällande"


@generated("register/lagrum.md")
def legal_register(handbook: Handbook, page_uri: str, *, context: CheckContext) -> str:
    """Per legal reference, the routines resting on it; repealed references stand out."""
    resting: dict[str, list[RoutineSource]] = {}
    for source in handbook.sorted_routines():
        if source.routine.status == "upphävd":
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

    stale = [(ref, sources) for ref, sources in resting.items()
             if ref in handbook.legal and legal_state(handbook.legal[ref], context.today) == "upphävd"]
    if stale:
        items = []
        for ref, sources in stale:
            legal = handbook.legal[ref]
            routines = ", ".join(routine_link(handbook, page_uri, s.routine) for s in sources)
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
            body.append(f'<p class="handbok-lagrum-anm"><em>Anmärkning:</em> {esc(legal.note)}</p>')
        sources = resting.get(ref_id, [])
        if sources:
            items = "\n".join(f"<li>{routine_link(handbook, page_uri, s.routine)}</li>" for s in sources)
            body.append(f'<ul class="handbok-lagrum-rutiner" data-lagrum="{esc(ref_id)}">\n{items}\n</ul>')
        else:
            body.append(f'<p class="handbok-lagrum-inga" data-lagrum="{esc(ref_id)}">'
                        "Ingen rutin hänvisar till bestämmelsen.</p>")
        lines += [*body, ""]
    if not handbook.legal:
        lines += ["*Lagrumsregistret är tomt.*", ""]
    return "\n".join(lines)


# --- Revisionsspårning ----------------------------------------------------------------


@dataclass(frozen=True)
class FindingState:
    key: str                 # besvarad | under-arbete | oppen | saknar-svar
    label: str
    routines: tuple[RoutineSource, ...]


def finding_states(handbook: Handbook) -> dict[str, FindingState]:
    """How each audit recommendation stands: answered by routines, open with a reason, or neither.

    A recommendation is answered by the routines in force that list it in
    ``answers``; one answered only by drafts is "under arbete"; repealed
    routines answer nothing.
    """
    answering: dict[str, list[RoutineSource]] = {fid: [] for fid in handbook.findings}
    for source in handbook.sorted_routines():
        if source.routine.status == "upphävd":
            continue
        for ref in source.routine.answers:
            if ref in answering:
                answering[ref].append(source)
    states = {}
    for fid, finding in handbook.findings.items():
        sources = tuple(answering[fid])
        if any(s.routine.status == "gällande" for s in sources):
            states[fid] = FindingState("besvarad", "Besvarad", sources)
        elif sources:
            states[fid] = FindingState("under-arbete", "Under arbete – besvaras av utkast", sources)
        elif finding.open_reason:
            states[fid] = FindingState("oppen", "Öppen", sources)
        else:
            states[fid] = FindingState("saknar-svar", "Öppen – saknar svar och motivering", sources)
    return states


def _report_key(finding: AuditFinding) -> tuple:
    return (finding.municipality, finding.year, finding.auditor, finding.report)


@generated("register/revisionssparning.md")
def audit_trace(handbook: Handbook, page_uri: str) -> str:
    """Every audit recommendation with the routines that answer it; open ones with their reason."""
    states = finding_states(handbook)
    counts = {key: sum(1 for s in states.values() if s.key == key)
              for key in ("besvarad", "under-arbete", "oppen", "saknar-svar")}
    lines = [
        "# Revisionsspårning", "",
        "Varje rekommendation från granskningarna och de gällande rutiner som besvarar den. "
        "En rekommendation som ingen rutin besvarar står som öppen med motiveringen till varför.", "",
        f'<p class="handbok-revisionslage">{_count(len(states), "rekommendation", "rekommendationer")}: '
        f"{counts['besvarad']} besvarade, {counts['under-arbete']} under arbete, "
        f"{counts['oppen']} öppna med motivering, "
        f"<strong>{counts['saknar-svar']} saknar svar och motivering</strong>.</p>", "",
    ]
    unexplained = [fid for fid, s in states.items() if s.key == "saknar-svar"]
    if unexplained:
        items = "\n".join(f'<li><a href="#{esc(fid)}">{esc(fid)}</a>: {esc(handbook.findings[fid].text)}</li>'
                          for fid in unexplained)
        lines += ['<div class="admonition danger handbok-saknar-svar" role="note">',
                  '<p class="admonition-title">Saknar svar och motivering</p>',
                  "<p>Ingen rutin besvarar de här rekommendationerna, och registret anger inte varför. "
                  "Koppla en rutin med <code>answers</code> eller skriv <code>open_reason</code> "
                  "i <code>routines/register/revisionsfynd.yml</code>.</p>",
                  f"<ul>\n{items}\n</ul>", "</div>", ""]

    reports: dict[tuple, list[AuditFinding]] = {}
    for finding in handbook.findings.values():
        reports.setdefault(_report_key(finding), []).append(finding)
    for (municipality, year, auditor, report), findings in reports.items():
        lines += [f"## {md_text(municipality)} {year} – {md_text(auditor)}", "",
                  f'<p class="handbok-rapport"><em>{esc(report)}</em></p>', ""]
        rows = []
        for finding in findings:
            state = states[finding.id]
            if state.routines:
                answer = "<ul>" + "".join(f"<li>{routine_link(handbook, page_uri, s.routine)}</li>"
                                          for s in state.routines) + "</ul>"
            elif state.key == "oppen":
                answer = f'<p class="handbok-oppen-motivering">{esc(finding.open_reason)}</p>'
            else:
                answer = '<p class="handbok-oppen-motivering">–</p>'
            rows.append(
                f'<tr id="{esc(finding.id)}" data-fynd="{esc(finding.id)}" data-lage="{state.key}">'
                f'<th scope="row">{esc(finding.text)} <small><code>{esc(finding.id)}</code></small></th>'
                f'<td><span class="handbok-fynd handbok-fynd--{state.key}">{esc(state.label)}</span></td>'
                f"<td>{answer}</td></tr>")
        head = [_col("Rekommendation"), _col("Läge"), _col("Besvaras av / motivering")]
        caption = f"Rekommendationer från {municipality} {year} ({auditor})"
        lines += [_table("", caption, head, rows, kind="revisionsfynd"), ""]
    if not handbook.findings:
        lines += ["*Registret över revisionsfynd är tomt.*", ""]
    return "\n".join(lines)


# --- Senast ändrade -------------------------------------------------------------------


@generated("register/senast-andrade.md")
def recent_changes(handbook: Handbook, page_uri: str) -> str:
    """Recent changes to routine files, from git history."""
    history = routine_changes(handbook.root)
    lines = ["# Senast ändrade", "",
             "De senaste ändringarna i rutinerna, nyast först, ur handbokens versionshistorik. "
             "Varje rad är en incheckad ändring av en rutin. Vad som gäller avgörs av rutinens "
             "status och fastställelse, som syns på rutinens sida.", ""]
    if history.note:
        return "\n".join(lines + [f'<p class="handbok-historik-saknas">{esc(history.note)}</p>', ""])
    if not history.changes:
        return "\n".join(lines + ['<p class="handbok-historik-saknas">Inga ändringar av rutiner är incheckade ännu.</p>',
                                  ""])
    rows = []
    for change in history.changes:
        source = handbook.routines.get(change.routine_id)
        if source is not None:
            name = routine_link(handbook, page_uri, source.routine)
        else:
            name = f"<code>{esc(change.routine_id)}</code> <span>(finns inte längre)</span>"
        rows.append(f'<tr data-rutin="{esc(change.routine_id)}">'
                    f"<td>{_time(change.date)}</td>"
                    f'<th scope="row">{name}</th><td>{esc(change.subject)}</td></tr>')
    head = [_col("Datum"), _col("Rutin"), _col("Ändring")]
    lines += [_table("handbok-senast-andrade", f"De {len(rows)} senaste ändringarna i rutinerna", head, rows,
                     kind="senast-andrade"), ""]
    return "\n".join(lines)


# --- Etiketter ----------------------------------------------------------------------

TAG_GROUPS = ("Process", "Målgrupp", "Roll")


def routine_tags(handbook: Handbook, routine: Routine) -> dict[str, list[str]]:
    """A routine's tags by group: its process, target groups and roles (``audience``).

    Names are HTML-escaped: Material prints tag names into its templates as
    HTML, without escaping them.
    """
    groups = {
        "Process": [handbook.process_of(routine).title],
        "Målgrupp": list(routine.target_groups),
        "Roll": [handbook.roles[r].name for r in routine.audience if r in handbook.roles],
    }
    return {group: [esc(name) for name in dict.fromkeys(names)] for group, names in groups.items()}


def tag_names(handbook: Handbook, routine: Routine) -> list[str]:
    """All of a routine's tags, for ``page.meta['tags']``."""
    return list(dict.fromkeys(name for names in routine_tags(handbook, routine).values() for name in names))


def _listing_directive(names: list[str]) -> str:
    # The directive's options are YAML; JSON strings are valid YAML, and
    # escaping '>' keeps a name from closing the HTML comment early.
    include = json.dumps(names, ensure_ascii=False).replace(">", "\\u003e")
    return f"<!-- material/tags {{ include: {include} }} -->"


@generated("register/etiketter.md")
def tags_index(handbook: Handbook, page_uri: str) -> str:
    """The tags index by group; Material's tags plugin fills each listing with the tagged routines."""
    found: dict[str, set[str]] = {group: set() for group in TAG_GROUPS}
    for source in handbook.routines.values():
        for group, names in routine_tags(handbook, source.routine).items():
            found[group].update(names)
    lines = ["# Etiketter", "",
             "Rutinerna efter process, målgrupp och roll. Etiketterna står under rubriken på varje rutin; "
             "välj en etikett där för att se alla rutiner med samma etikett.", ""]
    for group in TAG_GROUPS:
        lines += [f"## {group}", ""]
        # An empty include list would mean "every tag", so an empty group gets a sentence instead.
        if found[group]:
            lines += [_listing_directive(sorted(found[group], key=str.casefold)), ""]
        else:
            lines += ["*Inga rutiner har etiketter av det här slaget ännu.*", ""]
    return "\n".join(lines)

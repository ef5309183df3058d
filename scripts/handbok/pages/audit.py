"""The register *Revisionsspårning*: every audit finding and the routines that answer it."""

from __future__ import annotations

from ..core.context import BuildContext
from ..core.generated import generated
from ..core.handbook import Handbook
from ..core.state import count, finding_states, reader_statuses
from ..model import AuditFinding
from .html import col, esc, md_text, routine_link, table


def _source(finding: AuditFinding) -> str:
    """Where a finding comes from, as a reader names it: "Testby 2024 (Revisorerna)"."""
    return f"{finding.municipality} {finding.year} ({finding.auditor})"


def _report_key(finding: AuditFinding) -> tuple:
    return (finding.municipality, finding.year, finding.auditor, finding.report)


@generated("register/revisionssparning.md")
def audit_trace(handbook: Handbook, page_uri: str, *, context: BuildContext) -> str:
    """Every audit recommendation with the routines that answer it; open ones with their reason."""
    states = finding_states(handbook, context)
    statuses = reader_statuses(handbook, context)
    link = lambda source: routine_link(page_uri, source.routine, statuses[source.routine.id])  # noqa: E731
    counts = {key: sum(1 for s in states.values() if s.key == key)
              for key in ("besvarad", "delvis", "under-arbete", "oppen", "saknar-svar")}
    recommendations = sum(1 for f in handbook.findings.values() if f.kind == "rekommendation")
    assessments = len(handbook.findings) - recommendations
    found = count(recommendations, "rekommendation", "rekommendationer")
    if assessments:
        found += " och " + count(assessments, "bedömning", "bedömningar")
    lines = [
        "# Revisionsspårning", "",
        "Varje rekommendation och bedömning från granskningarna och de gällande rutiner som besvarar den. "
        "Ett fynd som ingen rutin besvarar står som öppet med motiveringen till varför.", "",
        f'<p class="handbok-revisionslage">{found}: '
        f"{counts['besvarad']} besvarade, "
        + (f"{counts['delvis']} delvis besvarade, " if counts["delvis"] else "")
        + f"{counts['under-arbete']} under arbete, "
        f"{counts['oppen']} öppna med motivering, "
        f"<strong>{counts['saknar-svar']} saknar svar och motivering</strong>.</p>", "",
    ]
    unexplained = [fid for fid, s in states.items() if s.key == "saknar-svar"]
    if unexplained:
        items = "\n".join(f'<li><a href="#{esc(fid)}">{esc(_source(handbook.findings[fid]))}</a>: '
                          f"{esc(handbook.findings[fid].text)}</li>" for fid in unexplained)
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
            if state.routines or state.in_part:
                answer = "<ul>" + "".join(f"<li>{link(s)}</li>" for s in state.routines) \
                    + "".join(f'<li>{link(s)} <span class="handbok-delvis">(delvis)</span></li>'
                              for s in state.in_part) + "</ul>"
            elif state.key == "oppen":
                answer = f'<p class="handbok-oppen-motivering">{esc(finding.open_reason)}</p>'
            else:
                answer = '<p class="handbok-oppen-motivering">–</p>'
            kind = '<span class="handbok-fyndtyp">Bedömning:</span> ' if finding.kind == "bedömning" else ""
            # The finding's id is its anchor (the routine pages link here), not text for the reader.
            rows.append(
                f'<tr id="{esc(finding.id)}" data-fynd="{esc(finding.id)}" data-lage="{state.key}">'
                f'<th scope="row">{kind}{esc(finding.text)}</th> '
                f'<td><span class="handbok-fynd handbok-fynd--{state.key}">{esc(state.label)}</span></td> '
                f"<td>{answer}</td></tr>")
        head = [col("Fynd"), col("Läge"), col("Besvaras av / motivering")]
        caption = f"Fynd från {municipality} {year} ({auditor})"
        lines += [table("", caption, head, rows, kind="revisionsfynd"), ""]
    if not handbook.findings:
        lines += ["*Registret över revisionsfynd är tomt.*", ""]
    return "\n".join(lines)

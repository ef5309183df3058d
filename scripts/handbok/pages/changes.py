"""The register *Senast ändrade*: what has changed in the routines, in the routines' own words.

Two tables, newest first: the changes the nämnd has approved (from the releases
register and the proposal it decided on, each with the approved version's
``change_note``), and the changes on their way (routines whose current text no
release approved: drafts and new versions, with their ``change_note`` and the day
the file last changed in git). Commit messages are never shown: they are written
for the people who keep the repository, in their own language.
"""

from __future__ import annotations

from ..core.context import BuildContext
from ..core.generated import generated
from ..core.handbook import Handbook
from ..core.history import routine_changes
from ..core.release_notes import approved_changes
from ..core.releases import REMOVED
from ..core.state import reader_statuses
from .html import col, esc, routine_link, table, time

KIND_WORDS = {"ny": "Ny rutin", "andrad": "Ändrad", "upphavd": "Upphävd", "borttagen": "Borttagen ur handboken",
              "granskad": "Granskad utan ändring, nytt revideringsdatum"}
"""A decided change in a table cell (the beslutsunderlag's headings, ``core.releases.HEADINGS``, shortened)."""


@generated("register/senast-andrade.md")
def recent_changes(handbook: Handbook, page_uri: str, *, context: BuildContext) -> str:
    """Approved changes from the releases register, and changes on their way, newest first."""
    statuses = reader_statuses(handbook, context)
    lines = ["# Senast ändrade", "",
             "Vad som har ändrats i rutinerna, nyast först: först det nämnden har fastställt, sedan ändringar "
             "som är på väg men ännu inte gäller. Texten är rutinens egen ändringsanteckning.", ""]

    rows = []
    for change in approved_changes(handbook):
        release, entry = change.release, change.routine
        source = handbook.routines.get(entry.id)
        if source is not None and change.kind != REMOVED:
            name = routine_link(page_uri, source.routine)
        else:
            name = f"{esc(entry.title)} <span>(finns inte längre)</span>" if source is None else esc(entry.title)
        what = f"{esc(KIND_WORDS[change.kind])}, version {esc(entry.version)}."
        if change.note:
            what += f" {esc(change.note)}"
        rows.append(f'<tr data-rutin="{esc(entry.id)}" data-version="{esc(release.version)}">'
                    f"<td>{time(release.date)}</td> "
                    f'<th scope="row">{name}</th> <td>{what}</td> '
                    f"<td>Fastställd i handbokens version {esc(release.version)} "
                    f"({esc(release.reference)}), gäller från {esc(release.valid_from)}</td></tr>")
    lines += ["## Fastställda ändringar", ""]
    if rows:
        head = [col("Beslutsdatum"), col("Rutin"), col("Ändring"), col("Beslut")]
        lines += [table("handbok-faststallda-andringar", "Ändringar som nämnden har fastställt", head, rows,
                        kind="faststallda-andringar"), ""]
    else:
        lines += ['<p class="handbok-inga-andringar">Nämnden har inte fastställt någon version av handboken ännu.</p>',
                  ""]

    history = routine_changes(handbook.root)
    last_changed: dict[str, object] = {}
    for commit in history.changes:
        last_changed.setdefault(commit.routine_id, commit.date)
    coming = [s for s in handbook.sorted_routines() if not statuses[s.routine.id].decided
              and not statuses[s.routine.id].repealed]
    coming.sort(key=lambda s: str(last_changed.get(s.routine.id, "")), reverse=True)
    lines += ["## På väg – gäller inte än", "",
              "Utkast och nya versioner som nämnden ännu inte har beslutat om. Tills dess gäller den "
              "fastställda versionen, om det finns någon.", ""]
    if history.note:
        lines += [f'<p class="handbok-historik-saknas">{esc(history.note)}</p>', ""]
    if coming:
        rows = []
        for source in coming:
            routine = source.routine
            status = statuses[routine.id]
            day = last_changed.get(routine.id)
            what = f"Version {esc(routine.version)}."
            if routine.change_note:
                what += f" {esc(routine.change_note)}"
            rows.append(f'<tr data-rutin="{esc(routine.id)}" data-status="{esc(status.key)}">'
                        f"<td>{time(day) if day else '–'}</td> "
                        f'<th scope="row">{routine_link(page_uri, routine)}</th> <td>{what}</td> '
                        f'<td><span class="handbok-status handbok-status--{esc(status.key)}">{esc(status.label)}'
                        "</span></td></tr>")
        head = [col("Senast ändrad"), col("Rutin"), col("Ändring"), col("Läge")]
        lines += [table("handbok-pagaende-andringar", "Ändringar som ännu inte gäller", head, rows,
                        kind="pagaende-andringar"), ""]
    else:
        lines += ['<p class="handbok-inga-andringar">Inga ändringar väntar på beslut.</p>', ""]
    return "\n".join(lines)

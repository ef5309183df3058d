"""The register *Senast ändrade*: recent changes to routines, from git history."""

from __future__ import annotations

from ..core.generated import generated
from ..core.handbook import Handbook
from ..core.history import routine_changes
from .html import col, esc, routine_link, table, time


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
            name = routine_link(page_uri, source.routine)
        else:
            name = f"<code>{esc(change.routine_id)}</code> <span>(finns inte längre)</span>"
        rows.append(f'<tr data-rutin="{esc(change.routine_id)}">'
                    f"<td>{time(change.date)}</td>"
                    f'<th scope="row">{name}</th><td>{esc(change.subject)}</td></tr>')
    head = [col("Datum"), col("Rutin"), col("Ändring")]
    lines += [table("handbok-senast-andrade", f"De {len(rows)} senaste ändringarna i rutinerna", head, rows,
                     kind="senast-andrade"), ""]
    return "\n".join(lines)

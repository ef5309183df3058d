"""Small HTML and Markdown pieces every page uses: escaping, links, tables, dates.

Every value from front matter or a register goes through ``esc`` (HTML) or
``md_text`` (Markdown) before it reaches a page.
"""

from __future__ import annotations

import html
import re

from .. import model
from ..core.addresses import routine_url, url_from
from ..core.handbook import Handbook
from ..core.state import ReaderStatus

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#+!|])")


def esc(value: object) -> str:
    """Text safe to put into HTML, attributes included."""
    return html.escape(str(value), quote=True)


def md_text(value: str) -> str:
    """Text safe to put into Markdown: HTML-escaped and Markdown syntax neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", esc(value))


def routine_link(page_uri: str, routine: model.Routine, status: ReaderStatus | None = None) -> str:
    """An HTML link to a routine; with its reader ``status`` after the title unless it is in force."""
    link = f'<a href="{esc(url_from(page_uri, routine_url(routine)))}">{esc(routine.title)}</a>'
    if status is not None and not status.in_force:
        link += " " + status_mark(status)
    return link


def status_mark(status: ReaderStatus) -> str:
    """The reader status in parentheses, as lists and registers write it after a title."""
    return (f'<span class="handbok-status handbok-status--{esc(status.key)}">'
            f"({esc(status.label[:1].lower() + status.label[1:])})</span>")


def role_name(handbook: Handbook, role_id: str) -> str:
    return handbook.role_name(role_id)


def table(table_id: str, caption: str, head: list[str], rows: list[str], *, kind: str,
          sortable: bool = False) -> str:
    """An accessible HTML table. It has no class, so Material styles it (and
    makes it scroll sideways) like a Markdown table; ``data-handbok-tabell``
    names it for styles, scripts and tests."""
    attrs = f' id="{esc(table_id)}"' if table_id else ""
    sort = " data-handbok-sorterbar" if sortable else ""
    return (f'<table{attrs} data-handbok-tabell="{esc(kind)}"{sort}>\n'
            f"<caption>{esc(caption)}</caption>\n<thead><tr>{''.join(head)}</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>")


def col(label: str, sort: str = "") -> str:
    kind = f' data-sortera="{sort}"' if sort else ""
    return f'<th scope="col"{kind}>{esc(label)}</th>'


def time(day: object) -> str:
    return f'<time datetime="{esc(day)}">{esc(day)}</time>'


def list_block(items: list[str]) -> str:
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"

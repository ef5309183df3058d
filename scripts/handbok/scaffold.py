"""``handbok new``: a new routine and its process map from the templates.

The templates live in ``templates/`` (package data): ``rutin.md`` with the
front matter and the body's sections, and ``processkarta.mmd`` with a small
flowchart that already has ``accTitle`` and ``accDescr``. The new routine is a
draft (``utkast``) with ``review_by`` one year ahead and no errors in ``handbok
check``; the completeness rules (RH9xx, ``checks.completeness``) warn about what it
still lacks before it can be approved, and ``handbok new`` lists them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .core.handbook import DIAGRAMS_DIR, ROUTINES_DIR, Handbook
from .core.templates import MAP, ROUTINE, template
from .model import slugify

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(Exception):
    """A refusal with a Swedish message and a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class NewRoutine:
    routine: Path
    diagram: Path | None


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def routine_id(title: str) -> str:
    """An id from a title: ``Uppföljning av insats`` → ``uppfoljning-av-insats``."""
    return slugify(title)


def _suggest(value: str, known) -> str:
    guess = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f" Menade du '{guess[0]}'?" if guess else ""


def _yaml_text(value: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar: safe for any title.
    return json.dumps(" ".join(value.split()), ensure_ascii=False)


def validate_choice(handbook: Handbook, *, process: str, owner: str) -> None:
    if handbook.processes and process not in handbook.processes:
        raise ScaffoldError(f"processen '{process}' finns inte i processregistret.{_suggest(process, handbook.processes)}",
                            "Tillåtna processer: " + ", ".join(handbook.processes) + ".")
    if owner not in handbook.roles:
        raise ScaffoldError(f"rollen '{owner}' finns inte i rollregistret.{_suggest(owner, handbook.roles)}",
                            "Ange rutinägarens roll-id ur routines/register/roller.yml.")


def create(handbook: Handbook, *, title: str, process: str, owner: str, summary: str,
           identifier: str | None = None, today: dt.date | None = None, with_diagram: bool = True) -> NewRoutine:
    """Write ``routines/<id>.md`` (and ``diagrams/<id>.mmd``); refuse to overwrite anything."""
    title = " ".join(title.split())
    summary = " ".join(summary.split())
    if not title:
        raise ScaffoldError("titeln är tom", "Ange rutinens titel med --titel.")
    if not summary:
        raise ScaffoldError("sammanfattningen är tom", "Ange en mening om vad rutinen gäller med --sammanfattning.")
    identifier = identifier or routine_id(title)
    if not _ID.match(identifier):
        raise ScaffoldError(f"'{identifier}' kan inte vara ett id",
                            "Ett id skrivs med gemener a–z, siffror och bindestreck, t.ex. uppfoljning-av-insats.")
    validate_choice(handbook, process=process, owner=owner)
    routine_path = handbook.root / ROUTINES_DIR / f"{identifier}.md"
    diagram_path = handbook.root / DIAGRAMS_DIR / f"{identifier}.mmd"
    if identifier in handbook.routines or routine_path.exists():
        raise ScaffoldError(f"det finns redan en rutin med id '{identifier}'",
                            "Ett id används bara en gång. Välj ett annat id med --id.")
    if with_diagram and diagram_path.exists():
        raise ScaffoldError(f"processkartan {DIAGRAMS_DIR}/{diagram_path.name} finns redan",
                            "Välj ett annat id med --id, eller skapa rutinen utan karta (--utan-karta).")
    review_by = one_year_after(today or dt.date.today())
    text = template(ROUTINE).substitute(
        id=identifier, title=_yaml_text(title), summary=_yaml_text(summary), process=_yaml_text(process),
        owner=owner, review_by=review_by.isoformat(), diagram=f"{identifier}.mmd" if with_diagram else "null",
    )
    routine_path.parent.mkdir(parents=True, exist_ok=True)
    routine_path.write_text(text, encoding="utf-8")
    if not with_diagram:
        return NewRoutine(routine_path, None)
    diagram_path.parent.mkdir(parents=True, exist_ok=True)
    diagram_path.write_text(template(MAP).substitute(title=title), encoding="utf-8")
    return NewRoutine(routine_path, diagram_path)

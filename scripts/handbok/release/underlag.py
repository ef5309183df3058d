"""The beslutsunderlag: a print-ready Swedish HTML document for the board.

Built from a ``Plan`` with a Jinja template (autoescaped; the diff HTML is
made from escaped text in ``diff``). The document is self-contained: styles
inline, no fonts, scripts or images from anywhere, so it can be mailed,
archived and printed to PDF from any browser.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markdown

from .. import model
from ..core.completeness import Requirement, requirements
from ..core.handbook import Handbook, RoutineSource
from ..core.map_text import text_version_html
from ..core.state import KIND_LABELS, STATUS_LABELS, role_label
from . import diff
from .plan import (CHANGED, DRAFT, HEADINGS, NEW, REMOVED, REPEALED, REVIEWED, UNCHANGED, Plan, Previous,
                   RoutineChange)

TEMPLATES = Path(__file__).parent / "templates"

# Fields shown elsewhere in the document or set by the decision itself.
_NOT_COMPARED = {"id", "version", "change_note", "approved", "valid_from"}


@dataclass
class RoutineView:
    change: RoutineChange
    owner: str = ""
    version_before: str = ""
    version_after: str = ""
    change_note: str = ""
    summary: str = ""
    review_before: str = ""
    review_after: str = ""
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    text_hunks: list[diff.Hunk] = field(default_factory=list)
    diagram_name: str = ""
    diagram_hunks: list[diff.Hunk] = field(default_factory=list)
    body: str = ""
    body_html: str = ""
    diagram_text_html: str = ""
    replaced_by: str = ""
    # What a routine in force must say, and what this one says (prepare refuses one that lacks any).
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.change.id

    @property
    def title(self) -> str:
        return self.change.title

    @property
    def kind(self) -> str:
        return self.change.kind


def _value(handbook: Handbook, key: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if key == "owner":
        return handbook.role_name(value)
    if key == "status":
        return STATUS_LABELS.get(value, str(value))
    if key == "responsibilities":
        return "; ".join(f"{handbook.role_name(r['role'])} ({KIND_LABELS.get(r['kind'], r['kind']).lower()}): {r['task']}"
                         for r in value)
    if key == "audience":
        return ", ".join(handbook.role_name(r) for r in value)
    if key == "legal_basis":
        return "; ".join(handbook.legal[r].citation if r in handbook.legal else r for r in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _field_changes(handbook: Handbook, before: model.Routine, after: model.Routine) -> list[tuple[str, str, str]]:
    old = before.model_dump(mode="json")
    new = after.model_dump(mode="json")
    rows = []
    for key in model.Routine.model_fields:
        if key in _NOT_COMPARED or old.get(key) == new.get(key):
            continue
        rows.append((model.label(model.Routine, key), _value(handbook, key, old.get(key)),
                     _value(handbook, key, new.get(key))))
    return rows


def _markdown(body: str) -> str:
    """A new routine's text as HTML for reading on paper. '<' is escaped first, so no
    markup an editor typed (and no script) reaches the document."""
    text = body.replace("&", "&amp;").replace("<", "&lt;")
    # The routine's own headings sit under the routine's heading (h4 and below).
    text = re.sub(r"^(#{1,3})(?=\s)", lambda m: "#" * (len(m.group(1)) + 3), text, flags=re.MULTILINE)
    return markdown.markdown(text,
                             extensions=["tables", "sane_lists", "def_list", "admonition"], output_format="html")


def _owner(handbook: Handbook, role_id: str) -> str:
    return str(role_label(handbook, role_id))  # as the handbook's pages show the owner


def routine_view(handbook: Handbook, change: RoutineChange, previous: Previous | None) -> RoutineView:
    view = RoutineView(change)
    current: RoutineSource | None = change.current
    before: RoutineSource | None = previous.routine(change.id) if previous and change.previous else None
    routine = current.routine if current else None
    if routine:
        view.owner = _owner(handbook, routine.owner)
        view.version_after = routine.version
        view.change_note = routine.change_note or ""
        view.summary = routine.summary
        view.review_after = str(routine.review_by)
        if routine.replaced_by:
            other = handbook.routines.get(routine.replaced_by)
            view.replaced_by = other.routine.title if other else routine.replaced_by
    elif change.previous:
        view.owner = _owner(handbook, change.previous.owner)
    if change.previous:
        view.version_before = change.previous.version
        view.review_before = str(change.previous.review_by)
    if current is not None and change.kind in (NEW, CHANGED, REVIEWED):
        view.requirements = requirements(handbook, current)
    if change.kind == CHANGED and current is not None:
        if before is not None:
            view.fields = _field_changes(handbook, before.routine, current.routine)
            if change.text_changed:
                view.text_hunks = diff.hunks(before.body.strip("\n"), current.body.strip("\n"))
        name = current.routine.diagram
        old_name = before.routine.diagram if before is not None else None
        if name or old_name:
            view.diagram_name = name or old_name or ""
            old_text = previous.diagram(old_name) if previous and old_name else ""
            new_text, _ = handbook.diagram_text(name) if name else ("", None)
            if (old_text or "") != (new_text or ""):
                view.diagram_hunks = diff.hunks((old_text or "").strip("\n"), (new_text or "").strip("\n"))
    if change.kind == NEW and current is not None:
        view.body = current.body.strip("\n")
        view.body_html = _markdown(view.body)
        if routine.diagram:
            chart = handbook.diagram(routine.diagram)
            if chart is not None:
                view.diagram_name = routine.diagram
                # A document for the board has no pages to link to: the steps as text only.
                view.diagram_text_html = text_version_html(chart, anchor=f"{routine.id}-steg-")
    return view


def decision_text(plan: Plan, organ: str, valid_from: dt.date | None) -> list[str]:
    """The proposed decision as 'att'-clauses, the way a Swedish protocol writes them."""
    start = str(valid_from) if valid_from else "[datum]"
    clauses = [f"att fastställa Rutinhandboken version {plan.version} att gälla från och med {start}"]

    def titles(kind: str) -> str:
        names = [c.title for c in plan.of_kind(kind)]
        return ", ".join(names[:-1]) + " och " + names[-1] if len(names) > 1 else names[0]

    if plan.of_kind(NEW):
        clauses.append(f"att fastställa {'den nya rutinen' if len(plan.of_kind(NEW)) == 1 else 'de nya rutinerna'} {titles(NEW)}")
    if plan.of_kind(CHANGED):
        clauses.append(f"att fastställa ändringarna i {'rutinen' if len(plan.of_kind(CHANGED)) == 1 else 'rutinerna'} {titles(CHANGED)}")
    if plan.of_kind(REPEALED) or plan.of_kind(REMOVED):
        names = [c.title for c in plan.of_kind(REPEALED) + plan.of_kind(REMOVED)]
        joined = ", ".join(names[:-1]) + " och " + names[-1] if len(names) > 1 else names[0]
        clauses.append(f"att upphäva {'rutinen' if len(names) == 1 else 'rutinerna'} {joined}")
    if plan.of_kind(REVIEWED):
        clauses.append(f"att fastställa nya revideringsdatum för {'rutinen' if len(plan.of_kind(REVIEWED)) == 1 else 'rutinerna'} "
                       f"{titles(REVIEWED)}, som granskats utan ändring")
    if plan.renamed_roles:
        names = [f"{new} (tidigare {old})" for old, new in plan.renamed_roles.values()]
        joined = ", ".join(names[:-1]) + " och " + names[-1] if len(names) > 1 else names[0]
        clauses.append(f"att fastställa {'det nya rollnamnet' if len(names) == 1 else 'de nya rollnamnen'} {joined} "
                       "på de gällande rutinernas sidor")
    clauses[-1] += "."
    return [f"{organ} beslutar"] + clauses


def render(handbook: Handbook, plan: Plan, previous: Previous | None, *, today: dt.date, organ: str,
           valid_from: dt.date | None, head: str | None) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                     trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    sections = []
    for kind in (NEW, CHANGED, REPEALED, REMOVED, REVIEWED):
        views = [routine_view(handbook, c, previous) for c in plan.of_kind(kind)]
        sections.append({"kind": kind, "heading": HEADINGS[kind], "routines": views})
    overdue = [{"title": s.routine.title, "id": s.routine.id, "review_by": str(s.routine.review_by),
                "owner": _owner(handbook, s.routine.owner)} for s in plan.overdue(today)]
    base = plan.base
    return environment.get_template("beslutsunderlag.html").render(
        plan=plan,
        version=plan.version,
        base=base,
        today=str(today),
        organ=organ,
        head=(head or "")[:12],
        decision=decision_text(plan, organ, valid_from),
        sections=sections,
        counts={kind: len(plan.of_kind(kind)) for kind in HEADINGS},
        headings=HEADINGS,
        unchanged=[c for c in plan.of_kind(UNCHANGED)],
        drafts=[c for c in plan.of_kind(DRAFT)],
        overdue=overdue,
        renamed_roles=[{"id": rid, "old": old, "new": new} for rid, (old, new) in sorted(plan.renamed_roles.items())],
    )

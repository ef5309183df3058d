"""Round-trip edits of a routine's front matter (ruamel), for ``approve``.

Only the keys the decision sets are touched (``status``, ``approved``,
``valid_from``); comments, key order, quoting and the Markdown body are kept.
The edited text is read back with the one model and compared with what was
intended, so a surprise in the YAML round trip stops the release instead of
changing a routine.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from . import ReleaseError
from ..core.loader import routine_from_text


def _yaml(front: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    # Keep the file's own list indentation ("  - item" or "- item").
    if re.search(r"^ {2}- ", front, re.MULTILINE):
        yaml.indent(mapping=2, sequence=4, offset=2)
    else:
        yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _set(data: CommentedMap, key: str, value, after: tuple[str, ...]) -> None:
    if key in data:
        data[key] = value
        return
    position = len(data)
    for previous in after:
        if previous in data:
            position = list(data).index(previous) + 1
            break
    data.insert(position, key, value)


def approve_text(text: str, display: str, *, organ: str, date: dt.date, reference: str,
                 valid_from: dt.date | None, make_in_force: bool) -> str:
    """The routine file's text after the decision.

    ``valid_from`` is the release's first day; a routine that is new or changed
    applies from then (or from its own later date). None keeps the routine's
    date: a routine reviewed without change has applied all along.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if lines[0].strip() != "---" or end is None:
        raise ReleaseError(f"{display}: framsidesdata saknas", "Kör 'handbok check' och rätta filen.")
    front = "\n".join(lines[1:end]) + "\n"
    yaml = _yaml(front)
    data = yaml.load(front)
    old_approved = data.get("approved")
    approved = CommentedMap([("by", organ), ("date", date), ("reference", DoubleQuotedScalarString(reference))])
    if isinstance(old_approved, CommentedMap) and old_approved.fa.flow_style():
        approved.fa.set_flow_style()
    if make_in_force:
        data["status"] = "gällande"
    _set(data, "approved", approved, ("owner", "version", "status"))
    current_from = data.get("valid_from")
    if not isinstance(current_from, dt.date) or isinstance(current_from, dt.datetime):
        current_from = None
    if valid_from is None:
        start = current_from
    else:
        start = valid_from
        if current_from is not None and current_from > valid_from:
            start = current_from  # the routine itself begins to apply later than the release
        _set(data, "valid_from", start, ("approved",))
    out = io.StringIO()
    yaml.dump(data, out)
    result = "\n".join(["---", out.getvalue().rstrip("\n"), *lines[end:]])
    _verify(text, result, display, organ, date, reference, start, make_in_force)
    return bom + result.replace("\n", newline)


def _verify(before_text: str, after_text: str, display: str, organ: str, date: dt.date, reference: str,
            valid_from: dt.date | None, make_in_force: bool) -> None:
    before = routine_from_text(before_text.lstrip("\ufeff"), display)
    after = routine_from_text(after_text, display)
    if before is None or after is None:
        raise ReleaseError(f"{display}: framsidesdata gick inte att läsa efter ändringen",
                           "Inget har ändrats. Kör 'handbok check' och rapportera felet om kontrollen är utan anmärkning.")
    changed = {"approved", "valid_from", "status"}
    old = before.routine.model_dump(exclude=changed)
    new = after.routine.model_dump(exclude=changed)
    routine = after.routine
    ok = (old == new and before.body == after.body and routine.approved is not None
          and (routine.approved.by, routine.approved.date, routine.approved.reference) == (organ, date, reference)
          and routine.valid_from == valid_from
          and (routine.status == "gällande" if make_in_force else routine.status == before.routine.status))
    if not ok:
        raise ReleaseError(f"{display}: ändringen av framsidesdata gav inte det väntade resultatet",
                           "Inget har ändrats. Rapportera felet till den som förvaltar handbokens verktyg.")


def approve_file(path: Path, display: str, **decision) -> str:
    return approve_text(path.read_text(encoding="utf-8"), display, **decision)

"""The rule registry: codes, their documentation, and running the rules.

Topic modules register rules with ``@rule`` and loader codes with
``declare``; see ``handbok.checks`` for how a rule is written.
"""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass
from typing import Callable, Iterable

from ..core.context import BuildContext
from ..core.handbook import Handbook, RoutineSource
from ..problems import Problem, ProblemList, Severity


@dataclass(frozen=True)
class Code:
    """One check code and its documentation for editors."""

    code: str
    topic: str
    title: str
    severity: Severity
    meaning: str
    fix: str
    example: str = ""
    # Where findings come from: a rule of the checker, or the loader reading files.
    origin: str = "regel"
    # The severity of the same finding in a draft, when it differs (the completeness rules:
    # an error in a routine in force, a warning in a draft).
    draft_severity: Severity | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    topic: str
    title: str
    function: Callable[[Handbook, BuildContext], Iterable[Problem]]
    # Date-driven findings are shown on the page itself (banner) and must not
    # stop a rebuild of an unchanged handbook; they still fail 'handbok check'.
    in_build: bool = True
    # What a rule finds in a routine's file depends on that routine alone (and on the registers,
    # the docs pages and the maps), and it finds nothing about one routine in another file: a
    # rebuild after a routine's text changed may run it on the changed routines only and keep
    # what it found in every other file (``run_checks(edited=...)``). Links between routines,
    # duplicates and anything comparing routines are not per routine.
    per_routine: bool = False


RULES: dict[str, Rule] = {}
CODES: dict[str, Code] = {}


def parse_doc(doc: str | None) -> tuple[str, str, str]:
    """(meaning, fix, example) from a rule's docstring."""
    text = inspect.cleandoc(doc or "")
    meaning, _, rest = text.partition("\nRätta:")
    fix, _, example = rest.partition("\nExempel:")
    return meaning.strip(), fix.strip(), inspect.cleandoc(example) if example.strip() else ""


def _register_code(code: str, topic: str, title: str, severity: Severity, doc: str | None, origin: str,
                   draft_severity: Severity | None = None) -> None:
    if code in CODES:
        raise ValueError(f"duplicate check code {code}")
    meaning, fix, example = parse_doc(doc)
    CODES[code] = Code(code, topic, title, severity, meaning, fix, example, origin, draft_severity)


def rule(code: str, topic: str, title: str, *, in_build: bool = True, severity: Severity = Severity.ERROR,
         draft_severity: Severity | None = None, per_routine: bool = False):
    """Register a rule; its docstring documents the code (see the module docstring)."""
    def register(function):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        _register_code(code, topic, title, severity, function.__doc__, "regel", draft_severity)
        RULES[code] = Rule(code, topic, title, function, in_build, per_routine)
        return function

    return register


def declare(code: str, topic: str, title: str, doc: str, *, severity: Severity = Severity.ERROR) -> None:
    """Declare a code that the loader reports (it has no rule function)."""
    _register_code(code, topic, title, severity, doc, "inläsning")


def run_checks(handbook: Handbook, context: BuildContext | None = None, *, in_build: bool = False,
               found: dict[str, list[Problem]] | None = None, edited: set[str] | None = None) -> ProblemList:
    """Loader problems plus every rule's findings, sorted by place.

    ``found``, when given, is filled with each rule's findings (by code). With ``edited`` (routine
    ids) and the ``found`` of the last run on the same handbook, in which only those routines have
    changed since, a ``per_routine`` rule runs on the edited routines alone: its findings in their
    files are new, those in every other file are the last run's. Every other rule runs on the
    whole handbook, so the findings are those of a full run.
    """
    context = context or BuildContext()
    problems = ProblemList(handbook.problems)
    if edited is not None and found is not None:
        files = {handbook.routines[rid].display for rid in edited}
        part = dataclasses.replace(handbook, routines={rid: handbook.routines[rid] for rid in edited})
        part_context = dataclasses.replace(context, cache={})
    for registered in RULES.values():
        if in_build and not registered.in_build:
            continue
        if edited is not None and found is not None and registered.per_routine and registered.code in found:
            findings = [p for p in found[registered.code] if p.path not in files]
            findings += [p for p in registered.function(part, part_context) if p.path in files]
        else:
            findings = list(registered.function(handbook, context))
        if found is not None:
            found[registered.code] = findings
        problems.extend(findings)
    problems.sort()
    handbook.save_caches()
    return problems


def problem_at(source: RoutineSource, key: str, code: str, message: str, hint: str,
             severity: Severity = Severity.ERROR, *loc) -> Problem:
    line, column = source.document.where((key, *loc, "__value__") if not loc else (key, *loc))
    return Problem(source.display, line, column, code, severity, message, hint)

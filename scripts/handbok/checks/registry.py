"""The rule registry: codes, their documentation, and running the rules.

Topic modules register rules with ``@rule`` and loader codes with
``declare``; see ``handbok.checks`` for how a rule is written.
"""

from __future__ import annotations

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
         draft_severity: Severity | None = None):
    """Register a rule; its docstring documents the code (see the module docstring)."""
    def register(function):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        _register_code(code, topic, title, severity, function.__doc__, "regel", draft_severity)
        RULES[code] = Rule(code, topic, title, function, in_build)
        return function

    return register


def declare(code: str, topic: str, title: str, doc: str, *, severity: Severity = Severity.ERROR) -> None:
    """Declare a code that the loader reports (it has no rule function)."""
    _register_code(code, topic, title, severity, doc, "inläsning")


def run_checks(handbook: Handbook, context: BuildContext | None = None, *, in_build: bool = False) -> ProblemList:
    """Loader problems plus every rule's findings, sorted by place."""
    context = context or BuildContext()
    problems = ProblemList(handbook.problems)
    for registered in RULES.values():
        if in_build and not registered.in_build:
            continue
        problems.extend(registered.function(handbook, context))
    problems.sort()
    handbook.save_caches()
    return problems


def problem_at(source: RoutineSource, key: str, code: str, message: str, hint: str,
             severity: Severity = Severity.ERROR, *loc) -> Problem:
    line, column = source.document.where((key, *loc, "__value__") if not loc else (key, *loc))
    return Problem(source.display, line, column, code, severity, message, hint)

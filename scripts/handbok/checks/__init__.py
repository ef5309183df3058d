"""The checker: rules as small registered functions, one code each.

Every rule takes the loaded handbook and a ``CheckContext`` and yields
problems. The same rules run in ``handbok check``, in the MkDocs build and in
CI. Adding a rule touches one topic module: write a function and decorate it
with ``@rule("RHnnn", "ämne", "kort beskrivning")`` in the topic module
(``owner``, ``dates``, ``status``, ``references``, ``diagrams``, …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..handbook import Handbook, RoutineSource
from ..problems import Problem, ProblemList, Severity


@dataclass
class CheckContext:
    today: dt.date = field(default_factory=dt.date.today)
    review_warning_days: int = 60


@dataclass(frozen=True)
class Rule:
    code: str
    topic: str
    title: str
    function: Callable[[Handbook, CheckContext], Iterable[Problem]]
    # Date-driven findings are shown on the page itself (banner) and must not
    # stop a rebuild of an unchanged handbook; they still fail 'handbok check'.
    in_build: bool = True


RULES: dict[str, Rule] = {}


def rule(code: str, topic: str, title: str, *, in_build: bool = True):
    def register(function):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, topic, title, function, in_build)
        return function

    return register


def run_checks(handbook: Handbook, context: CheckContext | None = None, *, in_build: bool = False) -> ProblemList:
    """Loader problems plus every rule's findings, sorted by place."""
    context = context or CheckContext()
    problems = ProblemList(handbook.problems)
    for registered in RULES.values():
        if in_build and not registered.in_build:
            continue
        problems.extend(registered.function(handbook, context))
    problems.sort()
    return problems


def _problem(source: RoutineSource, key: str, code: str, message: str, hint: str,
             severity: Severity = Severity.ERROR, *loc) -> Problem:
    line, column = source.document.where((key, *loc, "__value__") if not loc else (key, *loc))
    return Problem(source.display, line, column, code, severity, message, hint)




# Topic modules register their rules on import.
from . import dates, diagrams, integrity, owner, references, status  # noqa: E402,F401

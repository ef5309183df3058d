"""The checker: rules as small registered functions, one code each.

Every rule takes the loaded handbook and a ``CheckContext`` and yields
problems. The same rules run in ``handbok check``, in the MkDocs build and in
CI. Adding a rule touches one topic module: write a function and decorate it
with ``@rule("RHnnn", "ämne", "kort beskrivning")`` in the topic module
(``owner``, ``dates``, ``status``, ``references``, ``diagrams``, ``safety``, …).

The function's docstring is the code's documentation for editors (Swedish):
what the finding means, then a paragraph starting ``Rätta:`` saying how to
fix it, optionally ``Exempel:`` followed by an indented example. Codes the
loader reports (file, YAML and schema problems) are declared with
``declare()`` in ``schema``. The page *Kontrollkoder* in the editor guide is
generated from ``CODES``, so a code cannot exist without its documentation.

Code ranges: RH0xx file and syntax, RH1xx schema, RH2xx owner, RH3xx dates,
RH4xx references, RH5xx process maps, RH6xx safety, RH7xx status, RH8xx
integrity of approved releases.
"""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..handbook import Handbook, RoutineSource
from ..problems import Problem, ProblemList, Severity


@dataclass
class CheckContext:
    today: dt.date = field(default_factory=dt.date.today)
    review_warning_days: int = 60
    # A Mermaid run started before loading (see ``diagrams.start_mermaid``), so
    # Node parses the maps while Python loads the routines.
    mermaid: Any = None
    # Values several rules compute once per run (anchors, diagram uses, …).
    cache: dict = field(default_factory=dict, repr=False)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


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
CODES: dict[str, Code] = {}


def parse_doc(doc: str | None) -> tuple[str, str, str]:
    """(meaning, fix, example) from a rule's docstring."""
    text = inspect.cleandoc(doc or "")
    meaning, _, rest = text.partition("\nRätta:")
    fix, _, example = rest.partition("\nExempel:")
    return meaning.strip(), fix.strip(), inspect.cleandoc(example) if example.strip() else ""


def _register_code(code: str, topic: str, title: str, severity: Severity, doc: str | None, origin: str) -> None:
    if code in CODES:
        raise ValueError(f"duplicate check code {code}")
    meaning, fix, example = parse_doc(doc)
    CODES[code] = Code(code, topic, title, severity, meaning, fix, example, origin)


def rule(code: str, topic: str, title: str, *, in_build: bool = True, severity: Severity = Severity.ERROR):
    """Register a rule; its docstring documents the code (see the module docstring)."""
    def register(function):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        _register_code(code, topic, title, severity, function.__doc__, "regel")
        RULES[code] = Rule(code, topic, title, function, in_build)
        return function

    return register


def declare(code: str, topic: str, title: str, doc: str, *, severity: Severity = Severity.ERROR) -> None:
    """Declare a code that the loader reports (it has no rule function)."""
    _register_code(code, topic, title, severity, doc, "inläsning")


def run_checks(handbook: Handbook, context: CheckContext | None = None, *, in_build: bool = False) -> ProblemList:
    """Loader problems plus every rule's findings, sorted by place."""
    context = context or CheckContext()
    problems = ProblemList(handbook.problems)
    for registered in RULES.values():
        if in_build and not registered.in_build:
            continue
        problems.extend(registered.function(handbook, context))
    problems.sort()
    handbook.save_caches()
    return problems


def _problem(source: RoutineSource, key: str, code: str, message: str, hint: str,
             severity: Severity = Severity.ERROR, *loc) -> Problem:
    line, column = source.document.where((key, *loc, "__value__") if not loc else (key, *loc))
    return Problem(source.display, line, column, code, severity, message, hint)




# Topic modules register their rules on import.
from . import schema  # noqa: E402,F401  (loader codes first: the docs list them first)
from . import dates, diagrams, integrity, owner, references, safety, status  # noqa: E402,F401

"""The checker: rules as small registered functions, one code each.

Every rule takes the loaded handbook and the ``BuildContext`` and yields
problems. The same rules run in ``handbok check``, in the MkDocs build and in
CI. Adding a rule touches one topic module: write a function and decorate it
with ``@rule("RHnnn", "ämne", "kort beskrivning")`` (from ``registry``) in the topic module
(``owner``, ``dates``, ``status``, ``references``, ``diagrams``, ``safety``, …).

The function's docstring is the code's documentation for editors (Swedish):
what the finding means, then a paragraph starting ``Rätta:`` saying how to
fix it, optionally ``Exempel:`` followed by an indented example. Codes the
loader reports (file, YAML and schema problems) are declared with
``declare()`` in ``schema``. The page *Kontrollkoder* in the editor guide is
generated from ``CODES``, so a code cannot exist without its documentation.

A rule whose findings in a routine's file depend on that routine alone (and on
the registers, the docs pages and the maps), and that finds nothing about one
routine in another file, may say ``per_routine=True``: after an edit of a
routine's text, ``make serve`` runs it on the edited routines only and keeps
its other findings (``registry.run_checks``). Links, anchors and duplicates
between routines are not per routine; a rule is not unless it says so.

Code ranges: RH0xx file and syntax, RH1xx schema, RH2xx owner, RH3xx dates,
RH4xx references, RH5xx process maps, RH6xx safety, RH7xx status, RH8xx
integrity of approved releases, RH9xx completeness of a routine in force.
"""

from __future__ import annotations

from ..core.context import BuildContext
from .registry import CODES, RULES, Code, Rule, declare, rule, run_checks

# Topic modules register their rules on import.
from . import schema  # noqa: E402,F401  (loader codes first: the docs list them first)
from . import completeness, dates, diagrams, integrity, law, owner, references, safety, status  # noqa: E402,F401

__all__ = ["BuildContext", "CODES", "RULES", "Code", "Rule", "declare", "rule", "run_checks"]

"""The build's context: what a check run or a build knows besides the handbook.

One ``BuildContext`` is made per ``handbok check`` run or MkDocs build and
passed to every rule and to every generated page that needs it: the day the
build is for (so dated findings and pages agree), the review warning window,
what the build is (an approved release or a draft, ``core.build.BuildState``;
None when nothing is built, as in ``handbok check``) and values computed once
per run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

DEFAULT_REVIEW_WARNING_DAYS = 60


@dataclass
class BuildContext:
    today: dt.date = field(default_factory=dt.date.today)
    review_warning_days: int = DEFAULT_REVIEW_WARNING_DAYS
    # What this build is: ``core.build.BuildState`` (None: no build, e.g. ``handbok check``;
    # the reader's status then counts as that of a draft build).
    build: Any = None
    # Values computed once per run (anchors, masked bodies, diagram uses, …).
    cache: dict = field(default_factory=dict, repr=False)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` the first time ``key`` is asked for in this run; the same value after."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

"""Datum: revidering och giltighet."""

from __future__ import annotations

import datetime as dt

from ..handbook import Handbook
from ..problems import Severity
from . import CheckContext, _problem, rule


@rule("RH301", "datum", "revideringsdatumet har passerat", in_build=False)
def review_overdue(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande" and routine.review_by < context.today:
            yield _problem(source, "review_by", "RH301",
                           f"revideringen är försenad: review_by {routine.review_by} har passerat",
                           "Revidera rutinen och låt nämnden fastställa den i nästa release.")


@rule("RH302", "datum", "revideringsdatumet närmar sig", in_build=False)
def review_soon(handbook: Handbook, context: CheckContext):
    window = dt.timedelta(days=context.review_warning_days)
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande" and context.today <= routine.review_by <= context.today + window:
            days = (routine.review_by - context.today).days
            yield _problem(source, "review_by", "RH302",
                           f"rutinen ska revideras inom {days} dagar ({routine.review_by})",
                           "Planera revideringen med rutinägaren.", Severity.WARNING)


@rule("RH303", "datum", "gäller från ligger efter revideringsdatumet")
def valid_before_review(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.valid_from and routine.valid_from > routine.review_by:
            yield _problem(source, "valid_from", "RH303",
                           f"valid_from {routine.valid_from} ligger efter review_by {routine.review_by}",
                           "En rutin kan inte revideras innan den börjar gälla. Rätta något av datumen.")

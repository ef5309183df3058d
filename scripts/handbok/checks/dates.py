"""Datum: revidering och giltighet."""

from __future__ import annotations

from ..core.handbook import Handbook
from ..core.state import review_state
from ..problems import Severity
from .registry import BuildContext, problem_at, rule


@rule("RH301", "datum", "revideringsdatumet har passerat", in_build=False)
def review_overdue(handbook: Handbook, context: BuildContext):
    """En gällande rutins `review_by` har passerat: rutinen skulle ha
    reviderats. Sidan visar då en banner om att revideringen är försenad.
    Kontrollen är ett fel i `handbok check` och i pull requests, men stoppar
    inte bygget av webbplatsen (sidan säger själv att den är försenad).

    Rätta: Rutinägaren går igenom rutinen. Ett nytt revideringsdatum gäller
    först när nämnden fastställt det i nästa version av handboken, även om
    rutinen inte ändras i övrigt ("granskad utan ändring").
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande" and review_state(routine, context).key == "forsenad":
            yield problem_at(source, "review_by", "RH301",
                           f"revideringen är försenad: review_by {routine.review_by} har passerat",
                           "Revidera rutinen och låt nämnden fastställa den i nästa release.")


@rule("RH302", "datum", "revideringsdatumet närmar sig", in_build=False, severity=Severity.WARNING)
def review_soon(handbook: Handbook, context: BuildContext):
    """Varning: det är mindre än 60 dagar kvar till en gällande rutins
    `review_by` (antalet dagar ställs in med `handbok check --varningsdagar`
    och pluginets `review_warning_days`). Varningen stoppar inget, utom med
    `--strict`.

    Rätta: Planera revideringen med rutinägaren så att den hinner fastställas
    i tid.
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande" and review_state(routine, context).key == "snart":
            days = (routine.review_by - context.today).days
            yield problem_at(source, "review_by", "RH302",
                           f"rutinen ska revideras inom {days} dagar ({routine.review_by})",
                           "Planera revideringen med rutinägaren.", Severity.WARNING)


@rule("RH303", "datum", "gäller från ligger efter revideringsdatumet")
def valid_before_review(handbook: Handbook, context: BuildContext):
    """`valid_from` (dagen rutinen börjar gälla) ligger efter `review_by`
    (dagen den senast ska ha reviderats). En rutin kan inte behöva revideras
    innan den börjat gälla; oftast är ett av datumen felskrivet.

    Rätta: Rätta det datum som är fel så att `valid_from` ligger före
    `review_by`. Vanligt är att `review_by` sätts ett år efter `valid_from`.
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.valid_from and routine.valid_from > routine.review_by:
            yield problem_at(source, "valid_from", "RH303",
                           f"valid_from {routine.valid_from} ligger efter review_by {routine.review_by}",
                           "En rutin kan inte revideras innan den börjar gälla. Rätta något av datumen.")


@rule("RH304", "datum", "rutinen gäller från före beslutsdatumet", severity=Severity.WARNING)
def valid_after_approval(handbook: Handbook, context: BuildContext):
    """Varning: `valid_from` ligger före beslutsdatumet i `approved.date`. En
    rutin börjar normalt gälla samma dag som beslutet eller senare; ett
    tidigare datum är oftast ett skrivfel.

    Rätta: Kontrollera datumen mot protokollet och rätta det som är fel. Om
    nämnden verkligen beslutat att rutinen ska gälla retroaktivt kan varningen
    lämnas.
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.approved and routine.valid_from and routine.valid_from < routine.approved.date:
            yield problem_at(source, "valid_from", "RH304",
                           f"valid_from {routine.valid_from} ligger före beslutsdatumet {routine.approved.date}",
                           "Kontrollera datumen mot protokollet.", Severity.WARNING)

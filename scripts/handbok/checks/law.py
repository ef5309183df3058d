"""Lagändringar: en ändring i lagen som berör en process ska synas i dess rutiner.

A provision in the legal register can name the processes it concerns
(``affects``, next to ``in_force_from``). A routine of such a process takes the
change into account when it cites the provision in ``legal_basis``. Before
the change applies (within the review warning window) every routine that
does not is warned about; once it applies, a routine in force whose current
version took effect before the change is an error until it is revised. The
findings depend on the day, so they do not stop a rebuild of the site (the
page says what applies), but they fail ``handbok check`` and pull requests.
"""

from __future__ import annotations

import datetime as dt

from ..core.handbook import Handbook, RoutineSource
from ..core.state import law_changes
from ..model import LegalReference
from ..problems import Severity
from .registry import BuildContext, problem_at, rule


def _concerned(handbook: Handbook, change: LegalReference) -> list[RoutineSource]:
    """The routines of the processes a change concerns that do not cite it."""
    return [source for source in handbook.sorted_routines()
            if source.routine.process in change.affects and source.routine.status != "upphävd"
            and change.id not in source.routine.legal_basis]


def _hint(change: LegalReference) -> str:
    return (f"Gå igenom rutinen mot {change.citation}. Tar den upp ändringen: lägg till '{change.id}' i "
            "legal_basis och skriv i texten vad ändringen betyder i arbetet. Berör ändringen inte rutinen: "
            "ta bort processen ur affects i lagrum.yml.")


@rule("RH411", "referenser", "en lagändring som berör rutinen är på väg eller gäller redan",
      in_build=False, severity=Severity.WARNING)
def law_change_coming(handbook: Handbook, context: BuildContext):
    """Varning: en bestämmelse i lagrumsregistret som berör rutinens process
    (`affects`) träder i kraft inom varningsfönstret (60 dagar, samma som för
    revideringsdatum), eller gäller redan och rutinen är ett utkast. Rutinen
    hänvisar inte till bestämmelsen, så det syns inte att den tar hänsyn till
    ändringen. Handboken varnar i tid, så att ändringen hinner fastställas
    innan den börjar gälla.

    Rätta: Gå igenom rutinen mot ändringen. Tar rutinen upp den: lägg till
    bestämmelsens id i `legal_basis` och skriv i texten vad ändringen betyder i
    arbetet. Berör ändringen inte rutinen: ta bort processen ur bestämmelsens
    `affects` i `lagrum.yml`.

    Exempel:
        legal_basis: [sol-2025-400-12-1, prop-2025-26-201-bidragstak]
    """
    window = dt.timedelta(days=context.review_warning_days)
    for change in law_changes(handbook):
        start = change.in_force_from
        upcoming = context.today < start <= context.today + window
        for source in _concerned(handbook, change):
            routine = source.routine
            if upcoming:
                which = "utkastet" if routine.status == "utkast" else "rutinen"
                message = f"{change.citation} träder i kraft {start} och berör processen '{routine.process}', " \
                          f"men {which} hänvisar inte till den"
            elif start <= context.today and routine.status == "utkast":
                message = f"{change.citation} gäller sedan {start} och berör processen '{routine.process}', " \
                          "men utkastet hänvisar inte till den"
            else:
                continue
            yield problem_at(source, "legal_basis" if routine.legal_basis else "process", "RH411", message,
                             _hint(change), Severity.WARNING)


@rule("RH412", "referenser", "rutinen är inte reviderad efter en lagändring som berör den", in_build=False)
def law_change_not_taken_into_account(handbook: Handbook, context: BuildContext):
    """En bestämmelse som berör rutinens process (`affects` i lagrumsregistret)
    har trätt i kraft efter den dag rutinen började gälla, och rutinen har
    inte reviderats sedan dess: den hänvisar inte till bestämmelsen och dess
    gällande version började gälla före ändringen. Läsaren kan då inte lita
    på att rutinen stämmer med lagen. Kontrollen är ett fel i `handbok check`
    och i pull requests, men stoppar inte bygget av webbplatsen.

    Rätta: Revidera rutinen: skriv in vad ändringen betyder, lägg till
    bestämmelsens id i `legal_basis`, höj `version` och låt nämnden fastställa
    den nya versionen. Berör ändringen inte rutinen, ta bort processen ur
    bestämmelsens `affects` i `lagrum.yml`.
    """
    for change in law_changes(handbook):
        start = change.in_force_from
        if start > context.today:
            continue
        for source in _concerned(handbook, change):
            routine = source.routine
            if routine.status != "gällande" or routine.valid_from is None or routine.valid_from >= start:
                continue
            yield problem_at(source, "legal_basis" if routine.legal_basis else "process", "RH412",
                             f"{change.citation} gäller sedan {start} och berör processen '{routine.process}', "
                             f"men rutinen gäller sedan {routine.valid_from} och har inte reviderats efter ändringen",
                             f"Revidera rutinen mot {change.citation}: skriv in vad ändringen betyder, lägg till "
                             f"'{change.id}' i legal_basis, höj version och låt nämnden fastställa den nya versionen. "
                             "Berör ändringen inte rutinen: ta bort processen ur affects i lagrum.yml.")

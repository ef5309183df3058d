"""Status: fastställelse, upphävande, id och process."""

from __future__ import annotations

from ..core.handbook import Handbook
from ..problems import Severity
from .registry import BuildContext, problem_at, rule


@rule("RH701", "status", "gällande rutin saknar fastställelse")
def in_force_is_approved(handbook: Handbook, context: BuildContext):
    """En rutin med `status: gällande` måste visa vem som fastställde den,
    när och med vilken protokollsreferens (`approved`), och från vilken dag
    den gäller (`valid_from`). Det är det läsaren litar på.

    Rätta: Lägg till `approved` med `by`, `date` och `reference` och
    `valid_from`, eller sätt `status: utkast` tills nämnden har beslutat.

    Exempel:
        status: gällande
        approved: {by: Socialnämnden, date: 2026-03-12, reference: "SN 2026-03-12 § 45"}
        valid_from: 2026-04-01
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande":
            if routine.approved is None:
                yield problem_at(source, "status", "RH701", "rutinen är gällande men saknar approved (vem fastställde den, när, protokollsreferens)",
                               "Lägg till approved: med by, date och reference, eller sätt status: utkast.")
            if routine.valid_from is None:
                yield problem_at(source, "status", "RH701", "rutinen är gällande men saknar valid_from",
                               "Ange från vilket datum rutinen gäller.")


@rule("RH702", "status", "upphävd rutin saknar ersättare")
def repealed_has_replacement(handbook: Handbook, context: BuildContext):
    """En upphävd rutin ska peka på rutinen som ersätter den (`replaced_by`),
    så att läsaren som hittar den gamla rutinen kommer rätt. Ersättaren måste
    finnas och får inte vara rutinen själv.

    Rätta: Ange id för den ersättande rutinen i `replaced_by`.

    Exempel:
        status: upphävd
        replaced_by: anvisning-arbetsmarknadsinsats
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "upphävd" and not routine.replaced_by:
            yield problem_at(source, "status", "RH702", "rutinen är upphävd men replaced_by saknas",
                           "Ange id för rutinen som ersätter den i replaced_by.")
        if routine.replaced_by == routine.id:
            yield problem_at(source, "replaced_by", "RH702", "replaced_by pekar på rutinen själv",
                           "Ange id för den rutin som ersätter den här.")
        elif routine.replaced_by and routine.replaced_by not in handbook.routines and routine.replaced_by not in handbook.unreadable:
            yield problem_at(source, "replaced_by", "RH702", f"replaced_by pekar på '{routine.replaced_by}', som inte finns",
                           "Ange id för en befintlig rutin.")


@rule("RH703", "status", "id stämmer inte med filnamnet")
def id_matches_file(handbook: Handbook, context: BuildContext):
    """Rutinens `id` och filnamnet ska vara samma (`<id>.md`). Id:t är
    rutinens stabila adress och ändras aldrig; filnamnet följer id:t.

    Rätta: Döp om filen till `<id>.md`. Ändra inte id:t på en publicerad
    rutin: länkar och fastställda versioner pekar på det.
    """
    for source in handbook.routines.values():
        if source.path.stem != source.routine.id:
            yield problem_at(source, "id", "RH703",
                           f"id '{source.routine.id}' stämmer inte med filnamnet '{source.path.name}'",
                           f"Döp om filen till {source.routine.id}.md (id ändras aldrig).")


@rule("RH704", "status", "processen finns inte i processregistret")
def process_exists(handbook: Handbook, context: BuildContext):
    """`process` ska vara en av processerna i `routines/register/processer.yml`.
    Processen styr rutinens adress (`/rutiner/<process>/<id>/`) och var den
    står i menyn.

    Rätta: Skriv processens id exakt som i processregistret (med å, ä, ö),
    eller lägg till processen där.
    """
    for source in handbook.routines.values():
        if handbook.processes and source.routine.process not in handbook.processes:
            yield problem_at(source, "process", "RH704", f"processen '{source.routine.process}' finns inte",
                           "Tillåtna processer: " + ", ".join(handbook.processes) + ".")


@rule("RH705", "status", "replaced_by är angivet men rutinen är inte upphävd", severity=Severity.WARNING)
def replaced_but_not_repealed(handbook: Handbook, context: BuildContext):
    """Varning: rutinen har `replaced_by` men status är inte `upphävd`. Antingen
    är rutinen upphävd och status har glömts, eller så är `replaced_by` kvar
    av misstag.

    Rätta: Sätt `status: upphävd` om rutinen har ersatts, annars ta bort
    `replaced_by`.
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.replaced_by and routine.status != "upphävd":
            yield problem_at(source, "replaced_by", "RH705",
                           f"replaced_by är angivet men rutinens status är '{routine.status}'",
                           "Sätt status: upphävd, eller ta bort replaced_by.", Severity.WARNING)

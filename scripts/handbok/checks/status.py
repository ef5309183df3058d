"""Status: fastställelse, upphävande, id och process."""

from __future__ import annotations

from ..handbook import Handbook
from . import CheckContext, _problem, rule


@rule("RH701", "status", "gällande rutin saknar fastställelse")
def in_force_is_approved(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "gällande":
            if routine.approved is None:
                yield _problem(source, "status", "RH701", "rutinen är gällande men saknar approved (vem fastställde den, när, protokollsreferens)",
                               "Lägg till approved: med by, date och reference, eller sätt status: utkast.")
            if routine.valid_from is None:
                yield _problem(source, "status", "RH701", "rutinen är gällande men saknar valid_from",
                               "Ange från vilket datum rutinen gäller.")


@rule("RH702", "status", "upphävd rutin saknar ersättare")
def repealed_has_replacement(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status == "upphävd" and not routine.replaced_by:
            yield _problem(source, "status", "RH702", "rutinen är upphävd men replaced_by saknas",
                           "Ange id för rutinen som ersätter den i replaced_by.")
        if routine.replaced_by and routine.replaced_by not in handbook.routines:
            yield _problem(source, "replaced_by", "RH702", f"replaced_by pekar på '{routine.replaced_by}', som inte finns",
                           "Ange id för en befintlig rutin.")


@rule("RH703", "status", "id stämmer inte med filnamnet")
def id_matches_file(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        if source.path.stem != source.routine.id:
            yield _problem(source, "id", "RH703",
                           f"id '{source.routine.id}' stämmer inte med filnamnet '{source.path.name}'",
                           f"Döp om filen till {source.routine.id}.md (id ändras aldrig).")


@rule("RH704", "status", "processen finns inte i processregistret")
def process_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        if handbook.processes and source.routine.process not in handbook.processes:
            yield _problem(source, "process", "RH704", f"processen '{source.routine.process}' finns inte",
                           "Tillåtna processer: " + ", ".join(handbook.processes) + ".")

"""Status: fastställelse, upphävande, id och process."""

from __future__ import annotations

from ..core.handbook import Handbook
import re

from ..core.state import approval_gap
from ..problems import Problem, Severity
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


# Not in the build: the page itself shows such a routine as not approved (core.state.reader_status),
# and 'handbok release approve' records the decision and so resolves it; 'handbok check' (CI) fails.
@rule("RH706", "status", "fastställande saknas i releaseregistret", in_build=False)
def approval_is_recorded(handbook: Handbook, context: BuildContext):
    """En rutin med `status: gällande` och `approved` säger att nämnden har
    fastställt just den här versionen. Det gäller först när beslutet finns i
    releaseregistret `routines/register/releaser.yml`: samma organ, datum och
    protokollsreferens, med rutinens id och version som gällande. Annars visar
    webbplatsen rutinen som *ej fastställd*, och läsaren får två svar på om
    rutinen gäller.

    Rätta: Fastställelsen skrivs av `handbok release approve` när nämnden har
    beslutat, aldrig för hand. Är ändringen inte beslutad: sätt `status: utkast`
    och ta bort `approved` (höj `version` om texten har ändrats). Har du ändrat
    en fastställd rutin av misstag, återställ den med `git restore`.

    Exempel:
        status: utkast
        version: "1.1"
        change_note: Nytt avsnitt om aktivitetskravet.
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status != "gällande" or routine.approved is None:
            continue
        gap = approval_gap(handbook, routine)
        if gap is None:
            continue
        claim = routine.approved
        yield problem_at(source, "approved", "RH706",
                         f"rutinen anges som fastställd av {claim.by} {claim.date} ({claim.reference}), men {gap}",
                         "Sätt status: utkast och ta bort approved tills nämnden har beslutat; "
                         "'handbok release approve' för in beslutet och skriver approved.")


# Words that ask an editor to do something; a reader cannot act on them.
_TO_THE_EDITOR = re.compile(r"\b(?:stäm(?:ma|s)? av|kontrollera mot|att göra:|todo|fixme)\b", re.IGNORECASE)


@rule("RH707", "status", "anmärkningen i lagrumsregistret vänder sig till redaktören", severity=Severity.WARNING)
def legal_note_speaks_to_the_reader(handbook: Handbook, context: BuildContext):
    """Varning: `note` i `routines/register/lagrum.yml` visas för läsaren på
    sidan *Lagrum*, men texten ber redaktören göra något ("stäm av mot …").
    Läsaren kan inte göra det och vet inte vad osäkerheten betyder för
    ärendet.

    Rätta: Skriv det läsaren behöver veta i `note`, med läsarens ord (till
    exempel vad som inte är bekräftat), och flytta arbetsanteckningen till
    `editor_note`, som inte publiceras.

    Exempel:
        note: Det är inte bekräftat att paragrafen motsvarar 3 kap. 5 § i den upphävda lagen.
        editor_note: Stäm av mot jämförelsetabellerna i prop. 2024/25:89.
    """
    for legal in handbook.legal.values():
        match = _TO_THE_EDITOR.search(legal.note or "")
        if match is None:
            continue
        display, line = handbook.register_lines.get(("legal", legal.id), ("routines/register/lagrum.yml", 1))
        yield Problem(display, line, 1, "RH707", Severity.WARNING,
                      f"anmärkningen till '{legal.id}' ber redaktören göra något ('{match.group(0)}'), "
                      "men den visas för läsaren på sidan Lagrum",
                      "Skriv det läsaren behöver veta i note och flytta arbetsanteckningen till editor_note, "
                      "som inte publiceras.")

"""Integritet: fastställd text ändras bara genom en ny release.

The rules compare the routines with the last approved release in
``routines/register/releaser.yml`` (``Handbook.releases``). Without a
register nothing is compared.
"""

from __future__ import annotations

from ..core.handbook import Handbook
from ..core.hashing import diagram_hash, routine_hash
from ..problems import Problem, Severity
from .registry import BuildContext, problem_at, rule


@rule("RH801", "integritet", "ändrad efter fastställande")
def changed_after_approval(handbook: Handbook, context: BuildContext):
    """En gällande rutins text, fält eller processkarta stämmer inte längre med
    det som nämnden fastställde, fast versionen är densamma. Fastställd text
    får bara ändras genom en ny release; annars visar webbplatsen något annat
    än det som beslutades.

    Rätta: Höj `version`, skriv vad som ändrats i `change_note` och låt
    ändringen ingå i nästa beslutsunderlag (`handbok release prepare`). Var
    ändringen oavsiktlig, ångra den med `git restore`.
    """
    last = handbook.releases.last
    if last is None:
        return
    for source in handbook.routines.values():
        routine = source.routine
        entry = last.routine(routine.id)
        if routine.status != "gällande" or entry is None or entry.status != "gällande" or entry.version != routine.version:
            continue
        hint = (f"Ändringar i en fastställd rutin kräver en ny version: höj version (t.ex. till "
                f"\"{_next(routine.version)}\"), skriv vad som ändrats i change_note och låt nämnden fastställa "
                f"nästa release. Ångra annars ändringen (git restore).")
        if entry.sha256 != routine_hash(source):
            yield problem_at(source, "version", "RH801",
                           f"rutinen är ändrad efter fastställande: innehållet stämmer inte med version "
                           f"{routine.version} i den fastställda versionen {last.version} av handboken", hint)
        if routine.diagram:
            released = last.diagram(routine.diagram)
            if released is not None and released.sha256 != diagram_hash(handbook, routine.diagram):
                yield problem_at(source, "diagram", "RH801",
                               f"processkartan {routine.diagram} är ändrad efter fastställande av version "
                               f"{last.version}, men rutinens version är fortfarande {routine.version}", hint)


@rule("RH802", "integritet", "revideringsdatumet har flyttats utan beslut", severity=Severity.WARNING)
def review_moved_without_release(handbook: Handbook, context: BuildContext):
    """`review_by` har flyttats sedan den senaste fastställda releasen, utan att
    något annat i rutinen ändrats. Ett nytt revideringsdatum är ett löfte från
    rutinägaren och nämnden, och gäller först när nämnden har fastställt det.

    Rätta: Inget behöver göras i filen: rutinen listas som "granskad utan
    ändring" i nästa beslutsunderlag och varningen försvinner när releasen
    är fastställd. Flyttades datumet av misstag, ångra det med `git restore`.
    """
    last = handbook.releases.last
    if last is None:
        return
    for source in handbook.routines.values():
        routine = source.routine
        entry = last.routine(routine.id)
        if entry is None or entry.status != "gällande" or routine.status != "gällande":
            continue
        if entry.version == routine.version and entry.review_by != routine.review_by:
            yield problem_at(source, "review_by", "RH802",
                           f"review_by har flyttats från {entry.review_by} till {routine.review_by} sedan version "
                           f"{last.version} utan att ingå i en fastställd release",
                           "Ett nytt revideringsdatum gäller först när nämnden har fastställt det. Rutinen listas "
                           "som 'granskad utan ändring' i nästa beslutsunderlag (handbok release prepare).",
                           Severity.WARNING)


@rule("RH803", "integritet", "releaseregistret är felaktigt")
def register_is_consistent(handbook: Handbook, context: BuildContext):
    """Releaseregistret `routines/register/releaser.yml` går inte att läsa,
    eller dess poster står i fel ordning eller har omöjliga datum. Registret
    skrivs bara av `handbok release approve` och ska aldrig redigeras för hand.

    Rätta: Återställ registret från git (`git restore routines/register/releaser.yml`)
    och kontakta den som förvaltar handboken om felet kvarstår.
    """
    register = handbook.releases
    yield from register.problems
    previous = None
    for release in register.releases:
        line = register.lines.get(release.version, 1)
        if previous is not None:
            if release.version_key <= previous.version_key:
                yield Problem(register.display, line, 1, "RH803", Severity.ERROR,
                              f"version {release.version} står efter {previous.version} men är inte högre",
                              "Posterna skrivs av 'handbok release approve' i ordning; återställ registret från git.")
            if release.valid_from <= previous.valid_from:
                yield Problem(register.display, line, 1, "RH803", Severity.ERROR,
                              f"version {release.version} börjar gälla {release.valid_from}, inte efter "
                              f"version {previous.version} ({previous.valid_from})",
                              "Återställ registret från git.")
        if release.valid_from < release.date:
            yield Problem(register.display, line, 1, "RH803", Severity.ERROR,
                          f"version {release.version} börjar gälla {release.valid_from}, före beslutet {release.date}",
                          "Återställ registret från git.")
        previous = release


def _next(version: str) -> str:
    parts = version.split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)

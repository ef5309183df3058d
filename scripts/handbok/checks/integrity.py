"""Integritet: fastställd text ändras bara genom en ny release.

The rules compare the routines with the last approved release in
``routines/register/releaser.yml`` (``Handbook.releases``). Without a
register nothing is compared. RH804–RH810 compare the register with the
release tags and the published branch (``core.release_integrity``); what a
clone lacks is a warning.
"""

from __future__ import annotations

from ..core.errors import HandbookError
from ..core.handbook import Handbook
from ..core.hashing import diagram_hash, role_ids, routine_hash
from ..core.release_integrity import half_finished, verify
from ..problems import Problem, Severity
from .registry import BuildContext, problem_at, rule


@rule("RH801", "integritet", "ändrad efter fastställande", per_routine=True)
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


@rule("RH804", "integritet", "en fastställelse avbröts halvvägs", in_build=False)
def approval_half_finished(handbook: Handbook, context: BuildContext):
    """`handbok release approve` avbröts (stängdes av, avbröts i CI eller
    kraschade) innan den var klar: en journal över stegen ligger kvar i
    `.git/handbok-approve.json`. Rutinerna, registret, taggen eller gh-pages
    kan vara halvvägs ändrade, och ingen ny fastställelse kan göras förrän
    den avbrutna är slutförd eller ångrad.

    Rätta: Slutför fastställelsen med `handbok release approve VERSION
    --fortsatt`, eller ångra den med `handbok release approve VERSION --angra`.
    Båda lämnar handboken hel; ångra lämnar den som den var före fastställelsen.
    """
    try:
        findings = half_finished(handbook.root)
    except HandbookError:
        return
    for finding in findings:
        yield finding.problem(handbook.releases)


def _integrity(handbook: Handbook, code: str):
    if handbook.release_findings is None:
        try:
            handbook.release_findings = verify(handbook.root, handbook.releases)
        except HandbookError:  # no git on this machine: nothing can be compared
            handbook.release_findings = []
    for finding in handbook.release_findings:
        if finding.code == code:
            yield finding.problem(handbook.releases)


@rule("RH805", "integritet", "registret stämmer inte med releasetaggen")
def register_against_tag(handbook: Handbook, context: BuildContext):
    """En post i releaseregistret stämmer inte med det som `handbok release
    approve` skrev i releasens annoterade tagg (`v<version>`) när nämnden
    fastställde den: en kontrollsumma, ett datum eller en referens har ändrats
    i registret efteråt. En omskriven kontrollsumma kan dölja en ändring som
    nämnden aldrig har sett.

    Rätta: Återställ registret från git (`git restore
    routines/register/releaser.yml` eller från incheckningen före ändringen).
    Ska rutinen ändras, gör det med en ny version och en ny release.
    """
    yield from _integrity(handbook, "RH805")


@rule("RH806", "integritet", "releasetaggen saknas eller har flyttats")
def tag_in_place(handbook: Handbook, context: BuildContext):
    """Taggen `v<version>` för en fastställd version saknas i klonen
    (varning: jämförelsen kan inte göras här), eller den har flyttats till en
    annan incheckning än den som fastställdes, är inte annoterad eller pekar på
    en incheckning utanför historiken (fel).

    Rätta: Saknas taggen, hämta taggarna med `git fetch --tags`. Har den
    flyttats, återställ den från servern (`git fetch --tags --force`) eller
    från incheckningen som nämnden fastställde, och kontakta den som förvaltar
    handboken.
    """
    yield from _integrity(handbook, "RH806")


@rule("RH807", "integritet", "publicerade sidor har ändrats efter publiceringen")
def published_unchanged(handbook: Handbook, context: BuildContext):
    """Mappen för en fastställd version på grenen `gh-pages` stämmer inte
    med kontrollsumman som `handbok release approve` skrev i releasetaggen när
    versionen publicerades: någon har ändrat, lagt till eller tagit bort
    publicerade sidor, eller tagit bort versionen.

    Rätta: Återställ `gh-pages` från servern eller från incheckningen som
    publicerade versionen (`git log gh-pages`). En publicerad version skrivs
    aldrig över; ändringar görs i en ny release.
    """
    yield from _integrity(handbook, "RH807")


@rule("RH808", "integritet", "gh-pages saknas i klonen", severity=Severity.WARNING)
def pages_present(handbook: Handbook, context: BuildContext):
    """Grenen `gh-pages` med de publicerade versionerna finns inte i den här
    klonen, så de publicerade sidorna kan inte jämföras med det som
    fastställdes. Det är inget fel i handboken.

    Rätta: Hämta grenen med `git fetch origin gh-pages` och kör
    `handbok release verifiera`.
    """
    yield from _integrity(handbook, "RH808")


@rule("RH809", "integritet", "registret har skrivits om efter fastställandet")
def register_not_rewritten(handbook: Handbook, context: BuildContext):
    """Posten för en fastställd version i releaseregistret skiljer sig från
    posten i samma register i incheckningen som releasetaggen pekar på. Posten
    har skrivits om efteråt, till exempel en kontrollsumma som ändrats så att
    en ändrad rutin ser oförändrad ut.

    Rätta: Återställ registret från git (`git restore
    routines/register/releaser.yml`). Ändringar i en fastställd rutin görs
    med en ny version av rutinen och en ny release.
    """
    yield from _integrity(handbook, "RH809")


@rule("RH810", "integritet", "den taggade rutinen stämmer inte med registret")
def tagged_text_matches(handbook: Handbook, context: BuildContext):
    """En rutin i incheckningen som releasetaggen pekar på har inte den
    kontrollsumma som registret anger för den fastställda versionen. Taggen
    pekar på annan text än den som fastställdes, eller registret stämde inte
    redan när taggen sattes (en tagg som satts för hand).

    Rätta: Låt taggen peka på incheckningen som `handbok release approve`
    gjorde (hämta den från servern) och återställ registret från git.
    """
    yield from _integrity(handbook, "RH810")


@rule("RH811", "integritet", "ett rollnamn på fastställda sidor har ändrats", severity=Severity.WARNING)
def role_names_unchanged(handbook: Handbook, context: BuildContext):
    """En roll som en gällande rutin nämner (rutinägare, ansvar, läsare) har
    bytt namn i rollregistret sedan den senaste fastställda versionen. Namnet
    visas på rutinens sidor, så sidorna säger något annat än det nämnden
    fastställde.

    Rätta: Är namnbytet avsett, följer det med i nästa beslutsunderlag
    (`handbok release prepare` listar det under *Roller som har bytt namn*),
    och varningen försvinner när nämnden har fastställt versionen. Annars:
    ändra tillbaka namnet i `routines/register/roller.yml`.
    """
    last = handbook.releases.last
    if last is None or not last.roles:
        return
    used = set()
    for source in handbook.routines.values():
        if source.routine.status == "gällande":
            used |= role_ids(source.routine)
    for recorded in last.roles:
        role = handbook.roles.get(recorded.id)
        if role is None or recorded.id not in used or role.name == recorded.name:
            continue
        path, line = handbook.register_lines.get(("roles", recorded.id), (handbook.releases.display, 1))
        yield Problem(path, line, 1, "RH811", Severity.WARNING,
                      f"rollen {recorded.id} heter nu '{role.name}', men hette '{recorded.name}' när version "
                      f"{last.version} fastställdes; namnet visas på fastställda rutinsidor",
                      "Ett nytt rollnamn på de fastställda sidorna gäller först när nämnden har fastställt nästa "
                      "release; det listas i nästa beslutsunderlag (handbok release prepare). Ändra annars "
                      "tillbaka namnet i rollregistret.")


def _next(version: str) -> str:
    parts = version.split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)

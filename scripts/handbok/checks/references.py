"""Referenser: lagrum, relaterade rutiner, revisionsrekommendationer och länkar."""

from __future__ import annotations

import difflib
import posixpath
from urllib.parse import unquote

from ..core.addresses import routine_src_uri
from ..core.generated import PAGES
from ..core.handbook import Handbook, RoutineSource
from ..core.markdown_text import is_external, routine_id_of
from ..problems import Problem, Severity
from . import body
from .registry import BuildContext, problem_at, rule


@rule("RH403", "referenser", "lagrummet finns inte i lagrumsregistret")
def legal_basis_exists(handbook: Handbook, context: BuildContext):
    """Ett id i `legal_basis` finns inte i lagrumsregistret
    `routines/register/lagrum.yml`. Rutinens avsnitt *Lagstöd* byggs från
    registret, så ett okänt id kan inte visas.

    Rätta: Använd id:t för bestämmelsen ur `lagrum.yml`, eller lägg till
    bestämmelsen i registret med hänvisning, länk och datum då den trädde i kraft.
    """
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.legal_basis):
            if ref not in handbook.legal:
                guess = difflib.get_close_matches(ref, list(handbook.legal), n=1, cutoff=0.75)
                message = f"lagrummet '{ref}' finns inte i lagrum.yml" + (f" – menade du '{guess[0]}'?" if guess else "")
                yield problem_at(source, "legal_basis", "RH403", message,
                               "Ange ett id ur routines/register/lagrum.yml.", Severity.ERROR, index)


@rule("RH404", "referenser", "lagrummet var upphävt när rutinen började gälla")
def legal_basis_in_force(handbook: Handbook, context: BuildContext):
    """Rutinen hänvisar till en bestämmelse som redan var upphävd den dag
    rutinen börjar gälla (`valid_from`, för utkast utan datum i dag). Oftast är
    det den gamla socialtjänstlagen (2001:453) som ersattes av
    socialtjänstlagen (2025:400) den 1 juli 2025. Meddelandet säger vilken
    bestämmelse som ersatt den upphävda, om registret vet det. En bestämmelse
    som träder i kraft senare än rutinen går bra att hänvisa till: rutinen
    förbereder då arbetet inför ändringen, och sidan visar när den börjar gälla.

    Rätta: Byt id:t i `legal_basis` mot den bestämmelse som gäller (den som
    meddelandet nämner) och kontrollera att rutinens text hänvisar rätt.
    """
    for source in handbook.routines.values():
        day = source.routine.valid_from or context.today
        for index, ref in enumerate(source.routine.legal_basis):
            legal = handbook.legal.get(ref)
            if legal is None or not legal.in_force_to or day <= legal.in_force_to:
                continue  # unknown (RH403), in force, or coming into force later
            replacement = _replacement(handbook, legal)
            message = f"{legal.citation} är upphävd sedan {legal.in_force_to} och gällde inte den {day}"
            if replacement:
                message += _replaced_by(replacement)
                hint = f"Byt '{legal.id}' mot '{replacement.id}' i legal_basis och se över hänvisningarna i texten."
            else:
                hint = "Hänvisa till den bestämmelse som gäller den dag rutinen börjar gälla."
            yield problem_at(source, "legal_basis", "RH404", message, hint, Severity.ERROR, index)


@rule("RH410", "referenser", "gällande rutin hänvisar till ett upphävt lagrum", in_build=False)
def legal_basis_still_in_force(handbook: Handbook, context: BuildContext):
    """En gällande rutin hänvisar till en bestämmelse som har upphävts sedan
    rutinen började gälla. Rutinen var rätt när den fastställdes, men lagen
    har ändrats under tiden, t.ex. när socialtjänstlagen (2025:400) ersatte
    den gamla lagen (2001:453) den 1 juli 2025. Sidan visar lagrummet som
    upphävt, och registret *Lagrum* listar rutinen. Kontrollen är ett fel i
    `handbok check` och i pull requests, men stoppar inte bygget av
    webbplatsen. Gällde bestämmelsen inte ens när rutinen började gälla är
    det RH404 i stället.

    Rätta: Byt id:t i `legal_basis` mot den bestämmelse som gäller (den som
    meddelandet nämner), se över texten och låt nämnden fastställa den
    ändrade rutinen i nästa version av handboken.
    """
    for source in handbook.routines.values():
        routine = source.routine
        if routine.status != "gällande" or (routine.valid_from and routine.valid_from > context.today):
            continue
        start = routine.valid_from or context.today
        for index, ref in enumerate(routine.legal_basis):
            legal = handbook.legal.get(ref)
            if legal is None or not legal.in_force_on(start) or legal.in_force_on(context.today):
                continue  # unknown (RH403), not in force at the start (RH404), or still in force
            if not legal.in_force_to or legal.in_force_to >= context.today:
                continue  # not yet in force today, which a routine in force cannot be about
            message = f"{legal.citation} gällde till och med {legal.in_force_to}, men rutinen gäller fortfarande"
            replacement = _replacement(handbook, legal)
            if replacement:
                message += _replaced_by(replacement)
                hint = (f"Byt '{legal.id}' mot '{replacement.id}' i legal_basis, se över texten och låt nämnden "
                        "fastställa ändringen.")
            else:
                hint = "Hänvisa till den bestämmelse som gäller nu och låt nämnden fastställa ändringen."
            yield problem_at(source, "legal_basis", "RH410", message, hint, Severity.ERROR, index)


@rule("RH405", "referenser", "relaterad rutin finns inte")
def related_exists(handbook: Handbook, context: BuildContext):
    """Ett id i `related` är inte id för någon rutin i handboken.

    Rätta: Skriv id:t för en befintlig rutin (filnamnet utan `.md`), eller ta
    bort id:t om rutinen har tagits bort.
    """
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.related):
            if ref not in handbook.routines and ref not in handbook.unreadable:
                yield problem_at(source, "related", "RH405", f"den relaterade rutinen '{ref}' finns inte" + _did_you_mean(ref, handbook.routines),
                               "Ange id för en befintlig rutin (filnamnet utan .md).", Severity.ERROR, index)


@rule("RH406", "referenser", "revisionsfyndet finns inte")
def answers_exist(handbook: Handbook, context: BuildContext):
    """Ett id i `answers` eller `answers_in_part` finns inte bland
    revisionsfynden i `routines/register/revisionsfynd.yml`.

    Rätta: Använd id:t för rekommendationen eller bedömningen ur
    `revisionsfynd.yml`, eller lägg till fyndet där (kommun, år, granskare,
    rapport och text).
    """
    for source in handbook.routines.values():
        for key in ("answers", "answers_in_part"):
            for index, ref in enumerate(getattr(source.routine, key)):
                if ref not in handbook.findings:
                    yield problem_at(source, key, "RH406", f"revisionsfyndet '{ref}' finns inte i revisionsfynd.yml"
                                     + _did_you_mean(ref, handbook.findings),
                                     "Ange ett id ur routines/register/revisionsfynd.yml.", Severity.ERROR, index)


def _replacement(handbook: Handbook, legal):
    """The provision that replaced ``legal``, if the register knows it."""
    return handbook.legal.get(legal.replaced_by or "")


def _replaced_by(replacement) -> str:
    return f"; den ersätts av {replacement.citation} ({replacement.id})"


def _did_you_mean(value: str, known) -> str:
    guess = difflib.get_close_matches(value, list(known), n=1, cutoff=0.75)
    return f" – menade du '{guess[0]}'?" if guess else ""


def _page_exists(handbook: Handbook, uri: str) -> bool:
    if uri in PAGES or (handbook.docs_dir / uri).is_file():
        return True
    return any(routine_src_uri(s.routine) == uri for s in handbook.routines.values())


@rule("RH407", "referenser", "en länk i rutinen pekar på något som inte finns")
def links_resolve(handbook: Handbook, context: BuildContext):
    """En länk i rutinens text pekar på en fil som inte finns. Länka till en
    annan rutin med dess filnamn, `[text](rutinens-id.md)`: handboken gör om
    länken till rutinens publicerade adress.

    Rätta: Rätta filnamnet (meddelandet föreslår en rutin med liknande namn),
    eller ta bort länken om rutinen inte finns längre.

    Exempel:
        Se [uppföljningen](uppfoljning-arbetsmarknadsinsats.md#arbetsgang).
    """
    for source in handbook.routines.values():
        for link in body.links(source, context):
            target = link.target
            if is_external(target) or target.startswith("#"):
                continue
            path = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if not path:
                continue
            routine_id = routine_id_of(path)
            if routine_id:
                if routine_id not in handbook.routines and routine_id not in handbook.unreadable:
                    yield Problem(source.display, link.line, link.column, "RH407", Severity.ERROR,
                                  f"länken pekar på '{path}', men det finns ingen rutin med id '{routine_id}'"
                                  + _did_you_mean(routine_id, handbook.routines),
                                  "Länka till en annan rutin med dess filnamn, t.ex. [text](uppfoljning-arbetsmarknadsinsats.md).")
                continue
            page_dir = posixpath.dirname(routine_src_uri(source.routine))
            resolved = posixpath.normpath(posixpath.join(page_dir, path))
            if resolved.startswith("../") or not _page_exists(handbook, resolved):
                yield Problem(source.display, link.line, link.column, "RH407", Severity.ERROR,
                              f"länken pekar på '{path}', som inte finns i handboken",
                              "Länka till rutiner med filnamnet (rutinens-id.md) och till webbadresser med https://.")


@rule("RH408", "referenser", "en länk pekar på en rubrik som inte finns")
def anchors_resolve(handbook: Handbook, context: BuildContext):
    """En länk pekar på en rubrik (`#ankare`) som inte finns i rutinen den
    länkar till. Ankaret är rubrikens text med gemener, bindestreck i stället
    för mellanslag och å/ä/ö som a/a/o: `## Arbetsgång` blir `#arbetsgang`.

    Rätta: Skriv ankaret som rubriken ser ut nu (meddelandet räknar upp
    rubrikerna), eller länka till rutinen utan ankare.
    """
    for source in handbook.routines.values():
        for link in body.links(source, context):
            target = link.target
            if is_external(target) or "#" not in target:
                continue
            path, fragment = target.split("#", 1)
            fragment = unquote(fragment)
            if not fragment:
                continue
            if not path:
                other: RoutineSource | None = source
            else:
                other = handbook.routines.get(routine_id_of(unquote(path)) or "")
            if other is None:
                continue
            known = body.anchors(handbook, other, context)
            if fragment in known:
                continue
            where = "i rutinen" if other is source else f"i rutinen '{other.routine.id}'"
            guess = difflib.get_close_matches(fragment, known, n=1, cutoff=0.6)
            message = f"rubriken '#{fragment}' finns inte {where}" + (f" – menade du '#{guess[0]}'?" if guess else "")
            headings = [a for a in known if not a.startswith("steg-")]
            yield Problem(source.display, link.line, link.column, "RH408", Severity.ERROR, message,
                          "Rubriker som går att länka till: " + ", ".join(f"#{a}" for a in headings[:12]) + ".")


@rule("RH409", "referenser", "ett lagrum ersätts av ett lagrum som inte finns")
def legal_replacement_exists(handbook: Handbook, context: BuildContext):
    """En bestämmelse i lagrumsregistret har `replaced_by` med ett id som inte
    finns i registret. Då kan kontrollen inte tala om vilken bestämmelse en
    rutin ska hänvisa till i stället.

    Rätta: Lägg till den nya bestämmelsen i `lagrum.yml`, eller rätta id:t i
    `replaced_by`.
    """
    for legal in handbook.legal.values():
        if legal.replaced_by and legal.replaced_by not in handbook.legal:
            display, line = handbook.register_lines.get(("legal", legal.id), ("routines/register/lagrum.yml", 1))
            yield Problem(display, line, 1, "RH409", Severity.ERROR,
                          f"'{legal.id}' ersätts enligt registret av '{legal.replaced_by}', som inte finns i lagrum.yml",
                          "Lägg till den ersättande bestämmelsen i lagrum.yml eller rätta replaced_by.")

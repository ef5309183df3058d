"""The verbs: ``handbok release prepare|approve|aktivera`` and ``handbok gallande``.

Each verb is a thin function over ``workflow`` and ``register``.
Exit codes: 0 = klart, 1 = vägrade eller misslyckades (inget ändrat), 2 = felaktigt anrop.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..cli_types import DATE, DECISION_REFERENCE, RELEASE_VERSION, reference_date
from ..core.addresses import routine_url
from ..core.errors import HandbookError
from ..core.loader import load_handbook
from ..core.release_integrity import half_finished
from ..core.release_integrity import verify as verify_releases
from ..core.releases import DECIDED, HEADINGS, load_register
from . import ReleaseError, publish, workflow


def _fail(error: HandbookError) -> None:
    click.echo(f"fel: {error.message}", err=True)
    for line in error.details:
        click.echo(f"    {line}", err=True)
    if error.hint:
        click.echo(f"    → {error.hint}", err=True)
    sys.exit(2 if error.usage else 1)


def _root(ctx: click.Context) -> Path:
    return Path(ctx.find_root().obj["root"])


@click.group("release")
def release() -> None:
    """Fastställda versioner: ta fram beslutsunderlag, registrera nämndens beslut och publicera."""


@release.command("prepare")
@click.argument("version", type=RELEASE_VERSION)
@click.option("--ta-med", "include", multiple=True, metavar="ID",
              help="Ta med ett utkast i förslaget (kan anges flera gånger).")
@click.option("--organ", default="Nämnden", show_default=True, help="Organet som ska besluta (för beslutsförslaget).")
@click.option("--galler-fran", "valid_from", type=DATE, help="Föreslagen dag då versionen börjar gälla.")
@click.option("--pdf/--utan-pdf", default=True, show_default=True, help="Skriv också underlaget som PDF.")
@click.option("--idag", "today", type=DATE, hidden=True, help="Kör som om det vore detta datum (för tester).")
@click.pass_context
def prepare(ctx: click.Context, version: str, include: tuple[str, ...], organ: str, valid_from: dt.date | None,
            pdf: bool, today: dt.date | None) -> None:
    """Skriv beslutsunderlaget för VERSION, till exempel 2026.1.

    Underlaget listar nya, ändrade och upphävda rutiner sedan den senast
    fastställda versionen, med ändringarna i text och processkarta, och ett
    förslag till beslut. Kräver att kontrollen är utan fel och att allt är incheckat.
    """
    root = _root(ctx)
    try:
        result = workflow.prepare(root, version, include=include, organ=organ, valid_from=valid_from,
                                  today=today, pdf=pdf)
    except HandbookError as error:
        _fail(error)
    plan = result.plan
    click.echo(f"Beslutsunderlag för version {version}{' (ersätter det tidigare)' if result.replaced else ''}:")
    for path in (result.html, result.pdf):
        if path is not None:
            click.echo(f"    {path.relative_to(root) if path.is_relative_to(root) else path}")
    if result.pdf_note:
        click.echo(f"    {result.pdf_note} Skriv ut HTML-filen till PDF från webbläsaren.")
    for warning in result.warnings:
        click.echo(f"varning: {warning}", err=True)
    for kind in DECIDED:
        items = plan.of_kind(kind)
        if items:
            click.echo(f"{HEADINGS[kind]}: " + ", ".join(c.id for c in items))
    if plan.renamed_roles:
        click.echo("Roller som har bytt namn: " + ", ".join(f"{rid} ({old} → {new})"
                                                          for rid, (old, new) in sorted(plan.renamed_roles.items())))
    click.echo(f"När nämnden har beslutat: handbok release approve {version} --organ … --datum ÅÅÅÅ-MM-DD "
               f"--referens \"SN ÅÅÅÅ-MM-DD § NN\"")


@release.command("approve")
@click.argument("version", type=RELEASE_VERSION)
@click.option("--organ", help="Organet som fattade beslutet, t.ex. Socialnämnden.")
@click.option("--datum", type=DATE, help="Beslutsdatum (sammanträdets dag).")
@click.option("--referens", type=DECISION_REFERENCE, help="Protokollsreferensen.")
@click.option("--galler-fran", "valid_from", type=DATE, help="Dag då versionen börjar gälla (standard: beslutsdagen).")
@click.option("--fortsatt", "resume", is_flag=True,
              help="Slutför en fastställelse som avbröts halvvägs, med beslutet den påbörjades med.")
@click.option("--angra", "undo", is_flag=True, help="Ångra en fastställelse som avbröts halvvägs.")
@click.option("--idag", "today", type=DATE, hidden=True, help="Kör som om det vore detta datum (för tester).")
@click.pass_context
def approve(ctx: click.Context, version: str, organ: str | None, datum: dt.date | None, referens: str | None,
            valid_from: dt.date | None, resume: bool, undo: bool, today: dt.date | None) -> None:
    """Registrera nämndens beslut om VERSION och publicera den.

    För in beslutet i rutinerna och i releaseregistret, checkar in, skapar
    taggen vVERSION och publicerar versionen med mike. Den gällande versionen
    (aliaset 'gallande') flyttas när versionen börjar gälla.

    Allt eller inget: avbryts kommandot (Ctrl+C, en avbruten CI-körning) ångras
    det som hunnit göras. Stängs det av hårdare (SIGKILL, strömavbrott) ligger en
    journal kvar: 'handbok check' visar det (RH804), och --fortsatt slutför
    fastställelsen, --angra ångrar den.
    """
    root = _root(ctx)
    if resume or undo:
        _resume_or_undo(root, version, resume, undo, (organ, datum, referens, valid_from), today)
        return
    try:
        missing = [name for name, value in (("--organ", (organ or "").strip()), ("--datum", datum),
                                            ("--referens", referens)) if not value]
        if missing:
            raise ReleaseError(f"{', '.join(missing)} saknas",
                               f"Exempel: handbok release approve {version} --organ Socialnämnden --datum 2026-03-12 "
                               "--referens \"SN 2026-03-12 § 45\"", usage=True)
        meeting = reference_date(referens)
        if meeting != datum:
            raise ReleaseError(f"--referens '{referens}' gäller sammanträdet {meeting}, men --datum är {datum}",
                               "Beslutsdatum och datum i protokollsreferensen ska vara samma dag. Rätta det som är fel.",
                               usage=True)
        decision = workflow.Decision(version=version, organ=organ.strip(), date=datum, reference=referens,
                                     valid_from=valid_from or datum)
        result = workflow.approve(root, decision, today=today)
    except HandbookError as error:
        _fail(error)
    _approved(result)


def _resume_or_undo(root: Path, version: str, resume: bool, undo: bool, given: tuple, today: dt.date | None) -> None:
    try:
        if resume and undo:
            raise ReleaseError("--fortsatt och --angra kan inte anges samtidigt", "Välj det ena.", usage=True)
        if any(value for value in given):
            raise ReleaseError(f"{'--fortsatt' if resume else '--angra'} tar inget nytt beslut",
                               "Beslutet står i journalen från den avbrutna fastställelsen; ange bara versionen.",
                               usage=True)
        if undo:
            step = workflow.undo_approval(root, version)
            click.echo(f"Den avbrutna fastställelsen av version {version} är ångrad (den hade kommit till steget "
                       f"'{step}'). Handboken, registret, taggarna och {publish.BRANCH} är som före fastställelsen.")
            return
        result = workflow.resume_approval(root, version, today=today)
    except HandbookError as error:
        _fail(error)
    _approved(result)


def _approved(result: workflow.Approved) -> None:
    release_ = result.release
    click.echo(f"Version {release_.version} är fastställd av {release_.organ} {release_.date} ({release_.reference}).")
    click.echo(f"    Incheckad som {result.commit[:12]} med taggen {result.tag}; publicerad på grenen {publish.BRANCH}.")
    if result.alias_moved:
        click.echo(f"    Version {release_.version} är gällande version ('{publish.ALIAS}').")
    else:
        click.echo(f"    Versionen börjar gälla {release_.valid_from}; gällande version är fortfarande {result.in_force}.")
        click.echo(f"    Kör 'handbok release aktivera {release_.version}' den dagen.")
    click.echo(f"Skicka till servern: git push origin HEAD {result.tag} {publish.BRANCH}")


@release.command("verifiera")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text för människor, json för verktyg.")
@click.option("--strikt", "strict", is_flag=True,
              help="Räkna också varningar (en tagg eller gh-pages som saknas i klonen) som fel.")
@click.pass_context
def verify(ctx: click.Context, fmt: str, strict: bool) -> None:
    """Jämför releaseregistret med releasetaggarna, gh-pages och main.

    Visar varje fastställd version vars register, tagg eller publicerade sidor
    inte stämmer med det som fastställdes, och en fastställelse som avbrutits
    halvvägs. Det som saknas i klonen (taggar, gh-pages) är varningar.
    Slutkod 0 om allt stämmer, 1 om något fel hittades.
    """
    root = _root(ctx)
    try:
        workflow.repository(root)
        register = load_register(root)
        if register.problems:
            raise ReleaseError(f"releaseregistret {register.display} har fel", "Kör 'handbok check' för detaljer.",
                               [p.format() for p in register.problems[:10]])
        findings = half_finished(root) + verify_releases(root, register)
    except HandbookError as error:
        _fail(error)
    problems = [f.problem(register) for f in findings]
    errors = [p for p in problems if p.is_error]
    if fmt == "json":
        click.echo(json.dumps({"versioner": [r.version for r in register.releases], "fel": len(errors),
                               "varningar": len(problems) - len(errors),
                               "fynd": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(problem.format())
            if problem.hint:
                click.echo(f"    → {problem.hint}")
        versions = ", ".join(r.version for r in register.releases) or "inga"
        click.echo(f"Fastställda versioner: {versions}. {len(errors)} fel, {len(problems) - len(errors)} "
                   f"{'varning' if len(problems) - len(errors) == 1 else 'varningar'}.")
    sys.exit(1 if errors or (strict and problems) else 0)


@release.command("aktivera")
@click.argument("version", type=RELEASE_VERSION)
@click.option("--idag", "today", type=DATE, hidden=True, help="Kör som om det vore detta datum (för tester).")
@click.pass_context
def activate(ctx: click.Context, version: str, today: dt.date | None) -> None:
    """Gör en fastställd VERSION till gällande version när den börjar gälla."""
    root = _root(ctx)
    try:
        previous = workflow.activate(root, version, today=today)
    except HandbookError as error:
        _fail(error)
    click.echo(f"Version {version} är nu gällande version ('{publish.ALIAS}')"
               + (f"; {previous} finns kvar som äldre version." if previous else "."))
    click.echo(f"Skicka till servern: git push origin {publish.BRANCH}")


@click.command("gallande")
@click.option("--datum", type=DATE, help="Dagen som frågan gäller (standard: i dag).")
@click.option("--rutin", "routine_id", metavar="ID", help="Visa också vilken version av rutinen som gällde.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text för människor, json för verktyg.")
@click.pass_context
def gallande(ctx: click.Context, datum: dt.date | None, routine_id: str | None, fmt: str) -> None:
    """Vilken fastställd version av handboken (och av en rutin) gällde en viss dag?

    Svarar ur releaseregistret. Slutkod 0 om något gällde, 1 om inget gällde.
    """
    root = _root(ctx)
    try:
        day = datum or dt.date.today()
        register = load_register(root)
        if register.problems:
            raise ReleaseError(f"releaseregistret {register.display} har fel", "Kör 'handbok check' för detaljer.",
                               [p.format() for p in register.problems[:10]])
    except HandbookError as error:
        _fail(error)
    release_ = register.in_force_on(day)
    answer: dict = {"datum": str(day), "version": None, "rutin": None}
    lines = []
    if release_ is None:
        first = register.releases[0] if register.releases else None
        lines.append(f"Ingen fastställd version av handboken gällde {day}."
                     + (f" Den första, {first.version}, gäller från {first.valid_from}." if first else ""))
    else:
        start, end = register.period(release_)
        answer["version"] = {"version": release_.version, "organ": release_.organ, "datum": str(release_.date),
                             "referens": release_.reference, "galler_fran": str(start),
                             "galler_till": str(end) if end else None}
        period = f"{start}–{end}" if end else f"från {start} tills vidare"
        lines.append(f"Den {day} gällde Rutinhandboken version {release_.version}, fastställd av {release_.organ} "
                     f"{release_.date} ({release_.reference}), i kraft {period}.")
    found = None
    if routine_id:
        found = register.routine_on(day, routine_id)
        if found is None:
            lines.append(f"Rutinen '{routine_id}' gällde inte {day}.")
        else:
            in_release, entry = found
            answer["rutin"] = {"id": entry.id, "titel": entry.title, "version": entry.version, "status": entry.status,
                               "rutinagare": entry.owner, "release": in_release.version,
                               "galler_fran": str(entry.valid_from) if entry.valid_from else None,
                               "adress": f"/{in_release.version}/{routine_url(entry)}"}
            if entry.status == "upphävd":
                lines.append(f"Rutinen {entry.title} ({entry.id}) var upphävd enligt version {in_release.version}.")
            else:
                role = load_handbook(root).roles.get(entry.owner)
                owner = f"{role.name}, {role.unit}" if role else entry.owner
                lines.append(f"Rutinen {entry.title} ({entry.id}) gällde i version {entry.version}"
                             f"{f' från {entry.valid_from}' if entry.valid_from else ''}, rutinägare {owner}, "
                             f"enligt handbokens version {in_release.version}: {answer['rutin']['adress']}")
    if fmt == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        for line in lines:
            click.echo(line)
    in_force = release_ is not None and (not routine_id or (found is not None and found[1].status == "gällande"))
    sys.exit(0 if in_force else 1)


def register(main: click.Group) -> None:
    """Add the verbs to the ``handbok`` command."""
    main.add_command(release)
    main.add_command(gallande)

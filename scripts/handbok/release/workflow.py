"""prepare, approve and activate: every precondition first, then all-or-nothing writes.

``approve`` writes in this order – routine files, register, commit, tag,
gh-pages, and the tag again with what was published – under a lock and a
journal (``release.transaction``). If any step fails or a signal stops it,
the journal puts everything back, so the register, the tags and the
published branch are exactly as before; after a crash the journal stays
behind (RH804) and ``undo_approval`` / ``resume_approval`` finish the job.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..checks import run_checks
from ..checks.completeness import problems_as_in_force
from ..core import git
from ..core.completeness import completeness
from ..core.context import BuildContext
from ..core.handbook import Handbook
from ..core.hashing import released_roles, routine_hash, snapshot
from ..core.release_integrity import published_tree, tag_record
from ..core.loader import load_handbook
from ..core.releases import ReleaseRegister, load_register, register_path
from . import ReleaseError, publish, transaction, write_whole
from .frontmatter import approve_text
from .plan import (CHANGED, NEW, REVIEWED, UNDERLAG_DIR, Plan, Previous, differences, make_plan, read_proposal,
                   underlag_dir, write_proposal)
from .register import appended_text
from .underlag import render

MKDOCS_FILE = "mkdocs.yml"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# --- shared preconditions -----------------------------------------------------------


@dataclass
class Repository:
    root: Path
    top: Path
    prefix: str  # the handbook root relative to the repository root ('' or 'x/')

    def rel(self, path: Path) -> str:
        return self.prefix + path.resolve().relative_to(self.root.resolve()).as_posix()


def repository(root: Path) -> Repository:
    if not (root / "routines").is_dir():
        raise ReleaseError(f"hittar ingen mapp routines/ i {root.resolve()}",
                           "Kör kommandot i handbokens rotmapp eller ange --rot.", usage=True)
    if not git.is_repository(root):
        raise ReleaseError("handboken ligger inte i ett git-förråd",
                           "Releaser byggs på handbokens git-historik. Kör kommandot i en klon av handbokens förråd.")
    if git.head(root) is None:
        raise ReleaseError("git-förrådet har inga incheckningar ännu", "Checka in handboken först.")
    top = git.toplevel(root)
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    return Repository(root, top, "" if prefix == "." else prefix + "/")


def check_clean(repo: Repository, version: str) -> None:
    """No changes except the not yet committed beslutsunderlag of this version."""
    allowed = f"{repo.prefix}{UNDERLAG_DIR}/{version}/"
    dirty = [(code, path) for code, path in git.status(repo.root)
             if not (code == "??" and path.startswith(allowed))]
    if dirty:
        listed = [f"{'ny fil' if code == '??' else 'ändrad'}: {path}" for code, path in dirty[:10]]
        if len(dirty) > 10:
            listed.append(f"… och {len(dirty) - 10} till")
        raise ReleaseError("arbetskopian har ändringar som inte är incheckade",
                           "En release beskriver det som är incheckat. Checka in eller ångra ändringarna "
                           "(se 'git status') och försök igen.", listed)


def check_new_version(repo: Repository, register: ReleaseRegister, version: str, today: dt.date) -> None:
    if register.problems:
        raise ReleaseError(f"releaseregistret {register.display} har fel",
                           "Kör 'handbok check' för detaljer. Registret skrivs bara av handbok release approve; "
                           "återställ det från git.", [p.format() for p in register.problems[:10]])
    existing = register.get(version)
    if existing is not None:
        raise ReleaseError(f"version {version} är redan fastställd ({existing.organ} {existing.date}, "
                           f"{existing.reference}) och kan inte ändras eller publiceras om",
                           f"En fastställd version är oföränderlig. Ge nästa release ett nytt nummer, "
                           f"t.ex. {_next_version(register, today)}.")
    last = register.last
    if last is not None and _key(version) <= _key(last.version):
        raise ReleaseError(f"version {version} är inte högre än den senast fastställda versionen {last.version}",
                           f"Nästa version måste ha ett högre nummer, t.ex. {_next_version(register, today)}.")
    if git.tag_exists(repo.root, f"v{version}"):
        raise ReleaseError(f"taggen v{version} finns redan i git",
                           "Versionen har redan taggats. Ge releasen ett nytt versionsnummer.")
    if publish.published_version(repo.root, version) is not None:
        raise ReleaseError(f"version {version} är redan publicerad på grenen {publish.BRANCH}",
                           "En publicerad version skrivs aldrig över. Ge releasen ett nytt versionsnummer.")


def _next_version(register: ReleaseRegister, today: dt.date) -> str:
    year = today.year
    last = register.last
    if last is None:
        return f"{year}.1"
    last_year, number = _key(last.version)
    return f"{last_year}.{number + 1}" if last_year >= year else f"{year}.1"


def checked_handbook(root: Path, today: dt.date) -> Handbook:
    """The handbook, refused if the build's checks find errors (dated findings go into the underlag).

    Like the build, it needs Mermaid's reading of the maps: the beslutsunderlag
    carries each new routine's map as text.
    """
    handbook = load_handbook(root)
    handbook.require_maps()
    problems = run_checks(handbook, BuildContext(today=today), in_build=True)
    errors = problems.errors
    if errors:
        raise ReleaseError(f"kontrollen hittade {len(errors)} fel; en handbok med fel kan inte fastställas",
                           "Rätta felen (kör 'handbok check' för detaljer), checka in och försök igen.",
                           [p.format() for p in errors[:15]] + ([f"… och {len(errors) - 15} till"] if len(errors) > 15 else []))
    return handbook


def check_complete(handbook: Handbook, plan: Plan, today: dt.date) -> None:
    """Refuse to put an incomplete routine before the nämnd (a draft taken along with --ta-med too).

    The routines in force are held to the same rules by the checks (RH9xx are errors for
    them); a draft only gets warnings until it is in a proposal, so it is held to them here.
    """
    ids = plan.approved_ids
    problems = problems_as_in_force(handbook, ids, BuildContext(today=today))
    if not problems:
        return
    incomplete = [handbook.routines[rid] for rid in ids
                  if not completeness(handbook, handbook.routines[rid]).complete]
    names = ", ".join(f"{s.routine.title} ({s.routine.id}{', utkast' if s.routine.status == 'utkast' else ''})"
                      for s in incomplete)
    if len(incomplete) == 1:
        message = f"rutinen {names} är inte fullständig och kan inte läggas fram för nämnden"
    else:
        message = f"{len(incomplete)} rutiner är inte fullständiga och kan inte läggas fram för nämnden: {names}"
    raise ReleaseError(
        message,
        "En rutin som fastställs säger vem som beslutar, utför och följer upp, hur ofta eller när den följs "
        "upp, vilket lagstöd den har och vilka som arbetar efter den, och har mallens avsnitt med egen text (och "
        "en egen karta, om den har en). Rätta det som står ovan, checka in och försök igen – eller ta inte med "
        "ett utkast som inte är klart.",
        [p.format() for p in problems[:15]] + ([f"… och {len(problems) - 15} till"] if len(problems) > 15 else []))


def previous_release(repo: Repository, register: ReleaseRegister,
                     warnings: list[str] | None = None) -> Previous | None:
    """The last release's files: from its tag, or else from the commit that recorded it.

    A clone may lack tags (a shallow CI checkout, a mirror of ``main``); the
    commit on ``main`` that wrote the release into the register holds the same
    files, so the changes since then can still be shown, with a warning.
    """
    last = register.last
    if last is None:
        return None
    if git.tag_exists(repo.root, last.tag):
        return Previous(repo.root, last.tag, repo.prefix)
    recorded = git.commit_adding(repo.root, repo.rel(register_path(repo.root)), f'version: "{last.version}"')
    if recorded is None:
        raise ReleaseError(f"taggen {last.tag} för den senast fastställda versionen saknas i git, och ingen "
                           f"incheckning för in version {last.version} i releaseregistret",
                           f"Hämta taggarna ('git fetch --tags') så att ändringarna sedan {last.version} kan visas.")
    previous = Previous(repo.root, recorded, repo.prefix)
    differing = [entry.id for entry in last.routines
                 if (source := previous.routine(entry.id)) is None or routine_hash(source) != entry.sha256]
    if differing:
        raise ReleaseError(f"taggen {last.tag} för den senast fastställda versionen saknas i git, och rutinerna i "
                           f"incheckningen {recorded[:7]} som förde in version {last.version} i releaseregistret "
                           f"stämmer inte med registret ({', '.join(differing[:5])}"
                           f"{' …' if len(differing) > 5 else ''})",
                           f"Hämta taggarna ('git fetch --tags') så att ändringarna sedan {last.version} kan visas.")
    if warnings is not None:
        warnings.append(f"taggen {last.tag} saknas i git; ändringarna visas sedan incheckningen {recorded[:7]}, som "
                        f"förde in version {last.version} i releaseregistret. Hämta taggarna ('git fetch --tags') "
                        "om de finns någon annanstans.")
    return previous


# --- prepare -------------------------------------------------------------------------


@dataclass
class Prepared:
    plan: Plan
    html: Path
    proposal: Path
    replaced: bool
    pdf: Path | None = None
    pdf_note: str = ""
    warnings: list[str] = field(default_factory=list)


def write_pdf(html: Path) -> tuple[Path | None, str]:
    """The beslutsunderlag as PDF with WeasyPrint, if it can run here; else why not, in Swedish."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the system's Pango library is missing
        return None, f"PDF skapades inte ({exc.__class__.__name__}: WeasyPrint kan inte köras här)."
    target = html.with_suffix(".pdf")
    temporary = target.with_name(target.name + ".tmp")
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)  # it reports every CSS property it ignores
    try:
        weasyprint.HTML(filename=str(html)).write_pdf(str(temporary))
        temporary.replace(target)
    except Exception as exc:  # noqa: BLE001 - the HTML is written; a PDF is a convenience
        temporary.unlink(missing_ok=True)
        return None, f"PDF skapades inte ({exc})."
    finally:
        logger.setLevel(level)
    return target, ""


def prepare(root: Path, version: str, *, include: tuple[str, ...] = (), organ: str = "Nämnden",
            valid_from: dt.date | None = None, today: dt.date | None = None, pdf: bool = True) -> Prepared:
    today = today or dt.date.today()
    repo = repository(root)
    transaction.refuse_half_finished(root)
    register = load_register(root)
    check_new_version(repo, register, version, today)
    check_clean(repo, version)
    if valid_from and register.last and valid_from <= register.last.valid_from:
        raise ReleaseError(f"startdagen {valid_from} ligger inte efter den förra versionens startdag "
                           f"{register.last.valid_from}", "En ny version måste börja gälla senare än den förra.", usage=True)
    handbook = checked_handbook(root, today)
    plan = make_plan(handbook, register.last, version, include)
    if register.last is not None and not plan.anything_to_decide:
        raise ReleaseError(f"ingenting har ändrats sedan version {register.last.version}",
                           "Det finns inget nytt att fastställa. Ett utkast tas med med --ta-med ID.")
    check_complete(handbook, plan, today)
    warnings: list[str] = []
    previous = previous_release(repo, register, warnings)
    html = render(handbook, plan, previous, today=today, organ=organ, valid_from=valid_from, head=git.head(root))
    directory = underlag_dir(root, version)
    target = directory / f"beslutsunderlag-{version}.html"
    replaced = target.exists()
    directory.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(target)
    proposal = write_proposal(root, plan, git.head(root))
    stale = target.with_suffix(".pdf")
    if stale.exists():
        stale.unlink()  # never leave a PDF of an earlier underlag beside the new one
    pdf_path, note = write_pdf(target) if pdf else (None, "")
    return Prepared(plan, target, proposal, replaced, pdf_path, note, warnings)


# --- approve -------------------------------------------------------------------------


@dataclass
class Decision:
    version: str
    organ: str
    date: dt.date
    reference: str
    valid_from: dt.date


@dataclass
class Approved:
    release: model.Release
    plan: Plan
    commit: str
    tag: str
    alias_moved: bool
    in_force: str | None




def approve(root: Path, decision: Decision, *, today: dt.date | None = None) -> Approved:
    today = today or dt.date.today()
    if not decision.organ.strip():
        raise ReleaseError("organet som fattade beslutet saknas",
                           "Ange organet, t.ex. Socialnämnden.", usage=True)
    if decision.date > today:
        raise ReleaseError(f"beslutsdatumet {decision.date} ligger i framtiden",
                           "Registrera beslutet när nämnden har fattat det, med sammanträdets datum.", usage=True)
    if decision.valid_from < decision.date:
        raise ReleaseError(f"startdagen {decision.valid_from} ligger före beslutsdatumet {decision.date}",
                           "En version kan inte börja gälla innan den har beslutats.", usage=True)
    repo = repository(root)
    with transaction.approval_lock(root):
        transaction.refuse_half_finished(root)
        return _approve_locked(repo, decision, today)


def _approve_locked(repo: Repository, decision: Decision, today: dt.date) -> Approved:
    root = repo.root
    version = decision.version
    register = load_register(root)
    check_new_version(repo, register, version, today)
    last = register.last
    if last is not None:
        if decision.date < last.date:
            raise ReleaseError(f"beslutsdatumet {decision.date} ligger före beslutet om version {last.version} "
                               f"({last.date})",
                               "Kontrollera beslutsdatumet.", usage=True)
        if decision.valid_from <= last.valid_from:
            raise ReleaseError(f"startdagen {decision.valid_from} ligger inte efter den förra versionens "
                               f"startdag {last.valid_from}", "En ny version måste börja gälla senare än den förra.",
                               usage=True)
    check_clean(repo, version)
    proposed = read_proposal(root, version)
    handbook = checked_handbook(root, today)
    plan = make_plan(handbook, last, version, tuple(proposed.get("ta_med") or ()))
    changed = differences(proposed, plan.proposal())
    if changed:
        raise ReleaseError(f"handboken har ändrats sedan beslutsunderlaget för version {version} togs fram",
                           f"Nämnden har beslutat om underlaget, inte om de nya ändringarna. Kör 'handbok release "
                           f"prepare {version}' igen och låt nämnden besluta om det nya underlaget.", changed)
    check_complete(handbook, plan, today)
    config_file = root / MKDOCS_FILE
    if not config_file.is_file():
        raise ReleaseError(f"{MKDOCS_FILE} saknas i {root.resolve()}", "Webbplatsen byggs från mkdocs.yml i handbokens rotmapp.")

    files = [handbook.routines[rid].path for rid in plan.approved_ids] + [register_path(root)]
    journal = transaction.Journal.begin(
        root, version=version, tag=f"v{version}", today=today, files=files,
        decision={"organ": decision.organ, "datum": str(decision.date), "referens": decision.reference,
                  "galler_fran": str(decision.valid_from)})
    return transaction.run(journal, lambda: _approve(repo, handbook, plan, register, decision, journal, config_file,
                                                     today))


def _approve(repo: Repository, handbook: Handbook, plan: Plan, register: ReleaseRegister, decision: Decision,
             journal: transaction.Journal, config_file: Path, today: dt.date) -> Approved:
    root = repo.root
    version = decision.version
    reviewed = {c.id for c in plan.of_kind(REVIEWED)}
    journal.step("rutiner")
    for rid in plan.approved_ids:
        source = handbook.routines[rid]
        text = source.path.read_text(encoding="utf-8")
        write_whole(source.path, approve_text(
            text, source.display, organ=decision.organ, date=decision.date, reference=decision.reference,
            valid_from=None if rid in reviewed else decision.valid_from,
            make_in_force=source.routine.status == "utkast"), newline="")
    transaction.checkpoint("rutiner")
    after = load_handbook(root)
    routines, diagrams = snapshot(after)
    release = model.Release(version=version, organ=decision.organ, date=decision.date, reference=decision.reference,
                            valid_from=decision.valid_from, routines=routines, diagrams=diagrams,
                            roles=released_roles(after))
    journal.step("register")
    write_whole(register_path(root), appended_text(register, release), newline="")
    written = load_register(root)
    if written.problems or written.last != release or written.releases[:-1] != register.releases:
        raise ReleaseError("releaseregistret blev inte som väntat efter skrivningen",
                           "Inget har ändrats. Rapportera felet till den som förvaltar handbokens verktyg.",
                           [p.format() for p in written.problems])
    problems = run_checks(after, BuildContext(today=today), in_build=True).errors
    if problems:
        raise ReleaseError("kontrollen hittade fel efter att beslutet förts in; inget har ändrats",
                           "Rapportera felet till den som förvaltar handbokens verktyg.", [p.format() for p in problems[:15]])
    transaction.checkpoint("register")

    top = git.toplevel(root).resolve()
    paths = [p.resolve().relative_to(top).as_posix() for p in [handbook.routines[rid].path for rid in plan.approved_ids]
             + [register_path(root)]]
    directory = underlag_dir(root, version)
    if directory.is_dir():
        paths += [repo.rel(p) for p in sorted(directory.iterdir()) if p.is_file()]
    summary = _summary(plan)
    message = (f"Version {version} fastställd av {decision.organ} {decision.date} ({decision.reference})\n\n"
               f"Gäller från {decision.valid_from}. {summary}")
    journal.step("incheckning")
    commit = git.commit(repo.top, paths, message)
    transaction.checkpoint("incheckning")
    journal.step("tagg")
    git.create_tag(root, release.tag, f"{message}\n\n{tag_record(release, commit)}")
    transaction.checkpoint("tagg")

    current = publish.in_force_alias(root)
    move = decision.valid_from <= today or current is None
    title = f"{version} (fastställd {decision.date})"
    journal.step("publicering")
    publish.deploy(root, config_file, version, title, f"Publicera version {version} ({decision.reference})", alias=move)
    if move:
        publish.set_default(root, config_file)
    transaction.checkpoint("publicering")
    # The tag records what was published, so an edit of the published pages is found (RH807).
    journal.step("taggen får det publicerade")
    published = published_tree(root, version, f"refs/heads/{publish.BRANCH}")
    git.create_tag_forced(root, release.tag, f"{message}\n\n{tag_record(release, commit, published)}", commit)
    transaction.checkpoint("klar")
    return Approved(release, plan, commit, release.tag, move, version if move else current)


def _journal_for(root: Path, version: str) -> transaction.Journal:
    journal = transaction.Journal.load(root)
    if journal is None:
        raise ReleaseError(f"det finns ingen avbruten fastställelse av version {version}",
                           "Det finns inget att slutföra eller ångra. Kör 'handbok check'.")
    if journal.version != version:
        raise ReleaseError(f"den avbrutna fastställelsen gäller version {journal.version}, inte {version}",
                           f"Ange version {journal.version}.", usage=True)
    return journal


def undo_approval(root: Path, version: str) -> str:
    """Roll back a half-finished approval from its journal; the step it had reached."""
    repository(root)
    with transaction.approval_lock(root):
        journal = _journal_for(root, version)
        step = journal.data.get("steg", "okänt")
        with transaction.uninterrupted():
            journal.rollback()
    return step


def resume_approval(root: Path, version: str, *, today: dt.date | None = None) -> Approved:
    """Finish a half-finished approval: roll it back and approve again with the decision it recorded."""
    repo = repository(root)
    with transaction.approval_lock(root):
        journal = _journal_for(root, version)
        recorded = journal.data.get("beslut") or {}
        try:
            decision = Decision(version=version, organ=recorded["organ"], date=dt.date.fromisoformat(recorded["datum"]),
                                reference=recorded["referens"],
                                valid_from=dt.date.fromisoformat(recorded["galler_fran"]))
            today = today or dt.date.fromisoformat(journal.data["idag"])
        except (KeyError, TypeError, ValueError):
            raise ReleaseError(f"journalen {journal.path} saknar beslutet",
                               f"Ångra med 'handbok release approve {version} --angra' och gör om fastställelsen.") from None
        with transaction.uninterrupted():
            journal.rollback()
        return _approve_locked(repo, decision, today)


def _summary(plan: Plan) -> str:
    parts = []
    for kind, word in ((NEW, "nya"), (CHANGED, "ändrade")):
        if plan.of_kind(kind):
            parts.append(f"{len(plan.of_kind(kind))} {word}")
    repealed = len(plan.of_kind("upphavd")) + len(plan.of_kind("borttagen"))
    if repealed:
        parts.append(f"{repealed} upphävda")
    if plan.of_kind("granskad"):
        parts.append(f"{len(plan.of_kind('granskad'))} granskade utan ändring")
    return ("Rutiner: " + ", ".join(parts) + ".") if parts else ""


# --- activate ------------------------------------------------------------------------


def activate(root: Path, version: str, *, today: dt.date | None = None) -> str | None:
    """Move the alias of the version in force to an approved, published version on its first day."""
    today = today or dt.date.today()
    repository(root)  # refuses a root that is not a handbook in git
    with transaction.approval_lock(root):
        transaction.refuse_half_finished(root)
        return _activate(root, version, today)


def _activate(root: Path, version: str, today: dt.date) -> str | None:
    register = load_register(root)
    release = register.get(version)
    if release is None:
        raise ReleaseError(f"version {version} är inte fastställd", "Bara fastställda versioner kan bli gällande.")
    if publish.published_version(root, version) is None:
        raise ReleaseError(f"version {version} är inte publicerad på grenen {publish.BRANCH}",
                           "Versionen publiceras av handbok release approve.")
    if release.valid_from > today:
        raise ReleaseError(f"version {version} börjar gälla först {release.valid_from}",
                           f"Kör kommandot på eller efter {release.valid_from}.")
    current = publish.in_force_alias(root)
    if current == version:
        raise ReleaseError(f"version {version} är redan gällande version", "Det finns inget att göra.")
    if current and _key(current) > _key(version):
        raise ReleaseError(f"den gällande versionen {current} är nyare än {version}",
                           "En äldre version kan inte göras gällande igen.")
    config_file = root / MKDOCS_FILE
    before = git.branch_sha(root, publish.BRANCH)
    try:
        with transaction.interruptible():
            publish.move_alias(root, config_file, version, f"Version {version} är gällande från {release.valid_from}")
            publish.set_default(root, config_file)
    except BaseException as exc:
        with transaction.uninterrupted():
            git.set_branch(root, publish.BRANCH, before)
        if isinstance(exc, transaction.Interrupted):
            raise ReleaseError(f"aktiveringen av version {version} avbröts; ingenting har ändrats",
                               f"Kör 'handbok release aktivera {version}' igen.") from None
        raise
    return current

"""Whether the releases register, the release tags, the published site and main agree.

``handbok release approve`` records in each release's annotated tag what it
approved (a *tag record*): the commit, a digest of the register entry, every
routine's and map's hash and, once published, the object id of the version's
directory on ``gh-pages``. The register cannot then be rewritten to match an
edit, nor the published pages edited, nor the tag moved, without the three
disagreeing. ``verify`` compares them; the checker (RH805–RH810), ``handbok
release prepare`` and ``handbok release verifiera`` report what it finds.

What a clone lacks (the tags, the ``gh-pages`` branch) is a warning: the
comparison cannot be made there, but nothing is known to be wrong.

The approve journal (``.git/handbok-approve.json``) is written by the release
tool while an approval is under way and removed when it has finished or been
rolled back; one left behind is a half-finished approval (RH804). It lives in
git's own directory so it is never committed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import model
from ..problems import Problem, Severity
from . import git
from .build import ALIAS
from .errors import HandbookError
from .hashing import routine_hash
from .loader import routine_from_text
from .paths import REGISTER_DIR
from .releases import ReleaseRegister, register_from_text

PAGES_BRANCH = "gh-pages"
TAG_RECORD = "Handbok-Fastställt: "
"""The line of a release tag's message that carries its record (one line of JSON)."""
JOURNAL_FILE = "handbok-approve.json"
LOCK_FILE = "handbok-approve.lock"


# --- the tag record ---------------------------------------------------------------------------


def release_digest(release: model.Release) -> str:
    """SHA-256 of the register entry's data (not its YAML text: re-quoting does not change it)."""
    data = json.dumps(release.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def tag_record(release: model.Release, commit: str, published: str | None = None) -> str:
    record = {
        "version": release.version,
        "commit": commit,
        "register": release_digest(release),
        "rutiner": {r.id: r.sha256 for r in release.routines},
        "processkartor": {d.name: d.sha256 for d in release.diagrams},
    }
    if published:
        record["publicerad"] = published
    return TAG_RECORD + json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read_tag_record(message: str) -> dict | None:
    for line in message.splitlines():
        if line.startswith(TAG_RECORD):
            try:
                data = json.loads(line[len(TAG_RECORD):])
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}
    return None


# --- the journal of an approval under way ----------------------------------------------------


def journal_path(root: Path) -> Path:
    return git.common_dir(root) / JOURNAL_FILE


def lock_path(root: Path) -> Path:
    return git.common_dir(root) / LOCK_FILE


def read_journal(root: Path) -> dict | None:
    """The journal of a half-finished approval, None if there is none (or no git)."""
    if not git.is_repository(root):
        return None
    path = journal_path(root)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"oläslig": True}
    return data if isinstance(data, dict) else {"oläslig": True}


# --- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    version: str | None
    message: str
    hint: str

    def problem(self, register: ReleaseRegister) -> Problem:
        line = register.lines.get(self.version, 1) if self.version else 1
        return Problem(register.display, line, 1, self.code, self.severity, self.message, self.hint)


def _error(code: str, version: str | None, message: str, hint: str) -> Finding:
    return Finding(code, Severity.ERROR, version, message, hint)


def _warning(code: str, version: str | None, message: str, hint: str) -> Finding:
    return Finding(code, Severity.WARNING, version, message, hint)


RESTORE = ("Ett fastställt register, en releasetagg och en publicerad version ändras aldrig efteråt. "
           "Återställ det som ändrats från git (registret med 'git restore', taggen och gh-pages från "
           "servern), eller kontakta den som förvaltar handboken.")


def half_finished(root: Path) -> list[Finding]:
    journal = read_journal(root)
    if journal is None:
        return []
    version = journal.get("version") if isinstance(journal.get("version"), str) else None
    step = journal.get("steg") or "okänt steg"
    what = f"version {version}" if version else "en version"
    return [_error("RH804", None, f"fastställelsen av {what} avbröts halvvägs (vid steget '{step}', "
                   f"pid {journal.get('pid', '?')}) och är inte klar",
                   f"Slutför den med 'handbok release approve {version or 'VERSION'} --fortsatt' eller ångra den "
                   f"med 'handbok release approve {version or 'VERSION'} --angra'. Båda lämnar handboken, "
                   "registret, taggarna och gh-pages hela.")]


def pages_ref(root: Path) -> str | None:
    """The published branch: the local one, else origin's (a fresh clone may only have that)."""
    for ref in (f"refs/heads/{PAGES_BRANCH}", f"refs/remotes/origin/{PAGES_BRANCH}"):
        if git.ref_sha(root, ref):
            return ref
    return None


def applies(root: Path, register: ReleaseRegister) -> bool:
    """Whether the comparison applies to this handbook.

    A handbook at the top of its own repository always is compared. One in a
    folder of a larger repository (a test fixture, an example) only if one of
    its release tags is there: otherwise its register describes releases of
    another repository.
    """
    if not register.releases or register.problems or not git.is_repository(root):
        return False
    if git.toplevel(root).resolve() == Path(root).resolve():
        return True
    return any(git.tag_exists(root, release.tag) for release in register.releases)


def verify(root: Path, register: ReleaseRegister, *, head: str = "HEAD") -> list[Finding]:
    """Every disagreement between the register, the release tags, ``gh-pages`` and ``head``."""
    root = Path(root)
    if not applies(root, register):
        return []
    prefix = _prefix(root)
    findings: list[Finding] = []
    pages = pages_ref(root)
    missing_pages: list[str] = []
    for release in register.releases:
        findings += _verify_release(root, prefix, release, pages, head, missing_pages)
    if pages is not None:
        findings += _verify_alias(root, register, pages)
    if missing_pages:
        findings.append(_warning(
            "RH808", missing_pages[-1], f"grenen {PAGES_BRANCH} finns inte i den här klonen, så de publicerade "
            f"versionerna ({', '.join(missing_pages)}) kan inte jämföras med det som publicerades",
            f"Hämta grenen ('git fetch origin {PAGES_BRANCH}') och kör kontrollen igen, t.ex. med "
            "'handbok release verifiera'."))
    return findings


def _prefix(root: Path) -> str:
    top = git.toplevel(root).resolve()
    inner = Path(root).resolve().relative_to(top).as_posix()
    return "" if inner == "." else inner + "/"


def _verify_release(root: Path, prefix: str, release: model.Release, pages: str | None, head: str,
                    missing_pages: list[str]) -> list[Finding]:
    version, tag = release.version, release.tag
    if not git.tag_exists(root, tag):
        # Without the tag, the commit on main that recorded the release still holds its entry.
        recorded = git.commit_adding(root, f"{prefix}{REGISTER_DIR}/{model.RELEASES_FILE}", f'version: "{version}"')
        compared = _compare_register(root, prefix, release, recorded, f"incheckningen {recorded[:12]} som förde in "
                                     "versionen i registret") if recorded else []
        return [_warning("RH806", version, f"taggen {tag} för den fastställda versionen {version} finns inte i den "
                         "här klonen, så registret "
                         + ("jämförs bara med incheckningen som förde in versionen, inte med taggen" if recorded
                            else "kan inte jämföras med det som fastställdes"),
                         "Hämta taggarna ('git fetch --tags') och kör kontrollen igen.")] + compared
    findings: list[Finding] = []
    target = git.ref_sha(root, f"refs/tags/{tag}")
    annotated = git.object_type(root, f"refs/tags/{tag}") == "tag"
    record = read_tag_record(git.tag_message(root, tag)) if annotated else None
    if not annotated:
        findings.append(_error("RH806", version, f"taggen {tag} är inte en annoterad releasetagg: den har flyttats "
                               "eller skapats för hand", RESTORE))
    elif record == {}:
        findings.append(_error("RH806", version, f"taggen {tag} har en post från handbok release approve som inte går "
                               "att läsa: taggen har skrivits om", RESTORE))
    elif record is not None:
        if record.get("commit") != target:
            findings.append(_error(
                "RH806", version, f"taggen {tag} har flyttats: den pekar på {str(target)[:12]}, men version "
                f"{version} fastställdes i {str(record.get('commit'))[:12]}", RESTORE))
        if record.get("register") != release_digest(release):
            findings.append(_error("RH805", version, f"registrets post för version {version} stämmer inte med det "
                                   f"som taggen {tag} säger fastställdes{_which(record, release)}", RESTORE))
        published = record.get("publicerad")
        if published and pages is None:
            missing_pages.append(version)
        elif published:
            findings += _verify_published(root, release, pages, published)
    if git.object_type(root, target or "") != "commit":
        findings.append(_warning("RH806", version, f"incheckningen som taggen {tag} pekar på finns inte i den här "
                                 "klonen (en grund klon?)", "Hämta hela historiken ('git fetch --unshallow')."))
        return findings
    ancestor = git.is_ancestor(root, target, head)
    if ancestor is False:
        findings.append(_error("RH806", version, f"taggen {tag} pekar på {target[:12]}, som inte finns i "
                               "historiken bakom den här incheckningen: taggen har flyttats", RESTORE))
    findings += _verify_at_tag(root, prefix, release, target, record)
    return findings


def _which(record: dict, release: model.Release) -> str:
    recorded = record.get("rutiner") if isinstance(record.get("rutiner"), dict) else {}
    routines = sorted(r.id for r in release.routines if recorded.get(r.id) != r.sha256)
    routines += sorted(rid for rid in recorded if release.routine(rid) is None)
    maps = record.get("processkartor") if isinstance(record.get("processkartor"), dict) else {}
    diagrams = sorted(d.name for d in release.diagrams if maps.get(d.name) != d.sha256)
    parts = []
    if routines:
        parts.append(f"kontrollsumman för {_names('rutinen', 'rutinerna', routines)}")
    if diagrams:
        parts.append(f"kontrollsumman för {_names('processkartan', 'processkartorna', diagrams)}")
    return f" ({' och '.join(parts)})" if parts else " (beslutets uppgifter)"


def _names(one: str, many: str, names: list[str]) -> str:
    return f"{one if len(names) == 1 else many} {', '.join(names)}"


def _compare_register(root: Path, prefix: str, release: model.Release, rev: str, where: str) -> list[Finding]:
    """The release's entry now against the entry in the register as committed in ``rev``."""
    version = release.version
    display = f"{prefix}{REGISTER_DIR}/{model.RELEASES_FILE}"
    text = git.show(root, rev, display)
    then = register_from_text(text, display).get(version) if text is not None else None
    if then is None:
        return [_error("RH809", version, f"version {version} finns inte i registret i {where}", RESTORE)]
    if then == release:
        return []
    changed = sorted({r.id for r in release.routines} ^ {r.id for r in then.routines}
                     | {r.id for r in release.routines if then.routine(r.id) not in (None, r)})
    maps = sorted(d.name for d in release.diagrams if then.diagram(d.name) != d)
    what = []
    if changed:
        what.append(_names("rutinen", "rutinerna", changed))
    if maps:
        what.append(_names("processkartan", "processkartorna", maps))
    return [_error(
        "RH809", version, f"registrets post för version {version} har skrivits om efter fastställandet"
        + (f" ({' och '.join(what)})" if what else "") + f": den stämmer inte med posten i {where}",
        "En ändrad kontrollsumma döljer en ändring som nämnden inte har beslutat om. " + RESTORE)]


def _verify_at_tag(root: Path, prefix: str, release: model.Release, target: str, record: dict | None) -> list[Finding]:
    """The register and the routines as committed at the tag, against the register now."""
    version, tag = release.version, release.tag
    findings = _compare_register(root, prefix, release, target, f"taggen {tag}")
    if record:
        return findings  # approve hashed the committed files when it wrote the record
    # A tag without a record (made by hand, or before records): hash what was committed.
    for entry in release.routines:
        path = f"{prefix}routines/{entry.id}.md"
        committed = git.show(root, target, path)
        source = routine_from_text(committed, path) if committed is not None else None
        digest = routine_hash(source) if source is not None else None
        if digest != entry.sha256:
            findings.append(_error(
                "RH810", version, f"rutinen {entry.id} i taggen {tag} stämmer inte med kontrollsumman i registret för "
                f"version {version}" + ("" if committed is not None else " (filen finns inte i taggen)"),
                "Registret och den taggade texten ska vara det nämnden fastställde. " + RESTORE))
    return findings


def published_tree(root: Path, version: str, ref: str | None = None) -> str | None:
    """The object id of the version's directory on the published branch."""
    ref = ref or pages_ref(root)
    return git.tree_id(root, ref, version) if ref else None


def _verify_published(root: Path, release: model.Release, pages: str, recorded: str) -> list[Finding]:
    version = release.version
    now = git.tree_id(root, pages, version)
    if now is None and pages.startswith("refs/heads/"):
        # A local branch older than the server's: the version may have been published from another clone.
        now = git.tree_id(root, f"refs/remotes/origin/{PAGES_BRANCH}", version)
    if now is None:
        return [_error("RH807", version, f"den publicerade versionen {version} saknas på grenen {PAGES_BRANCH}",
                       RESTORE)]
    if now == recorded:
        return []
    changed = git.changed_paths(root, recorded, now)
    listed = ""
    if changed:
        listed = ": " + ", ".join(f"{version}/{p}" for p in changed[:5]) + (
            f" och {len(changed) - 5} till" if len(changed) > 5 else "")
    return [_error("RH807", version, f"de publicerade sidorna för version {version} på grenen {PAGES_BRANCH} har "
                   f"ändrats efter publiceringen{listed}", RESTORE)]


def _verify_alias(root: Path, register: ReleaseRegister, pages: str) -> list[Finding]:
    """The copy of the version in force (``gallande/``) is that version, file for file."""
    try:
        versions = json.loads(git.show(root, pages, "versions.json") or "[]")
    except ValueError:
        return []
    current = next((v.get("version") for v in versions if isinstance(v, dict) and ALIAS in (v.get("aliases") or [])),
                   None)
    if current is None or register.get(current) is None:
        return []
    copy, original = git.tree_id(root, pages, ALIAS), git.tree_id(root, pages, current)
    if copy is None or original is None or copy == original:
        return []
    changed = git.changed_paths(root, original, copy) or []
    listed = (": " + ", ".join(f"{ALIAS}/{p}" for p in changed[:5])
              + (f" och {len(changed) - 5} till" if len(changed) > 5 else "")) if changed else ""
    return [_error("RH807", current, f"kopian {ALIAS}/ av den gällande versionen {current} på grenen {PAGES_BRANCH} "
                   f"stämmer inte med versionen{listed}",
                   f"Läsarna kommer till {ALIAS}/. Gör kopian till versionen igen med 'handbok release aktivera "
                   f"{current}' efter att ha återställt grenen, eller återställ gh-pages från servern.")]


def require_intact(root: Path, register: ReleaseRegister) -> None:
    """Refuse (a HandbookError) if any comparison found an error."""
    errors = [f for f in verify(root, register) if f.severity is Severity.ERROR]
    if errors:
        raise HandbookError(
            "de fastställda versionerna stämmer inte med registret, taggarna eller de publicerade sidorna",
            "Rätta det som står ovan (se 'handbok release verifiera') innan en ny version tas fram.",
            [f.problem(register).format() for f in errors[:15]])

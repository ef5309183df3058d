"""``approve`` as a transaction: one at a time, journaled, and undone whatever stops it.

- **Lock**: ``.git/handbok-approve.lock`` is held with ``flock`` while an
  approval runs. The operating system releases it when the process ends in
  any way (also ``SIGKILL``), so a lock is never left behind; a second
  approval meanwhile is refused with the first one's pid.
- **Journal**: before anything is written, ``.git/handbok-approve.json``
  records the decision, HEAD, the published branch and the original bytes of
  every file approve will write. Each step is written to it as it begins.
  What has actually happened is read from the repository itself (is HEAD the
  release commit, does the tag exist, has ``gh-pages`` moved), so the journal
  need not be written between an action and its record.
- **Signals**: ``SIGTERM``, ``SIGINT`` and ``SIGHUP`` interrupt the work with an
  exception; the rollback then runs with those signals blocked, and the
  journal is removed only when the repository is whole again.
- After ``SIGKILL`` or a crash the journal stays: ``handbok check`` reports it
  (RH804), and ``approve --angra`` rolls it back from the journal, ``approve
  --fortsatt`` rolls it back and approves again with the recorded decision.

Only the tests set ``HANDBOK_TEST_STOPP``: at the named step the process
writes its pid to ``HANDBOK_TEST_STOPP_FIL`` and waits there to be signalled.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import json
import os
import signal
import threading
import time
from pathlib import Path

from ..core import git
from ..core.release_integrity import PAGES_BRANCH, journal_path, lock_path, read_journal
from . import ReleaseError, write_whole

SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
STOP_VARIABLE = "HANDBOK_TEST_STOPP"
STOP_FILE_VARIABLE = "HANDBOK_TEST_STOPP_FIL"
SIGNAL_NAMES = {signal.SIGTERM: "SIGTERM", signal.SIGINT: "SIGINT (Ctrl+C)", signal.SIGHUP: "SIGHUP"}


class Interrupted(BaseException):
    """A signal asked the process to stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def checkpoint(step: str) -> None:
    """Where the tests stop an approval (never set outside the tests)."""
    if os.environ.get(STOP_VARIABLE) != step:
        return
    marker = os.environ.get(STOP_FILE_VARIABLE)
    if marker:
        write_whole(Path(marker), str(os.getpid()))  # the test reads the pid as soon as the file is there
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.05)


@contextlib.contextmanager
def interruptible():
    """Turn the stopping signals into ``Interrupted`` (only the main thread can have handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextlib.contextmanager
def uninterrupted():
    """Hold the stopping signals back until the block is done (they are delivered afterwards)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def approval_lock(root: Path):
    """The exclusive right to approve or activate in this repository."""
    path = lock_path(root)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "okänd"
            raise ReleaseError(f"en annan fastställelse pågår (pid {holder}) i det här förrådet",
                               "Vänta tills den är klar och kör sedan 'handbok check'. Två fastställelser kan "
                               "inte göras samtidigt.") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def refuse_half_finished(root: Path) -> None:
    journal = read_journal(root)
    if journal is None:
        return
    version = journal.get("version") or "VERSION"
    raise ReleaseError(
        f"fastställelsen av version {version} avbröts halvvägs (vid steget '{journal.get('steg', 'okänt')}') "
        "och måste slutföras eller ångras först",
        f"Slutför den med 'handbok release approve {version} --fortsatt' eller ångra den med "
        f"'handbok release approve {version} --angra'.")


class Journal:
    """The record of one approval under way, in git's directory."""

    def __init__(self, root: Path, data: dict) -> None:
        self.root = root
        self.data = data
        self.path = journal_path(root)

    @classmethod
    def begin(cls, root: Path, *, version: str, tag: str, decision: dict, today: dt.date, files: list[Path]) -> "Journal":
        top = git.toplevel(root).resolve()
        originals = {}
        for path in files:
            rel = path.resolve().relative_to(top).as_posix()
            originals[rel] = base64.b64encode(path.read_bytes()).decode("ascii") if path.exists() else None
        data = {"version": version, "tag": tag, "pid": os.getpid(), "startad": dt.datetime.now().isoformat(timespec="seconds"),
                "beslut": decision, "idag": str(today), "head": git.head(root),
                "gh_pages": git.branch_sha(root, PAGES_BRANCH), "filer": originals, "steg": "börjar"}
        journal = cls(root, data)
        journal._save()
        return journal

    @classmethod
    def load(cls, root: Path) -> "Journal | None":
        data = read_journal(root)
        if data is None:
            return None
        if data.get("oläslig") or not isinstance(data.get("filer"), dict) or not data.get("head"):
            raise ReleaseError(f"journalen {journal_path(root)} går inte att läsa",
                               "Återställ för hand: 'git status', 'git tag', 'git log gh-pages'. Kontakta den som "
                               "förvaltar handbokens verktyg.")
        return cls(root, data)

    @property
    def version(self) -> str:
        return self.data["version"]

    def step(self, name: str) -> None:
        self.data["steg"] = name
        self._save()

    def _save(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)

    def rollback(self) -> None:
        """Put the repository back as the journal found it, whatever step was reached."""
        root = self.root
        tag = self.data.get("tag")
        if git.branch_sha(root, PAGES_BRANCH) != self.data.get("gh_pages"):
            git.set_branch(root, PAGES_BRANCH, self.data.get("gh_pages"))
        if tag and git.tag_exists(root, tag):
            git.delete_tag(root, tag)  # approve refuses a version whose tag already exists
        before = self.data["head"]
        now = git.head(root)
        if now != before:
            subject = git.run(root, "log", "-1", "--format=%s", now, check=False).stdout.strip()
            if git.ref_sha(root, f"{now}^") != before or not subject.startswith(f"Version {self.version} fastställd"):
                raise ReleaseError(
                    "HEAD har flyttats förbi releaseincheckningen sedan fastställelsen avbröts; den kan inte ångras "
                    "automatiskt",
                    f"Gör 'git log' och återställ för hand till {before[:12]}, och ta sedan bort {self.path}.")
            git.reset_soft(root, before)
        top = git.toplevel(root)
        for rel, content in self.data["filer"].items():
            path = top / rel
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(base64.b64decode(content))
        untracked = {p for code, p in git.status(root) if code == "??"}
        for leftover in root.glob("mike-mkdocs*.yml"):  # mike's build configuration, if it was stopped
            if leftover.resolve().relative_to(top.resolve()).as_posix() in untracked:
                leftover.unlink(missing_ok=True)
        self.finish()


def run(journal: Journal, work):
    """Run ``work()``; whatever stops it (an error or a signal), roll back from the journal."""
    with interruptible():
        try:
            result = work()
        except BaseException as exc:  # noqa: BLE001 - everything is rolled back, then re-raised
            stopped = exc
            try:
                with uninterrupted():
                    journal.rollback()
            except Interrupted as late:
                stopped = late
            if isinstance(stopped, Interrupted):
                name = SIGNAL_NAMES.get(stopped.signum, f"signal {stopped.signum}")
                raise ReleaseError(f"fastställelsen av version {journal.version} avbröts ({name}); ingenting har "
                                   "ändrats", f"Kör 'handbok release approve {journal.version} …' igen.") from None
            raise
        try:
            with uninterrupted():
                journal.step("klar")
                journal.finish()
        except Interrupted:
            pass  # it came after the approval was complete: it is complete
    return result

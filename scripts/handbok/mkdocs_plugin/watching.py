"""``make serve``: a saved file is seen at once on a local Linux file system.

MkDocs' server looks for changes by polling: every half second it lists the
watched folders (``docs/``, ``mkdocs.yml`` and the ``watch:`` folders
``routines/``, ``diagrams/`` and ``scripts/handbok``) and compares them with the
last listing (watchdog's ``PollingObserver``). Polling works on every file
system, also a network drive or a folder shared into a virtual machine or a
container from another operating system, where the kernel reports no changes;
but an edit waits a quarter of a second on average before the rebuild starts,
and with 1000 routines each listing stats some 2000 files.

On Linux, when every watched path lies on a local file system, the plugin hands
the same watches to the kernel's change notification (watchdog's
``InotifyObserver``): a save is seen when it happens and nothing runs between
edits. It reports only changes (created, modified, moved, deleted), not a file
being opened or read, so the build's own reading of the routines starts no new
build, and no change to an editor's swap or backup files, which no build reads.
A symbolic link out of a watched folder keeps the polling too (the kernel reports a
change where the file lies). Anywhere else (macOS, Windows, a network or shared folder, a kernel that
refuses more watches) MkDocs' polling stays as it is, and the log says so.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from .incremental import not_the_handbooks

log = logging.getLogger("mkdocs.plugins.handbok")

LOCAL_FILE_SYSTEMS = frozenset({
    "ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs", "zfs", "bcachefs", "tmpfs", "ramfs",
    "overlay",
})
"""File systems on which the kernel itself sees every change, so inotify reports it. Not here:
network file systems (nfs, cifs, smb3), FUSE (sshfs, Docker Desktop's shared folders), 9p and
virtiofs (WSL's Windows drives, virtual machines' shared folders), where changes made elsewhere
are never reported."""

MOUNTINFO = "/proc/self/mountinfo"


def _unescape(field: str) -> str:
    """A mount point as the kernel writes it in mountinfo (space, tab, newline and backslash octal-escaped)."""
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
            .replace("\\134", "\\"))


def mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, file system type) of each line of ``/proc/self/mountinfo``."""
    found = []
    for line in text.splitlines():
        fields = line.split(" ")
        if "-" not in fields[6:]:
            continue
        separator = fields.index("-", 6)
        if len(fields) > separator + 1 and len(fields) > 4:
            found.append((_unescape(fields[4]), fields[separator + 1]))
    return found


def file_system(path: str, table: list[tuple[str, str]]) -> str | None:
    """The type of the file system ``path`` lies on: the mount with the longest mount point above it
    (the last one mounted, when one is mounted over another)."""
    path = os.path.realpath(path)
    best, best_type = None, None
    for point, kind in table:
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best)):
            best, best_type = point, kind
    return best_type


def not_local(paths: list[str], table: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """The paths that lie on no local file system, with the type of the one they lie on."""
    found = []
    for path in paths:
        kind = file_system(path, table)
        if kind not in LOCAL_FILE_SYSTEMS:
            found.append((path, kind))
    return found


def linked_out(paths: list[str]) -> str | None:
    """A symbolic link inside a watched folder that leads out of it (the kernel reports changes
    where the file is, not where the link is; MkDocs' polling follows links), or None."""
    for root in paths:
        if not os.path.isdir(root):
            continue
        real_root = os.path.realpath(root)
        for folder, dirs, names in os.walk(root):
            for name in dirs + names:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    target = os.path.realpath(path)
                    if target != real_root and not target.startswith(real_root + os.sep):
                        return path
    return None


def _change_events() -> list[type]:
    from watchdog import events

    return [events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent, events.FileDeletedEvent,
            events.DirCreatedEvent, events.DirModifiedEvent, events.DirMovedEvent, events.DirDeletedEvent]


def _editors_own(path: str, root: str) -> bool:
    """Whether ``path`` (below the watched ``root``) is an editor's swap, backup or temporary file
    or in Python's cache: a build does not read it (``incremental.not_the_handbooks``)."""
    relative = os.path.relpath(path, root) if path.startswith(root.rstrip(os.sep) + os.sep) else os.path.basename(path)
    return any(not_the_handbooks(part) for part in relative.split(os.sep) if part not in ("", "."))


def _handbook_files_only(handler, root: str):
    """``handler``, told of no event that concerns only an editor's own files (an editor that saves
    by renaming a temporary file over the routine is told of the rename)."""
    from watchdog.events import FileSystemEventHandler

    class HandbookFilesOnly(FileSystemEventHandler):
        def dispatch(self, event):
            paths = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
            if not all(_editors_own(os.fsdecode(p), root) for p in paths):
                handler.dispatch(event)

    return HandbookFilesOnly()


def _observer_class():
    from watchdog.observers.inotify import InotifyObserver

    class ChangeObserver(InotifyObserver):
        """inotify, reporting only changes to the handbook's files; started once (the plugin starts
        it, MkDocs asks again)."""

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
            root = os.path.dirname(path) if os.path.isfile(path) else path
            return super().schedule(_handbook_files_only(event_handler, root), path, recursive=recursive,
                                    event_filter=_change_events())

        def start(self):
            if not self.is_alive():
                super().start()

    return ChangeObserver


def _watched(server: Any) -> dict[str, int]:
    watched = getattr(server, "_watched_paths", None)
    if not isinstance(watched, dict) or not hasattr(server, "observer") \
            or not callable(getattr(server, "watch", None)) or not callable(getattr(server, "unwatch", None)):
        from .internals import InternalsChanged

        raise InternalsChanged("MkDocs' LiveReloadServer has no observer, watch(), unwatch() and "
                               "_watched_paths any more")
    return watched


def _move_watches(server: Any, observer: Any, counts: dict[str, int]) -> None:
    """Every watch of ``server`` moved to ``observer``, each as many times as it was asked for."""
    for path, count in list(_watched(server).items()):
        for _ in range(count):
            server.unwatch(path)
    server.observer = observer
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)


def watch_changes_natively(server: Any, extra: list[str], *, table_text: str | None = None,
                           platform: str = sys.platform) -> str:
    """Give ``server`` (MkDocs' ``LiveReloadServer``, before it serves) the kernel's change
    notification instead of polling, when every watched path (its own and ``extra``, the
    ``watch:`` list MkDocs adds after the plugins' ``on_serve``) lies on a local Linux file
    system. Returns what was done, in Swedish, for the log."""
    from watchdog.observers.polling import PollingObserver

    polling = server.observer if hasattr(server, "observer") else None
    if not isinstance(polling, PollingObserver) or polling.is_alive():
        return "bevakningen av filerna lämnas som den är (servern söker inte av mapparna)"
    counts = dict(_watched(server))
    for path in extra:
        # Watched here already, so that the kernel is asked for every watch before serving starts;
        # MkDocs' own watch() of them afterwards only counts them once more.
        path = os.path.abspath(path)
        counts[path] = counts.get(path, 0) + 1
    if platform != "linux":
        return ("ändringar ses genom att mapparna söks av varje halv sekund (systemets ändringsbevakning "
                "används bara i Linux)")
    if table_text is None:
        try:
            with open(MOUNTINFO, encoding="utf-8", errors="replace") as stream:
                table_text = stream.read()
        except OSError:
            return "ändringar ses genom att mapparna söks av varje halv sekund (filsystemen kunde inte läsas)"
    remote = not_local(list(counts), mounts(table_text))
    if remote:
        path, kind = remote[0]
        return (f"ändringar ses genom att mapparna söks av varje halv sekund: {path} ligger på "
                f"{kind or 'ett okänt filsystem'}, där systemet inte meddelar ändringar")
    link = linked_out(list(counts))
    if link:
        return (f"ändringar ses genom att mapparna söks av varje halv sekund: {link} är en länk ut ur "
                f"mappen, och systemet meddelar bara ändringar där filen ligger")
    observer = _observer_class()(timeout=polling.timeout)
    _move_watches(server, observer, counts)
    try:
        observer.start()
    except OSError as error:
        # inotify refused (too many watches or instances): back to MkDocs' own polling.
        _move_watches(server, PollingObserver(timeout=polling.timeout), counts)
        try:
            observer.stop()
        except Exception:  # noqa: BLE001 - it never started
            pass
        return (f"ändringar ses genom att mapparna söks av varje halv sekund (systemets ändringsbevakning "
                f"gick inte att starta: {error.strerror or error})")
    return "ändringar ses när filen sparas (systemets ändringsbevakning)"

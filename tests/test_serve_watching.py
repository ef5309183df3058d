"""``make serve`` sees a saved file: by the kernel's change notification on a local Linux file
system, by MkDocs' polling anywhere else, and the build's own reading of files starts no build.
The speed is measured in ``make bench``, not here."""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ENGINE, REPO
from handbok.mkdocs_plugin import watching

sys.path.insert(0, str(REPO / "bench"))
import run as bench  # noqa: E402

LOCAL_ROOT = "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"


def _server(root: Path):
    """The engine's live-reload server, watching as MkDocs 1.6's does (by polling every half second;
    a newer ProperDocs may use the native observer itself, which the plugin then leaves alone)."""
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(root))
    server.observer = PollingObserver(timeout=0.5)
    return server


def _engine_polls() -> bool:
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    return isinstance(server.observer, PollingObserver)


def test_a_server_that_does_not_poll_is_left_as_it_is(tmp_path):
    from watchdog.observers import Observer

    docs, routines, _config = _folders(tmp_path)
    server = _server(tmp_path)
    server.observer = native = Observer()
    server.watch(str(docs))
    said = watching.watch_changes_natively(server, [str(routines)], table_text=LOCAL_ROOT, platform="linux")
    assert server.observer is native and set(server._watched_paths) == {str(docs)}
    assert said == "bevakningen av filerna lämnas som den är (servern söker inte av mapparna)"


def _folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    docs, routines = tmp_path / "docs", tmp_path / "routines"
    docs.mkdir()
    routines.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    return docs, routines, config


def _wait_for_rebuild_request(server, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with server._rebuild_cond:
            if server._want_rebuild:
                server._want_rebuild = False
                return True
        time.sleep(0.02)
    return False


def test_the_mount_table_is_read_as_the_kernel_writes_it():
    table = watching.mounts(
        "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
        "30 22 0:40 / /mnt/delad\\040mapp rw - cifs //server/delad rw,vers=3.0\n"
        "31 22 0:41 / /mnt/delad\\040mapp/lokal rw master:2 - tmpfs tmpfs rw\n"
        "32 22 0:42 / /home rw - nfs4 server:/home rw\n"
        "32 22 0:42 / /home rw - ext4 /dev/vdb rw\n"
        "trasig rad\n")
    assert table[1] == ("/mnt/delad mapp", "cifs")
    assert watching.file_system("/srv/handbok/routines", table) == "ext4"
    assert watching.file_system("/mnt/delad mapp/handbok", table) == "cifs"
    assert watching.file_system("/mnt/delad mapp/lokal/handbok", table) == "tmpfs"
    assert watching.file_system("/mnt/delad mappen", table) == "ext4"  # not inside '/mnt/delad mapp'
    assert watching.file_system("/home/anna", table) == "ext4"  # mounted over the nfs mount
    assert watching.not_local(["/srv/a", "/mnt/delad mapp/b"], table) == [("/mnt/delad mapp/b", "cifs")]


def test_on_a_network_drive_mkdocs_polling_stays_and_the_log_says_where(tmp_path):
    from watchdog.observers.polling import PollingObserver

    docs, routines, config = _folders(tmp_path)
    server = _server(tmp_path)
    server.watch(str(docs))
    server.watch(str(config))
    table = LOCAL_ROOT + f"40 22 0:50 / {routines} rw - nfs4 server:/handbok rw\n"
    said = watching.watch_changes_natively(server, [str(routines)], table_text=table, platform="linux")
    assert type(server.observer) is PollingObserver
    assert f"{routines} ligger på nfs4" in said and "varje halv sekund" in said
    assert set(server._watched_paths) == {str(docs), str(config)}  # MkDocs adds routines/ itself


def test_outside_linux_mkdocs_polling_stays(tmp_path):
    from watchdog.observers.polling import PollingObserver

    docs, routines, _config = _folders(tmp_path)
    server = _server(tmp_path)
    server.watch(str(docs))
    said = watching.watch_changes_natively(server, [str(routines)], table_text=LOCAL_ROOT, platform="win32")
    assert type(server.observer) is PollingObserver
    assert "används bara i Linux" in said


def test_a_link_out_of_a_watched_folder_keeps_mkdocs_polling(tmp_path):
    from watchdog.observers.polling import PollingObserver

    docs, routines, _config = _folders(tmp_path)
    elsewhere = tmp_path / "annanstans"
    elsewhere.mkdir()
    (elsewhere / "gemensam.md").write_text("# Gemensam\n", encoding="utf-8")
    (routines / "inom.md").write_text("# Inom\n", encoding="utf-8")
    (routines / "lank-inom.md").symlink_to(routines / "inom.md")  # inside the folder: no matter
    server = _server(tmp_path)
    server.watch(str(docs))
    said = watching.watch_changes_natively(server, [str(routines)], table_text=LOCAL_ROOT, platform="linux")
    try:
        assert "systemets ändringsbevakning" in said and type(server.observer) is not PollingObserver
    finally:
        server.observer.stop()
    (docs / "gemensam.md").symlink_to(elsewhere / "gemensam.md")
    server = _server(tmp_path)
    server.watch(str(docs))
    said = watching.watch_changes_natively(server, [str(routines)], table_text=LOCAL_ROOT, platform="linux")
    assert type(server.observer) is PollingObserver
    assert f"{docs / 'gemensam.md'} är en länk ut ur mappen" in said


def test_on_a_local_file_system_a_save_is_reported_and_reading_is_not(tmp_path):
    from watchdog.observers.inotify import InotifyObserver

    docs, routines, config = _folders(tmp_path)
    routine = routines / "rutin.md"
    routine.write_text("# Rutin\n", encoding="utf-8")
    server = _server(tmp_path)
    server.watch(str(docs))
    server.watch(str(config))
    said = watching.watch_changes_natively(server, [str(routines)], table_text=LOCAL_ROOT, platform="linux")
    try:
        assert isinstance(server.observer, InotifyObserver), said
        assert said == "ändringar ses när filen sparas (systemets ändringsbevakning)"
        assert set(server._watched_paths) == {str(docs), str(config), str(routines)}
        server.watch(str(routines))  # what MkDocs does after the plugins' on_serve: only counted
        server.observer.start()  # what MkDocs' serve() does: the observer runs already
        assert server._watched_paths[str(routines)] == 2

        # Reading (as every build does) is no change.
        routine.read_text(encoding="utf-8")
        config.read_text(encoding="utf-8")
        assert not _wait_for_rebuild_request(server, 0.5)
        # A save is; so is an editor's save by renaming a new file over the old one.
        routine.write_text("# Rutin\n\nNy rad.\n", encoding="utf-8")
        assert _wait_for_rebuild_request(server)
        replacement = tmp_path / "mkdocs.yml.tmp"
        replacement.write_text("site_name: y\n", encoding="utf-8")
        replacement.replace(config)
        assert _wait_for_rebuild_request(server)
        (docs / "ny").mkdir()
        (docs / "ny" / "sida.md").write_text("# Ny\n", encoding="utf-8")
        assert _wait_for_rebuild_request(server)
        # The config file is watched, not the folder it stands in.
        (tmp_path / "README.md").write_text("x\n", encoding="utf-8")
        assert not _wait_for_rebuild_request(server, 0.5)
        # An editor's swap and backup files and Python's cache are not the handbook's: no build ...
        (routines / ".rutin.md.swp").write_bytes(b"swap")
        (routines / "rutin.md~").write_text("# Rutin\n", encoding="utf-8")
        (routines / "__pycache__").mkdir()
        (routines / "__pycache__" / "x.pyc").write_bytes(b"pyc")
        (routines / "#rutin.md#").write_text("emacs", encoding="utf-8")
        (routines / "4913").write_text("", encoding="utf-8")
        (routines / "4913").unlink()
        (routines / "rutin.md___jb_tmp___").write_text("# Rutin\n", encoding="utf-8")
        assert not _wait_for_rebuild_request(server, 0.5)
        # ... but a save by renaming such a file over the routine is a change of the routine.
        temporary = routines / ".rutin.md.tmp"
        temporary.write_text("# Rutin\n\nSparad genom namnbyte.\n", encoding="utf-8")
        assert not _wait_for_rebuild_request(server, 0.3)
        temporary.replace(routine)
        assert _wait_for_rebuild_request(server)
    finally:
        server.observer.stop()
        server.observer.join()


def test_when_the_kernel_refuses_more_watches_polling_takes_over(tmp_path, monkeypatch):
    from watchdog.observers.inotify import InotifyObserver
    from watchdog.observers.polling import PollingObserver

    def refuse(self):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(InotifyObserver, "start", refuse)
    docs, routines, config = _folders(tmp_path)
    server = _server(tmp_path)
    server.watch(str(docs))
    server.watch(str(config))
    said = watching.watch_changes_natively(server, [str(routines)], table_text=LOCAL_ROOT, platform="linux")
    assert type(server.observer) is PollingObserver
    assert "gick inte att starta: inotify watch limit reached" in said
    assert set(server._watched_paths) == {str(docs), str(config), str(routines)}
    assert set(server._watch_refs) == {str(docs), str(config), str(routines)}
    assert len(server.observer.emitters) == 3  # each watch is the polling observer's


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _until(condition, seconds: float, what: str, server: subprocess.Popen, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        assert server.poll() is None, f"servern avslutades:\n{log.read_text(encoding='utf-8')[-3000:]}"
        time.sleep(0.1)
    raise AssertionError(f"{what} inom {seconds} s:\n{log.read_text(encoding='utf-8')[-3000:]}")


@pytest.mark.skipif("FAKETIME" in os.environ, reason="under libfaketime (make test-dates) a timed wait on a "
                    "threading.Condition never returns, so MkDocs' server never starts a rebuild")
def test_make_serve_shows_each_save_with_one_build(tmp_path):
    """The real ``make serve`` command on a small valid handbook: two saves, two builds of one page."""
    project = bench.make_ours(tmp_path / "handbok", 12, with_maps=True)
    routine = bench.editable_routine(project)
    rid = routine.stem
    process = re.search(r"^process: (.*)$", routine.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    from handbok.model import slugify

    port = _free_port()
    url = f"http://127.0.0.1:{port}/rutiner/{slugify(process)}/{rid}/"
    command = shutil.which("properdocs" if ENGINE == "properdocs" else "mkdocs", path=str(Path(sys.executable).parent))
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen([command, *bench.SERVE, "-a", f"127.0.0.1:{port}"], cwd=project,
                                  env=bench.ENV, stdout=output, stderr=subprocess.STDOUT)
    try:
        _until(lambda: _get(url), 120, "sidan serverades inte", server, log)
        _until(lambda: "Serving on" in log.read_text(encoding="utf-8"), 30, "servern startade inte", server, log)
        original = routine.read_text(encoding="utf-8")
        for number in range(2):
            marker = f"Sparad-andring-{number}"
            routine.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
            _until(lambda: marker in (_get(url) or ""), 60, f"ändringen {marker} syntes inte", server, log)
        time.sleep(1.5)  # a build started by the build's own reading would show here
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert text.count("Building documentation") == 3, text  # the first build and one for each save
    assert text.count("1 sida byggs om") == 2, text
    table = watching.mounts(Path(watching.MOUNTINFO).read_text(encoding="utf-8"))
    if not _engine_polls():
        assert "handbok: bevakningen av filerna lämnas som den är" in text, text
    elif sys.platform == "linux" and not watching.not_local([str(project), str(REPO / "scripts")], table):
        assert "handbok: ändringar ses när filen sparas (systemets ändringsbevakning)." in text, text
    else:
        assert "handbok: ändringar ses genom att mapparna söks av" in text, text


def test_a_server_of_another_shape_is_named_as_an_internal_that_changed(tmp_path):
    from watchdog.observers.polling import PollingObserver

    from handbok.mkdocs_plugin.internals import InternalsChanged

    class Server:
        observer = PollingObserver()

    with pytest.raises(InternalsChanged, match="_watched_paths"):
        watching.watch_changes_natively(Server(), [], table_text=LOCAL_ROOT, platform="linux")


@pytest.mark.parametrize("name", [
    ".rutin.md.swp", ".rutin.md.swx", "rutin.md.swp", "rutin.md~", "#rutin.md#", ".#rutin.md", "4913",
    "rutin.md___jb_tmp___", "rutin.md___jb_old___", ".goutputstream-ABC123", "__pycache__", ".git",
])
def test_an_editors_own_files_are_not_the_handbooks(name):
    from handbok.mkdocs_plugin.incremental import not_the_handbooks

    assert not_the_handbooks(name)


@pytest.mark.parametrize("name", ["rutin.md", "roller.yml", "anvisning.mmd", "index.md", "#", "rutin-4913.md",
                                  "swp.md", "handbok.css"])
def test_the_handbooks_files_are(name):
    from handbok.mkdocs_plugin.incremental import not_the_handbooks

    assert not not_the_handbooks(name)

"""Reading many new files on several cores (the CLI's first run on a large handbook)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Store
from .cache import key as cache_key
from .routine_files import routine_entry

if TYPE_CHECKING:  # pragma: no cover
    from .handbook import Handbook

PARALLEL_FROM = 200  # new files; below this, starting processes costs more than it saves


def _routine_job(job: tuple[str, str]) -> tuple[str, tuple]:
    path_text, display = job
    path = Path(path_text)
    try:
        raw, error = path.read_bytes(), None
    except OSError as exc:
        raw, error = None, exc
    return cache_key(display, raw or b""), routine_entry(raw, path, display, error)


def _prefetch(jobs: list, function, store: Store, workers: int) -> None:
    """Run ``function`` over ``jobs`` in worker processes and put the results in ``store``."""
    import concurrent.futures
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: read them one by one instead
        return
    chunk = max(1, len(jobs) // (workers * 4))
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for entry, value in pool.map(function, jobs, chunksize=chunk):
                store.put(entry, value)
    except (OSError, concurrent.futures.process.BrokenProcessPool):
        return  # the files are simply read in this process


def prefetch_new_files(handbook: "Handbook", paths: list[Path], store: Store, workers: int) -> dict[Path, bytes]:
    """Read the routine files (returned, to be read once), parsing new ones on several cores."""
    raws: dict[Path, bytes] = {}
    if workers < 2:
        return raws
    jobs = []
    for path in paths:
        display = handbook.display(path)
        try:
            raw = raws[path] = path.read_bytes()
        except OSError:
            continue
        if cache_key(display, raw) not in store:
            jobs.append((str(path), display))
    if len(jobs) >= PARALLEL_FROM:
        _prefetch(jobs, _routine_job, store, workers)
    return raws



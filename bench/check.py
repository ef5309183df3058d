"""``make bench-check``: only ``handbok check``, with a warm and a cold cache.

The part of ``make bench`` (``bench/run.py``) that measures the checker, for
when the checker or the reading of the process maps changed: a synthetic
handbook per size (``bench/generate.py``, each routine with its own map),
``handbok check`` with an empty cache (every routine is parsed and Mermaid
reads every map under Node) and then with the cache it filled. Times are the
median wall clock and, in parentheses, the CPU time of the process and its
children (Node included); the target (≤ 1 s at 1000 routines, warm) is
judged on CPU time, as in ``make bench``. Writes ``bench/RESULTAT-check.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import report  # noqa: E402
import run  # noqa: E402


def _median(times, which: str) -> float:
    return round(statistics.median(getattr(t, which) for t in times), 2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mät handbok check med varm och kall cache.")
    parser.add_argument("--storlekar", default="100,1000", help="antal rutiner, kommaseparerat")
    parser.add_argument("--varma", type=int, default=5, help="körningar med varm cache per storlek")
    parser.add_argument("--kalla", type=int, default=3, help="körningar med tom cache per storlek")
    parser.add_argument("--ut", type=Path, default=BENCH / "RESULTAT-check.md")
    args = parser.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(run.CODE / "scripts" / "handbok")], check=True)
    work_root = Path(tempfile.mkdtemp(prefix="handbok-bench-check-", dir=run.memory_folder()))
    run.ENV["HANDBOK_CACHE"] = str(work_root / "cache")
    machine = run.machine()
    load_start = [round(x, 2) for x in os.getloadavg()]
    rows = []
    try:
        for count in [int(s) for s in args.storlekar.split(",") if s]:
            project = run.make_ours(work_root / str(count), count, with_maps=True)
            cold = [run.check(project, cold=True) for _ in range(args.kalla)]
            warm = [run.check(project) for _ in range(args.varma)]
            rows.append((count, warm, cold))
            print(f"{count} rutiner: varm {_median(warm, 'wall')} s (cpu {_median(warm, 'cpu')} s), "
                  f"kall {_median(cold, 'wall')} s (cpu {_median(cold, 'cpu')} s)", flush=True)
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    load_end = [round(x, 2) for x in os.getloadavg()]
    largest = rows[-1]
    met = _median(largest[1], "cpu") <= report.TARGET_CHECK_S
    lines = [
        "# Prestanda: `handbok check` (`make bench-check`)",
        "",
        f"Körd {machine['date']} på commit `{machine.get('git_commit', '?')}`"
        + (" (med ändringar som inte är incheckade)" if machine.get("git_dirty") else "") + ".",
        f"Maskin: {machine.get('cpu', '?')}, {machine.get('cores', '?')} kärnor; "
        f"belastning (load average 1/5/15 min) vid start {load_start}, vid slut {load_end}.",
        "",
        "Varje rutin har en egen processkarta. Kall cache: handbokens cache är tom, så varje rutin läses "
        "och Mermaid läser varje karta under Node.js (omdömet och kartans innehåll, som textversionen skrivs från). "
        "Varm cache: samma handbok igen, utan ändringar. Tider är medianen: väggklocka och, inom parentes, "
        "processorns tid (även Node). Målet bedöms på processortiden, som i `make bench`.",
        "",
        "| rutiner | varm cache | kall cache | körningar (varm/kall) |",
        "|---|---|---|---|",
    ]
    for count, warm, cold in rows:
        lines.append(f"| {count} | {_median(warm, 'wall')} s ({_median(warm, 'cpu')} s) | "
                     f"{_median(cold, 'wall')} s ({_median(cold, 'cpu')} s) | {len(warm)}/{len(cold)} |")
    lines += ["", f"Målet *handbok check ≤ {report.TARGET_CHECK_S:.0f} s vid {largest[0]} rutiner (varm cache)*: "
              + ("uppfyllt" if met else "**inte uppfyllt**") + f" ({_median(largest[1], 'cpu')} s processortid).", ""]
    args.ut.write_text("\n".join(lines), encoding="utf-8")
    print(f"klart: {args.ut}")


if __name__ == "__main__":
    main()

"""The ``handbok`` command: a small CLI of verbs over the handbook package.

Exit codes: 0 = inga fel, 1 = fel hittades, 2 = felaktigt anrop.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .checks import CheckContext, run_checks
from .handbook import load_handbook
from .problems import Problem, ProblemList

CONTEXT = {"help_option_names": ["-h", "--hjälp", "--help"]}


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD") from None


@click.group(context_settings=CONTEXT)
@click.option("--rot", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Handbokens rotmapp (där routines/ och diagrams/ finns).")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Rutinhandboken: kontrollera, skapa och fastställ rutiner."""
    ctx.obj = {"root": root}


def _annotation(problem: Problem) -> str:
    level = "error" if problem.is_error else "warning"
    message = problem.message + (f" – {problem.hint}" if problem.hint else "")
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = problem.path.replace(",", "%2C").replace(":", "%3A")
    return f"::{level} file={path},line={max(problem.line, 1)},col={max(problem.column, 1)},title={problem.code}::{message}"


def print_problems(problems: ProblemList, fmt: str, checked: int) -> None:
    errors, warnings = len(problems.errors), len(problems.warnings)
    if fmt == "json":
        click.echo(json.dumps({
            "checked": checked, "errors": errors, "warnings": warnings,
            "problems": [p.as_dict() for p in problems],
        }, ensure_ascii=False, indent=2))
        return
    for problem in problems:
        click.echo(_annotation(problem) if fmt == "github" else problem.format())
        if fmt == "text" and problem.hint:
            click.echo(f"    → {problem.hint}")
    summary = f"{checked} rutiner kontrollerade: {errors} fel, {warnings} varningar."
    click.echo(summary if fmt == "text" else f"::notice title=handbok check::{summary}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="Utdata: text för människor, json för verktyg, github för annoteringar i pull requests.")
@click.option("--strict", is_flag=True, help="Varningar räknas som fel.")
@click.option("--datum", "today", callback=_date, help="Kontrollera som om det vore detta datum (ÅÅÅÅ-MM-DD).")
@click.option("--varningsdagar", "warning_days", type=click.IntRange(0, 3650), default=60, show_default=True,
              help="Varna så här många dagar innan revideringsdatumet.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool, today, warning_days: int) -> None:
    """Kontrollera rutiner och register. Utan PATH kontrolleras hela handboken."""
    root: Path = ctx.obj["root"]
    if not (root / "routines").is_dir():
        raise click.UsageError(f"hittar ingen mapp routines/ i {root.resolve()}; kör i handbokens rotmapp eller ange --rot")
    handbook = load_handbook(root)
    context = CheckContext(today=today or dt.date.today(), review_warning_days=warning_days)
    problems = run_checks(handbook, context)
    if paths:
        wanted = {handbook.display(p if p.is_absolute() else (Path.cwd() / p)) for p in paths}
        problems = ProblemList(p for p in problems if any(p.path == w or p.path.startswith(w.rstrip("/") + "/") for w in wanted))
    checked = len(handbook.routines) if not paths else sum(
        1 for s in handbook.routines.values() if any(s.display == w or s.display.startswith(w.rstrip("/") + "/") for w in wanted))
    print_problems(problems, fmt, checked)
    failed = problems.errors or (strict and problems.warnings)
    sys.exit(1 if failed else 0)


from .release.cli import register as _register_release  # noqa: E402
_register_release(main)


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``handbok`` command: a small CLI of verbs over the handbook package.

Each verb is a thin function over a module that does the work (``checks``,
``scaffold``, ``codeowners``). Other packages add their verbs with
``main.add_command`` (see ``release.cli``).

Exit codes: 0 = inga fel, 1 = fel hittades, 2 = felaktigt anrop.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

# pydantic looks for plugins in every installed package's metadata on first use,
# which costs more than checking a hundred routines; the handbook uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from . import cli_sv
from .cli_types import DATE
from .problems import Problem, ProblemList

cli_sv.install()  # Click's own texts (usage, headings, errors) in Swedish

CONTEXT = {"help_option_names": ["-h", "--hjälp", "--help"]}
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."


def _swedish_metavars(command: click.Command) -> click.Command:
    """Click writes ``[OPTIONS]`` and ``COMMAND [ARGS]...`` in usage lines; say it in Swedish."""
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        if command.subcommand_metavar in ("COMMAND [ARGS]...", "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]..."):
            command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            _swedish_metavars(sub)
    return command


class HandbookGroup(click.Group):
    """The verb group; verbs from other modules are imported when first used.

    A module registers its verbs with a function ``register(main)`` that calls
    ``main.add_command``. Listing it in ``lazy_verbs`` keeps ``handbok check``
    from importing (and paying for) modules it does not use.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}

    def lazy_verbs(self, verbs: dict[str, str]) -> None:
        """``{"verb": "module with register(main)"}``."""
        self.lazy.update(verbs)

    def _load(self, module: str) -> None:
        import importlib

        for verb in [v for v, m in self.lazy.items() if m == module]:
            del self.lazy[verb]
        importlib.import_module(module).register(self)

    def get_command(self, ctx: click.Context, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self._load(self.lazy[cmd_name])
        command = super().get_command(ctx, cmd_name)
        return _swedish_metavars(command) if command is not None else None

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(self.lazy.values())):
            self._load(module)
        return super().list_commands(ctx)


@click.group(cls=HandbookGroup, context_settings=CONTEXT)
@click.option("--rot", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Handbokens rotmapp (där routines/ och diagrams/ finns).")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Rutinhandboken: kontrollera, skapa och fastställ rutiner."""
    ctx.obj = {"root": root}


def _root(ctx: click.Context) -> Path:
    root: Path = ctx.obj["root"]
    if not (root / "routines").is_dir():
        raise click.UsageError(f"hittar ingen mapp routines/ i {root.resolve()}; kör i handbokens rotmapp eller ange --rot")
    return root


# --- check -------------------------------------------------------------------------


def _annotation(problem: Problem) -> str:
    level = "error" if problem.is_error else "warning"
    message = problem.message + (f" – {problem.hint}" if problem.hint else "")
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = problem.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::{level} file={path},line={max(problem.line, 1)},col={max(problem.column, 1)},title={problem.code}::{message}"


def _code_quality(problem: Problem) -> dict:
    """One finding in GitLab's Code Quality report format."""
    import hashlib

    fingerprint = hashlib.sha1(f"{problem.path}:{problem.code}:{problem.message}".encode("utf-8")).hexdigest()
    return {
        "description": f"{problem.code} {problem.message}" + (f" – {problem.hint}" if problem.hint else ""),
        "check_name": problem.code,
        "fingerprint": fingerprint,
        "severity": "major" if problem.is_error else "minor",
        "location": {"path": problem.path, "lines": {"begin": max(problem.line, 1)}},
    }


def _summary(checked: int, errors: int, warnings: int) -> str:
    routines = "1 rutin kontrollerad" if checked == 1 else f"{checked} rutiner kontrollerade"
    return f"{routines}: {errors} fel, {warnings} {'varning' if warnings == 1 else 'varningar'}."


def print_problems(problems: ProblemList, fmt: str, checked: int) -> None:
    errors, warnings = len(problems.errors), len(problems.warnings)
    if fmt == "gitlab":
        click.echo(json.dumps([_code_quality(p) for p in problems], ensure_ascii=False, indent=2))
        return
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
    summary = _summary(checked, errors, warnings)
    click.echo(summary if fmt == "text" else f"::notice title=handbok check::{summary}")


def _wanted(root: Path, paths: tuple[Path, ...]) -> list[str]:
    """Paths given on the command line, as the checker displays them."""
    from .problems import relative

    wanted = []
    for path in paths:
        if not path.exists():
            raise click.UsageError(f"'{path}' finns inte")
        absolute = path if path.is_absolute() else Path.cwd() / path
        shown = relative(absolute, root)
        if shown.startswith("/") or shown.startswith(".."):
            raise click.UsageError(f"'{path}' ligger inte i handboken ({root.resolve()})")
        wanted.append("" if shown in (".", "") else shown.rstrip("/"))
    return wanted


def _matches(display: str, wanted: list[str]) -> bool:
    return any(not w or display == w or display.startswith(w + "/") for w in wanted)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[SÖKVÄGAR]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "gitlab"]), default="text",
              show_default=True, help="Utdata: text för människor, json för verktyg, github för annoteringar i pull "
              "requests, gitlab för GitLabs kodkvalitetsrapport i merge requests.")
@click.option("--strict", is_flag=True, help="Varningar räknas som fel, också det som ett utkast saknar innan det kan "
              "fastställas (RH9xx).")
@click.option("--datum", "today", type=DATE, help="Kontrollera som om det vore detta datum.")
@click.option("--varningsdagar", "warning_days", type=click.IntRange(0, 3650), default=60, show_default=True,
              help="Varna så här många dagar innan revideringsdatumet.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool, today, warning_days: int) -> None:
    """Kontrollera rutiner, register och processkartor.

    Utan SÖKVÄGAR kontrolleras hela handboken; med SÖKVÄGAR visas bara det som gäller
    de filerna eller mapparna (alla rutiner läses ändå, för att kunna
    kontrollera hänvisningar mellan dem). Varje kod förklaras på sidan
    Kontrollkoder i redaktörsguiden.
    """
    root = _root(ctx)
    wanted = _wanted(root, paths) if paths else []
    from .checks import run_checks
    from .core.context import BuildContext
    from .core.handbook import Handbook
    from .core.loader import load_handbook, routine_paths

    # Node parses the process maps while Python loads the routines.
    handbook = Handbook(root=root)
    handbook.start_maps()
    context = BuildContext(today=today or dt.date.today(), review_warning_days=warning_days)
    load_handbook(root, workers=os.cpu_count() or 1, into=handbook)
    problems = run_checks(handbook, context)
    # Every routine file counts, also those whose errors kept them from loading.
    files = [handbook.display(path) for path in routine_paths(root)]
    checked = len(files)
    if paths:
        problems = ProblemList(p for p in problems if _matches(p.path, wanted))
        checked = sum(1 for display in files if _matches(display, wanted))
    print_problems(problems, fmt, checked)
    failed = problems.errors or (strict and problems.warnings)
    sys.exit(1 if failed else 0)


# --- new ---------------------------------------------------------------------------


def _ask(value: str | None, prompt: str, choices: list[str] | None = None) -> str:
    """A value from its flag, or asked for (from the terminal or piped input)."""
    if value:
        return value
    if choices:
        click.echo(f"{prompt} – välj en av: " + ", ".join(choices), err=True)
    try:
        return click.prompt(prompt, err=True).strip()
    except click.Abort:
        raise click.UsageError(f"ange {prompt.lower()} (till exempel med en flagga; se 'handbok new --hjälp')") from None


@main.command()
@click.option("--titel", "title", help="Rutinens titel, t.ex. 'Uppföljning av praktik'.")
@click.option("--process", help="Processens id ur processer.yml, t.ex. uppföljning.")
@click.option("--agare", "--ägare", "owner", help="Rutinägarens roll-id ur roller.yml.")
@click.option("--sammanfattning", "summary", help="En mening om vad rutinen gäller.")
@click.option("--id", "identifier", help="Rutinens id (standard: titeln med gemener och bindestreck).")
@click.option("--utan-karta", "no_diagram", is_flag=True, help="Skapa ingen processkarta.")
@click.option("--datum", "today", type=DATE, help="Dagens datum; review_by blir ett år senare.")
@click.pass_context
def new(ctx: click.Context, title, process, owner, summary, identifier, no_diagram, today) -> None:
    """Skapa en ny rutin (ett utkast) och dess processkarta från mallen.

    Det som inte anges med flaggor frågar kommandot efter. review_by sätts
    till ett år fram. Kommandot säger sedan vad utkastet saknar innan det kan
    fastställas (koderna RH9xx).
    """
    from . import scaffold
    from .core.loader import load_handbook

    root = _root(ctx)
    handbook = load_handbook(root)
    try:
        title = _ask(title, "Titel")
        process = _ask(process, "Process", list(handbook.processes))
        owner = _ask(owner, "Rutinägarens roll", list(handbook.roles))
        summary = _ask(summary, "Sammanfattning")
        created = scaffold.create(handbook, title=title, process=process, owner=owner, summary=summary,
                                  identifier=identifier, today=today, with_diagram=not no_diagram)
    except scaffold.ScaffoldError as exc:
        click.echo(f"fel: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"    → {exc.hint}", err=True)
        sys.exit(1)
    click.echo(f"Skapade {handbook.display(created.routine)}")
    if created.diagram:
        click.echo(f"Skapade {handbook.display(created.diagram)}")
    from .checks.completeness import problems_as_in_force, still_to_meet

    left = still_to_meet(problems_as_in_force(load_handbook(root), [created.routine.stem]))
    if left:
        click.echo("Det här saknas innan utkastet kan fastställas:")
        for line in left:
            click.echo(f"  {line}")
        click.echo("'handbok check' visar det som varningar så länge rutinen är ett utkast. Koderna förklaras "
                   "på sidan Kontrollkoder i redaktörsguiden.")
    click.echo("Nästa steg: skriv rutinen, förhandsgranska med 'make serve' och kontrollera med 'handbok check'.")


# --- codeowners --------------------------------------------------------------------


@main.command()
@click.option("--fil", "output", type=click.Path(dir_okay=False, path_type=Path), default=Path("CODEOWNERS"),
              show_default=True, help="Filen som skrivs (relativt handbokens rot). CODEOWNERS i roten läses av både GitHub och GitLab.")
@click.option("--standard", "default", multiple=True, help="Granskare för allt annat, t.ex. @kommunen/redaktion (kan upprepas).")
@click.option("--register", "registers", multiple=True, help="Granskare för registren (kan upprepas).")
@click.option("--kontrollera", "verify", is_flag=True, help="Skriv inget; avsluta med 1 om filen inte är aktuell (för CI).")
@click.pass_context
def codeowners(ctx: click.Context, output: Path, default, registers, verify: bool) -> None:
    """Skriv CODEOWNERS från rutinernas ägarroller.

    Varje rutin (och dess processkarta) får sin rutinägares handle ur
    rollregistret, så att en pull request ber rutinägaren granska.
    """
    from . import codeowners as generator
    from .core.loader import has_errors, load_handbook

    root = _root(ctx)
    handbook = load_handbook(root)
    if has_errors(handbook.problems):
        click.echo("fel: handboken har fel som måste rättas först (kör 'handbok check').", err=True)
        sys.exit(1)
    result = generator.generate(handbook, default=list(default), registers=list(registers))
    for path, role in result.without_handle:
        click.echo(f"varning: {path}: rollen '{role}' saknar handle i roller.yml, så ingen tillfrågas som granskare",
                   err=True)
    target = output if output.is_absolute() else root / output
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if verify:
        if current != result.text:
            click.echo(f"fel: {handbook.display(target)} är inte aktuell; kör 'handbok codeowners' och checka in filen.",
                       err=True)
            sys.exit(1)
        click.echo(f"{handbook.display(target)} är aktuell.")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.text, encoding="utf-8")
    click.echo(f"Skrev {handbook.display(target)} ({len(handbook.routines)} rutiner).")


# Verbs from other modules (each module has register(main)); imported when used.
main.lazy_verbs({"release": "handbok.release.cli", "gallande": "handbok.release.cli", "paminn": "handbok.reminders"})


_swedish_metavars(main)  # lazily loaded verbs get theirs in get_command


if __name__ == "__main__":  # pragma: no cover
    main()

"""The editor's workflow on the command line: check's formats and exit codes, new, codeowners."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from handbok.cli import main

REPO = Path(__file__).resolve().parent.parent
BASE = REPO / "tests" / "fixtures" / "check-bas"
BROKEN = REPO / "tests" / "fixtures" / "check-koder"


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path_factory.getbasetemp() / "mermaid-cache-cli"))


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "handbok"
    shutil.copytree(BASE, target)
    return target


def invoke(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, prog_name="handbok")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def add_broken_owner(project: Path) -> None:
    """The RH201 overlay: a routine in force whose owner is unknown (its approval recorded in the register)."""
    shutil.copy(BROKEN / "RH201" / "routines" / "okand-agare.md", project / "routines" / "okand-agare.md")
    register = "routines/register/releaser.yml"
    shutil.copy(BROKEN / "RH201" / register, project / register)


# --- check ---------------------------------------------------------------------------


def test_json_format(project):
    add_broken_owner(project)
    result = invoke("--rot", str(project), "check", "--format", "json", "--datum", "2026-11-25")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["checked"] == 3 and report["errors"] == 1 and report["warnings"] == 0
    assert report["problems"] == [{
        "path": "routines/okand-agare.md", "line": 8, "column": 8, "code": "RH201", "severity": "fel",
        "message": "rutinägaren 'okand-roll' finns inte i rollregistret",
        "hint": "Ange ett id ur routines/register/roller.yml eller lägg till rollen där.",
    }]


def test_gitlab_code_quality_report(project):
    add_broken_owner(project)
    result = invoke("--rot", str(project), "check", "--format", "gitlab", "--datum", "2026-11-25")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert len(report) == 1
    assert report[0]["check_name"] == "RH201" and report[0]["severity"] == "major"
    assert report[0]["location"] == {"path": "routines/okand-agare.md", "lines": {"begin": 8}}
    assert report[0]["description"].startswith("RH201 rutinägaren 'okand-roll' finns inte i rollregistret – Ange")


def test_github_annotations(project):
    add_broken_owner(project)
    result = invoke("--rot", str(project), "check", "--format", "github", "--datum", "2026-11-25")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("::error file=routines/okand-agare.md,line=8,col=8,title=RH201::rutinägaren 'okand-roll' "
                        "finns inte i rollregistret – Ange ett id ur routines/register/roller.yml eller lägg till rollen där.")
    assert lines[-1] == "::notice title=handbok check::3 rutiner kontrollerade: 1 fel, 0 varningar."


def test_paths_limit_what_is_shown(project, monkeypatch):
    add_broken_owner(project)
    monkeypatch.chdir(project)
    clean = invoke("check", "routines/anvisning-praktik.md", "--datum", "2026-11-25")
    assert clean.exit_code == 0 and clean.output.strip() == "1 rutin kontrollerad: 0 fel, 0 varningar."
    broken = invoke("check", "routines/", "--datum", "2026-11-25")
    assert broken.exit_code == 1 and "RH201" in broken.output


@pytest.mark.parametrize("args,message", [
    (["check", "--datum", "2026-02-30"], "Ogiltigt värde för '--datum': 2026-02-30 är inget giltigt datum"),
    (["check", "routines/finns-inte.md"], "'routines/finns-inte.md' finns inte"),
    (["check", "--format", "xml"], "Fel: Ogiltigt värde för '--format': 'xml' är inte något av 'text', 'json', 'github', 'gitlab'."),
    (["check", "--okand"], "Fel: Flaggan '--okand' finns inte."),
    (["check", "--varningsdagar", "x"], "Fel: Ogiltigt värde för '--varningsdagar': 'x' är inget giltigt heltal."),
    (["kolla"], "Fel: Kommandot 'kolla' finns inte."),
    (["release", "prepare"], "Fel: Saknat argument 'VERSION'."),
])
def test_usage_errors_exit_2(project, monkeypatch, args, message):
    monkeypatch.chdir(project)
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Användning: handbok " in result.output and "för hjälp." in result.output
    assert not any(english in result.output for english in ("Usage:", "Error:", "Try '", "Invalid value"))


def test_help_is_in_swedish():
    top = invoke("--hjälp")
    assert top.exit_code == 0
    assert top.output.startswith("Användning: handbok [FLAGGOR] KOMMANDO [ARGUMENT]...")
    assert "\nFlaggor:\n" in top.output and "\nKommandon:\n" in top.output
    assert "Visa den här hjälpen och avsluta." in top.output
    check = invoke("check", "--hjälp")
    assert check.output.startswith("Användning: handbok check [FLAGGOR] [SÖKVÄGAR]...")
    assert "[standard: text]" in check.output
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[OPTIONS]", "default:"):
        assert english not in top.output + check.output


def test_every_text_click_prints_has_a_swedish_translation():
    """Reads Click's modules: an upgrade of Click with a new text fails here, not in front of an editor."""
    import ast
    import importlib

    from handbok import cli_sv

    missing = []
    for name in cli_sv.MODULES:
        module = importlib.import_module(name)
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and texts and texts[0] not in cli_sv.MESSAGES:
                missing.append(f"{name}: {texts[0]!r}")
            if node.func.id == "ngettext" and texts and texts[0] not in cli_sv.PLURALS:
                missing.append(f"{name}: {texts[0]!r}")
    assert missing == []


def test_no_handbook_here_is_a_usage_error(tmp_path):
    result = invoke("--rot", str(tmp_path), "check")
    assert result.exit_code == 2
    assert "hittar ingen mapp routines/" in result.output


# --- new -----------------------------------------------------------------------------


def test_new_scaffolds_a_draft_that_passes_the_checks_and_says_what_it_lacks(project):
    result = invoke("--rot", str(project), "new", "--titel", "Uppföljning: praktik & \"studier\"", "--process", "uppföljning",
                    "--agare", "handlaggare", "--sammanfattning", "Hur praktik och studier följs upp.", "--datum", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["Skapade routines/uppfoljning-praktik-studier.md",
                                              "Skapade diagrams/uppfoljning-praktik-studier.mmd"]
    text = (project / "routines" / "uppfoljning-praktik-studier.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == "Uppföljning: praktik & \"studier\""
    assert front["status"] == "utkast" and front["owner"] == "handlaggare" and front["process"] == "uppföljning"
    assert str(front["review_by"]) == "2027-11-25"
    assert front["diagram"] == "uppfoljning-praktik-studier.mmd"
    diagram = (project / "diagrams" / "uppfoljning-praktik-studier.mmd").read_text(encoding="utf-8")
    assert "accTitle: Uppföljning: praktik & \"studier\"" in diagram and "accDescr:" in diagram
    # What the draft lacks before it can be approved: the completeness rules, by code.
    lines = result.output.splitlines()
    assert lines[2] == "Det här saknas innan utkastet kan fastställas:"
    assert lines[3:9] == ["  RH901 ingen roll beslutar, utför eller följer upp", "  RH902 uppföljning saknas",
                          "  RH904 lagstöd saknas", "  RH906 mallens text står kvar (6 ställen)",
                          "  RH907 processkartan är mallens karta", "  RH908 läsare saknas"]
    assert lines[9].startswith("'handbok check' visar det som varningar så länge rutinen är ett utkast.")
    # ... which 'handbok check' reports as warnings: no errors, but --strict fails.
    check = invoke("--rot", str(project), "check", "--datum", "2026-11-25")
    assert check.exit_code == 0, check.output
    assert check.output.splitlines()[-1] == "3 rutiner kontrollerade: 0 fel, 11 varningar."
    codes = {line.split()[2] for line in check.output.splitlines() if " varning RH" in line}
    assert codes == {"RH901", "RH902", "RH904", "RH906", "RH907", "RH908"}, check.output
    assert invoke("--rot", str(project), "check", "--strict", "--datum", "2026-11-25").exit_code == 1


def test_new_asks_for_what_is_missing(project):
    result = invoke("--rot", str(project), "new", "--datum", "2024-02-29",
                    input="Ny rutin\nanvisning\nenhetschef\nEn mening.\n")
    assert result.exit_code == 0, result.output
    front = yaml.safe_load((project / "routines" / "ny-rutin.md").read_text(encoding="utf-8").split("---")[1])
    assert str(front["review_by"]) == "2025-02-28"  # one year after a leap day


def test_new_without_terminal_names_what_is_missing(project):
    result = invoke("--rot", str(project), "new", "--titel", "X", input="")
    assert result.exit_code == 2
    assert "ange process" in result.output


@pytest.mark.parametrize("args,message", [
    (["--process", "uppfölning"], "fel: processen 'uppfölning' finns inte i processregistret. Menade du 'uppföljning'?"),
    (["--agare", "enhetschf"], "fel: rollen 'enhetschf' finns inte i rollregistret. Menade du 'enhetschef'?"),
    (["--id", "anvisning-praktik"], "fel: det finns redan en rutin med id 'anvisning-praktik'"),
    (["--id", "Fel Id"], "fel: 'Fel Id' kan inte vara ett id"),
])
def test_new_refuses_bad_choices(project, args, message):
    defaults = {"--titel": "En rutin", "--process": "anvisning", "--agare": "enhetschef", "--sammanfattning": "En mening."}
    for flag, value in zip(args[::2], args[1::2]):
        defaults[flag] = value
    flat = [part for pair in defaults.items() for part in pair]
    result = invoke("--rot", str(project), "new", *flat)
    assert result.exit_code == 1
    assert message in result.output
    assert not (project / "routines" / "en-rutin.md").exists()


# --- codeowners ---------------------------------------------------------------------


def test_codeowners_from_owner_roles(project):
    result = invoke("--rot", str(project), "codeowners", "--standard", "@kommunen/redaktion")
    assert result.exit_code == 0, result.output
    text = (project / "CODEOWNERS").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == [
        "* @kommunen/redaktion",
        "/routines/anvisning-praktik.md @kommunen/eb",
        "/routines/uppfoljning-praktik.md @kommunen/eb",
        "/diagrams/anvisning.mmd @kommunen/eb",
    ]
    assert invoke("--rot", str(project), "codeowners", "--kontrollera", "--standard", "@kommunen/redaktion").exit_code == 0
    routine = project / "routines" / "uppfoljning-praktik.md"
    routine.write_text(routine.read_text(encoding="utf-8").replace("owner: enhetschef", "owner: handlaggare"), encoding="utf-8")
    stale = invoke("--rot", str(project), "codeowners", "--kontrollera", "--standard", "@kommunen/redaktion")
    assert stale.exit_code == 1 and "är inte aktuell" in stale.output


def test_codeowners_warns_about_roles_without_handle(project):
    roles = project / "routines" / "register" / "roller.yml"
    roles.write_text(roles.read_text(encoding="utf-8").replace('  handle: "@kommunen/eb"\n', ""), encoding="utf-8")
    result = invoke("--rot", str(project), "codeowners", "--fil", ".gitlab/CODEOWNERS")
    assert result.exit_code == 0
    assert "varning: routines/anvisning-praktik.md: rollen 'enhetschef' saknar handle i roller.yml" in result.output
    assert (project / ".gitlab" / "CODEOWNERS").is_file()


def test_repository_codeowners_is_current():
    assert (REPO / "CODEOWNERS").is_file()
    result = invoke("--rot", str(REPO), "codeowners", "--kontrollera", "--standard", "@kommunen/rutinhandboken-redaktion")
    assert result.exit_code == 0, result.output


# --- CI and pull-request files ---------------------------------------------------------


def test_github_workflow_runs_check_build_and_tests():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    joined = "\n".join(steps)
    assert "handbok check --format github" in joined
    assert "handbok release verifiera" in joined
    assert "mkdocs build --strict" in joined
    assert "make test" in joined
    assert "pull_request" in workflow[True] if True in workflow else "pull_request" in workflow["on"]


def test_gitlab_ci_runs_the_same_checks():
    pipeline = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    scripts = "\n".join(line for job in pipeline.values() if isinstance(job, dict) for line in job.get("script", []))
    assert "handbok check" in scripts and "mkdocs build --strict" in scripts and "make test" in scripts
    assert "handbok release verifiera" in scripts


def test_pull_request_template_has_a_checklist_in_swedish():
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 4
    assert "handbok check" in text and "version" in text

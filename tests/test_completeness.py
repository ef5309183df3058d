"""Completeness beyond the per-code fixtures: the build, the template as the source, maps, the nämnd's view.

The per-code fixtures (failing and passing) are in ``test_checks.py``; the
release's refusal and the beslutsunderlag in ``test_release_refusals.py`` and
``test_release_flow.py``; the grammar of intervals in ``test_frequency.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, build_project, prepare_project

from handbok.checks import BuildContext, run_checks
from handbok.cli import main
from handbok.core import completeness, templates
from handbok.core.loader import load_handbook

TODAY = dt.date(2026, 11, 25)


def findings(root: Path, *codes: str) -> list[str]:
    problems = run_checks(load_handbook(root), BuildContext(today=TODAY))
    return [p.format() for p in problems if not codes or p.code in codes]


@pytest.fixture
def base(tmp_path) -> Path:
    project = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "check-bas", project)
    return project


# --- the build ----------------------------------------------------------------------------


def test_a_strict_build_publishes_a_draft_that_lacks_things_and_says_so_as_information(tmp_path, caplog):
    project = prepare_project("kartor", tmp_path)
    created = CliRunner().invoke(main, ["--rot", str(project), "new", "--titel", "Nytt utkast", "--process", "anvisning",
                                        "--agare", "enhetschef", "--sammanfattning", "Ett utkast.", "--datum", "2026-11-25"])
    assert created.exit_code == 0, created.output
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build_project(project, strict=True)
    assert site.path("rutiner/anvisning/nytt-utkast/").is_file()
    told = [r for r in caplog.records if r.name == "mkdocs.plugins.handbok" and " RH90" in r.getMessage()]
    assert {r.getMessage().split()[2] for r in told} == {"RH901", "RH902", "RH904", "RH906", "RH907", "RH908"}
    # Information, not warnings: mkdocs build --strict fails on a warning.
    assert {r.levelno for r in told} == {logging.INFO}


def test_a_build_stops_at_a_routine_in_force_without_a_frequency(tmp_path, caplog):
    project = prepare_project("kartor", tmp_path)
    routine = project / "routines" / "med-karta.md"
    routine.write_text(routine.read_text(encoding="utf-8").replace(
        "follow_up: Enhetschefen följer upp varje kvartal.", "follow_up: Enhetschefen följer upp regelbundet."),
        encoding="utf-8")
    with pytest.raises(Exception), caplog.at_level(logging.INFO, logger="mkdocs"):
        build_project(project, strict=True)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR and " RH903 " in r.getMessage()]
    assert errors and errors[0].startswith("routines/med-karta.md:")


# --- the template is the source ------------------------------------------------------------


@pytest.fixture
def changed_template(monkeypatch):
    """The routine template with one more section, as if the template file had been edited."""
    read = templates.template_text

    def text(name: str) -> str:
        if name == templates.ROUTINE:
            return read(name) + "\n## Sekretess\n\nSkriv vilka uppgifter som får lämnas ut, och till vem.\n"
        return read(name)

    caches = [completeness.template_sections, completeness._template_sentences]
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(templates, "template_text", text)
    monkeypatch.setattr(completeness, "template_text", text)
    yield
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


def test_sections_and_sentences_are_read_from_the_template(base, changed_template):
    assert completeness.section_names() == ["Syfte", "Omfattning", "Arbetsgång", "Uppföljning", "Dokumentation",
                                            "Sekretess"]
    routine = base / "routines" / "anvisning-praktik.md"
    text = routine.read_text(encoding="utf-8")
    assert "## Sekretess" not in text
    found = [line for line in findings(base, "RH905", "RH906") if line.startswith("routines/anvisning-praktik.md")]
    assert [line.split(" fel ")[1] for line in found] == ["RH905 avsnittet '## Sekretess' saknas"]
    # The draft lacks it too, as a warning.
    assert any(line.startswith("routines/uppfoljning-praktik.md:") and " varning RH905 avsnittet '## Sekretess' saknas"
               in line for line in findings(base, "RH905"))
    routine.write_text(text + "\n## Sekretess\n\nSkriv vilka uppgifter som får lämnas ut, och till vem.\n",
                       encoding="utf-8")
    found = [line for line in findings(base, "RH905", "RH906") if line.startswith("routines/anvisning-praktik.md")]
    assert len(found) == 1 and found[0].endswith(
        "RH906 mallens text står kvar i avsnittet Sekretess: 'Skriv vilka uppgifter som får lämnas ut, och till vem.'")


def test_the_template_as_shipped():
    assert completeness.section_names() == ["Syfte", "Omfattning", "Arbetsgång", "Uppföljning", "Dokumentation"]
    body, _ = templates.routine_template_body()
    sentences = [s for section in completeness.template_sections() for s in section.sentences]
    assert sentences and all(sentence in body for sentence in sentences)


# --- process maps ----------------------------------------------------------------------------


def _with_map(base: Path, text: str) -> None:
    routine = base / "routines" / "anvisning-praktik.md"
    (base / "diagrams" / "ny.mmd").write_text(text, encoding="utf-8")
    routine.write_text(routine.read_text(encoding="utf-8").replace("diagram: anvisning.mmd", "diagram: ny.mmd"),
                       encoding="utf-8")


def test_the_template_map_with_another_title_and_layout_is_still_the_template(base):
    template = templates.template_text(templates.MAP).replace("$title", "Anvisning till praktik")
    _with_map(base, "%% kartan\n" + template.replace("\n", "\n\n").replace("    ", "  "))
    found = findings(base, "RH907")
    assert found == ["diagrams/ny.mmd:1:1: fel RH907 processkartan är mallens karta utan ändringar "
                     "(används av rutinen anvisning-praktik)"]


def test_the_template_description_left_in_an_own_map(base):
    template = templates.template_text(templates.MAP).replace("$title", "Anvisning")
    _with_map(base, template.replace("steg1[Första steget]", "steg1[Handläggaren bedömer behovet]"))
    found = findings(base, "RH907")
    assert found == [
        "diagrams/ny.mmd:3:1: fel RH907 processkartan har kvar mallens text 'Skriv en mening som beskriver flödet "
        "från början till slut.' (används av rutinen anvisning-praktik)",
        "diagrams/ny.mmd:4:1: fel RH907 processkartan har kvar mallens text 'Början: vad sätter igång rutinen?' "
        "(används av rutinen anvisning-praktik)"]


def test_a_map_used_only_by_drafts_is_a_warning(base):
    template = templates.template_text(templates.MAP).replace("$title", "Uppföljning")
    (base / "diagrams" / "ny.mmd").write_text(template, encoding="utf-8")
    draft = base / "routines" / "uppfoljning-praktik.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("review_by: 2027-06-30", "review_by: 2027-06-30\ndiagram: ny.mmd"),
                     encoding="utf-8")
    assert findings(base, "RH907") == [
        "diagrams/ny.mmd:1:1: varning RH907 processkartan är mallens karta utan ändringar (används av rutinen "
        "uppfoljning-praktik) – krävs innan utkastet kan fastställas"]


# --- what the nämnd reads --------------------------------------------------------------------


def test_requirements_of_a_complete_routine(base):
    handbook = load_handbook(base)
    rows = completeness.requirements(handbook, handbook.routines["anvisning-praktik"])
    assert [(r.label, r.met) for r in rows] == [("Ansvar", True), ("Uppföljning", True), ("Lagstöd", True),
                                                ("Avsnitt", True), ("Mallens text", True), ("Processkarta", True),
                                                ("Läsare", True)]
    details = {r.key: r.detail for r in rows}
    assert details["ansvar"] == "beslutar: Socialsekreterare; utför: Socialsekreterare; följer upp: Enhetschef, ekonomiskt bistånd"
    assert details["uppföljning"] == "Enhetschefen går igenom alla anvisningar varje månad."
    assert details["processkarta"] == "egen karta (anvisning.mmd)"
    assert details["läsare"] == "Socialsekreterare"


def test_requirements_say_what_is_missing(base):
    created = CliRunner().invoke(main, ["--rot", str(base), "new", "--titel", "Prov", "--process", "anvisning",
                                        "--agare", "enhetschef", "--sammanfattning", "Prov.", "--datum", "2026-11-25"])
    assert created.exit_code == 0, created.output
    handbook = load_handbook(base)
    found = completeness.completeness(handbook, handbook.routines["prov"])
    assert not found.complete
    details = {r.key: (r.met, r.detail) for r in completeness.requirements(handbook, handbook.routines["prov"], found)}
    assert details["ansvar"] == (False, "ingen roll beslutar, utför eller följer upp")
    assert details["uppföljning"] == (False, "uppföljning saknas")
    assert details["malltext"] == (False, "kvar i Syfte, Omfattning, Arbetsgång, Uppföljning och Dokumentation")
    assert details["processkarta"] == (False, "prov.mmd är mallens karta")
    assert details["avsnitt"][0] is True

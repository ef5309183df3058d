"""The checker guards approved text (RH801–RH803), and a build knows whether it is a release.

The register is written with the release package's own functions (as
``approve`` does), without publishing, so these tests need no mike build.
"""

from __future__ import annotations

import datetime as dt

import pytest

from handbok import model
from handbok.core.loader import load_handbook
from handbok.core.hashing import snapshot
from handbok.core.releases import load_register, register_path
from handbok.release.register import appended_text
from handbok.core.build import build_state
from release_helpers import (TODAY, build_project, commit_all, edit, git, handbok, make_repo,
                             prepare_project, squash)


def record_release(project, version="2026.1", date="2026-03-12", valid_from="2026-04-01"):
    """Write a register entry for the handbook as it is, like approve does."""
    routines, diagrams = snapshot(load_handbook(project))
    release = model.Release(version=version, organ="Socialnämnden", date=dt.date.fromisoformat(date),
                            reference=f"SN {date} § 45", valid_from=dt.date.fromisoformat(valid_from),
                            routines=routines, diagrams=diagrams)
    register = load_register(project)
    register_path(project).write_text(appended_text(register, release), encoding="utf-8")
    return release


@pytest.fixture
def project(tmp_path):
    repo = make_repo("release-grund", tmp_path)
    record_release(repo)
    commit_all(repo, "Version 2026.1")
    git(repo, "tag", "-a", "v2026.1", "-m", "Version 2026.1")
    return repo


def check(project):
    result = handbok(project, "check", "--datum", TODAY)
    return result.exit_code, [squash(line) for line in result.output.splitlines()]


def test_an_untouched_release_passes(project):
    code, lines = check(project)
    assert not [line for line in lines if "RH8" in line], lines


def test_text_changed_without_new_version_is_reported(project):
    edit(project / "routines/uppfoljning.md", "varje månad", "varje vecka")
    code, lines = check(project)
    assert code == 1
    assert ("routines/uppfoljning.md:7:10: fel RH801 rutinen är ändrad efter fastställande: innehållet stämmer inte "
            "med version 2.0 i den fastställda versionen 2026.1 av handboken") in lines
    assert any('höj version (t.ex. till "2.1")' in line for line in lines)


def test_a_field_changed_without_new_version_is_reported(project):
    edit(project / "routines/anvisning.md", "task: Beslutar om anvisning.", "task: Beslutar om praktik.")
    code, lines = check(project)
    assert any(line.startswith("routines/anvisning.md:7:10: fel RH801") for line in lines), lines


def test_process_map_changed_without_new_version_is_reported(project):
    edit(project / "diagrams/anvisning.mmd", "Beslut om anvisning", "Beslut om praktik")
    code, lines = check(project)
    assert ("routines/anvisning.md:16:10: fel RH801 processkartan anvisning.mmd är ändrad efter fastställande av "
            "version 2026.1, men rutinens version är fortfarande 1.0") in lines


def test_a_new_version_of_the_routine_is_not_reported(project):
    edit(project / "routines/uppfoljning.md", "varje månad", "varje vecka")
    edit(project / "routines/uppfoljning.md", 'version: "2.0"', 'version: "2.1"')
    code, lines = check(project)
    assert not [line for line in lines if "RH80" in line], lines


def test_a_draft_or_repealed_routine_is_not_reported(project):
    edit(project / "routines/lonestod.md", "Ett utkast", "Ett nytt utkast")
    edit(project / "routines/gammal.md", "status: gällande", "status: upphävd\nreplaced_by: anvisning")
    code, lines = check(project)
    assert not [line for line in lines if "RH801" in line], lines


def test_review_date_moved_without_release_is_a_warning(project):
    edit(project / "routines/anvisning.md", "review_by: 2027-12-31", "review_by: 2028-12-31")
    code, lines = check(project)
    assert ("routines/anvisning.md:15:12: varning RH802 review_by har flyttats från 2027-12-31 till 2028-12-31 "
            "sedan version 2026.1 utan att ingå i en fastställd release") in lines
    assert not [line for line in lines if "RH801" in line], lines


def test_a_hand_edited_register_is_reported(project):
    path = register_path(project)
    edit(path, "valid_from: 2026-04-01\n  routines:", "valid_from: 2026-03-01\n  routines:")
    code, lines = check(project)
    assert ("routines/register/releaser.yml:6:1: fel RH803 version 2026.1 börjar gälla 2026-03-01, "
            "före beslutet 2026-03-12") in lines


def test_a_malformed_register_is_reported_with_its_line(project):
    path = register_path(project)
    edit(path, 'reference: "SN 2026-03-12 § 45"', 'reference: "§ 45"')
    code, lines = check(project)
    assert code == 1
    assert any(line.startswith("routines/register/releaser.yml:9:") and "reference" in line for line in lines), lines


def test_the_site_build_stops_on_changed_approved_text(tmp_path):
    from mkdocs.exceptions import Abort, PluginError

    project = prepare_project("release-grund", tmp_path)
    record_release(project)
    edit(project / "routines/uppfoljning.md", "varje månad", "varje vecka")
    with pytest.raises((PluginError, Abort)):
        build_project(project, today=TODAY)


# --- what a build is -------------------------------------------------------------------------


def test_a_checkout_of_a_release_tag_is_a_release(project):
    assert build_state(project, environ={}).version == "2026.1"
    assert build_state(project, environ={"MIKE_DOCS_VERSION": "2026.1"}).version == "2026.1"


def test_unapproved_work_is_a_draft(project):
    edit(project / "routines/uppfoljning.md", "varje månad", "varje vecka")
    assert build_state(project, environ={}).draft
    git(project, "stash")
    assert not build_state(project, environ={}).draft
    (project / "routines/ny.md").write_text("---\n---\n", encoding="utf-8")
    assert build_state(project, environ={}).draft  # an untracked routine would be published too
    (project / "routines/ny.md").unlink()
    edit(project / "docs/index.md", "Startsidan.", "Startsidan, ändrad.")
    commit_all(project, "Efter releasen")
    assert build_state(project, environ={}).draft
    assert build_state(project, environ={"MIKE_DOCS_VERSION": "2026.1"}).draft


def test_a_mike_build_of_an_unapproved_version_is_a_draft(project):
    state = build_state(project, environ={"MIKE_DOCS_VERSION": "2026.9"})
    assert state.draft and state.deployed_as == "2026.9"


def test_a_directory_without_git_is_a_draft(tmp_path):
    project = prepare_project("release-grund", tmp_path)
    record_release(project)
    assert build_state(project, environ={}).draft


def test_a_release_build_has_no_draft_mark(project):
    site = build_project(project, today=TODAY)
    for page in ("", "rutiner/anvisning/anvisning/", "beslut-och-versioner/"):
        soup = site.soup(page)
        assert soup.select(".handbok-utkastmarkering") == [], page
        # Not a mike build: no version selector, so no request for versions.json.
        assert soup.select('[data-md-component="outdated"]') == []
    edit(project / "docs/index.md", "Startsidan.", "Startsidan, ändrad.")
    site = build_project(project, today=TODAY)
    assert site.soup("").select_one("[data-md-component=announce] .handbok-utkastmarkering") is not None

"""A clone without tags can still prepare the next beslutsunderlag.

A shallow CI checkout or a mirror that carries ``main`` only has the release
register but not the tag ``v2026.1``. The commit that recorded the release in
the register holds the same files, so ``prepare`` compares with that commit and
says so in a warning, instead of refusing.
"""

from __future__ import annotations

import pytest

from release_helpers import TODAY, commit_all, copy_repo, edit, git, handbok, listed, make_repo, squash, underlag
from test_release_integrity import record_release


@pytest.fixture
def tagless(tmp_path):
    repo = make_repo("release-grund", tmp_path / "utan-taggar")
    record_release(repo)
    commit_all(repo, "Version 2026.1")
    recorded = git(repo, "rev-parse", "HEAD").strip()
    anvisning = repo / "routines/anvisning.md"
    edit(anvisning, 'version: "1.0"', 'version: "1.1"')
    edit(anvisning, "change_note: Första versionen.", "change_note: Samråd med AF ska dokumenteras i journalen.")
    edit(anvisning, "2. Socialsekreteraren samråder med AF.",
         "2. Socialsekreteraren samråder med AF och dokumenterar samrådet i journalen.")
    commit_all(repo, "Revidering")
    return repo, recorded


def prepare(repo):
    return handbok(repo, "release", "prepare", "2026.2", "--organ", "Socialnämnden", "--utan-pdf",
                   "--galler-fran", "2026-10-01", "--idag", TODAY)


def test_prepare_without_the_tag_compares_with_the_commit_that_recorded_the_release(tagless):
    repo, recorded = tagless
    assert git(repo, "tag").strip() == ""
    result = prepare(repo)
    assert result.exit_code == 0, result.output
    assert (f"varning: taggen v2026.1 saknas i git; ändringarna visas sedan incheckningen {recorded[:7]}, som förde "
            "in version 2026.1 i releaseregistret.") in squash(result.output)
    soup = underlag(repo, "2026.2")
    assert listed(soup, "andrad") == ["anvisning"]
    changed = squash(soup.select_one('article[data-rutin="anvisning"]').get_text(" "))
    assert "dokumenterar samrådet i journalen" in changed


def test_the_underlag_is_the_same_as_with_the_tag(tagless, tmp_path):
    repo, recorded = tagless
    tagged = copy_repo(repo, tmp_path / "med-taggar")
    git(tagged, "tag", "-a", "v2026.1", recorded, "-m", "Version 2026.1")
    with_tag = prepare(tagged)
    assert with_tag.exit_code == 0, with_tag.output
    assert "varning" not in with_tag.output
    assert prepare(repo).exit_code == 0
    name = "beslutsunderlag/2026.2/beslutsunderlag-2026.2.html"
    assert (repo / name).read_text(encoding="utf-8") == (tagged / name).read_text(encoding="utf-8")


def test_a_history_where_no_commit_holds_the_approved_files_is_refused_in_swedish(tagless):
    repo, _ = tagless
    # The history squashed into one new root commit: the commit that adds the
    # register entry now also holds the later edit, so it is not the release.
    git(repo, "checkout", "-q", "--orphan", "ny")
    commit_all(repo, "Allt i en incheckning")
    result = prepare(repo)
    assert result.exit_code == 1, result.output
    assert ("fel: taggen v2026.1 för den senast fastställda versionen saknas i git, och rutinerna i incheckningen "
            in squash(result.output))
    assert "stämmer inte med registret (anvisning)" in squash(result.output)
    assert "Traceback" not in result.output
    assert not (repo / "beslutsunderlag/2026.2").exists()

"""The register cannot be rewritten to hide a change: register, tag, gh-pages and main are compared.

Each test works in a copy of a repository where 2026.1 was approved and
published by the tool. Before this, rewriting a routine's sha256 in the
register together with an edit hid the edit (RH801 silent, and 'prepare'
listed the routine as unchanged), and an edited gh-pages or a moved tag was
found by nothing. What a clone lacks (the tag, gh-pages) is a warning only.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from handbok.core.hashing import routine_hash
from handbok.core.loader import load_handbook
from release_helpers import (TODAY, approve_first_release, commit_all, copy_repo, edit, git, handbok, make_repo,
                             squash)

REGISTER = "routines/register/releaser.yml"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    return approve_first_release(make_repo("release-grund", tmp_path_factory.mktemp("verifiera")))


@pytest.fixture
def repo(released, tmp_path):
    return copy_repo(released, tmp_path / "kopia")


def check(repo):
    result = handbok(repo, "check", "--datum", TODAY)
    return result.exit_code, [squash(line) for line in result.output.splitlines()]


def verify(repo, *args):
    result = handbok(repo, "release", "verifiera", *args)
    return result.exit_code, squash(result.output)


def rh8(lines):
    return [line for line in lines if " RH8" in line]


def hide_an_edit(repo):
    """Edit approved text and rewrite its sha256 in the register to match: what RH801 alone cannot see."""
    path = repo / "routines/uppfoljning.md"
    edit(path, "varje månad", "varje vecka")
    old = next(r.sha256 for r in load_handbook(repo).releases.last.routines if r.id == "uppfoljning")
    new = routine_hash(load_handbook(repo).routines["uppfoljning"])
    edit(repo / REGISTER, old, new)
    commit_all(repo, "Uppföljning varje vecka")


def test_the_tag_records_what_was_approved_and_published(repo):
    message = git(repo, "tag", "-l", "--format=%(contents)", "v2026.1")
    line = next(line for line in message.splitlines() if line.startswith("Handbok-Fastställt: "))
    record = json.loads(line.split(": ", 1)[1])
    assert record["commit"] == git(repo, "rev-parse", "v2026.1^{commit}").strip()
    assert set(record["rutiner"]) == {"anvisning", "gammal", "lonestod", "uppfoljning"}
    assert record["publicerad"] == git(repo, "rev-parse", "gh-pages:2026.1").strip()
    assert verify(repo) == (0, "Fastställda versioner: 2026.1. 0 fel, 0 varningar.")
    assert rh8(check(repo)[1]) == []


def test_the_register_records_the_role_names_shown(repo):
    text = (repo / REGISTER).read_text(encoding="utf-8")
    assert "  roles:\n    - id: enhetschef\n      name: Enhetschef\n" in text


def test_a_rewritten_checksum_hiding_an_edit_is_reported(repo):
    hide_an_edit(repo)
    code, lines = check(repo)
    found = rh8(lines)
    # RH801 cannot see it: the text and the rewritten checksum agree.
    assert not [line for line in lines if "RH801" in line]
    assert ("routines/register/releaser.yml:6:1: fel RH805 registrets post för version 2026.1 stämmer inte med det "
            "som taggen v2026.1 säger fastställdes (kontrollsumman för rutinen uppfoljning)") in found
    assert ("routines/register/releaser.yml:6:1: fel RH809 registrets post för version 2026.1 har skrivits om efter "
            "fastställandet (rutinen uppfoljning): den stämmer inte med posten i taggen v2026.1") in found
    code, output = verify(repo)
    assert code == 1 and "fel RH809" in output and "2 fel, 0 varningar" in output
    # prepare no longer puts a handbook before the nämnd whose register hides a change.
    edit(repo / "routines/anvisning.md", 'version: "1.0"', 'version: "1.1"')
    commit_all(repo, "Ny version")
    result = handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY)
    assert result.exit_code == 1
    assert "RH809" in squash(result.stderr)
    assert not (repo / "beslutsunderlag/2026.2").exists()


def test_a_rewritten_checksum_is_found_without_a_record_too(tmp_path):
    """A tag made by hand (no record): the register at the tag's commit is the reference."""
    from test_release_integrity import record_release

    repo = make_repo("release-grund", tmp_path)
    record_release(repo)
    commit_all(repo, "Version 2026.1")
    git(repo, "tag", "-a", "v2026.1", "-m", "Version 2026.1")
    assert rh8(check(repo)[1]) == []
    hide_an_edit(repo)
    found = rh8(check(repo)[1])
    # The register no longer matches the register at the tag, nor the routine committed there.
    assert [line.split(" ")[2] for line in found] == ["RH809", "RH810"], found


def test_a_tag_moved_to_other_text_is_reported(tmp_path):
    from test_release_integrity import record_release

    repo = make_repo("release-grund", tmp_path)
    record_release(repo)
    commit_all(repo, "Version 2026.1")
    git(repo, "tag", "-a", "v2026.1", "-m", "Version 2026.1")
    edit(repo / "routines/uppfoljning.md", "varje månad", "varje vecka")
    commit_all(repo, "Ändrad")
    git(repo, "tag", "-a", "-f", "v2026.1", "-m", "Version 2026.1")
    git(repo, "checkout", "-q", "HEAD~1", "--", "routines/uppfoljning.md")
    commit_all(repo, "Tillbaka")
    found = rh8(check(repo)[1])
    assert ("routines/register/releaser.yml:6:1: fel RH810 rutinen uppfoljning i taggen v2026.1 stämmer inte med "
            "kontrollsumman i registret för version 2026.1") in found


def test_a_moved_tag_is_reported(repo):
    edit(repo / "docs/index.md", "Startsidan.", "Startsidan, ändrad.")
    commit_all(repo, "Efter releasen")
    message = git(repo, "tag", "-l", "--format=%(contents)", "v2026.1")
    git(repo, "tag", "-a", "-f", "v2026.1", "-m", message, "HEAD")
    found = rh8(check(repo)[1])
    assert any(line.startswith("routines/register/releaser.yml:6:1: fel RH806 taggen v2026.1 har flyttats: den "
                               "pekar på ") for line in found), found
    git(repo, "tag", "-f", "v2026.1", "HEAD~1")  # back on the right commit, but a lightweight tag
    found = rh8(check(repo)[1])
    assert ("routines/register/releaser.yml:6:1: fel RH806 taggen v2026.1 är inte en annoterad releasetagg: den har "
            "flyttats eller skapats för hand") in found


def _edit_published(repo: Path, path: str, text: str) -> None:
    """Commit a changed file onto gh-pages with git plumbing, as a hand edit of the branch would."""
    def run(*args, stdin=None):
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, text=True,
                              check=True).stdout.strip()

    index = repo / ".git" / "index-pages"
    env_index = {"GIT_INDEX_FILE": str(index)}
    import os

    env = {**os.environ, **env_index}
    subprocess.run(["git", "-C", str(repo), "read-tree", "gh-pages"], env=env, check=True)
    blob = run("hash-object", "-w", "--stdin", stdin=text)
    subprocess.run(["git", "-C", str(repo), "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}"],
                   env=env, check=True)
    tree = subprocess.run(["git", "-C", str(repo), "write-tree"], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()
    commit = run("commit-tree", tree, "-p", "gh-pages", "-m", "Rättat ett stavfel")
    run("update-ref", "refs/heads/gh-pages", commit)


def test_an_edited_published_page_is_reported(repo):
    page = "2026.1/rutiner/anvisning/anvisning/index.html"
    html = git(repo, "show", f"gh-pages:{page}")
    _edit_published(repo, page, html.replace("Enhetschef", "Chef", 1))
    code, lines = check(repo)
    assert (f"routines/register/releaser.yml:6:1: fel RH807 de publicerade sidorna för version 2026.1 på grenen "
            f"gh-pages har ändrats efter publiceringen: {page}") in rh8(lines)
    assert verify(repo)[0] == 1


def test_an_edited_copy_of_the_version_in_force_is_reported(repo):
    page = "gallande/rutiner/anvisning/anvisning/index.html"
    html = git(repo, "show", f"gh-pages:{page}")
    _edit_published(repo, page, html.replace("Enhetschef", "Chef", 1))
    found = rh8(check(repo)[1])
    assert (f"routines/register/releaser.yml:6:1: fel RH807 kopian gallande/ av den gällande versionen 2026.1 på "
            f"grenen gh-pages stämmer inte med versionen: {page}") in found


def test_what_a_clone_lacks_is_a_warning(repo):
    git(repo, "branch", "-D", "gh-pages")
    code, lines = check(repo)
    assert not [line for line in lines if " fel RH8" in line]
    assert rh8(lines) == ["routines/register/releaser.yml:6:1: varning RH808 grenen gh-pages finns inte i den här "
                          "klonen, så de publicerade versionerna (2026.1) kan inte jämföras med det som publicerades"]
    assert verify(repo)[0] == 0
    assert verify(repo, "--strikt")[0] == 1
    git(repo, "tag", "-d", "v2026.1")
    code, lines = check(repo)
    assert rh8(lines) == ["routines/register/releaser.yml:6:1: varning RH806 taggen v2026.1 för den fastställda "
                          "versionen 2026.1 finns inte i den här klonen, så registret jämförs bara med incheckningen "
                          "som förde in versionen, inte med taggen"]
    code, output = verify(repo)
    assert code == 0 and "0 fel, 1 varning." in output


def test_a_rewritten_checksum_is_found_in_a_clone_without_tags(repo):
    """A fresh clone of main may lack the tag: the commit that recorded the release still holds its entry."""
    recorded = git(repo, "rev-parse", "v2026.1^{commit}").strip()
    git(repo, "tag", "-d", "v2026.1")
    hide_an_edit(repo)
    found = rh8(check(repo)[1])
    assert (f"routines/register/releaser.yml:6:1: fel RH809 registrets post för version 2026.1 har skrivits om efter "
            f"fastställandet (rutinen uppfoljning): den stämmer inte med posten i incheckningen {recorded[:12]} som "
            "förde in versionen i registret") in found
    assert verify(repo)[0] == 1


def test_a_renamed_role_shown_on_approved_pages_is_reported(repo):
    edit(repo / "routines/register/roller.yml", "name: Enhetschef", "name: Avdelningschef")
    commit_all(repo, "Nytt namn")
    found = rh8(check(repo)[1])
    assert ("routines/register/roller.yml:1:1: varning RH811 rollen enhetschef heter nu 'Avdelningschef', men hette "
            "'Enhetschef' när version 2026.1 fastställdes; namnet visas på fastställda rutinsidor") in found


def test_the_repository_handbook_verifies_without_errors():
    """The real register: this clone may lack the tag v2026.1 and gh-pages; that is a warning, not an error."""
    root = Path(__file__).resolve().parent.parent
    code, output = verify(root, "--format", "json")
    report = json.loads(handbok(root, "release", "verifiera", "--format", "json").output)
    assert code == 0 and report["fel"] == 0, report["fynd"]


def test_a_renamed_role_is_put_before_the_namnd_and_approved(repo):
    from release_helpers import underlag

    edit(repo / "routines/register/roller.yml", "name: Enhetschef", "name: Avdelningschef")
    commit_all(repo, "Nytt namn")
    result = handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--organ", "Socialnämnden",
                     "--galler-fran", "2026-10-01", "--idag", TODAY)
    assert result.exit_code == 0, result.output  # a new name alone is something to decide
    assert "Roller som har bytt namn: enhetschef (Enhetschef → Avdelningschef)" in result.output
    soup = underlag(repo, "2026.2")
    row = soup.select_one('section[data-kategori="rollnamn"] tr[data-roll="enhetschef"]')
    assert [td.get_text() for td in row.select("td")] == ["enhetschef", "Enhetschef", "Avdelningschef"]
    decision = squash(soup.select_one("[data-forslag]").get_text(" "))
    assert "att fastställa det nya rollnamnet Avdelningschef (tidigare Enhetschef) på de gällande rutinernas sidor." \
        in decision
    result = handbok(repo, "release", "approve", "2026.2", "--organ", "Socialnämnden", "--datum", "2026-09-17",
                     "--referens", "SN 2026-09-17 § 112", "--galler-fran", "2026-10-01", "--idag", TODAY)
    assert result.exit_code == 0, result.output
    assert "RH811" not in handbok(repo, "check", "--datum", TODAY).output
    assert verify(repo)[0] == 0


def test_a_role_renamed_after_prepare_is_refused_by_approve(repo):
    edit(repo / "routines/register/roller.yml", "name: Enhetschef", "name: Avdelningschef")
    commit_all(repo, "Nytt namn")
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0
    edit(repo / "routines/register/roller.yml", "name: Avdelningschef", "name: Sektionschef")
    commit_all(repo, "Ännu ett namn")
    result = handbok(repo, "release", "approve", "2026.2", "--organ", "Socialnämnden", "--datum", "2026-09-17",
                     "--referens", "SN 2026-09-17 § 112", "--galler-fran", "2026-10-01", "--idag", TODAY)
    assert result.exit_code == 1
    assert "rollen enhetschef har bytt namn" in squash(result.stderr)


def test_a_local_gh_pages_older_than_the_servers_is_not_an_edit(repo):
    git(repo, "update-ref", "refs/remotes/origin/gh-pages", "refs/heads/gh-pages")
    empty = subprocess.run(["git", "-C", str(repo), "hash-object", "-w", "-t", "tree", "--stdin"], input="",
                           capture_output=True, text=True, check=True).stdout.strip()
    git(repo, "update-ref", "refs/heads/gh-pages", git(repo, "commit-tree", empty, "-m", "Gammal").strip())
    assert rh8(check(repo)[1]) == []
    git(repo, "update-ref", "-d", "refs/remotes/origin/gh-pages")
    assert [line.split(" ")[2] for line in rh8(check(repo)[1])] == ["RH807"]

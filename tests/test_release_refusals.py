"""Every refusal of prepare and approve: a clear Swedish message, and nothing changed.

Each test works in its own copy of a repository where version 2026.1 is
approved and published (built once per module), and compares the register,
the tags, the gh-pages branch, HEAD, the routines and ``git status`` before
and after the refused run.
"""

from __future__ import annotations

import pytest

from release_helpers import (TODAY, approve_first_release, commit_all, copy_repo, edit, git, handbok, make_repo,
                             pages_tree, squash, state, versions)

APPROVE_2 = ["release", "approve", "2026.2", "--organ", "Socialnämnden", "--datum", "2026-09-17",
             "--referens", "SN 2026-09-17 § 112", "--galler-fran", "2026-10-01", "--idag", TODAY]


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    return approve_first_release(make_repo("release-grund", tmp_path_factory.mktemp("grund")))


@pytest.fixture
def repo(released, tmp_path):
    return copy_repo(released, tmp_path / "kopia")


def revise(repo):
    """A legitimate change for the next release."""
    path = repo / "routines/anvisning.md"
    edit(path, 'version: "1.0"', 'version: "1.1"')
    edit(path, "3. Enhetschefen fattar beslut om anvisning.", "3. Enhetschefen fattar beslut om anvisning inom en vecka.")
    commit_all(repo, "Revidering")


def refused(repo, args, *, code=1):
    before = state(repo)
    result = handbok(repo, *args)
    assert result.exit_code == code, result.output
    assert state(repo) == before, "a refused run changed something"
    # A refusal says "fel: …"; a value Click cannot convert is a usage error ("Fel: Ogiltigt värde …").
    assert result.stderr.startswith("fel: ") or (code == 2 and "\nFel: " in result.stderr), result.stderr
    return squash(result.stderr)


# --- versions -------------------------------------------------------------------------


def test_approving_an_existing_version_is_refused(repo):
    message = refused(repo, ["release", "approve", "2026.1", "--organ", "Socialnämnden", "--datum", "2026-03-12",
                             "--referens", "SN 2026-03-12 § 45", "--idag", TODAY])
    assert ("fel: version 2026.1 är redan fastställd (Socialnämnden 2026-03-12, SN 2026-03-12 § 45) och kan inte "
            "ändras eller publiceras om") in message
    assert "Ge nästa release ett nytt nummer, t.ex. 2026.2." in message


def test_preparing_an_existing_version_is_refused(repo):
    revise(repo)
    message = refused(repo, ["release", "prepare", "2026.1", "--idag", TODAY])
    assert "version 2026.1 är redan fastställd" in message


def test_a_lower_version_is_refused(repo):
    revise(repo)
    message = refused(repo, ["release", "prepare", "2025.4", "--idag", TODAY])
    assert "version 2025.4 är inte högre än den senast fastställda versionen 2026.1" in message


def test_an_existing_tag_is_refused(repo):
    revise(repo)
    git(repo, "tag", "-a", "v2026.2", "-m", "taggad för hand")
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "taggen v2026.2 finns redan i git" in message


def _publish_by_hand(repo, version):
    """Someone ran mike by hand: the version is on gh-pages but was never approved."""
    import json
    import os
    import subprocess

    listing = json.loads(git(repo, "show", "refs/heads/gh-pages:versions.json"))
    listing.insert(0, {"version": version, "title": version, "aliases": []})
    env = {**os.environ, "GIT_INDEX_FILE": str(repo / ".git" / "hand-index")}

    def run(*args, text=None):
        return subprocess.run(["git", "-C", str(repo), *args], input=text, capture_output=True, text=True,
                              env=env, check=True).stdout.strip()

    blob = run("hash-object", "-w", "--stdin", text=json.dumps(listing))
    run("read-tree", "refs/heads/gh-pages")
    run("update-index", "--cacheinfo", f"100644,{blob},versions.json")
    commit = run("commit-tree", run("write-tree"), "-p", "refs/heads/gh-pages", "-m", "mike för hand")
    run("update-ref", "refs/heads/gh-pages", commit)
    (repo / ".git" / "hand-index").unlink()


def test_a_version_already_on_the_published_branch_is_refused(repo):
    revise(repo)
    _publish_by_hand(repo, "2026.2")
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "version 2026.2 är redan publicerad på grenen gh-pages" in message
    # A fresh clone may know the published branch only as origin's.
    git(repo, "update-ref", "refs/remotes/origin/gh-pages", "refs/heads/gh-pages")
    git(repo, "update-ref", "-d", "refs/heads/gh-pages")
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "version 2026.2 är redan publicerad på grenen gh-pages" in message


@pytest.mark.parametrize("version", ["2026-2", "v2026.2", "2026.02", "26.1", ""])
def test_a_malformed_version_is_refused(repo, version):
    message = refused(repo, ["release", "prepare", version, "--idag", TODAY], code=2)
    assert f"'{version}' är inget giltigt versionsnummer" in message
    assert "t.ex. 2026.1" in message


def test_nothing_to_decide_is_refused(repo):
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "ingenting har ändrats sedan version 2026.1" in message


# --- the working tree and the checks -------------------------------------------------------


def test_a_dirty_tree_is_refused_by_prepare(repo):
    revise(repo)
    edit(repo / "routines/uppfoljning.md", "Insatsen följs upp varje månad.", "Insatsen följs upp varje vecka.")
    (repo / "routines/ny-rutin.md").write_text("---\n---\n", encoding="utf-8")
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "fel: arbetskopian har ändringar som inte är incheckade" in message
    assert "ändrad: routines/uppfoljning.md" in message
    assert "ny fil: routines/ny-rutin.md" in message
    assert "Checka in eller ångra ändringarna" in message


def test_a_dirty_tree_is_refused_by_approve(repo):
    revise(repo)
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0
    edit(repo / "routines/uppfoljning.md", "Insatsen följs upp varje månad.", "Insatsen följs upp varje vecka.")
    message = refused(repo, APPROVE_2)
    assert "arbetskopian har ändringar som inte är incheckade" in message


def test_failing_checks_are_refused(repo):
    revise(repo)
    edit(repo / "routines/lonestod.md", "owner: enhetschef", "owner: okand-roll")
    commit_all(repo, "Fel ägare")
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "fel: kontrollen hittade 1 fel; en handbok med fel kan inte fastställas" in message
    assert "routines/lonestod.md:8:8: fel RH201 rutinägaren 'okand-roll' finns inte i rollregistret" in message


def test_approved_text_changed_without_new_version_is_refused(repo):
    edit(repo / "routines/uppfoljning.md", "Insatsen följs upp varje månad.", "Insatsen följs upp varje vecka.")
    commit_all(repo, "Ändrad utan ny version")
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "RH801 rutinen är ändrad efter fastställande" in message


def test_failing_checks_after_prepare_are_refused_by_approve(repo):
    revise(repo)
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0
    edit(repo / "routines/lonestod.md", "owner: enhetschef", "owner: okand-roll")
    commit_all(repo, "Fel ägare")
    message = refused(repo, APPROVE_2)
    assert "kontrollen hittade 1 fel" in message


def test_approve_without_beslutsunderlag_is_refused(repo):
    revise(repo)
    message = refused(repo, APPROVE_2)
    assert "det finns inget beslutsunderlag för version 2026.2 (beslutsunderlag/2026.2/forslag.json saknas)" in message
    assert "Kör 'handbok release prepare 2026.2'" in message


def test_changes_after_the_beslutsunderlag_are_refused(repo):
    revise(repo)
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0
    edit(repo / "routines/anvisning.md", "inom en vecka", "inom två veckor")
    commit_all(repo, "Ändrat efter underlaget")
    message = refused(repo, APPROVE_2)
    assert "handboken har ändrats sedan beslutsunderlaget för version 2026.2 togs fram" in message
    assert "rutinen anvisning har ändrats" in message
    assert "Nämnden har beslutat om underlaget, inte om de nya ändringarna." in message


@pytest.mark.parametrize("option, value, expected", [
    ("--ta-med", "finns-inte", "--ta-med finns-inte: det finns ingen rutin med id 'finns-inte'"),
    ("--ta-med", "anvisning", "--ta-med anvisning: rutinen har status 'gällande', inte 'utkast'"),
])
def test_bad_drafts_to_include_are_refused(repo, option, value, expected):
    revise(repo)
    message = refused(repo, ["release", "prepare", "2026.2", option, value, "--idag", TODAY])
    assert expected in message


# --- completeness -----------------------------------------------------------------------------


def test_an_incomplete_draft_is_not_put_before_the_namnd(repo):
    revise(repo)
    path = repo / "routines/lonestod.md"
    edit(path, "follow_up: Konsulenten följer upp anställningen minst en gång i månaden.",
         "follow_up: Konsulenten följer upp anställningen vid behov.")
    edit(path, "  - {role: konsulent, kind: följer upp, task: Följer upp anställningen.}\n", "")
    commit_all(repo, "Utkastet är inte klart")
    message = refused(repo, ["release", "prepare", "2026.2", "--ta-med", "lonestod", "--utan-pdf", "--idag", TODAY])
    assert ("fel: rutinen Anställning med lönestöd (lonestod, utkast) är inte fullständig och kan inte läggas "
            "fram för nämnden") in message
    assert ("routines/lonestod.md:12:12: fel RH903 follow_up säger inte hur ofta eller när: 'Konsulenten följer upp "
            "anställningen vid behov.' ('vid behov' är ingen frekvens)") in message
    assert "routines/lonestod.md:15:3: fel RH901 ansvaret är inte helt beskrivet: ingen roll följer upp" in message
    # Without the draft the proposal can be made: a draft's gaps are warnings until it is put forward.
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0


def test_an_incomplete_routine_in_force_is_refused(repo):
    revise(repo)
    edit(repo / "routines/anvisning.md", "legal_basis: [sol-2025-400-12-4]\n", "")
    commit_all(repo, "Lagstödet borttaget")
    message = refused(repo, ["release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY])
    assert "fel: kontrollen hittade 1 fel; en handbok med fel kan inte fastställas" in message
    assert "routines/anvisning.md:2:1: fel RH904 legal_basis är tom: rutinen anger inget lagrum som den vilar på" in message


# --- dates and references ------------------------------------------------------------------


def _approve(**changes):
    values = {"--organ": "Socialnämnden", "--datum": "2026-09-17", "--referens": "SN 2026-09-17 § 112",
              "--galler-fran": "2026-10-01", **changes}
    args = ["release", "approve", "2026.2", "--idag", TODAY]
    for option, value in values.items():
        if value is not None:
            args += [option, value]
    return args


@pytest.mark.parametrize("changes, expected", [
    ({"--datum": "17/9/2026", "--referens": "SN 2026-09-17 § 112"},
     "Ogiltigt värde för '--datum': '17/9/2026' är inget datum; skriv ÅÅÅÅ-MM-DD"),
    ({"--datum": "2026-02-30"}, "Ogiltigt värde för '--datum': 2026-02-30 är inget giltigt datum (finns dagen i kalendern?)"),
    ({"--galler-fran": "1 oktober"}, "Ogiltigt värde för '--galler-fran': '1 oktober' är inget datum"),
    ({"--referens": "SN § 112"}, "Ogiltigt värde för '--referens': 'SN § 112' har fel format"),
    ({"--referens": "SN 2026-09-17 §112"}, "Ogiltigt värde för '--referens': 'SN 2026-09-17 §112' har fel format"),
    ({"--referens": "2026-09-17 § 112"}, "har fel format"),
    ({"--referens": "SN 2026-09-18 § 112"},
     "--referens 'SN 2026-09-18 § 112' gäller sammanträdet 2026-09-18, men --datum är 2026-09-17"),
    ({"--galler-fran": "2026-09-01"}, "startdagen 2026-09-01 ligger före beslutsdatumet 2026-09-17"),
    ({"--datum": "2026-12-01", "--referens": "SN 2026-12-01 § 1", "--galler-fran": "2026-12-01"},
     "beslutsdatumet 2026-12-01 ligger i framtiden"),
    ({"--datum": "2026-02-01", "--referens": "SN 2026-02-01 § 3", "--galler-fran": "2026-03-01"},
     "beslutsdatumet 2026-02-01 ligger före beslutet om version 2026.1 (2026-03-12)"),
    ({"--organ": None, "--referens": None}, "--organ, --referens saknas"),
])
def test_bad_dates_and_references_are_refused(repo, changes, expected):
    revise(repo)
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0
    message = refused(repo, _approve(**changes), code=2)
    assert expected in message


def test_reference_format_is_explained(repo):
    revise(repo)
    message = refused(repo, _approve(**{"--referens": "45/2026"}), code=2)
    assert 'skriv organets förkortning, sammanträdets datum, § och paragrafnummer, t.ex. "SN 2026-03-12 § 45"' in message


# --- a failure while publishing ---------------------------------------------------------------


def test_a_failed_publication_is_rolled_back(repo):
    revise(repo)
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0
    # A broken link fails the strict site build, which runs last (inside mike).
    edit(repo / "docs/index.md", "Startsidan.", "Startsidan. Se [sidan som saknas](finns-inte.md).")
    commit_all(repo, "Trasig länk")
    before = state(repo)
    pages = pages_tree(repo, ".")
    result = handbok(repo, *APPROVE_2)
    assert result.exit_code == 1, result.output
    assert "fel: mike deploy misslyckades" in result.stderr
    assert "finns-inte.md" in result.stderr
    assert state(repo) == before
    assert pages_tree(repo, ".") == pages
    assert git(repo, "tag", "-l", "v2026.2") == ""
    # Fixed, the same decision goes through.
    edit(repo / "docs/index.md", " Se [sidan som saknas](finns-inte.md).", "")
    commit_all(repo, "Länken rättad")
    result = handbok(repo, *APPROVE_2)
    assert result.exit_code == 0, result.output
    assert [v["version"] for v in versions(repo)] == ["2026.2", "2026.1"]


# --- a version that applies later --------------------------------------------------------------


def test_a_version_that_applies_later_is_activated_on_its_first_day(repo):
    revise(repo)
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 0
    result = handbok(repo, "release", "approve", "2026.2", "--organ", "Socialnämnden", "--datum", "2026-11-19",
                     "--referens", "SN 2026-11-19 § 130", "--galler-fran", "2027-01-01", "--idag", TODAY)
    assert result.exit_code == 0, result.output
    assert "Versionen börjar gälla 2027-01-01; gällande version är fortfarande 2026.1." in result.output
    listing = {v["version"]: v["aliases"] for v in versions(repo)}
    assert listing == {"2026.1": ["gallande"], "2026.2": []}

    message = refused(repo, ["release", "aktivera", "2026.2", "--idag", TODAY])
    assert "version 2026.2 börjar gälla först 2027-01-01" in message
    message = refused(repo, ["release", "aktivera", "2026.3", "--idag", "2027-01-01"])
    assert "version 2026.3 är inte fastställd" in message

    old = pages_tree(repo, "2026.1")
    result = handbok(repo, "release", "aktivera", "2026.2", "--idag", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert {v["version"]: v["aliases"] for v in versions(repo)} == {"2026.1": [], "2026.2": ["gallande"]}
    assert pages_tree(repo, "2026.1") == old
    assert pages_tree(repo, "gallande") == {p.replace("2026.2/", "gallande/", 1): b
                                            for p, b in pages_tree(repo, "2026.2").items()}
    message = refused(repo, ["release", "aktivera", "2026.2", "--idag", "2027-01-01"])
    assert "version 2026.2 är redan gällande version" in message

"""The release package's parts: word diffs, front-matter edits, point-in-time lookups, the draft mark."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from handbok import model
from handbok.release import ReleaseError
from handbok.release.diff import hunks, words
from handbok.release.frontmatter import approve_text
from handbok.core.releases import ReleaseRegister
from release_helpers import build_project, prepare_project

D = dt.date.fromisoformat


# --- diffs -----------------------------------------------------------------------------


def test_word_diff_marks_only_the_changed_words():
    html = words("Beslut fattas inom två veckor.", "Beslut fattas inom en vecka.")
    soup = BeautifulSoup(html, "html.parser")
    assert [d.get_text() for d in soup.select("del")] == ["två veckor"]
    assert [i.get_text() for i in soup.select("ins")] == ["en vecka"]
    assert soup.get_text() == "Beslut fattas inom två veckoren vecka."


def test_word_diff_escapes_text():
    html = words("a <b>", "a <script>")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("script, b") == []
    assert soup.get_text() == "a <bscript>"


def test_hunks_show_changes_with_little_context():
    old = "\n".join(f"rad {n}" for n in range(1, 21))
    new = old.replace("rad 10", "rad tio").replace("rad 20", "rad 20\nrad 21")
    result = hunks(old, new)
    assert len(result) == 2
    kinds = [[kind for kind, _ in hunk.lines] for hunk in result]
    assert kinds[0] == ["same", "same", "changed", "same", "same"]
    assert kinds[1] == ["same", "same", "added"]
    assert "rad 1\n" not in "\n".join(line for hunk in result for _, line in hunk.lines)


# --- front matter ----------------------------------------------------------------------------

ROUTINE = """---
id: exempel
title: Exempel
summary: Ett exempel.
process: anvisning
status: {status}
version: "1.0"
owner: enhetschef  # rutinägaren
review_by: 2027-12-31
{extra}---

## Syfte

Text med --- i sig.
"""

DECISION = dict(organ="Socialnämnden", date=D("2026-09-17"), reference="SN 2026-09-17 § 112",
                valid_from=D("2026-10-01"))


def test_a_draft_becomes_in_force_with_the_decision():
    text = ROUTINE.format(status="utkast", extra="")
    result = approve_text(text, "routines/exempel.md", make_in_force=True, **DECISION)
    assert "status: gällande\n" in result
    assert ('owner: enhetschef  # rutinägaren\napproved:\n  by: Socialnämnden\n  date: 2026-09-17\n'
            '  reference: "SN 2026-09-17 § 112"\nvalid_from: 2026-10-01\nreview_by: 2027-12-31\n') in result
    assert result.endswith("---\n\n## Syfte\n\nText med --- i sig.\n")


def test_a_later_start_of_the_routine_itself_is_kept():
    text = ROUTINE.format(status="utkast", extra="valid_from: 2027-01-01\n")
    result = approve_text(text, "routines/exempel.md", make_in_force=True, **DECISION)
    assert "valid_from: 2027-01-01\n" in result


def test_a_routine_reviewed_without_change_keeps_its_start():
    text = ROUTINE.format(status="gällande", extra="valid_from: 2026-04-01\n")
    result = approve_text(text, "routines/exempel.md", make_in_force=False,
                          **{**DECISION, "valid_from": None})
    assert "valid_from: 2026-04-01\n" in result and 'reference: "SN 2026-09-17 § 112"' in result


def test_crlf_and_bom_survive():
    text = "\ufeff" + ROUTINE.format(status="gällande", extra="").replace("\n", "\r\n")
    result = approve_text(text, "routines/exempel.md", make_in_force=False, **DECISION)
    assert result.startswith("\ufeff---\r\n")
    assert "\n" not in result.replace("\r\n", "")


def test_a_file_without_front_matter_is_refused():
    with pytest.raises(ReleaseError, match="framsidesdata saknas"):
        approve_text("## Syfte\n", "routines/x.md", make_in_force=False, **DECISION)


# --- point in time ----------------------------------------------------------------------------


def _entry(version, status="gällande", valid_from=None):
    return model.ReleasedRoutine(id="r", title="Rutinen", process="anvisning", version=version, status=status,
                                 owner="enhetschef", valid_from=valid_from, review_by=D("2028-01-01"), sha256="0" * 64)


def _release(version, valid_from, *entries):
    return model.Release(version=version, organ="Socialnämnden", date=D(valid_from) - dt.timedelta(days=14),
                         reference=f"SN {D(valid_from) - dt.timedelta(days=14)} § 1", valid_from=D(valid_from),
                         routines=list(entries))


@pytest.fixture
def register(tmp_path):
    register = ReleaseRegister(tmp_path / "releaser.yml", "releaser.yml")
    register.releases = [
        _release("2026.1", "2026-04-01", _entry("1.0", valid_from=D("2026-04-01"))),
        # Decided for 2026-10-01, but the routine's new version applies from 2027-01-01.
        _release("2026.2", "2026-10-01", _entry("2.0", valid_from=D("2027-01-01"))),
        _release("2027.1", "2027-04-01", _entry("2.0", status="upphävd", valid_from=D("2027-01-01"))),
    ]
    return register


@pytest.mark.parametrize("day, release, routine", [
    ("2026-03-31", None, None),
    ("2026-04-01", "2026.1", ("2026.1", "1.0")),
    ("2026-11-15", "2026.2", ("2026.1", "1.0")),  # the new version has not begun to apply
    ("2027-01-01", "2026.2", ("2026.2", "2.0")),
    ("2027-04-01", "2027.1", ("2027.1", "2.0")),
])
def test_point_in_time(register, day, release, routine):
    found = register.in_force_on(D(day))
    assert (found.version if found else None) == release
    answer = register.routine_on(D(day), "r")
    assert ((answer[0].version, answer[1].version) if answer else None) == routine


def test_periods_end_the_day_before_the_next_version(register):
    assert register.period(register.releases[0]) == (D("2026-04-01"), D("2026-09-30"))
    assert register.period(register.releases[-1]) == (D("2027-04-01"), None)


# --- the draft mark ------------------------------------------------------------------------------


def test_every_page_of_a_draft_build_is_marked(grund_site):
    pages = grund_site.pages()
    assert len(pages) > 5
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        mark = soup.select_one('[data-md-component="announce"] .handbok-utkastmarkering')
        assert mark is not None, page
        assert mark.get_text(" ", strip=True).startswith("Utkast – ej fastställd.")
        # A draft build offers no version selector and asks for no versions.json.
        assert soup.select('[data-md-component="outdated"]') == [], page


def test_the_decisions_page_of_a_handbook_without_releases(tmp_path):
    site = build_project(prepare_project("release-grund", tmp_path))
    soup = site.soup("beslut-och-versioner/")
    assert soup.select_one("article h1").get_text(strip=True).startswith("Beslut och versioner")
    assert "Ingen version av handboken har fastställts ännu." in soup.select_one(".handbok-inga-versioner").get_text()


# --- the feed's changes between releases ----------------------------------------------------


def _feed_routine(rid: str, digest: str, *, status: str = "gällande", review_by: str = "2027-01-31") -> dict:
    return {"id": rid, "title": rid.capitalize(), "process": "anvisning", "version": "1.0", "status": status,
            "owner": "enhetschef", "review_by": review_by, "sha256": digest * 64}


def _feed_release(version: str, routines: list[dict], maps: dict[str, str]) -> model.Release:
    return model.Release.model_validate({
        "version": version, "organ": "Socialnämnden", "date": "2026-03-12", "reference": "SN 2026-03-12 § 45",
        "valid_from": "2026-04-01", "routines": routines,
        "diagrams": [{"name": name, "sha256": digest * 64} for name, digest in maps.items()]})


def test_feed_changes_follow_the_beslutsunderlag_categories():
    from handbok.core.releases import release_changes

    first = _feed_release("2026.1", [_feed_routine("a", "a"), _feed_routine("b", "b"), _feed_routine("c", "c"),
                                _feed_routine("utkast", "d", status="utkast"), _feed_routine("bort", "e")],
                     {"a.mmd": "1", "b.mmd": "2"})
    second = _feed_release("2026.2", [_feed_routine("a", "a"), _feed_routine("b", "b", review_by="2028-01-31"),
                                 _feed_routine("c", "c", status="upphävd"), _feed_routine("ny", "f")],
                      {"a.mmd": "3", "b.mmd": "2"})
    changes = [(c.kind, c.routine.id) for c in release_changes(first, second, {"a": "a.mmd", "b": "b.mmd"})]
    # 'a' changed only in its process map; the draft that was never decided is not "removed".
    assert changes == [("ny", "ny"), ("andrad", "a"), ("upphavd", "c"), ("borttagen", "bort"), ("granskad", "b")]
    assert [(c.kind, c.routine.id) for c in release_changes(None, first)] == [
        ("ny", "a"), ("ny", "b"), ("ny", "bort"), ("ny", "c")]


@pytest.mark.parametrize(("site_url", "version", "root"), [
    ("https://rutiner.kommunen.se/2026.2/", "2026.2", "https://rutiner.kommunen.se/"),
    ("https://rutiner.kommunen.se/", None, "https://rutiner.kommunen.se/"),
    ("https://intranat.kommunen.se/rutiner", None, "https://intranat.kommunen.se/rutiner/"),
    ("https://intranat.kommunen.se/rutiner/2026.2", "2026.2", "https://intranat.kommunen.se/rutiner/"),
])
def test_feed_addresses_start_at_the_root_of_the_site_also_under_mike(site_url, version, root):
    from handbok.pages.feed import site_root

    environ = {"MIKE_DOCS_VERSION": version} if version else {}
    assert site_root(site_url, environ) == root


def test_a_new_routines_text_in_the_underlag_shows_notes_as_notes_and_markup_as_text():
    from handbok.release.underlag import _markdown

    html = _markdown('!!! warning "Ej bekräftat"\n    Paragrafen är ej bekräftad.\n\nText <script>x()</script>.\n')
    soup = BeautifulSoup(html, "html.parser")
    note = soup.select_one("div.admonition.warning")
    assert note.select_one(".admonition-title").get_text() == "Ej bekräftat"
    assert "Paragrafen är ej bekräftad." in note.get_text()
    assert "!!!" not in soup.get_text()
    assert soup.find("script") is None and "<script>x()</script>" in soup.get_text()

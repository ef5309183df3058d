"""The generated registers, built from the 'sidor-register' fixture and read as HTML.

The fixture (built on FIXTURE_TODAY, 2026-11-25) has an in-force routine
reviewed in time, one overdue, one due within 60 days, a draft, a repealed
routine, and one with hostile values; a repealed legal reference; audit
findings that are answered, answered only by a draft, answered only by the
repealed routine, open with a reason, and open without one.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import posixpath
import shutil
import subprocess
from pathlib import Path

import pytest


def _root_conftest():
    # tests/browser/ has a conftest.py of its own, and whichever pytest loaded
    # last answers to the name 'conftest'; load this directory's one by path.
    spec = importlib.util.spec_from_file_location("handbok_tests_conftest", Path(__file__).with_name("conftest.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_helpers = _root_conftest()
FIXTURE_TODAY, REPO = _helpers.FIXTURE_TODAY, _helpers.REPO
build_project, prepare_project = _helpers.build_project, _helpers.prepare_project
from handbok.core.loader import load_handbook
from handbok.core.history import routine_changes
from handbok.core.generated import register_pages
from handbok.core.state import finding_states

from fixture_releases import record as record_releases

REGISTER_NAV = [
    {"Start": "index.md"},
    {"Rutiner": "rutiner/index.md"},
    {"Register": ["register/index.md"] + [{p.title: p.uri} for p in register_pages()]},
]
TODAY = dt.date.fromisoformat(FIXTURE_TODAY)


def build(project: Path, today: str = FIXTURE_TODAY):
    # The hostile values are errors for the checker (RH605); bypassed, so that the
    # registers show that they print every value as text all the same.
    with _helpers.checks_bypassed("RH605"):
        return build_project(project, nav=REGISTER_NAV, today=today)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = prepare_project("sidor-register", tmp_path_factory.mktemp("register"))
    # Never let git find a repository above the temporary directory.
    saved = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(project.parent)
    try:
        return build(project)
    finally:
        if saved is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = saved


def routine_ids(links) -> list[str]:
    """The routine ids that links point at (…/rutiner/<process>/<id>/)."""
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in links]


def heading_texts(soup, selector: str = "article h2") -> list[str]:
    """Heading texts without Material's permalink sign."""
    return [h.get_text(strip=True).removesuffix("¶") for h in soup.select(selector)]


def table(soup, kind: str):
    found = soup.select_one(f'table[data-handbok-tabell="{kind}"]')
    assert found is not None, kind
    return found


def resolves(site, page_url: str, href: str) -> bool:
    target = posixpath.normpath(posixpath.join(page_url, href.split("#")[0]))
    return site.path(target).is_file()


# --- every register page --------------------------------------------------------------


REGISTER_URLS = [p.uri[:-3] + "/" for p in register_pages()] + ["register/"]


@pytest.mark.parametrize("url", REGISTER_URLS)
def test_register_page_is_built_with_nav_escaped_values_and_working_links(site, url):
    html = site.html(url)
    soup = site.soup(url)
    assert soup.select_one("article h1") is not None
    # Hostile values from front matter and registers are text, never markup.
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>styra</b>" not in html
    assert soup.select("article script") == []
    # The page is in the Register section of the navigation.
    assert any(a.get_text(strip=True) == "Rutinregister" for a in soup.select("nav.md-nav--primary a"))
    for link in soup.select("article a[href]"):
        href = link["href"]
        if href.startswith(("#", "mailto:", "https:")):
            continue
        assert resolves(site, url, href), (url, href)


def test_tables_have_captions_and_scoped_headers(site):
    for url in REGISTER_URLS:
        for element in site.soup(url).select("article table"):
            assert element.caption is not None and element.caption.get_text(strip=True), url
            for th in element.select("th"):
                assert th.get("scope") in {"col", "row", "rowgroup"}, (url, th)


def test_register_index_lists_every_register(site):
    soup = site.soup("register/")
    titles = [a.get_text(strip=True) for a in soup.select("article li > a")]
    assert titles == [p.title for p in register_pages()]


# --- Rutinregister ----------------------------------------------------------------------


def test_routine_register_lists_every_routine_with_its_metadata(site):
    soup = site.soup("register/rutinregister/")
    register = table(soup, "rutinregister")
    # The routine's id is in the row's data, not in the reader's text.
    assert [th.get_text(strip=True) for th in register.select("thead th")] == [
        "Rutin", "Process", "Rutinägare", "Status", "Version", "Gäller från", "Nästa revidering"]
    rows = {tr["data-rutin"]: [c.get_text(" ", strip=True) for c in tr.select("td, th")]
            for tr in register.select("tbody tr")}
    assert set(rows) == {"anvisning-praktik", "forsenad-uppfoljning", "snart-lonestod", "utkast-avslut",
                         "upphavd-gammal", "farlig-rutin"}
    assert rows["anvisning-praktik"] == ["Anvisning till praktik", "Anvisning", "Enhetschef",
                                         "Gällande", "2.10", "2026-04-01", "2027-05-31"]
    # The status is the reader's: a draft does not apply, and says so.
    assert rows["utkast-avslut"][3:] == ["Utkast – gäller inte", "0.1", "–", "2027-09-30"]
    assert rows["upphavd-gammal"][3] == "Upphävd"
    assert rows["farlig-rutin"][0] == "Rutin <script>alert('titel')</script> & \"citat\""
    assert rows["farlig-rutin"][2] == '<script>alert("roll")</script> & "Chef"'
    assert "6 rutiner" in register.caption.get_text()
    # Cells are apart in the text (search excerpts, copying).
    assert "Anvisning till praktik Anvisning Enhetschef" in " ".join(register.select_one(
        'tr[data-rutin="anvisning-praktik"]').get_text().split())


def test_routine_register_is_ready_for_sorting_and_filtering(site):
    soup = site.soup("register/rutinregister/")
    register = table(soup, "rutinregister")
    assert register.has_attr("data-handbok-sorterbar")
    assert all(th.has_attr("data-sortera") for th in register.select("thead th"))
    # The filter is shown by register.js; it is labelled and controls the table.
    box = soup.select_one('[data-handbok-filter-for="handbok-rutinregister"]')
    assert box.has_attr("hidden")
    field = box.select_one("input")
    assert soup.select_one(f'label[for="{field["id"]}"]').get_text(strip=True) == "Filtrera rutiner"
    assert field["aria-controls"] == register["id"]
    assert soup.select_one(f'#{field["aria-describedby"]}')["role"] == "status"
    # Versions sort as numbers: 2.10 after 1.9.
    versions = {tr["data-rutin"]: tr.select("td")[3]["data-sorteringsvarde"]
                for tr in register.select("tbody tr")}
    assert versions["anvisning-praktik"] > versions["snart-lonestod"]


# --- Ansvarsfördelning ----------------------------------------------------------------


def owned(soup, role: str) -> list[str]:
    return routine_ids(soup.select(f'ul.handbok-ager[data-roll="{role}"] a'))


def tasks(soup, role: str, kind: str) -> list[tuple[str, str]]:
    body = soup.select_one(f'table[data-handbok-tabell="rollansvar"][data-roll="{role}"] tbody[data-ansvar="{kind}"]')
    if body is None:
        return []
    return [(routine_ids(tr.select("a"))[0], tr.td.get_text(strip=True)) for tr in body.select("tr") if tr.td]


def test_responsibilities_per_role(site):
    soup = site.soup("register/ansvarsfordelning/")
    assert owned(soup, "enhetschef") == ["anvisning-praktik", "snart-lonestod"]
    # The repealed routine no longer counts for its owner.
    assert owned(soup, "konsulent") == ["forsenad-uppfoljning"]
    assert owned(soup, "coach") == ["utkast-avslut"]
    assert tasks(soup, "enhetschef", "beslutar") == [("anvisning-praktik", "Beslutar om anvisning."),
                                                     ("snart-lonestod", "Beslutar om lönestöd.")]
    assert tasks(soup, "enhetschef", "följer upp") == [("snart-lonestod", "Följer upp kvartalsvis.")]
    assert tasks(soup, "coach", "utför") == [("snart-lonestod", "Stöttar arbetsgivaren.")]
    assert tasks(soup, "coach", "följer upp") == [("anvisning-praktik", "Följer upp närvaron varje vecka.")]
    assert tasks(soup, "skurk", "beslutar") == [("farlig-rutin", "Beslutar <script>alert('uppgift')</script>.")]
    heading = soup.find("h2", id="roll-oanvand-roll")
    assert heading.find_next("p", class_="handbok-ager-inga").get_text() == "Äger ingen rutin."
    overview = {tr["data-roll"]: [td.get_text() for td in tr.select("td")]
                for tr in table(soup, "ansvarsoversikt").select("tbody tr")}
    assert overview["enhetschef"] == ["2", "2", "0", "1"]


def test_routines_with_incomplete_responsibility_are_listed(site):
    # A routine in force must name all three (RH901 stops the build), so the register lists drafts.
    soup = site.soup("register/ansvarsfordelning/")
    gaps = soup.select_one(".handbok-ansvarsluckor")
    items = {routine_ids(li.select("a"))[0]: li.get_text(" ", strip=True) for li in gaps.select("li")}
    assert set(items) == {"utkast-avslut"}
    assert "ingen roll beslutar eller följer upp" in items["utkast-avslut"]


def test_owner_change_moves_routine_between_roles(tmp_path):
    project = prepare_project("sidor-register", tmp_path)
    before = build(project).soup("register/ansvarsfordelning/")
    assert "anvisning-praktik" in owned(before, "enhetschef")
    assert "anvisning-praktik" not in owned(before, "konsulent")

    path = project / "routines" / "anvisning-praktik.md"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: enhetschef", "owner: konsulent"),
                    encoding="utf-8")
    record_releases(project)  # the nämnd approved the new owner (else RH801 stops the build)
    rebuilt = build(project)
    after = rebuilt.soup("register/ansvarsfordelning/")
    assert owned(after, "enhetschef") == ["snart-lonestod"]
    assert owned(after, "konsulent") == ["anvisning-praktik", "forsenad-uppfoljning"]
    register = table(rebuilt.soup("register/rutinregister/"), "rutinregister")
    row = register.select_one('tbody tr[data-rutin="anvisning-praktik"]')
    assert row.select("td")[1].get_text() == "Arbetsmarknadskonsulent"


# --- Revideringsplan --------------------------------------------------------------------


def plan_rows(soup) -> list[tuple[str, str, str]]:
    return [(routine_ids(tr.select("th a"))[0], tr["data-lage"], tr.select("td")[-1].get_text(" ", strip=True))
            for tr in table(soup, "revideringsplan").select("tbody tr")]


def test_overdue_routine_tops_the_review_plan(site):
    soup = site.soup("register/revideringsplan/")
    rows = plan_rows(soup)
    overdue_days = (TODAY - dt.date(2026, 1, 31)).days
    assert rows[0] == ("forsenad-uppfoljning", "forsenad", f"Försenad sedan {overdue_days} dagar")
    assert rows[1] == ("snart-lonestod", "snart", f"Ska revideras inom {(dt.date(2026, 12, 20) - TODAY).days} dagar")
    assert [r[0] for r in rows[2:]] == ["anvisning-praktik", "farlig-rutin"]
    assert {r[1] for r in rows[2:]} == {"i-tid"}
    # Only routines in force are planned; drafts are listed apart, repealed ones not at all.
    assert "utkast-avslut" not in [r[0] for r in rows] and "upphavd-gammal" not in [r[0] for r in rows]
    assert routine_ids(soup.select("ul.handbok-utkast a")) == ["utkast-avslut"]
    summary = soup.select_one(".handbok-revideringsläge").get_text(" ", strip=True)
    assert FIXTURE_TODAY in summary and "1 försenad revidering" in summary and "1 rutin ska revideras" in summary


def test_review_plan_uses_the_builds_day(tmp_path):
    project = prepare_project("sidor-register", tmp_path)
    rows = plan_rows(build(project, today="2027-07-10").soup("register/revideringsplan/"))
    assert [(r[0], r[1]) for r in rows] == [("forsenad-uppfoljning", "forsenad"), ("snart-lonestod", "forsenad"),
                                            ("anvisning-praktik", "forsenad"), ("farlig-rutin", "snart")]
    rows = plan_rows(build(project, today="2025-11-01").soup("register/revideringsplan/"))
    assert {r[1] for r in rows} == {"i-tid"}


# --- Lagrum -------------------------------------------------------------------------------


def test_legal_register_lists_routines_per_reference(site):
    soup = site.soup("register/lagrum/")
    assert routine_ids(soup.select('ul.handbok-lagrum-rutiner[data-lagrum="sol-ny-12-4"] a')) == [
        "anvisning-praktik", "snart-lonestod", "farlig-rutin"]
    # The repealed routine is left out; the in-force one still citing the old law is listed.
    assert routine_ids(soup.select('ul.handbok-lagrum-rutiner[data-lagrum="sol-gammal-4-4"] a')) == [
        "forsenad-uppfoljning"]
    assert soup.select_one('p.handbok-lagrum-inga[data-lagrum="oanvant-lagrum"]') is not None
    assert soup.find("h2", id="lagrum-oanvant-lagrum").get_text().startswith("Lagrum <i>utan</i> rutiner")


def test_repealed_reference_stands_out_with_its_replacement(site):
    soup = site.soup("register/lagrum/")
    mark = soup.select_one('.handbok-upphavt-lagrum[data-lagrum="sol-gammal-4-4"]')
    assert "Upphävd – gällde till och med 2025-06-30" in mark.get_text()
    replacement = mark.select_one("a")
    assert replacement["href"] == "#lagrum-sol-ny-12-4"
    assert replacement.get_text() == "12 kap. 4 § socialtjänstlagen (2025:400)"
    assert soup.select_one('.handbok-upphavt-lagrum[data-lagrum="sol-ny-12-4"]') is None
    stale = soup.select_one(".handbok-inaktuella-lagrum")
    assert routine_ids(stale.select('a[href*="/rutiner/"]')) == ["forsenad-uppfoljning"]
    assert "ersatt av 12 kap. 4 §" in stale.get_text()


# --- Revisionsspårning --------------------------------------------------------------------


def finding_rows(soup) -> dict[str, tuple[str, list[str], str]]:
    rows = {}
    for tr in soup.select('table[data-handbok-tabell="revisionsfynd"] tbody tr'):
        answer = tr.select("td")[-1]
        rows[tr["data-fynd"]] = (tr["data-lage"], routine_ids(answer.select("a")), answer.get_text(" ", strip=True))
    return rows


def test_every_recommendation_with_the_routines_answering_it(site):
    soup = site.soup("register/revisionssparning/")
    rows = finding_rows(soup)
    assert list(rows) == ["testby-2024-rek-1", "testby-2024-rek-2", "testby-2024-rek-3", "testby-2024-rek-4",
                          "testby-2024-rek-5", "annanby-2022-rek-1"]
    assert rows["testby-2024-rek-1"][:2] == ("besvarad", ["anvisning-praktik"])
    assert rows["testby-2024-rek-2"][:2] == ("besvarad", ["forsenad-uppfoljning"])
    assert rows["testby-2024-rek-3"][:2] == ("under-arbete", ["utkast-avslut"])
    assert rows["testby-2024-rek-5"] == ("oppen", [], "Gäller bemanning, som förvaltningsledningen beslutar om.")
    assert heading_texts(soup) == ["Testby 2024 – Revisorerna", "Annanby 2022 – KPMG"]


def test_recommendation_no_routine_answers_is_listed_as_open(site):
    soup = site.soup("register/revisionssparning/")
    rows = finding_rows(soup)
    # Only a repealed routine answered it: that no longer counts.
    assert rows["testby-2024-rek-4"][:2] == ("saknar-svar", [])
    assert rows["annanby-2022-rek-1"][:2] == ("saknar-svar", [])
    state = soup.select_one("#testby-2024-rek-4 .handbok-fynd").get_text()
    assert state == "Öppen – saknar svar och motivering"
    flagged = soup.select_one(".handbok-saknar-svar")
    assert [a["href"] for a in flagged.select("li a")] == ["#testby-2024-rek-4", "#annanby-2022-rek-1"]
    assert "Nämnden bör <b>styra</b> bättre." in flagged.get_text()
    summary = soup.select_one(".handbok-revisionslage").get_text(" ", strip=True)
    assert summary.startswith("6 rekommendationer: 2 besvarade, 1 under arbete, 1 öppna med motivering, 2 saknar")


# --- Senast ändrade -----------------------------------------------------------------------


def test_recent_changes_without_git_history_says_so(site):
    soup = site.soup("register/senast-andrade/")
    note = soup.select_one(".handbok-historik-saknas").get_text()
    assert "byggdes utan versionshistorik" in note
    # What the nämnd approved comes from the releases register, history or not.
    approved = table(soup, "faststallda-andringar")
    assert {tr["data-rutin"] for tr in approved.select("tbody tr")} >= {"anvisning-praktik", "snart-lonestod"}
    # The draft on its way has no date without history.
    coming = {tr["data-rutin"]: tr.td.get_text() for tr in table(soup, "pagaende-andringar").select("tbody tr")}
    assert coming == {"utkast-avslut": "–"}


def test_recent_changes_without_git_program(tmp_path, monkeypatch):
    (tmp_path / "routines").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    history = routine_changes(tmp_path)
    assert history.changes == []
    assert history.note == "Ändringshistoriken kan inte visas: programmet git finns inte där handboken byggdes."


@pytest.mark.skipif(shutil.which("git") is None, reason="git finns inte")
def test_recent_changes_in_a_repository_without_commits(tmp_path):
    (tmp_path / "routines").mkdir()
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    history = routine_changes(tmp_path)
    assert history.changes == [] and "inga ändringar är incheckade" in history.note


@pytest.mark.skipif(shutil.which("git") is None, reason="git finns inte")
def test_recent_changes_are_the_routines_own_words(tmp_path):
    project = prepare_project("sidor-register", tmp_path)

    def git(*args: str, date: str = "2026-01-01T10:00:00") -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
               "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.se",
               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.se"}
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "routines", "diagrams", "docs/index.md")
    git("commit", "-q", "-m", "Content: first routines")
    # A new version on its way: a draft, not yet approved.
    path = project / "routines" / "anvisning-praktik.md"
    text = path.read_text(encoding="utf-8").replace('version: "2.10"', 'version: "2.11"')
    text = text.replace("status: gällande", "status: utkast").replace("change_note: Samråd med AF före beslut.",
                                                                        "change_note: Ny ägare <b>för</b> anvisning.")
    text = "\n".join(line for line in text.split("\n") if not line.startswith(("approved:", "valid_from:")))
    path.write_text(text, encoding="utf-8")
    git("commit", "-q", "-am", "Routines: change owner <b>for</b> anvisning", date="2026-03-05T09:00:00")

    soup = build(project).soup("register/senast-andrade/")
    coming = {tr["data-rutin"]: (tr.select_one("time")["datetime"] if tr.select_one("time") else None,
                                 tr.select("td")[1].get_text(), tr.select_one(".handbok-status").get_text())
              for tr in table(soup, "pagaende-andringar").select("tbody tr")}
    assert coming["anvisning-praktik"] == ("2026-03-05", "Version 2.11. Ny ägare <b>för</b> anvisning.",
                                           "Utkast – gäller inte")
    assert coming["utkast-avslut"][0] == "2026-01-01"
    # Approved changes: the nämnd's decisions with the approved versions' own notes.
    approved = [(tr["data-rutin"], tr["data-version"], tr.select("td")[1].get_text())
                for tr in table(soup, "faststallda-andringar").select("tbody tr")]
    assert approved[0][1] == "2026.1"  # newest release first
    assert ("snart-lonestod", "2025.1", "Ny rutin, version 1.9. Nya belopp för lönebidrag.") in approved
    # The approved note of a routine changed since is read from the release's tag; without the tag, none.
    assert ("anvisning-praktik", "2026.1", "Ny rutin, version 2.10.") in approved
    # Commit messages are never shown.
    text = soup.select_one("article").get_text()
    assert "change owner" not in text and "Content:" not in text and "Routines:" not in text


# --- Etiketter ----------------------------------------------------------------------------


def test_tags_index_groups_process_target_group_and_role(site):
    soup = site.soup("register/etiketter/")
    assert heading_texts(soup) == ["Process", "Målgrupp", "Roll"]

    def tags_under(title: str) -> list[str]:
        names = []
        start = next(h for h in soup.select("article h2") if h.get_text(strip=True).removesuffix("¶") == title)
        for element in start.find_next_siblings():
            if element.name == "h2":
                break
            if element.name == "h3":
                names.append(element.select_one(".md-tag").get_text(strip=True))
        return names

    assert tags_under("Process") == ["Anställning med lönestöd", "Anvisning", "Avslut", "Uppföljning av insatser"]
    assert tags_under("Målgrupp") == ["<img src=x onerror=alert('grupp')>", "Unga vuxna"]
    assert tags_under("Roll") == ['<script>alert("roll")</script> & "Chef"', "Arbetsmarknadskonsulent", "Jobbcoach"]
    young = soup.find("span", class_="md-tag", string="Unga vuxna").find_parent("h3").find_next_sibling("ul")
    assert routine_ids(young.select("a")) == ["anvisning-praktik", "farlig-rutin"]


def test_routine_page_tags_link_to_the_index(site):
    soup = site.soup("rutiner/anvisning/anvisning-praktik/")
    # At the end of the page, not above the title (Material's own place for them is empty).
    assert soup.select("nav.md-tags a") == []
    tags = {a.get_text(strip=True): a["href"] for a in soup.select("nav.handbok-etiketter a.md-tag")}
    assert set(tags) == {"Anvisning", "Arbetsmarknadskonsulent", "Jobbcoach", "Unga vuxna"}
    assert all(href.startswith("../../../register/etiketter/#tag:") for href in tags.values())
    hostile = site.html("rutiner/lonestod/farlig-rutin/")
    assert "<img src=x" not in hostile and "<script>alert" not in hostile


# --- the shipped handbook -------------------------------------------------------------------


def test_every_shipped_recommendation_is_answered_or_open_with_a_reason():
    handbook = load_handbook(REPO)
    assert handbook.findings, "routines/register/revisionsfynd.yml är tomt"
    states = finding_states(handbook)
    # A finding that a routine answers only in part (answers_in_part) has an answer too.
    in_part = {ref for source in handbook.routines.values() if source.routine.status != "upphävd"
               for ref in source.routine.answers_in_part}
    unexplained = sorted(fid for fid, state in states.items() if state.key == "saknar-svar" and fid not in in_part)
    assert unexplained == [], f"varken besvarade av en rutin eller öppna med open_reason: {unexplained}"
    for fid, state in states.items():
        if state.key == "oppen":
            assert handbook.findings[fid].open_reason.strip(), fid
        elif fid not in in_part:
            assert state.routines, fid


# --- Begrepp ------------------------------------------------------------------------------


def test_glossary_lists_terms_with_anchors(site):
    soup = site.soup("begrepp/")
    terms = [(dt["id"], dt.get_text(), dt.find_next_sibling("dd").get_text()) for dt in soup.select("dl.handbok-begrepp dt")]
    assert terms == [("begrepp-socialtjanstlagen", "Socialtjänstlagen (SoL)", "Lagen som styr socialtjänsten.")]

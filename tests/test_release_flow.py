"""The whole release flow twice in a throwaway git repository:
prepare → approve → publish, edit, prepare → approve → publish.

The flow runs once per module (each approve builds the site with mike); the
tests read what it left: the register, the tags, the routines, the
beslutsunderlag and the gh-pages branch.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from release_helpers import (TODAY, commit_all, edit, git, handbok, listed, make_repo, pages_file, pages_soup,
                             pages_tree, squash, underlag, versions)


@dataclass
class Flow:
    repo: Path
    prepare1: object
    approve1: object
    prepare2: object
    approve2: object
    pages_after_first: dict[str, str]
    register_after_first: bytes
    head_after_first: str


@pytest.fixture(scope="module")
def flow(tmp_path_factory) -> Flow:
    repo = make_repo("release-grund", tmp_path_factory.mktemp("flode"))
    prepare1 = handbok(repo, "release", "prepare", "2026.1", "--organ", "Socialnämnden", "--utan-pdf",
                       "--galler-fran", "2026-04-01", "--idag", TODAY)
    assert prepare1.exit_code == 0, prepare1.output
    approve1 = handbok(repo, "release", "approve", "2026.1", "--organ", "Socialnämnden", "--datum", "2026-03-12",
                       "--referens", "SN 2026-03-12 § 45", "--galler-fran", "2026-04-01", "--idag", TODAY)
    assert approve1.exit_code == 0, approve1.output
    pages_after_first = pages_tree(repo, "2026.1")
    register_after_first = (repo / "routines/register/releaser.yml").read_bytes()
    head_after_first = git(repo, "rev-parse", "HEAD").strip()

    # The editors' work between the two meetings.
    anvisning = repo / "routines/anvisning.md"
    edit(anvisning, 'version: "1.0"', 'version: "1.1"')
    edit(anvisning, "change_note: Första versionen.", "change_note: Samråd med AF ska dokumenteras i journalen.")
    edit(anvisning, "2. Socialsekreteraren samråder med AF.",
         "2. Socialsekreteraren samråder med AF och dokumenterar samrådet i journalen.")
    edit(repo / "diagrams/anvisning.mmd", "fraga -->|Nej| beslut[Beslut om anvisning]",
         "fraga -->|Nej| beslut[Enhetschefen beslutar om anvisning]")
    edit(repo / "routines/uppfoljning.md", "review_by: 2026-06-30", "review_by: 2027-06-30")
    edit(repo / "routines/gammal.md", "status: gällande", "status: upphävd\nreplaced_by: anvisning")
    commit_all(repo, "Revidering inför septembersammanträdet")

    prepare2 = handbok(repo, "release", "prepare", "2026.2", "--organ", "Socialnämnden", "--ta-med", "lonestod",
                       "--galler-fran", "2026-10-01", "--idag", TODAY)
    assert prepare2.exit_code == 0, prepare2.output
    approve2 = handbok(repo, "release", "approve", "2026.2", "--organ", "Socialnämnden", "--datum", "2026-09-17",
                       "--referens", "SN 2026-09-17 § 112", "--galler-fran", "2026-10-01", "--idag", TODAY)
    assert approve2.exit_code == 0, approve2.output
    return Flow(repo, prepare1, approve1, prepare2, approve2, pages_after_first, register_after_first,
                head_after_first)


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


# --- the register, the tags and the routines ------------------------------------------


def test_register_records_both_decisions_with_hashes(flow):
    entries = yaml.safe_load((flow.repo / "routines/register/releaser.yml").read_text(encoding="utf-8"))
    assert [e["version"] for e in entries] == ["2026.1", "2026.2"]
    first, second = entries
    assert (first["organ"], str(first["date"]), first["reference"], str(first["valid_from"])) == \
        ("Socialnämnden", "2026-03-12", "SN 2026-03-12 § 45", "2026-04-01")
    assert (str(second["date"]), second["reference"], str(second["valid_from"])) == \
        ("2026-09-17", "SN 2026-09-17 § 112", "2026-10-01")
    assert sorted(r["id"] for r in first["routines"]) == ["anvisning", "gammal", "lonestod", "uppfoljning"]
    by_id = {r["id"]: r for r in second["routines"]}
    assert by_id["anvisning"]["version"] == "1.1"
    assert by_id["gammal"]["status"] == "upphävd"
    assert by_id["lonestod"]["status"] == "gällande"
    assert all(len(r["sha256"]) == 64 for r in second["routines"])
    assert [d["name"] for d in second["diagrams"]] == ["anvisning.mmd"]
    assert second["diagrams"][0]["sha256"] != first["diagrams"][0]["sha256"]


def test_register_entries_start_at_the_margin_like_the_other_registers(flow):
    text = (flow.repo / "routines/register/releaser.yml").read_text(encoding="utf-8")
    assert '\n- version: "2026.1"\n  organ: Socialnämnden\n' in text
    assert '\n- version: "2026.2"\n' in text
    assert "\n  routines:\n    - id: anvisning\n" in text


def test_earlier_register_entry_is_byte_identical(flow):
    now = (flow.repo / "routines/register/releaser.yml").read_bytes()
    assert now.startswith(flow.register_after_first)
    assert b"# Fastst\xc3\xa4llda versioner av handboken." in now  # the header comment survives


def test_annotated_tags_point_at_the_release_commits(flow):
    for tag in ("v2026.1", "v2026.2"):
        assert git(flow.repo, "cat-file", "-t", tag).strip() == "tag"
    assert git(flow.repo, "rev-parse", "v2026.1^{commit}").strip() == flow.head_after_first
    assert git(flow.repo, "rev-parse", "v2026.2^{commit}").strip() == git(flow.repo, "rev-parse", "HEAD").strip()
    message = git(flow.repo, "tag", "-l", "--format=%(contents)", "v2026.2")
    assert "SN 2026-09-17 § 112" in message
    # The beslutsunderlag the board decided on is part of the release commit.
    files = git(flow.repo, "ls-tree", "-r", "--name-only", "v2026.2", "--", "beslutsunderlag/2026.2").split()
    assert files[0] == "beslutsunderlag/2026.2/beslutsunderlag-2026.2.html"
    assert files[-1] == "beslutsunderlag/2026.2/forslag.json"
    assert git(flow.repo, "status", "--porcelain") == ""


def test_approved_fields_are_set_by_the_decision(flow):
    repo = flow.repo
    anvisning = _front_matter(repo / "routines/anvisning.md")
    assert anvisning["approved"] == {"by": "Socialnämnden", "date": __import__("datetime").date(2026, 9, 17),
                                     "reference": "SN 2026-09-17 § 112"}
    assert str(anvisning["valid_from"]) == "2026-10-01"
    lonestod = _front_matter(repo / "routines/lonestod.md")
    assert lonestod["status"] == "gällande"
    assert lonestod["approved"]["reference"] == "SN 2026-09-17 § 112"
    # Reviewed without change: the new review date is approved by this decision;
    # the routine has applied all along.
    uppfoljning = _front_matter(repo / "routines/uppfoljning.md")
    assert uppfoljning["approved"]["reference"] == "SN 2026-09-17 § 112"
    assert str(uppfoljning["valid_from"]) == "2026-04-01"
    # Repealed: its last approval stays.
    assert _front_matter(repo / "routines/gammal.md")["approved"]["reference"] == "SN 2026-03-12 § 45"


def test_round_trip_keeps_comments_and_style(flow):
    text = (flow.repo / "routines/anvisning.md").read_text(encoding="utf-8")
    assert "# Fastställd före handbokens första version." in text
    assert "responsibilities:\n  - role: enhetschef\n" in text
    flow_style = (flow.repo / "routines/uppfoljning.md").read_text(encoding="utf-8")
    assert 'approved: {by: Socialnämnden, date: 2026-09-17, reference: "SN 2026-09-17 § 112"}' in flow_style


# --- the beslutsunderlag --------------------------------------------------------------


def test_first_underlag_lists_every_routine_as_new_and_the_draft_apart(flow):
    soup = underlag(flow.repo, "2026.1")
    assert soup.html["lang"] == "sv"
    assert listed(soup, "ny") == ["anvisning", "gammal", "uppfoljning"]
    assert listed(soup, "andrad") == []
    assert [li["data-rutin"] for li in soup.select('[data-kategori="utkast"] li')] == ["lonestod"]
    overdue = [tr["data-rutin"] for tr in soup.select('[data-kategori="forsenad"] tr[data-rutin]')]
    assert overdue == ["uppfoljning"]  # review_by 2026-06-30 had passed
    assert "Socialnämnden beslutar" in soup.select_one("[data-forslag]").get_text()
    assert "gälla från och med 2026-04-01" in squash(soup.select_one("[data-forslag]").get_text())
    # A new routine's map as text, with step ids of its own (the document holds many maps).
    steps = soup.select(".processtext ol.handbok-processtext > li")
    assert steps and [li["id"] for li in steps] == [f"anvisning-steg-{n}" for n in range(1, len(steps) + 1)]
    targets = {a["href"] for a in soup.select(".processtext a")}
    assert targets and targets <= {f"#anvisning-steg-{n}" for n in range(1, len(steps) + 1)}


def test_second_underlag_lists_exactly_the_changes(flow):
    soup = underlag(flow.repo, "2026.2")
    assert listed(soup, "ny") == ["lonestod"]
    assert listed(soup, "andrad") == ["anvisning"]
    assert listed(soup, "upphavd") == ["gammal"]
    assert listed(soup, "granskad") == ["uppfoljning"]
    assert listed(soup, "borttagen") == []
    assert [li["data-rutin"] for li in soup.select('[data-kategori="oforandrad"] li')] == []
    assert soup.select('[data-kategori="utkast"]') == []


def test_changed_routine_shows_owner_note_and_word_diffs(flow):
    soup = underlag(flow.repo, "2026.2")
    article = soup.select_one('article[data-rutin="anvisning"]')
    facts = {tr.th.get_text(strip=True): squash(tr.td.get_text()) for tr in article.select("table.uppgifter tr")}
    assert facts["Rutinägare"] == "Enhetschef – Ekonomiskt bistånd"
    assert facts["Version"] == "1.0 → 1.1"
    assert facts["Ändringsanteckning"] == "Samråd med AF ska dokumenteras i journalen."
    text_diff = article.select_one('[data-diff="text"]')
    assert [squash(i.get_text()) for i in text_diff.select("ins")] == ["och dokumenterar samrådet i journalen"]
    assert [squash(d.get_text()) for d in text_diff.select("del")] == []
    changed = text_diff.select(".rad--changed")
    assert [squash(line.get_text()) for line in changed] == [
        "2. Socialsekreteraren samråder med AF och dokumenterar samrådet i journalen."]
    # Only the changed passage and its context, not the whole routine.
    assert "Rutinen beskriver" not in text_diff.get_text()
    map_diff = article.select_one('[data-diff="processkarta"]')
    assert [squash(d.get_text()) for d in map_diff.select("del")] == ["Beslut"]
    assert [squash(i.get_text()) for i in map_diff.select("ins")] == ["Enhetschefen beslutar"]


def test_reviewed_and_repealed_routines_are_explained(flow):
    soup = underlag(flow.repo, "2026.2")
    reviewed = soup.select_one('article[data-rutin="uppfoljning"]')
    facts = {tr.th.get_text(strip=True): squash(tr.td.get_text()) for tr in reviewed.select("table.uppgifter tr")}
    assert facts["Revideringsdatum"] == "2026-06-30 → 2027-06-30"
    assert reviewed.select('[data-diff]') == []
    repealed = soup.select_one('article[data-rutin="gammal"]')
    assert "Anvisning till praktik" in repealed.get_text()  # replaced by
    new = soup.select_one('article[data-rutin="lonestod"]')
    assert "Ett utkast om lönestöd." in new.select_one("[data-text]").get_text()
    decision = squash(soup.select_one("[data-forslag]").get_text())
    assert "att fastställa den nya rutinen Anställning med lönestöd" in decision
    assert "att fastställa ändringarna i rutinen Anvisning till praktik" in decision
    assert "att upphäva rutinen Gammal anvisningsrutin" in decision
    assert "nya revideringsdatum för rutinen Uppföljning av insats" in decision


def test_underlag_shows_that_each_routine_put_forward_is_complete(flow):
    soup = underlag(flow.repo, "2026.2")
    keys = ["ansvar", "uppföljning", "lagstöd", "avsnitt", "malltext", "processkarta", "läsare"]
    for rid in ("lonestod", "anvisning", "uppfoljning"):  # new (a draft taken along), changed, reviewed
        rows = soup.select(f'article[data-rutin="{rid}"] table[data-krav] tbody tr')
        assert [tr["data-krav"] for tr in rows] == keys, rid
        assert {tr["data-uppfyllt"] for tr in rows} == {"ja"}, rid
    rows = {tr["data-krav"]: squash(tr.select("td")[1].get_text())
            for tr in soup.select('article[data-rutin="lonestod"] table[data-krav] tbody tr')}
    assert rows["ansvar"] == "beslutar: Enhetschef; utför: Arbetsmarknadskonsulent; följer upp: Arbetsmarknadskonsulent"
    assert rows["uppföljning"] == "Konsulenten följer upp anställningen minst en gång i månaden."
    assert rows["lagstöd"] == "1 lagrum"
    assert rows["avsnitt"] == "Syfte, Omfattning, Arbetsgång, Uppföljning och Dokumentation"
    assert rows["processkarta"] == "ingen processkarta"
    assert soup.select('article[data-rutin="gammal"] table[data-krav]') == []  # repealed: nothing to meet


def test_underlag_is_also_a_pdf(flow):
    pytest.importorskip("weasyprint")
    pdf = flow.repo / "beslutsunderlag/2026.2/beslutsunderlag-2026.2.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    if shutil.which("pdftotext"):
        text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        assert "Förslag till beslut Socialnämnden beslutar" in text
        assert "Ändrade rutiner Anvisning till praktik" in text
        assert "Sida 1 av" in text
    assert "beslutsunderlag/2026.2/beslutsunderlag-2026.2.pdf" in flow.prepare2.output
    # The PDF is archived with the decision; the first prepare was asked for none.
    assert "beslutsunderlag-2026.2.pdf" in git(flow.repo, "ls-tree", "-r", "--name-only", "v2026.2")
    assert not (flow.repo / "beslutsunderlag/2026.1/beslutsunderlag-2026.1.pdf").exists()


def test_new_routine_text_is_readable_html(flow):
    soup = underlag(flow.repo, "2026.2")
    text = soup.select_one('article[data-rutin="lonestod"] [data-text]')
    assert text.select_one("h5").get_text() == "Syfte"
    assert text.select_one("p").get_text() == "Ett utkast om lönestöd."


def test_underlag_makes_no_requests(flow):
    soup = underlag(flow.repo, "2026.2")
    assert soup.select("script, link[href], img, iframe") == []


# --- the published site -----------------------------------------------------------------


def test_both_versions_are_published_and_the_alias_moved(flow):
    listing = {v["version"]: v for v in versions(flow.repo)}
    assert set(listing) == {"2026.1", "2026.2"}
    assert listing["2026.2"]["aliases"] == ["gallande"]
    assert listing["2026.1"]["aliases"] == []
    assert listing["2026.2"]["title"] == "2026.2 (fastställd 2026-09-17)"
    # The start page leads to the version in force, without a script (the site's CSP forbids inline scripts).
    start = pages_soup(flow.repo, "index.html")
    assert start.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=gallande/"
    assert start.select("script") == [] and start.html["lang"] == "sv"
    assert pages_file(flow.repo, "gallande/index.html") == pages_file(flow.repo, "2026.2/index.html")


def test_old_version_is_byte_identical(flow):
    assert flow.pages_after_first  # the first release was published
    assert pages_tree(flow.repo, "2026.1") == flow.pages_after_first


def test_released_pages_have_no_draft_mark_and_carry_their_version(flow):
    for version in ("2026.1", "2026.2"):
        soup = pages_soup(flow.repo, f"{version}/rutiner/anvisning/anvisning/index.html")
        assert soup.select(".handbok-utkastmarkering") == []
        banner = soup.select_one('[data-md-component="outdated"] [data-handbok-versionsbanner]')
        assert f"Du läser version {version}" in squash(banner.get_text())
        assert banner.select_one("a[data-handbok-gallande-lank]")["href"].endswith("/../gallande/")
    def metadata(soup):
        box = soup.select_one("section.handbok-metadata")
        return {div.dt.get_text(strip=True): squash(div.dd.get_text()) for div in box.select("dl > div")}

    old = pages_soup(flow.repo, "2026.1/rutiner/anvisning/anvisning/index.html")
    new = pages_soup(flow.repo, "2026.2/rutiner/anvisning/anvisning/index.html")
    assert (metadata(old)["Version"], metadata(old)["Protokollsreferens"]) == ("1.0", "SN 2026-03-12 § 45")
    assert (metadata(new)["Version"], metadata(new)["Protokollsreferens"]) == ("1.1", "SN 2026-09-17 § 112")
    # Each says it applies, with the release that approved it (the register's decision, not the file's claim).
    assert (metadata(old)["Status"], metadata(old)["Handbokens version"]) == ("Gällande", "2026.1")
    assert (metadata(new)["Status"], metadata(new)["Handbokens version"]) == ("Gällande", "2026.2")
    assert "dokumenterar samrådet i journalen" in new.get_text()
    assert "dokumenterar samrådet i journalen" not in old.get_text()


def test_decisions_page_lists_every_release_with_its_period(flow):
    soup = pages_soup(flow.repo, "2026.2/beslut-och-versioner/index.html")
    rows = {tr["data-version"]: [squash(td.get_text()) for td in tr.select("td")]
            for tr in soup.select("table[data-handbok-tabell=versioner] tr[data-version]")}
    assert rows["2026.1"] == ["Socialnämnden", "2026-03-12", "SN 2026-03-12 § 45", "2026-04-01 – 2026-09-30"]
    assert rows["2026.2"] == ["Socialnämnden", "2026-09-17", "SN 2026-09-17 § 112", "från 2026-10-01 tills vidare"]
    versions_in_2026_1 = soup.select_one('details[data-version="2026.1"]')
    row = versions_in_2026_1.select_one('tr[data-rutin="anvisning"]')
    assert [squash(td.get_text()) for td in row.select("td")][:3] == ["Anvisning till praktik", "1.0", "Gällande"]
    data = soup.select_one("script#handbok-releaser")
    assert data["type"] == "application/json" and '"2026-10-01"' in data.string
    assert soup.select_one("form[data-handbok-vid-datum]") is not None


def test_feed_lists_each_release_with_what_it_changed(flow):
    import feedparser

    text = pages_file(flow.repo, "gallande/andringar.xml")
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.language == "sv"
    assert feed.feed.title == "Rutinhandboken – fastställda ändringar"
    assert feed.feed.id == "https://rutiner.kommunen.se/gallande/andringar.xml"
    newest, first = feed.entries
    assert newest.title == "Version 2026.2 fastställd av Socialnämnden (SN 2026-09-17 § 112)"
    assert newest.id == "https://rutiner.kommunen.se/2026.2/"
    assert newest.link == "https://rutiner.kommunen.se/2026.2/beslut-och-versioner/"
    assert newest.published.startswith("2026-09-17") and newest.author == "Socialnämnden"
    assert newest.summary == ("Gäller från 2026-10-01. Nya rutiner: 1; ändrade rutiner: 1; upphävda rutiner: 1; "
                              "granskade utan ändring: 1.")
    content = BeautifulSoup(newest.content[0].value, "html.parser")
    sections = {h2.get_text(): [(a.get_text(), a["href"]) for a in h2.find_next_sibling("ul").select("a")]
                for h2 in content.select("h2")}
    site = "https://rutiner.kommunen.se/2026.2/rutiner/"
    assert sections == {
        "Nya rutiner": [("Anställning med lönestöd", site + "lonestod/lonestod/")],
        "Ändrade rutiner": [("Anvisning till praktik", site + "anvisning/anvisning/")],
        "Upphävda rutiner": [("Gammal anvisningsrutin", site + "anvisning/gammal/")],
        "Granskade utan ändring (nytt revideringsdatum)": [("Uppföljning av insats", site + "uppfoljning/uppfoljning/")],
    }
    assert "(version 1.1)" in content.get_text()
    # The first release: everything in it was new; the draft that was not decided is not listed.
    assert first.id == "https://rutiner.kommunen.se/2026.1/"
    first_content = BeautifulSoup(first.content[0].value, "html.parser")
    assert [h2.get_text() for h2 in first_content.select("h2")] == ["Nya rutiner"]
    assert "Anställning med lönestöd" not in first_content.get_text()
    # The published first version's feed knew only its own release, and has not changed since.
    assert len(feedparser.parse(pages_file(flow.repo, "2026.1/andringar.xml")).entries) == 1


def test_pages_point_feed_readers_to_the_feed(flow):
    soup = pages_soup(flow.repo, "2026.2/beslut-och-versioner/index.html")
    link = soup.select_one('head link[rel="alternate"][type="application/atom+xml"]')
    assert link["href"] == "../andringar.xml" and link["title"] == "Rutinhandboken – fastställda ändringar"
    visible = soup.select_one('article a[href="../andringar.xml"]')
    assert visible is not None and "Atom-flöde" in visible.get_text()
    start = pages_soup(flow.repo, "2026.2/index.html")
    assert start.select_one('head link[type="application/atom+xml"]')["href"] == "andringar.xml"


# --- point in time and the checker after the releases -------------------------------------


@pytest.mark.parametrize("day, routine, expected, code", [
    ("2026-03-31", None, "Ingen fastställd version av handboken gällde 2026-03-31", 1),
    ("2026-06-01", None, "gällde Rutinhandboken version 2026.1, fastställd av Socialnämnden 2026-03-12 "
                         "(SN 2026-03-12 § 45), i kraft 2026-04-01–2026-09-30", 0),
    ("2026-06-01", "anvisning", "Rutinen Anvisning till praktik (anvisning) gällde i version 1.0 från 2026-04-01, "
                               "rutinägare Enhetschef, Ekonomiskt bistånd, enligt handbokens version 2026.1: "
                               "/2026.1/rutiner/anvisning/anvisning/", 0),
    ("2026-10-01", "anvisning", "gällde i version 1.1 från 2026-10-01", 0),
    ("2026-06-01", "lonestod", "Rutinen 'lonestod' gällde inte 2026-06-01", 1),
    ("2026-12-24", "gammal", "var upphävd enligt version 2026.2", 1),
])
def test_gallande_answers_for_a_day(flow, day, routine, expected, code):
    args = ["gallande", "--datum", day] + (["--rutin", routine] if routine else [])
    result = handbok(flow.repo, *args)
    assert expected in squash(result.output), result.output
    assert result.exit_code == code


def test_gallande_json_names_the_published_address(flow):
    import json

    result = handbok(flow.repo, "gallande", "--datum", "2026-06-01", "--rutin", "anvisning", "--format", "json")
    answer = json.loads(result.output)
    assert answer["version"]["version"] == "2026.1"
    assert answer["version"]["galler_till"] == "2026-09-30"
    assert answer["rutin"]["adress"] == "/2026.1/rutiner/anvisning/anvisning/"
    assert answer["rutin"]["rutinagare"] == "enhetschef"


def test_check_is_clean_after_the_releases(flow):
    result = handbok(flow.repo, "check", "--datum", TODAY)
    assert result.exit_code == 0, result.output
    assert "RH8" not in result.output


# --- in Chromium: the banner, the selector and the point-in-time answer -------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def served(flow, tmp_path_factory):
    """The gh-pages branch as a web server would serve it."""
    import functools
    import http.server
    import subprocess
    import threading

    root = tmp_path_factory.mktemp("webb")
    archive = subprocess.run(["git", "-C", str(flow.repo), "archive", "refs/heads/gh-pages"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(served):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(locale="sv-SE")
        hosts, errors = set(), []
        page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
    assert hosts <= {served.split("/")[2]}, hosts
    assert errors == []


@pytest.mark.browser
def test_old_version_names_the_version_in_force(page, served):
    page.goto(served + "2026.1/rutiner/anvisning/anvisning/")
    banner = page.locator('[data-md-component="outdated"]')
    banner.wait_for(state="visible")
    page.wait_for_function("document.querySelector('[data-handbok-gallande-version]').textContent === '2026.2'")
    assert squash(banner.inner_text()) == "Du läser version 2026.1. Gällande version är 2026.2 →"
    link = banner.locator("a[data-handbok-gallande-lank]")
    page.wait_for_function("document.querySelector('[data-handbok-gallande-lank]').href.endsWith('/gallande/rutiner/anvisning/anvisning/')")
    link.click()
    page.wait_for_url(served + "gallande/rutiner/anvisning/anvisning/")
    assert page.locator('[data-md-component="outdated"]').is_hidden()
    assert "dokumenterar samrådet i journalen" in page.locator("article").inner_text()


@pytest.mark.browser
def test_start_page_leads_to_the_version_in_force_with_a_selector(page, served):
    page.goto(served)
    page.wait_for_url(served + "gallande/")
    page.locator(".md-version__current").wait_for()
    # The selector says which version this is, and that it is the one in force.
    page.locator(".md-version__current .handbok-gallande-markering").wait_for()
    assert page.locator(".md-version__current").inner_text().strip() == "2026.2 (fastställd 2026-09-17) – gällande"
    labels = page.eval_on_selector_all(".md-version__link", "links => links.map(a => a.textContent.trim())")
    assert labels == ["2026.2 (fastställd 2026-09-17) – gällande", "2026.1 (fastställd 2026-03-12)"]
    assert page.locator(".handbok-utkastmarkering").count() == 0


@pytest.mark.browser
def test_decisions_page_answers_for_a_day(page, served):
    page.goto(served + "gallande/beslut-och-versioner/")
    form = page.locator("form[data-handbok-vid-datum]")
    form.wait_for(state="visible")
    form.locator("input[name=datum]").fill("2026-06-01")
    form.locator("select[name=rutin]").select_option("anvisning")
    form.get_by_role("button", name="Visa").click()
    answer = page.locator("[data-handbok-svar]")
    assert squash(answer.inner_text()) == (
        "Den 2026-06-01 gällde version 2026.1, fastställd av Socialnämnden 2026-03-12 (SN 2026-03-12 § 45), "
        "i kraft 2026-04-01 – 2026-09-30. Anvisning till praktik, version 1.0 gällde, rutinägare Enhetschef "
        "(enligt handbokens version 2026.1).")
    answer.get_by_role("link", name="Anvisning till praktik, version 1.0").click()
    page.wait_for_url(served + "2026.1/rutiner/anvisning/anvisning/")
    page.go_back()
    form = page.locator("form[data-handbok-vid-datum]")
    form.locator("input[name=datum]").fill("2026-01-15")
    form.locator("select[name=rutin]").select_option("")
    form.get_by_role("button", name="Visa").click()
    assert squash(page.locator("[data-handbok-svar]").inner_text()) == \
        "Ingen fastställd version av handboken gällde 2026-01-15."

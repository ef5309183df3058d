"""Build the 'grund' fixture site and look at the HTML a reader gets."""

from __future__ import annotations

import re

import pytest

from conftest import build_project, prepare_project


def test_routines_are_published_under_process_urls(grund_site):
    for url in ("rutiner/anvisning/gallande-rutin/", "rutiner/uppfoljning/utkast-rutin/",
                "rutiner/lonestod/forsenad-rutin/", "rutiner/anvisning/upphavd-rutin/"):
        assert grund_site.path(url).is_file(), url


def test_metadata_box_shows_owner_approval_and_dates(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    box = soup.select_one("section.handbok-metadata")
    values = {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True) for div in box.select("dl > div")}
    assert values["Status"] == "Gällande"
    assert values["Version"] == "2.1"
    # The role and, on a line of its own, its unit.
    assert values["Rutinägare"] == "Enhetschef Ekonomiskt bistånd"
    assert box.select_one(".handbok-metadata__enhet").get_text() == "Ekonomiskt bistånd"
    assert values["Fastställd av"] == "Socialnämnden"
    assert values["Beslutsdatum"] == "2026-03-12"
    assert values["Protokollsreferens"] == "SN 2026-03-12 § 45"
    assert values["Gäller från"] == "2026-04-01"
    assert values["Nästa revidering"] == "2027-03-31"
    assert values["Uppföljning"] == "Var tredje månad."
    contact = box.select_one("a[href^='mailto:']")
    assert contact.get_text(strip=True) == "Kontakta rutinägaren"
    assert contact["href"].startswith("mailto:eb@kommunen.se?subject=")


def test_title_is_the_page_heading_and_box_follows_it(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    h1 = soup.select_one("article h1")
    assert h1.get_text(strip=True).startswith("Anvisning till praktik")
    assert h1.find_next_sibling(["section", "div"]) is not None
    assert soup.title.get_text().startswith("Anvisning till praktik")


def test_in_force_routine_has_no_banner(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    visible = [b for b in soup.select(".handbok-banner") if not b.has_attr("hidden")]
    assert visible == []


def test_draft_banner(grund_site):
    soup = grund_site.soup("rutiner/uppfoljning/utkast-rutin/")
    banner = soup.select_one(".handbok-banner--utkast")
    assert banner is not None and "Utkast" in banner.get_text()
    assert "inte fastställd" in soup.select_one("section.handbok-metadata").get_text()


def test_overdue_banner_is_visible_when_review_date_passed(grund_site):
    soup = grund_site.soup("rutiner/lonestod/forsenad-rutin/")
    banner = soup.select_one("[data-handbok-forsenad]")
    assert not banner.has_attr("hidden")
    assert "Revidering försenad" in banner.get_text()
    assert "2025-01-31" in banner.get_text()
    # The in-force routine carries the date so the browser can re-check it later.
    box = grund_site.soup("rutiner/anvisning/gallande-rutin/").select_one("section.handbok-metadata")
    assert box["data-review-by"] == "2027-03-31"


def test_repealed_banner_links_to_replacement(grund_site):
    soup = grund_site.soup("rutiner/anvisning/upphavd-rutin/")
    banner = soup.select_one(".handbok-banner--upphavd")
    assert "Upphävd" in banner.get_text()
    link = banner.select_one("a")
    assert link.get_text(strip=True) == "Anvisning till praktik"
    assert link["href"] == "../gallande-rutin/"


def test_hostile_values_are_shown_as_text(grund_site):
    html = grund_site.html("rutiner/lonestod/farlig-rutin/")
    soup = grund_site.soup("rutiner/lonestod/farlig-rutin/")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>vecka</b>" not in html and "<b>fet</b>" not in html
    assert soup.select_one("article h1").get_text().startswith("Rutin <script>alert('titel')</script> & \"citat\"")
    box = soup.select_one("section.handbok-metadata").get_text()
    assert '<script>alert("roll")</script> & "Chef"' in box
    assert "SN <script>x</script> § 1" in box
    assert soup.select("article script") == []
    assert soup.title.get_text().startswith("Rutin <script>alert('titel')</script>")
    nav_titles = [a.get_text(strip=True) for a in soup.select("nav a")]
    assert any(t.startswith("Rutin <script>alert('titel')</script>") for t in nav_titles)


def test_legal_basis_links_come_from_the_register(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    link = soup.find("h2", id="lagstod").find_next("ul").select_one("a")
    assert link["href"] == "https://www.riksdagen.se/sol-2025-400"
    assert link.get_text() == "12 kap. 4 § socialtjänstlagen (2025:400)"


def test_responsibilities_and_findings_are_generated(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    rows = [[td.get_text(strip=True) for td in tr.select("td")]
            for tr in soup.select('table[data-handbok-tabell="ansvar"] tbody tr')]
    assert rows == [["Enhetschef", "Beslutar", "Beslutar om anvisning."],
                    ["Arbetsmarknadskonsulent", "Utför", "Håller uppstartsmötet."],
                    ["Enhetschef", "Följer upp", "Följer upp var tredje månad."]]
    findings = soup.find("h2", id="svarar-pa-revisionsrekommendationer").find_next("ul")
    assert "Ta fram en rutin för anvisning." in findings.get_text()
    # The finding's id is not shown: the reader follows a link to the audit trail instead.
    assert "testby-2024-rek-1" not in findings.get_text()
    assert findings.select_one("a")["href"] == "../../../register/revisionssparning/#testby-2024-rek-1"


def test_links_between_routines_resolve(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    body_link = soup.find("a", string="utkastet")
    assert body_link["href"] == "../../uppfoljning/utkast-rutin/"
    related = soup.find("h2", id="relaterade-rutiner").find_next("ul").select_one("a")
    assert related["href"] == "../../uppfoljning/utkast-rutin/"


def test_abbreviations_become_tooltips(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    abbr = soup.select_one("article abbr")
    assert abbr.get_text() == "SoL" and abbr["title"] == "Socialtjänstlagen (2025:400)"


def test_process_map_is_included_with_text_version(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    code = soup.select_one("pre.mermaid code")
    assert code.get_text().startswith("flowchart TD")
    assert "accTitle: Testflöde" in code.get_text()
    items = soup.select("ol.handbok-processtext > li")
    steps = [" ".join(li.get_text().split()) for li in items]
    assert steps[0] == "Början → vidare till steg 2: Finns insats?"
    assert steps[1].startswith("Finns insats? (beslut)")
    assert [" ".join(li.get_text().split()) for li in items[1].select("li")] == [
        "Om Ja: steg 3, Använd AF:s insats.", "Om Nej: steg 4, Beslut om anvisning."]
    # Each step named in a link is a link to that step (long maps are read by jumping).
    assert [a["href"] for a in items[1].select("li a")] == ["#steg-3", "#steg-4"]
    assert [li["id"] for li in items] == [f"steg-{n}" for n in range(1, len(items) + 1)]
    assert steps[-1].startswith("Klart") and "slut på flödet" in steps[-1]


def test_mermaid_is_self_hosted_and_only_on_pages_with_maps(grund_site):
    with_map = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    sources = [s.get("src", "") for s in with_map.select("script")]
    mermaid = [s for s in sources if "mermaid" in s]
    assert mermaid == ["../../../assets/vendor/mermaid/mermaid.min.js"]
    assert (grund_site.site_dir / "assets/vendor/mermaid/mermaid.min.js").is_file()
    without_map = grund_site.soup("rutiner/uppfoljning/utkast-rutin/")
    assert not any("mermaid" in s.get("src", "") for s in without_map.select("script"))


def test_no_page_references_another_host(grund_site):
    for page in grund_site.pages():
        soup = grund_site.soup(str(page.relative_to(grund_site.site_dir)))
        loaded = soup.select("script[src], img[src], iframe[src], source[src], video[src], audio[src]")
        loaded += [link for link in soup.select("link[href]")
                   if set(link.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}]
        for tag in loaded:
            value = tag.get("src") or tag.get("href")
            assert not value.startswith(("http:", "https:", "//")), (page, value)
    external_css = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?:https?:)?//""")
    for css in grund_site.site_dir.rglob("*.css"):
        assert not external_css.search(css.read_text(encoding="utf-8", errors="replace")), css


def test_start_page_lists_routines_per_role_and_overview(grund_site):
    soup = grund_site.soup("")
    links = [a.get_text(strip=True) for a in soup.select("article ul a")]
    assert "Anvisning till praktik" in links  # konsulent is in its audience
    assert "Lönestöd i kommunen" in links       # konsulent owns it
    assert "Gammal anvisningsrutin" not in links  # repealed routines are left out
    overview = grund_site.soup("rutiner/")
    titles = [h.get_text(strip=True).rstrip("¶") for h in overview.select("article h2")]
    assert titles == ["Anvisning", "Uppföljning av insatser", "Anställning med lönestöd"]


def test_navigation_groups_routines_by_process(grund_site):
    soup = grund_site.soup("rutiner/anvisning/gallande-rutin/")
    nav_text = soup.select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert "Anvisning" in nav_text and "Anvisning till praktik" in nav_text


def test_the_build_stops_when_mermaid_cannot_read_the_maps(tmp_path, monkeypatch, caplog):
    """No Node.js: one Swedish message, and no site with maps that lack their text versions."""
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("HANDBOK_NODE", str(tmp_path / "finns-inte" / "node"))
    project = prepare_project("grund", tmp_path)
    with pytest.raises(Abort):
        build_project(project)
    errors = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert errors == [(
        "Processkartorna kan inte läsas med Mermaid (Node.js finns inte på datorn), så de får ingen textversion "
        "och webbplatsen byggs inte. Installera Node.js med npm och kör 'make node-deps' ('make build' och "
        "'make serve' gör det).")]
    assert not (project / "site" / "index.html").exists()


def test_the_sanitiser_runs_before_every_other_reader_of_the_content():
    """Search, tags and autorefs read the sanitised HTML: the handbook's on_page_content comes first."""
    from mkdocs.config import load_config

    from conftest import REPO

    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins["handbok"].config.today = "2026-12-01"
    try:
        config = config.plugins.on_config(config)  # mkdocstrings adds autorefs here
        handlers = config.plugins.events["page_content"]
        assert handlers[0] == config.plugins["handbok"].on_page_content
        assert len(handlers) > 1  # autorefs (through mkdocstrings) reads the content after it
    finally:
        config.plugins.on_shutdown()


def test_the_themes_files_are_published_beside_the_handbook(grund_site):
    """Only files of docs/ that link out are refused (RH009); the theme's own come from its package."""
    site = grund_site.site_dir
    assert list(site.glob("assets/javascripts/bundle.*.min.js")) and list(site.glob("assets/stylesheets/main.*.min.css"))
    assert list(site.glob("assets/javascripts/workers/search.*.min.js"))
    assert (site / "assets" / "vendor" / "mermaid" / "mermaid.min.js.gz").is_file()  # precompressed for nginx

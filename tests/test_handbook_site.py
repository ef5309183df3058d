"""Build the real handbook in this repository, as `make build` does, and read it."""

from __future__ import annotations

import shutil

import pytest

from conftest import CONTENT_DAY, REPO, Site
from handbok.core.addresses import routine_url
from handbok.core.loader import load_handbook

REQUIRED_ROUTINES = {
    "anvisning-arbetsmarknadsinsats", "uppfoljning-arbetsmarknadsinsats", "anstallning-med-lonestod",
    "offentligt-skyddat-arbete", "nyansokan-och-kartlaggning", "nedsattning-eller-vagran-av-forsorjningsstod",
    "gemensam-individuell-plan", "avslut-arbetsmarknadsinsats", "aterrapportering-till-namnden",
}


@pytest.fixture(scope="module")
def handbook_site(tmp_path_factory) -> Site:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tmp_path_factory.mktemp("handbok") / "site"
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    config.plugins["handbok"].config.today = CONTENT_DAY  # the same pages whatever the clock says
    try:
        build(config)  # strict: any warning aborts the build
    finally:
        config.plugins.on_shutdown()
    site = Site(site_dir.parent)
    yield site
    shutil.rmtree(site_dir, ignore_errors=True)


def test_the_shipped_routines_load_without_problems():
    handbook = load_handbook(REPO)
    assert list(handbook.problems) == []
    assert REQUIRED_ROUTINES <= set(handbook.routines)


def test_every_routine_is_complete():
    handbook = load_handbook(REPO)
    for routine_id in REQUIRED_ROUTINES:
        routine = handbook.routines[routine_id].routine
        assert routine.owner in handbook.roles, routine_id
        assert routine.diagram, routine_id
        assert routine.legal_basis and all(ref.startswith(("sol-2025-400", "forordning", "bea", "osl", "lag-", "sosfs",
                                                           "kl-", "prop-"))
                                           for ref in routine.legal_basis), routine_id
        assert routine.follow_up, routine_id
        assert routine.answers or routine.answers_in_part, routine_id
        kinds = {r.kind for r in routine.responsibilities}
        assert kinds == {"beslutar", "utför", "följer upp"}, routine_id


def test_every_routine_page_has_metadata_map_and_text_version(handbook_site):
    handbook = load_handbook(REPO)
    for source in handbook.routines.values():
        soup = handbook_site.soup(routine_url(source.routine))
        assert soup.select_one("section.handbok-metadata"), source.routine.id
        assert soup.select_one("pre.mermaid code"), source.routine.id
        assert len(soup.select("ol.handbok-processtext > li")) >= 5, source.routine.id
        assert soup.select_one("html")["lang"] == "sv"


def test_start_page_has_search_the_chain_and_role_entry_points(handbook_site):
    soup = handbook_site.soup("")
    article = soup.select_one("article")
    # Search comes first, right under the heading.
    first = article.select_one("h1").find_next_sibling(["p", "form", "div", "h2"])
    assert first.name == "form" and first.has_attr("data-handbok-startsok")
    # Ways in by what the person is doing: every situation leads to a routine page.
    situations = article.find("h2", id="vad-ska-du-gora").find_next_sibling("ul")
    handbook = load_handbook(REPO)
    urls = {routine_url(s.routine) for s in handbook.routines.values()}
    assert len(situations.select("li")) >= 8
    assert all(a["href"].rstrip("/") + "/" in urls for a in situations.select("a"))
    # The chain step by step, in process order, each step with its routines.
    steps = article.select("ol.handbok-kedjan > li")
    assert [li["data-process"] for li in steps] == [p for p in handbook.processes if any(
        s.routine.process == p for s in handbook.routines.values())]
    chain_links = [a["href"] for a in article.select("ol.handbok-kedjan a")]
    assert "rutiner/anvisning/anvisning-arbetsmarknadsinsats/" in chain_links
    # The map of the chain, with its text version.
    assert soup.select_one("pre.mermaid code").get_text().startswith("flowchart ")
    assert soup.select("ol.handbok-processtext a")
    # By role: what each role decides, does and follows up; the lists differ.
    roles = {d["data-roller"]: d for d in article.select("details.handbok-rollansvar")}
    assert set(roles) >= {"socialsekreterare", "arbetsmarknadskonsulent jobbcoach"}
    lists = {key: sorted(a["href"] for a in d.select("ul a")) for key, d in roles.items()}
    assert len({tuple(v) for v in lists.values()}) == len(lists), "two roles with the same list"
    decides = roles["socialsekreterare"].select_one('ul[data-ansvar="beslutar"]')
    assert "Fattar beslut om anvisning" in decides.get_text()
    # What the nämnd approved last, in Swedish, from the register; and what is due for review.
    latest = article.find("h2", id="senast-faststallt").find_next_sibling("p")
    assert latest.get_text(" ", strip=True).startswith("Version 2026.1, fastställd av Socialnämnden")
    reviews = article.select_one(".handbok-revidering-snart").get_text(" ", strip=True)
    in_force = [s for s in handbook.routines.values() if s.routine.status == "gällande"]
    if in_force:
        assert article.select("li[data-lage]"), "the routines next for review"
    else:  # every routine is being revised for the next release: nothing in force here to review
        assert reviews.startswith("Det finns inga fastställda rutiner att revidera.")


def test_field_reference_is_generated_from_the_model_in_swedish(handbook_site):
    from handbok import model

    soup = handbook_site.soup("redaktor/faltreferens/")
    table = soup.select("table.handbok-faltreferens")[0]
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Fält", "Krävs", "Beskrivning"]
    rows = {tr.select("td")[0].get_text(strip=True): tr.select("td")[1].get_text(strip=True)
            for tr in table.select("tbody tr")}
    # Every field of the model is documented, and "Krävs" agrees with the model itself.
    assert set(rows) == set(model.Routine.model_fields)
    for name, info in model.Routine.model_fields.items():
        assert rows[name] == ("Ja" if info.is_required() else "Nej"), name
    text = soup.select_one("article").get_text(" ")
    assert "Rutinägarens roll" in text
    assert "Attributes" not in text and "Description" not in text


def test_search_is_configured_for_swedish(handbook_site):
    import json

    index = json.loads((handbook_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["sv"]
    assert any("uppföljning" in doc["text"].lower() for doc in index["docs"])


def test_search_finds_the_map_as_text_not_as_mermaid_source(handbook_site):
    import html
    import json

    from handbok.core.map_text import node_text

    handbook = load_handbook(REPO)
    index = json.loads((handbook_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    maps = [doc for doc in index["docs"] if doc["location"].endswith("#processkarta")]
    assert maps, "the routines' process map sections are in the index"
    by_url = {routine_url(s.routine): s.routine for s in handbook.routines.values()}
    for doc in maps:
        assert "flowchart" not in doc["text"] and "--&gt;" not in doc["text"], doc["location"]
        # Each label of the map once: not the text version, where a step stands again in every link to it.
        chart = handbook.diagram(by_url[doc["location"].split("#")[0]].diagram)
        labels = {node_text(step.node) for step in chart.steps()}
        text = html.unescape(doc["text"])
        assert text.startswith("<p>") and text.endswith("</p>"), doc["location"]
        parts = [" ".join(part.split()) for part in text[3:-4].split(" · ")]
        assert len({p.casefold() for p in parts}) == len(parts), doc["location"]
        assert {" ".join(label.split()) for label in labels} <= set(parts), doc["location"]
        assert "vidare till steg" not in text and "Processkartan som text" not in text
    # The attribute that kept the source out of the index is not left in the page.
    page = next((handbook_site.site_dir / "rutiner").glob("*/*/index.html")).read_text(encoding="utf-8")
    assert '<pre class="mermaid"><code>' in page and "data-search-exclude" not in page


def test_editor_guide_examples_in_code_are_shown_as_written(handbook_site):
    # The handbook rewrites links to routine files and expands its markers, but not in code.
    html = (handbook_site.site_dir / "redaktor" / "index.html").read_text(encoding="utf-8")
    assert "<code>[uppföljning](uppfoljning-arbetsmarknadsinsats.md)</code>" in html


@pytest.mark.parametrize(("markdown", "expected"), [
    ("Se [a](a.md) och `[a](a.md)`.", "Se [a](rutiner/p/a.md) och `[a](a.md)`."),
    ("```md\n[a](a.md)\n<!-- processkarta: x.mmd -->\n```\n[a](a.md)",
     "```md\n[a](a.md)\n<!-- processkarta: x.mmd -->\n```\n[a](rutiner/p/a.md)"),
    ("Ett ` ensamt tecken.\n\nSe [a](a.md) och `kod`.", "Ett ` ensamt tecken.\n\nSe [a](rutiner/p/a.md) och `kod`."),
    ("~~~\n[a](a.md)", "~~~\n[a](a.md)"),
])
def test_routine_links_are_rewritten_outside_code_only(markdown, expected):
    from types import SimpleNamespace

    from handbok.pages import markers as render

    routine = SimpleNamespace(id="a", process="p")
    handbook = SimpleNamespace(routines={"a": SimpleNamespace(routine=routine)})
    assert render.expand_markers(markdown, handbook, "index.md") == expected


def test_no_template_or_source_file_is_published(handbook_site):
    """Templates (mkdocstrings' .jinja overrides, Material's partials) are for the build, not the reader."""
    published = [p.relative_to(handbook_site.site_dir).as_posix() for p in handbook_site.site_dir.rglob("*")
                 if p.is_file()]
    assert [p for p in published if p.endswith((".jinja", ".py", ".mmd")) or p.startswith("mkdocstrings/")] == []
    assert "index.html" in published


def test_the_legal_register_shows_the_changes_in_the_law_with_the_routines_they_concern(handbook_site):
    soup = handbook_site.soup("register/lagrum/")
    change = soup.select_one('.handbok-lagandring[data-lagrum="prop-2025-26-201-bidragstak"]')
    assert change is not None and change["data-lage"] == "kommande"  # built on CONTENT_DAY, 2026-12-01
    assert "Träder i kraft 2027-01-01" in " ".join(change.get_text(" ").split())
    assert change.select(".handbok-lagandring-klar a"), "the routines taking the change into account are listed"
    in_force = soup.select_one('.handbok-lagandring[data-lagrum="prop-2025-26-207-aktivitetskrav"]')
    assert in_force is not None and in_force["data-lage"] == "ny"


def test_a_provision_that_applies_later_is_marked_with_its_date_on_the_routine_page(handbook_site):
    handbook = load_handbook(REPO)
    page = handbook_site.soup(routine_url(handbook.routines["inforande-av-bidragstaket"].routine))
    marks = [m.get_text() for m in page.select(".handbok-kommande-lagrum")]
    assert "(gäller från 2027-01-01)" in marks


def test_the_routine_list_for_the_intranet_lists_every_routine_as_its_page_says(handbook_site):
    """api/rutiner.json of the real handbook: valid against its schema, every routine, the status
    words of each routine's metadata box."""
    import json

    from jsonschema import Draft202012Validator, FormatChecker

    document = json.loads((handbook_site.site_dir / "api" / "rutiner.json").read_text(encoding="utf-8"))
    schema = json.loads((handbook_site.site_dir / "api" / "rutiner.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(document)
    handbook = load_handbook(REPO)
    assert [entry["id"] for entry in document["rutiner"]] == sorted(handbook.routines)
    site = "https://rutiner.kommunen.se/"
    for entry in document["rutiner"]:
        assert entry["adress"] == site + routine_url(handbook.routines[entry["id"]].routine)
        box = handbook_site.soup(entry["adress"].removeprefix(site)).select_one(".handbok-metadata")
        assert box.select_one(".handbok-status").get_text(strip=True) == entry["status"]["status"], entry["id"]

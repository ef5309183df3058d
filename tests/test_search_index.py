"""The search index a reader downloads: each thing a reader searches for, once (``mkdocs_plugin/search.py``).

Built from the 'grund' fixture and read back from ``search/search_index.json``."""

from __future__ import annotations

import json

import pytest

from handbok.core.addresses import generated_sections, routine_url, section_heading
from handbok.core.loader import load_handbook
from handbok.pages.html import esc


@pytest.fixture(scope="module")
def index(grund_site) -> list[dict]:
    return json.loads((grund_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.fixture(scope="module")
def handbook(grund_site):
    return load_handbook(grund_site.root)


def _entries(index, url):
    return [doc for doc in index if doc["location"].split("#")[0] == url]


def test_a_routine_page_holds_its_facts_first_and_its_tags_once(index, handbook):
    for source in handbook.routines.values():
        routine = source.routine
        entries = _entries(index, routine_url(routine))
        assert entries and entries[0]["location"] == routine_url(routine), routine.id
        first = entries[0]
        assert esc(routine.summary) in first["text"], routine.id
        assert f"Rutinägare: {esc(handbook.role_name(routine.owner))}." in first["text"], routine.id
        assert first["tags"], routine.id  # a hit shows the status and the process
        assert [doc for doc in entries[1:] if "tags" in doc] == [], routine.id


def test_the_generated_sections_after_the_body_are_not_indexed(index, handbook):
    checked = 0
    for source in handbook.routines.values():
        headings = {section_heading(name) for name in generated_sections(source.routine)}
        titles = {doc["title"] for doc in _entries(index, routine_url(source.routine))}
        assert not headings & titles, source.routine.id
        checked += bool(headings)
    assert checked, "the fixture has routines with responsibilities, provisions or related routines"


def test_the_editors_sections_are_indexed_as_material_indexes_them(index, grund_site, handbook):
    source = handbook.routines["utkast-rutin"]
    titles = [doc["title"] for doc in _entries(index, routine_url(source.routine))]
    for line in source.body.splitlines():
        if line.startswith("## "):
            assert line[3:].strip() in titles
    html = grund_site.html(routine_url(source.routine))
    syfte = next(doc for doc in _entries(index, routine_url(source.routine)) if doc["title"] == "Syfte")
    assert syfte["text"] and syfte["text"].startswith("<p>") and "<p>" in html


def test_listing_pages_are_indexed_by_their_text_not_their_tables(index, grund_site, handbook):
    register = " ".join(doc["text"] for doc in _entries(index, "register/rutinregister/"))
    overview = " ".join(doc["text"] for doc in _entries(index, "rutiner/"))
    html = grund_site.html("register/rutinregister/")
    for source in handbook.routines.values():
        title = esc(source.routine.title)
        assert title not in register and title not in overview, source.routine.id
    assert "<table" in html and "data-search-exclude" not in html  # the page itself is unchanged
    assert "Alla rutiner i handboken" in register  # its own text is indexed


def test_each_check_code_is_found_in_its_own_section_not_twice(index, grund_site):
    from handbok.checks import CODES

    entries = _entries(index, "redaktor/kontroller/")
    sections = {doc["location"].split("#", 1)[1]: doc for doc in entries if "#" in doc["location"]}
    page = entries[0]
    assert page["location"] == "redaktor/kontroller/" and "handbok check" in page["text"]
    for code in CODES.values():
        section = sections[code.code.lower()]
        assert section["title"].startswith(f"{code.code} – "), section
        # The summary table on the page is not indexed: the code and its meaning stand in the section.
        assert esc(code.title) not in page["text"], code.code
    html = grund_site.html("redaktor/kontroller/")
    assert "<th>Betyder</th>" in html and '<a href="#rh201">RH201</a>' in html  # the page shows the table
    assert "data-search-exclude" not in html

"""The editor guide's page of check codes is generated from the registry."""

from __future__ import annotations

from handbok import checks


def test_every_code_has_a_section_with_meaning_and_fix(grund_site):
    soup = grund_site.soup("redaktor/kontroller/")
    assert soup.select_one("article h1").get_text(strip=True).startswith("Kontrollkoder")
    table_codes = [a.get_text(strip=True) for a in soup.select("article table a[href^='#rh']")]
    assert table_codes == sorted(checks.CODES)
    for code, entry in checks.CODES.items():
        heading = soup.select_one(f"h3#{code.lower()}")
        assert heading is not None, code
        assert heading.get_text(" ", strip=True).startswith(f"{code} – {entry.title}")
        text = heading.find_next_sibling("p").get_text(" ", strip=True)
        if entry.draft_severity is not None:
            assert text.startswith("Fel i en gällande rutin, varning i ett utkast."), code
        else:
            assert text.startswith("Fel." if entry.severity.value == "fel" else "Varning."), code
        if entry.fix:
            fix = heading.find_next_sibling("p").find_next_sibling("p")
            assert fix.get_text(" ", strip=True).startswith("Så rättar du:"), code


def test_examples_are_shown_as_text_not_drawn(grund_site):
    soup = grund_site.soup("redaktor/kontroller/")
    example = soup.select_one("h3#rh502").find_next("pre")
    assert "accTitle:" in example.get_text()
    assert not soup.select("article .mermaid")


def test_hostile_fields_are_errors_and_text_when_bypassed(grund_site, tmp_path):
    # farlig-rutin has scripts in its fields: errors for the checker (RH605); the site
    # fixture bypasses them, and the page still shows them as text (tests/browser/test_escaping.py).
    from click.testing import CliRunner

    from conftest import FIXTURE_TODAY, prepare_project
    from handbok.cli import main

    project = prepare_project("grund", tmp_path)
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", FIXTURE_TODAY])
    assert "routines/farlig-rutin.md:3:8: fel RH605 fältet 'title' innehåller <script>, som kör skript" in result.output
    assert result.exit_code == 1
    assert grund_site.path("rutiner/lonestod/farlig-rutin/").is_file()


def test_the_editor_guide_lists_exactly_the_allowed_elements():
    """The guide's list of allowed HTML is the sanitiser's (core.safe_html), not a copy that drifts."""
    import re

    from conftest import REPO
    from handbok.core.safe_html import CONTENT_TAGS

    text = (REPO / "docs" / "redaktor" / "index.md").read_text(encoding="utf-8")
    listed = text.split("<!-- tillåtna-element -->", 1)[1].split("\n\n", 1)[0]
    names = set(re.findall(r"`([a-z0-9]+)`", listed))
    if "`h1`–`h6`" in listed:
        names |= {f"h{level}" for level in range(1, 7)}
    assert names == CONTENT_TAGS - {"autoref"}  # autoref: mkdocstrings' placeholder, not for editors

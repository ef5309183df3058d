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


def test_hostile_fields_build_with_warnings_only(grund_site):
    # farlig-rutin has HTML in its fields (RH604 warnings): the strict build still publishes it.
    assert grund_site.path("rutiner/lonestod/farlig-rutin/").is_file()

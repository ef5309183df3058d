"""The process-map reader and its Swedish text version."""

from __future__ import annotations

from bs4 import BeautifulSoup

from handbok import diagram

SOURCE = """flowchart TD
    accTitle: Anvisning
    accDescr: Från behov till beslut.
    %% a comment
    start([Behov upptäcks]) --> bedom[Bedöm behovet]
    bedom --> fraga{Finns insats hos AF?}
    fraga -->|Ja| af[AF:s insats]
    fraga -- Nej --> beslut[Beslut om anvisning]
    beslut --> info[Information] --> slut([Klart])
    classDef viktig fill:#f96
    class beslut viktig
    click beslut "anvisning.md"
"""


def test_parse_reads_nodes_edges_and_accessibility_fields():
    chart = diagram.parse(SOURCE)
    assert chart.errors == []
    assert chart.title == "Anvisning" and chart.description == "Från behov till beslut."
    assert chart.direction == "TD"
    assert [n.label for n in chart.nodes.values()] == [
        "Behov upptäcks", "Bedöm behovet", "Finns insats hos AF?", "AF:s insats",
        "Beslut om anvisning", "Information", "Klart"]
    assert chart.nodes["fraga"].is_decision and chart.nodes["start"].shape == "start"
    assert [(e.source, e.target, e.label) for e in chart.edges if e.label] == [
        ("fraga", "af", "Ja"), ("fraga", "beslut", "Nej")]
    assert ("info", "slut", None) in [(e.source, e.target, e.label) for e in chart.edges]
    assert chart.nodes["beslut"].link == "anvisning.md"


def test_steps_follow_the_flow_and_branches():
    steps = diagram.parse(SOURCE).steps()
    assert [s.node.id for s in steps] == ["start", "bedom", "fraga", "af", "beslut", "info", "slut"]
    decision = steps[2]
    assert [(label, target.number) for label, target in decision.transitions] == [("Ja", 4), ("Nej", 5)]


def test_text_alternative_is_an_ordered_list_in_swedish():
    chart = diagram.parse(SOURCE)
    html = diagram.text_alternative_html(chart, link_for=lambda target: "../" + target)
    soup = BeautifulSoup(html, "html.parser")
    items = soup.select("ol > li")
    assert len(items) == 7
    # A question ends the sentence itself: no full stop after its question mark.
    assert items[1].get_text(" ", strip=True) == "Bedöm behovet → vidare till steg 3: Finns insats hos AF?"
    assert [li.get_text(" ", strip=True) for li in items[2].select("li")] == [
        "Om Ja: steg 4, AF:s insats.", "Om Nej: steg 5, Beslut om anvisning."]
    assert "(beslut)" in items[2].get_text()
    assert items[4].select_one("a")["href"] == "../anvisning.md"
    assert "slut på flödet" in items[6].get_text()


def test_labels_are_escaped_in_the_text_version():
    chart = diagram.parse('flowchart TD\n  a["<script>x</script> & co"] --> b[Nästa]\n')
    html = diagram.text_alternative_html(chart)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; co" in html


def test_unreadable_statements_are_reported_with_their_line():
    chart = diagram.parse("flowchart TD\n  a[Start] --> b[Nästa]\n  a ->> b\n  c[Ok] -->\n")
    assert [line for line, _ in chart.errors] == [3, 4]
    assert "kan inte läsa" in chart.errors[0][1]
    assert "saknar mål" in chart.errors[1][1]


def test_missing_header_is_reported():
    chart = diagram.parse("sequenceDiagram\n  A->>B: hej\n")
    assert chart.errors == [(1, "första raden ska vara 'flowchart TD' (eller LR)")]
    assert diagram.parse("").errors[0][0] == 1


def test_multi_line_description():
    chart = diagram.parse("flowchart LR\n  accDescr {\n    Rad ett\n    rad två }\n  a --> b\n")
    assert chart.description == "Rad ett rad två"
    assert chart.direction == "LR"


def test_dangerous_click_links_are_not_rendered_as_links():
    chart = diagram.parse('flowchart TD\n  a[Start] --> b[Nästa]\n  click a "javascript:alert(1)"\n'
                          '  click b "JaVa&#115;cript:alert(2)"\n')
    html = diagram.text_alternative_html(chart)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("a") == []
    assert [li.get_text(" ", strip=True).split(" ")[0] for li in soup.select("ol > li")] == ["Start", "Nästa"]
    safe = diagram.parse('flowchart TD\n  a[Start] --> b[Nästa]\n  click a "https://example.org/"\n  click b "osa.md"\n')
    links = [a["href"] for a in BeautifulSoup(diagram.text_alternative_html(safe), "html.parser").select("a")]
    assert links == ["https://example.org/", "osa.md"]

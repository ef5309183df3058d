"""A process map as Mermaid reads it, and its Swedish text version.

Every map here goes through the vendored Mermaid under Node (``core.mermaid``),
the one reading the handbook has; the tests look at the data classes filled
from Mermaid's flowchart database and at the text version written from them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbok.core.map_text import sentence, text_version_html
from handbok.core.maps import external_fetches, reading_from, with_links
from handbok.core.mermaid import MermaidRun, find_node, find_node_modules

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(find_node() is None or find_node_modules(REPO) is None,
                                reason="Node.js eller linkedom saknas (make node-deps)")


def read(source: str):
    run = MermaidRun.start(REPO, {"karta.mmd": source})
    result = run.results()["karta.mmd"]
    assert run.unavailable is None
    return reading_from(result)


def chart_of(source: str):
    reading = read(source)
    assert reading.ok, reading.error
    return reading.chart


def text_items(chart, **kwargs) -> list[str]:
    soup = BeautifulSoup(text_version_html(chart, **kwargs), "html.parser")
    return [" ".join(li.get_text().split()) for li in soup.select("ol.handbok-processtext > li")]


def link_items(chart) -> dict[str, list[str]]:
    """Each step's label with the sentences of its links."""
    soup = BeautifulSoup(text_version_html(chart), "html.parser")
    found = {}
    for li in soup.select("ol.handbok-processtext > li"):
        links = [" ".join(item.get_text().split()) for item in li.select("ul > li")]
        found[li.contents[0].get_text() if hasattr(li.contents[0], "get_text") else str(li.contents[0]).strip()] = links
    return found


SOURCE = """flowchart TD
    accTitle: Anvisning
    accDescr: Från behov till beslut.
    %% a comment
    start([Behov upptäcks]) --> bedom[Bedöm behovet]
    bedom --> fraga{Finns insats hos AF?}
    fraga -->|Ja| af[AF:s insats]
    fraga -- Nej --> beslut[Beslut om anvisning]
    beslut --> info[Information] --> slut([Klart?])
    classDef viktig fill:#f96
    class beslut viktig
    click beslut "anvisning.md"
"""


def test_mermaid_reads_nodes_edges_and_accessibility_fields():
    chart = chart_of(SOURCE)
    assert chart.title == "Anvisning" and chart.description == "Från behov till beslut."
    assert chart.direction == "TB"
    assert [n.label for n in chart.nodes.values()] == [
        "Behov upptäcks", "Bedöm behovet", "Finns insats hos AF?", "AF:s insats",
        "Beslut om anvisning", "Information", "Klart?"]
    assert chart.nodes["fraga"].is_decision and chart.nodes["start"].shape == "stadium"
    assert [(e.source, e.target, e.label) for e in chart.edges if e.label] == [
        ("fraga", "af", "Ja"), ("fraga", "beslut", "Nej")]
    assert chart.nodes["beslut"].link == "anvisning.md" and chart.nodes["beslut"].classes == ("viktig",)
    assert chart.classes == {"viktig": ("fill:#f96",)}
    # Lines are the file's own, also after the comment Mermaid removes.
    assert chart.nodes["start"].line == 5 and chart.edges[-1].line == 9
    assert [(c.line, c.action, c.value) for c in chart.clicks] == [(12, "href", "anvisning.md")]


def test_steps_follow_the_flow_and_decisions_keep_om():
    chart = chart_of(SOURCE)
    assert [s.node.id for s in chart.steps()] == ["start", "bedom", "fraga", "af", "beslut", "info", "slut"]
    items = text_items(chart, link_for=lambda target: "../" + target)
    assert items[1] == "Bedöm behovet → vidare till steg 3: Finns insats hos AF?"
    assert items[2] == "Finns insats hos AF? (beslut)Om Ja: steg 4, AF:s insats.Om Nej: steg 5, Beslut om anvisning."
    # A label that ends with a question mark gets no full stop after it.
    assert items[5] == "Information → vidare till steg 7: Klart?"
    assert items[6] == "Klart? – slut på flödet."
    soup = BeautifulSoup(text_version_html(chart, link_for=lambda target: "../" + target), "html.parser")
    assert soup.select_one("#steg-5 > a")["href"] == "../anvisning.md"
    assert [a["href"] for a in soup.select("#steg-3 li a")] == ["#steg-4", "#steg-5"]


def test_sentence_does_not_add_a_full_stop_after_punctuation():
    assert sentence("Klart?") == "Klart?" and sentence("Klart") == "Klart." and sentence("Klart!") == "Klart!"


def test_every_kind_of_link_reads_as_what_it_draws():
    chart = chart_of("""flowchart LR
    a[Ansökan] --> b[Utredning]
    a --- c[Samråd]
    a -.-> d[Komplettering]
    a ==> e[Beslut]
    a --x f[Avslag]
    a --o g[Vilande]
    a <--> h[Dialog]
    a x--x i[Stopp]
    a o--o j[Parallellt]
    a -->|Pengar| k[Utbetalning]
    a -. Kanske .- l[Tips]
    a ~~~ m[Osynligt placerad]
    a ---> n[Längre pil]
""")
    soup = BeautifulSoup(text_version_html(chart), "html.parser")
    links = [" ".join(li.get_text().split()) for li in soup.select("#steg-1 > ul > li")]
    assert links == [
        "Vidare till steg 2: Utredning.",
        "Hör ihop med steg 3: Samråd.",
        "Vidare till steg 4: Komplettering (prickad pil).",
        "Vidare till steg 5: Beslut (tjock pil).",
        "Linje till steg 6: Avslag som slutar med ett kryss.",
        "Linje till steg 7: Vilande som slutar med en ring.",
        "I båda riktningarna med steg 8: Dialog.",
        "Linje med kryss i båda ändar till steg 9: Stopp.",
        "Linje med ringar i båda ändar till steg 10: Parallellt.",
        # A label on an ordinary link is the link's text, not a condition.
        "Vidare till steg 11: Utbetalning (pilen har texten ”Pengar”).",
        "Hör ihop med steg 12: Tips (prickad linje med texten ”Kanske”).",
        "Vidare till steg 13: Längre pil.",
    ]
    # The invisible link draws nothing, so it says nothing; the step is still there.
    assert " ".join(soup.select_one("#steg-14").get_text().split()) == "Osynligt placerad"
    # Lines that look the same at both ends are read at both ends.
    assert " ".join(soup.select_one("#steg-3").get_text(" ").split()) == "Samråd Hör ihop med steg 1 : Ansökan."
    assert "I båda riktningarna med steg 1: Ansökan." in soup.select_one("#steg-8").get_text()


def test_labels_read_as_drawn():
    chart = chart_of("""flowchart TD
    a["`**Fet** och _kursiv_
    på två rader`"] --> b(fa:fa-twitter för fred)
    b --> c[/Jul\\]
    c --> d["Ett #quot;citat#quot; med ; semikolon"]
    d --> e["Rad ett<br>rad två &amp; tre"]
    e --> f@{ shape: diam, label: "Beslut?" }
    f --> g(((Dubbel)))
    g --> h["1. Numrerat steg"]
    h --> i[fa:fa-spinner]
""")
    labels = [node.label for node in chart.nodes.values()]
    assert labels == ["Fet och kursiv på två rader", "för fred", "Jul", 'Ett "citat" med ; semikolon',
                      "Rad ett rad två & tre", "Beslut?", "Dubbel", "1. Numrerat steg", ""]
    assert chart.nodes["f"].is_decision and chart.nodes["g"].shape == "doublecircle"
    items = text_items(chart)
    assert items[8] == "(ikon utan text) – slut på flödet."
    text = " ".join(items)
    for leaked in ("fa:", "**", "`", "#quot;", "<br>", "&amp;", "/Jul", "@{", "((("):
        assert leaked not in text, leaked


def test_labels_are_escaped_in_the_text_version():
    chart = chart_of('flowchart TD\n  a["a < b & <b>c</b>"] --> b["<script>alert(1)</script>Nästa"]\n')
    html = text_version_html(chart)
    assert "<script>" not in html and "<b>" not in html
    assert "a &lt; b &amp; c" in html
    assert chart.nodes["b"].label == "Nästa"  # Mermaid's sanitiser removed the script


def test_groups_are_named_with_their_steps():
    chart = chart_of("""flowchart TB
    start[Ansökan] --> handlaggning
    subgraph handlaggning [Handläggning]
        direction LR
        utred[Utredning] --> beslut[Beslut]
        subgraph samrad [Samråd]
            af[AF]
        end
    end
    handlaggning --> klar[Klart]
""")
    assert chart.groups["samrad"].parent == "handlaggning" and chart.nodes["af"].group == "samrad"
    soup = BeautifulSoup(text_version_html(chart), "html.parser")
    items = [" ".join(li.get_text().split()) for li in soup.select("ol.handbok-processtext > li")]
    assert items[0] == "Ansökan → vidare till gruppen Handläggning (steg 2, steg 3 och steg 4)."
    assert items[1] == "Utredning (i gruppen Handläggning) → vidare till steg 3: Beslut."
    # The group's link leads on from every step in it: no step there is an end.
    assert "AF (i gruppen Samråd)" in items and "Beslut (i gruppen Handläggning)" in items
    groups = [" ".join(li.get_text().split()) for li in soup.select("ul.handbok-processtext-grupper > li")]
    assert groups == [
        "Samråd (i gruppen Handläggning): steg 4.",
        "Handläggning: steg 2, steg 3 och gruppen Samråd.Från gruppen: vidare till steg 5: Klart.",
    ]


def test_front_matter_shapes_ids_and_more_syntax():
    chart = chart_of("""---
title: Kedjan
config:
  theme: neutral
---
flowchart LR
    accTitle: Kedjan
    accDescr { Hela kedjan
      på två rader }
    a-1.b@{ shape: rounded, label: "Start" }
    a-1.b e1@--> steg.2:::viktig
    steg.2 & a-1.b --> c[Slut]
    e1@{ animate: true }
    classDef viktig stroke-width:4px
""")
    assert chart.title == "Kedjan" and chart.description == "Hela kedjan på två rader"
    assert list(chart.nodes) == ["a-1.b", "steg.2", "c"]
    assert chart.edges[0].id == "e1" and chart.nodes["steg.2"].classes == ("viktig",)
    assert [(e.source, e.target) for e in chart.edges] == [("a-1.b", "steg.2"), ("steg.2", "c"), ("a-1.b", "c")]
    assert chart.nodes["a-1.b"].line == 10 and chart.nodes["a-1.b"].label == "Start"
    assert chart.nodes["a-1.b"].shape == "rounded" and chart.edges[0].line == 11


def test_errors_are_located_in_the_file():
    reading = read("---\ntitle: x\n---\nflowchart TD\n  a --> b\n\n  c{Fråga}\n\n\n  d --> ]]\n")
    assert not reading.ok and reading.error["line"] == 10
    shape = read("flowchart TD\n  a --> b\n  b@{ shape: finns-inte }\n")
    assert not shape.ok and shape.error["line"] == 3 and "No such shape" in shape.error["message"]


def test_other_diagram_types_are_read_but_have_no_flowchart():
    reading = read("sequenceDiagram\n  A->>B: Hej\n")
    assert reading.ok and reading.diagram_type == "sequence" and reading.chart is None


def test_mermaid_limits():
    big = read("flowchart TD\n" + "".join(f"  n{i}[Steg nummer {i}]\n" for i in range(3000)))
    assert big.limit.name == "maxTextSize" and big.limit.size > 50_000 and big.limit.maximum == 50_000
    many = read("flowchart TD\n" + "".join(f"  n{i} --> n{i + 1}\n" for i in range(505)))
    assert many.limit.name == "maxEdges" and many.limit.maximum == 500 and many.limit.line == 502


def test_what_a_map_would_fetch_from_other_hosts():
    reading = read("""%%{init: {"themeCSS": "@import url(https://typsnitt.example/x.css);", "securityLevel": "loose"}}%%
flowchart TD
    a["<img src='https://bilder.example/a.png'> Logga"] --> b@{ img: "https://bilder.example/b.png", label: "Bild" }
    b --> c@{ img: "bilder/lokal.png", label: "Egen bild" }
    c --> d["<a href='https://example.org/'>En länk</a>"]
    click d href "https://example.org/sida"
""")
    assert reading.denied == ("securityLevel",)
    fetches = external_fetches(reading, lambda word: 1)
    assert [(f.line, f.url) for f in fetches] == [
        (1, "https://typsnitt.example/x.css"), (3, "https://bilder.example/a.png"), (3, "https://bilder.example/b.png")]
    assert "bilden i steget 'Bild'" in [f.place for f in fetches]


def test_click_links_are_rewritten_in_the_source_for_the_page():
    source = ('flowchart TD\n  a[Ett] --> b[Två] --> c[Tre]\n  click a "anvisning.md" "Till anvisningen"\n'
              '  click b href "javascript:alert(1)"\n  click c href "https://example.org/" _blank\n')
    chart = chart_of(source)

    def resolve(target):
        if target.startswith("javascript:"):
            return None
        return "../../anvisning/anvisning/" if target == "anvisning.md" else target

    rewritten = with_links(source, chart, resolve)
    assert 'click a "../../anvisning/anvisning/" "Till anvisningen"' in rewritten
    assert 'click b href "#"' in rewritten and "javascript" not in rewritten
    assert 'click c href "https://example.org/" _blank' in rewritten
    # The rewritten map is still a map Mermaid draws, with the new links.
    again = chart_of(rewritten)
    assert again.nodes["a"].link == "../../anvisning/anvisning/"
    assert re.search(r"steg 1", " ".join(text_items(again))) is None  # the first step is not a link target

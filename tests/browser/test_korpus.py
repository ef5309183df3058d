"""A sample of the flowchart corpus drawn in Chromium, each map on a page of its own.

The maps come from ``tests/fixtures/mermaid-korpus/`` (every construct of the
corpus is checked without a browser in ``tests/test_mermaid_korpus.py``);
here Mermaid draws them on a built site: each renders, no page error, and
everything drawn – steps, link labels, group titles – is in the text version
under the map. The click links in the drawn map lead to the routine's page.
"""

from __future__ import annotations

import re
import shutil

import pytest
from .browsing import Browsing, StaticServer, diagram_problems

from conftest import FIXTURES, build_project, prepare_project

pytestmark = pytest.mark.browser

KORPUS = FIXTURES / "mermaid-korpus"
SAMPLE = ["form-trapets", "form-dubbelcirkel", "former-01", "former-07", "former-14", "text-markdown",
          "text-ikoner", "text-entiteter", "text-html", "text-citattecken-semikolon", "pil-dubbel-ring",
          "pil-osynlig", "pil-id-animerad", "pil-text-prickad", "pil-och", "grupp-nastlad",
          "grupp-pil-till-och-fran", "klick-href", "klick-ankare", "framsida-konfig", "init-tema",
          "process-med-grupper", "process-lang", "id-punkt"]


@pytest.fixture(scope="module")
def korpus_site(tmp_path_factory):
    project = prepare_project("check-bas", tmp_path_factory.mktemp("korpus-webb"))
    for name in SAMPLE:
        shutil.copyfile(KORPUS / f"{name}.mmd", project / "diagrams" / f"{name}.mmd")
        page = project / "docs" / "korpus" / f"{name}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(f"# {name}\n\n<!-- processkarta: {name}.mmd -->\n", encoding="utf-8")
    return build_project(project)


@pytest.fixture(scope="module")
def korpus_visits(browser, korpus_site):
    server = StaticServer(korpus_site.site_dir)
    browsing = Browsing(browser, server.url)
    try:
        visits = {name: browsing.visit(f"korpus/{name}/") for name in SAMPLE}
        yield browsing, visits
    finally:
        browsing.close()
        server.close()


def _plain(text: str) -> str:
    # Without white space: Mermaid draws each line of a label as its own element, and the
    # drawn text runs the lines together ("Rad ettrad två"), where the text version has a space.
    return re.sub(r"\s+", "", text)


def test_every_sampled_map_renders_without_errors(korpus_visits):
    browsing, visits = korpus_visits
    problems = {name: diagram_problems(visit) + visit.console_errors for name, visit in visits.items()}
    assert {name: found for name, found in problems.items() if found} == {}
    assert all(len(visit.diagrams) == 1 for visit in visits.values())
    assert browsing.external_requests() == []


def test_everything_drawn_is_in_the_text_version(korpus_visits):
    _, visits = korpus_visits
    missing = {}
    for name, visit in visits.items():
        diagram = visit.diagrams[0]
        text = _plain(diagram["textVersion"]["text"])
        drawn = diagram["labels"] + diagram["edgeLabels"] + diagram["clusterLabels"]
        absent = [label for label in drawn if _plain(label) not in text]
        if absent or not diagram["labels"]:
            missing[name] = absent or ["inga steg ritade"]
        assert diagram["textVersion"]["steps"] > 0, name
    assert missing == {}


def test_click_links_in_the_drawn_map_lead_to_the_routine(korpus_visits, korpus_site):
    browsing, visits = korpus_visits
    links = visits["klick-href"].diagrams[0]["links"] + visits["klick-ankare"].diagrams[0]["links"]
    assert links == [browsing.base_url + "rutiner/anvisning/anvisning-praktik/",
                     browsing.base_url + "rutiner/uppfoljning/uppfoljning-praktik/#syfte"]
    for link in links:
        path = link.removeprefix(browsing.base_url).split("#")[0]
        assert (korpus_site.site_dir / path / "index.html").is_file(), link

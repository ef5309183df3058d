"""The suite builds with the engine it says it does: MkDocs, or ProperDocs with
HANDBOK_ENGINE=properdocs (``make test-properdocs``), the maintained MkDocs fork."""

from __future__ import annotations

import mkdocs.commands.build
from conftest import checks_bypassed, ENGINE, build_project, prepare_project


def build_grund(project, **options):
    """The 'grund' fixture has a hostile routine (RH605): bypassed, as its own site tests do."""
    with checks_bypassed("RH605"):
        return build_project(project, **options)


def test_mkdocs_imports_resolve_to_the_engine_under_test():
    expected = "properdocs" if ENGINE == "properdocs" else "mkdocs"
    assert mkdocs.commands.build.__name__.split(".")[0] == expected


def test_a_fixture_site_names_its_engine(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path))
    generator = site.soup("").find("meta", attrs={"name": "generator"})["content"]
    assert ("ProperDocs" in generator) == (ENGINE == "properdocs"), generator
    assert "mkdocs-material" in generator

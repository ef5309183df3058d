"""The benchmark's synthetic handbooks are valid handbooks shaped like the real ones."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, Site
from handbok.cli import main as handbok
from handbok.core.loader import load_handbook

sys.path.insert(0, str(REPO / "bench"))
import generate  # noqa: E402
import run as bench  # noqa: E402


@pytest.fixture(scope="module")
def handbook_root(tmp_path_factory) -> Path:
    return generate.generate(tmp_path_factory.mktemp("syntetisk"), 5)


def test_generated_handbook_passes_handbok_check(handbook_root):
    result = CliRunner().invoke(handbok, ["--rot", str(handbook_root), "check", "--datum", bench.TODAY])
    assert result.exit_code == 0, result.output
    assert "5 rutiner kontrollerade: 0 fel, 0 varningar." in result.output


def test_routines_are_shaped_like_the_real_ones(handbook_root):
    handbook = load_handbook(handbook_root)
    assert len(handbook.routines) == 5
    for source in handbook.routines.values():
        routine = source.routine
        assert routine.diagram == f"{routine.id}.mmd"
        reading = handbook.map_reading(routine.diagram)
        assert reading.ok and reading.error is None, reading.error
        chart = reading.chart
        assert len(chart.nodes) == 10 and chart.title and chart.description
        assert 600 <= len(source.body.split()) <= 700
        assert re.search(r"^\| Steg \| Frist \| Ansvarig \|$", source.body, re.MULTILINE)
        assert routine.responsibilities and routine.legal_basis and routine.related
        assert all(ref in handbook.routines for ref in routine.related)


def test_without_maps_and_deterministic(tmp_path):
    a = generate.generate(tmp_path / "a", 5, with_maps=False)
    b = generate.generate(tmp_path / "b", 5, with_maps=False)
    assert not list((a / "diagrams").iterdir())
    files = sorted(p.name for p in (a / "routines").glob("*.md"))
    for name in files:
        text = (a / "routines" / name).read_text(encoding="utf-8")
        assert "\ndiagram:" not in text
        assert text == (b / "routines" / name).read_text(encoding="utf-8")
    result = CliRunner().invoke(handbok, ["--rot", str(a), "check", "--datum", bench.TODAY])
    assert result.exit_code == 0, result.output


def test_bench_projects_build(tmp_path):
    """The harness's own projects: our site and the plain Material baseline."""
    ours = bench.make_ours(tmp_path / "var", 5, with_maps=True)
    baseline = bench.make_baseline(tmp_path / "material", ours)
    bench.build(ours)
    bench.build(baseline)
    site = Site(ours)
    pages = bench.routine_pages(site.site_dir)
    assert len(pages) == 5
    soup = site.soup(str(pages[0].relative_to(site.site_dir)))
    assert soup.select_one(".handbok-metadata") and soup.select_one("pre.mermaid code")
    loaded = bench.browser_bytes(site.site_dir, pages[0])
    assert loaded["mermaid_loaded"] and loaded["js"] > 3_000_000
    plain = bench.routine_pages(baseline / "site")
    assert len(plain) == 5
    assert not bench.browser_bytes(baseline / "site", plain[0])["mermaid_loaded"]


def test_the_search_baseline_has_our_other_pages_as_plain_material_indexes_them(tmp_path):
    """``--bara omladdning`` compares the search index with Material's on the same content: the
    routine files and our generated pages, each indexed whole by Material."""
    ours = bench.make_ours(tmp_path / "var", 5, with_maps=True)
    baseline = bench.make_baseline(tmp_path / "material", ours, same_pages=True)
    from handbok.core.generated import PAGES

    for uri in PAGES:
        assert (baseline / "docs" / uri).is_file(), uri
    kontroll = (baseline / "docs" / "redaktor" / "kontroller.md").read_text(encoding="utf-8")
    assert "### RH201 – " in kontroll and "| Kod | Typ | Betyder |" in kontroll
    bench.build(ours)
    bench.build(baseline)
    ours_index = bench.search_index_figures(ours / "site")
    material_index = bench.search_index_figures(baseline / "site")
    assert ours_index["routine_pages"] == material_index["routine_pages"] == 5
    locations = {doc["location"] for doc in json.loads(
        (baseline / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]}
    assert "redaktor/kontroller/#rh201" in locations and "register/rutinregister/" in locations
    # Ours leaves the registers' lists of routines out (each routine is found on its own page).
    assert 0 < ours_index["other_bytes"] < material_index["other_bytes"]
    assert ours_index["routine_bytes"] + ours_index["other_bytes"] < ours_index["bytes"]  # and the JSON around them

"""One answer to "does this routine apply?": the box, the banner, print, the register and search agree.

The 'grund' fixture site is a draft build with a routine in force, one approved
long ago, a draft, a repealed routine and one whose approval no release records.
For each, the words on the page are the core's reader status
(``core.state.reader_status``); printed (print media emulated), the page still says
the same, and the draft mark of the build is on paper too.
"""

from __future__ import annotations

import pytest
from .browsing import search

from handbok.core.addresses import routine_url
from handbok.core.context import BuildContext
from handbok.core.loader import load_handbook
from handbok.core.state import reader_statuses

pytestmark = pytest.mark.browser

# A word of each routine's title to find it with, and the key its status must have.
ROUTINES = {
    "gallande-rutin": ("praktik", "gallande"),
    "forsenad-rutin": ("kommunen", "gallande"),
    "utkast-rutin": ("insats", "utkast"),
    "farlig-rutin": ("citat", "ej-faststalld"),
    "upphavd-rutin": ("anvisningsrutin", "upphavd"),
}

WORDS = """
() => {
  const shown = (el) => Boolean(el) && el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const status = document.querySelector("section.handbok-metadata .handbok-status");
  const banners = [...document.querySelectorAll(".handbok-banner:not([data-handbok-forsenad])")];
  const mark = document.querySelector(".handbok-utkastmarkering");
  return {
    box: status ? status.innerText.trim() : null,
    boxShown: shown(status),
    banners: banners.filter(shown).map((b) => b.innerText.replace(/\\s+/g, " ").trim()),
    draftMark: shown(mark) ? mark.innerText.replace(/\\s+/g, " ").trim() : null,
  };
}
"""


@pytest.fixture(scope="module")
def statuses(grund_site):
    # The handbook and the day of the build that made the site.
    handbook = load_handbook(grund_site.root)
    found = reader_statuses(handbook, BuildContext(today=grund_site.plugin.today, build=grund_site.plugin.context.build))
    urls = {rid: routine_url(handbook.routines[rid].routine) for rid in ROUTINES}
    return found, urls


def test_the_fixture_has_every_kind_of_status(statuses):
    found, _ = statuses
    assert {rid: found[rid].key for rid in ROUTINES} == {rid: key for rid, (_, key) in ROUTINES.items()}


@pytest.mark.parametrize("rid", sorted(ROUTINES))
def test_box_banner_and_print_say_the_same(grund_browsing, statuses, rid):
    found, urls = statuses
    status = found[rid]
    page = grund_browsing.page
    grund_browsing.visit(urls[rid])
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        words = page.evaluate(WORDS)
        assert words["boxShown"] and words["box"] == status.label, (media, words)
        if status.in_force:
            assert words["banners"] == [], (media, words)
        else:
            assert len(words["banners"]) == 1 and words["banners"][0].startswith(status.text.rstrip(".")), (media, words)
        # Every page of a draft build says so, on paper too.
        assert words["draftMark"] and words["draftMark"].startswith("Utkast – ej fastställd."), (media, words)
    page.emulate_media(media="screen")


def test_the_register_says_the_same(grund_browsing, statuses):
    found, _ = statuses
    grund_browsing.visit("register/rutinregister/")
    cells = grund_browsing.page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('#handbok-rutinregister tbody tr')]"
        ".map((tr) => [tr.dataset.rutin, tr.querySelector('.handbok-status').innerText.trim()]))")
    assert cells == {rid: found[rid].label for rid in found}


@pytest.mark.parametrize("rid", sorted(ROUTINES))
def test_a_search_hit_says_the_same_with_few_tags(grund_browsing, statuses, rid):
    found, urls = statuses
    grund_browsing.visit("")
    results = search(grund_browsing.page, ROUTINES[rid][0])
    hit = next((r for r in results if r["href"].endswith("/" + urls[rid])), None)
    assert hit is not None, results
    assert hit["tags"][0] == found[rid].label and len(hit["tags"]) <= 3, hit

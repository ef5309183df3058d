"""The search index a reader downloads: each thing a reader searches for, once.

Material's search indexes every page by its sections (``internals.search_entries``).
The handbook shapes two kinds of page (what each holds: ``pages.search``):

- a **routine page**: the first entry holds the summary and the routine's facts,
  the map's entry each label of the map once, the editor's sections stay as
  Material indexed them, the generated sections after the body are left out, and
  only the first entry carries the page's tags (a hit shows them; every section
  repeating them only made the index larger);
- a **listing page** (the registers, the overview of routines, the versions): its
  headings and its own text are indexed, its lists and tables of routines are not
  (``exclude_listings``: Material skips an element marked ``data-search-exclude``
  and removes the attribute from the page, so the page itself is unchanged). Each
  routine is found on its own page.
"""

from __future__ import annotations

import re

from ..core.handbook import Handbook
from ..pages import search as shape
from .internals import InternalsChanged

EXCLUDE = ' data-search-exclude="lista"'
_LISTING = re.compile(r"<(table|ul|ol|select)(?=[\s>])")


def exclude_listings(html: str) -> str:
    """Mark every list, table and selection list of a listing page as left out of the search index."""
    return _LISTING.sub(lambda m: f"<{m.group(1)}{EXCLUDE}", html)


_LIST_TEXT = re.compile(r"<(ul|ol)>(?:(?!<\1>).)*?</\1>", re.DOTALL)


def drop_lists(entries: list[dict], url: str) -> None:
    """Remove the lists from a listing page's entries: the ones written into the page after the
    handbook marked its own (Material's tags plugin writes the tags index that way)."""
    for position in page_entries(entries, url):
        entry = entries[position]
        text = entry.get("text", "")
        while True:
            shorter = _LIST_TEXT.sub("", text)
            if shorter == text:
                break
            text = shorter
        entry["text"] = " ".join(text.split())


def page_entries(entries: list[dict], url: str) -> list[int]:
    """The positions of the page's entries: the last run of entries with the page's address
    (Material appends a page's sections when it renders the page)."""
    found = []
    index = len(entries) - 1
    while index >= 0 and entries[index].get("location", "").split("#", 1)[0] == url:
        found.append(index)
        index -= 1
    return found[::-1]


def shape_routine(entries: list[dict], url: str, handbook: Handbook, routine) -> None:
    """Rewrite a routine page's entries in ``entries`` (Material's index) in place."""
    positions = page_entries(entries, url)
    if not positions:
        return  # search is off for the page (search: exclude), or not configured
    first = entries[positions[0]]
    if first.get("location") != url:
        raise InternalsChanged(f"Material's search index has no entry for the page {url} itself")
    first["text"] = shape.routine_facts(handbook, routine)
    # The generated sections stand last on the page, in this order (an editor's own
    # section with the same heading, in the body, stays).
    headings = shape.unindexed_headings(routine)
    tail = [entries[p].get("title") for p in positions[len(positions) - len(headings):]] if headings else []
    cut = len(positions) - len(headings) if headings and tail == headings and len(positions) > len(headings) \
        else len(positions)
    map_text = shape.map_words(handbook, routine)
    keep = []
    for number, position in enumerate(positions[:cut]):
        entry = entries[position]
        if number:
            entry.pop("tags", None)
            if number == 1 and map_text is not None and entry.get("title") == shape.MAP_HEADING:
                entry["text"] = map_text
        keep.append(entry)
    entries[positions[0]:positions[-1] + 1] = keep

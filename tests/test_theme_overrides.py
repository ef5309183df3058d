"""Overridden Material partials stay Material's, apart from what the handbook changes."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import material

REPO = Path(__file__).resolve().parent.parent
MATERIAL = Path(material.__file__).parent / "templates"

# The handbook's changes to partials/search.html (accessibility): ours → Material's.
SEARCH_CHANGES = {
    'role="dialog" aria-label="{{ lang.t(\'search\') }}"': 'role="dialog"',
    'class="md-search-result__meta" role="status" aria-live="polite"': 'class="md-search-result__meta"',
}


def _body(text: str) -> list[str]:
    # Without the leading template comment, which says where the file comes from.
    return re.sub(r"^\{#-.*?-#\}\n", "", text, count=1, flags=re.DOTALL).splitlines()


def test_search_partial_is_materials_with_two_attributes():
    ours = (REPO / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    theirs = (MATERIAL / "partials" / "search.html").read_text(encoding="utf-8")
    for change, original in SEARCH_CHANGES.items():
        assert ours.count(change) == 1, change
        ours = ours.replace(change, original)
    diff = list(difflib.unified_diff(_body(theirs), _body(ours), lineterm=""))
    assert diff == [], "\n".join(diff)

"""The tags index *Etiketter*: routines by process, target group and role.

The tags themselves are the core's (``core.state.routine_tags``); Material's
tags plugin fills each listing with the tagged routines.
"""

from __future__ import annotations

import json

from ..core.generated import generated
from ..core.handbook import Handbook
from ..core.state import TAG_GROUPS, routine_tags


def _listing_directive(names: list[str]) -> str:
    # The directive's options are YAML; JSON strings are valid YAML, and
    # escaping '>' keeps a name from closing the HTML comment early.
    include = json.dumps(names, ensure_ascii=False).replace(">", "\\u003e")
    return f"<!-- material/tags {{ include: {include} }} -->"


@generated("register/etiketter.md")
def tags_index(handbook: Handbook, page_uri: str) -> str:
    """The tags index by group; Material's tags plugin fills each listing with the tagged routines."""
    found: dict[str, set[str]] = {group: set() for group in TAG_GROUPS}
    for source in handbook.routines.values():
        for group, names in routine_tags(handbook, source.routine).items():
            found[group].update(names)
    lines = ["# Etiketter", "",
             "Rutinerna efter process, målgrupp och roll. Etiketterna står under rubriken på varje rutin; "
             "välj en etikett där för att se alla rutiner med samma etikett.", ""]
    for group in TAG_GROUPS:
        lines += [f"## {group}", ""]
        # An empty include list would mean "every tag", so an empty group gets a sentence instead.
        if found[group]:
            lines += [_listing_directive(sorted(found[group], key=str.casefold)), ""]
        else:
            lines += ["*Inga rutiner har etiketter av det här slaget ännu.*", ""]
    return "\n".join(lines)

"""Smaller pages: collapse the template whitespace in the built HTML.

Material's Jinja templates indent every navigation item; on a routine page in
a handbook with a thousand routines about half of the HTML is indentation and
blank lines (see ``bench/RESULTAT.md``). A line break followed by more
whitespace becomes one line break. That changes nothing a browser shows: in
normal text flow any run of spaces and line breaks is shown as one space.

Left exactly as written: ``pre``, ``code``, ``kbd`` and ``textarea`` (where
whitespace is shown, Material sets ``white-space: pre-wrap`` on code), and
``script`` and ``style``. Runs without a line break are left alone, and only
ASCII whitespace is touched, so a no-break space stays.
"""

from __future__ import annotations

import re

_PROTECTED_START = re.compile(r"<(pre|code|kbd|textarea|script|style)\b", re.IGNORECASE)
_PROTECTED_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
                  for name in ("pre", "code", "kbd", "textarea", "script", "style")}
# Only what follows a line break: matching spaces before it too would try every space in the text.
_BREAK_RUN = re.compile(r"\n[ \t\n\r\f]+")


def collapse_whitespace(html: str) -> str:
    """``html`` with each line break and the whitespace after it reduced to one line break.

    One pass: each protected element's end is looked for once, from its start
    (an element that never ends protects the rest of the page).
    """
    parts: list[str] = []
    position = 0
    while True:
        start = _PROTECTED_START.search(html, position)
        if start is None:
            break
        end = _PROTECTED_END[start.group(1).lower()].search(html, start.end())
        stop = end.end() if end else len(html)
        parts.append(_BREAK_RUN.sub("\n", html[position:start.start()]))
        parts.append(html[start.start():stop])
        position = stop
    parts.append(_BREAK_RUN.sub("\n", html[position:]))
    return "".join(parts)

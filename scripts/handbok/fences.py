"""Markdown helpers used from mkdocs.yml."""

from __future__ import annotations

import html


def fence_mermaid_custom(source, language, css_class, options, md, classes=None, id_value="", **kwargs):
    """Superfences formatter for ```mermaid fences, for Material's loader.

    Same markup as mermaid2's own ``fence_mermaid_custom`` (mermaid2 recognises
    the loader by this function name), but the source is HTML-escaped, so a
    label with < or & cannot inject markup; Material reads it back as text.
    """
    classes = css_class if classes is None else " ".join(classes + [css_class])
    ident = f' id="{html.escape(id_value)}"' if id_value else ""
    return f'<pre{ident} class="{html.escape(classes)}"><code>{html.escape(source)}\n</code></pre>'

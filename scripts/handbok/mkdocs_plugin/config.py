"""Options of the ``handbok`` MkDocs plugin (readable on one screen)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class HandbookConfig(Config):
    # Folder holding routines/, diagrams/ and routines/register/, relative to mkdocs.yml.
    root = c.Type(str, default=".")
    # Title of the nav entry that the plugin fills with the routines, grouped by process.
    nav_section = c.Type(str, default="Rutiner")
    # Warn this many days before a routine's review date.
    review_warning_days = c.Type(int, default=60)
    # Fixed "today" (YYYY-MM-DD) for reproducible builds and tests; empty means the real date.
    today = c.Type(str, default="")
    # Do mermaid2's page step (script tags on pages with a map) by string instead of its
    # per-page BeautifulSoup re-parse; mermaid2's options still decide what is loaded.
    fast_mermaid = c.Type(bool, default=True)
    # Collapse template indentation in the built pages (whitespace in pre/code/script kept).
    compact_html = c.Type(bool, default=True)
    # Put the menu's plain links together from one rendering of Material's link template
    # (checked against the template) instead of rendering each link on every page.
    fast_nav = c.Type(bool, default=True)
    # make serve: on a local Linux file system, the kernel reports a saved file at once
    # (inotify) instead of MkDocs polling the watched folders every half second (watching.py).
    native_watching = c.Type(bool, default=True)

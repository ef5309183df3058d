"""The Atom feed of approved changes (``andringar.xml``).

Staff follow what the nämnd has approved without logging in anywhere: every
approved release is an entry that lists the routines it made new, changed,
repealed, removed or reviewed without change, each linked to the routine as
published in that release (``/<version>/…``, which never changes afterwards).

The categories are the ones the nämnd was shown: the proposal that
``release prepare`` wrote beside the beslutsunderlag and ``release approve``
checked; the titles and versions come from the releases register. The feed is
written with ElementTree, which escapes every value.
"""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from .. import model
from ..core.addresses import routine_url
from ..core.build import ALIAS, MIKE_VERSION_VARIABLE
from ..core.handbook import Handbook
from ..core.releases import DECIDED, HEADINGS, REMOVED, Change, decided_changes

FILE = "andringar.xml"
TITLE = "Rutinhandboken – fastställda ändringar"
ATOM = "http://www.w3.org/2005/Atom"


def site_root(site_url: str, environ: dict | None = None) -> str:
    """The address of the whole site: mike builds each version with ``site_url`` pointing into
    the version's own folder (``…/2026.2/``), which the build is told in ``MIKE_DOCS_VERSION``."""
    environ = os.environ if environ is None else environ
    root = site_url if site_url.endswith("/") else site_url + "/"
    version = environ.get(MIKE_VERSION_VARIABLE)
    if version and root.endswith(f"/{version}/"):
        root = root[: -len(version) - 1]
    return root


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _summary(changes: list[Change]) -> str:
    counts = [(kind, sum(1 for c in changes if c.kind == kind)) for kind in DECIDED]
    parts = [f"{HEADINGS[kind].lower().split(' (')[0]}: {count}" for kind, count in counts if count]
    return "; ".join(parts) if parts else "inga ändringar i rutinerna"


def _content_html(release: model.Release, changes: list[Change], home: str) -> str:
    div = ET.Element("div")
    _sub(div, "p", f"{release.organ} fastställde version {release.version} av handboken den "
                   f"{release.date} ({release.reference}). Den gäller från {release.valid_from}.")
    if not changes:
        _sub(div, "p", "Versionen ändrade inga rutiner.")
    for kind in DECIDED:
        group = [c for c in changes if c.kind == kind]
        if not group:
            continue
        _sub(div, "h2", HEADINGS[kind])
        items = _sub(div, "ul")
        for change in group:
            routine = change.routine
            item = _sub(items, "li")
            if kind == REMOVED:
                item.text = f"{routine.title} (version {routine.version})"
                continue
            url = urljoin(home, routine_url(routine))
            _sub(item, "a", routine.title, href=url).tail = f" (version {routine.version})"
    return ET.tostring(div, encoding="unicode", method="html")


def atom(handbook: Handbook, site_url: str, today: dt.date) -> str:
    """The feed as text. ``site_url`` is the build's (under mike the version's); the addresses
    start at the site's root (``site_root``), where mike puts each version in ``<version>/``."""
    register = handbook.releases
    base = site_root(site_url)
    diagram_of = {rid: s.routine.diagram for rid, s in handbook.routines.items() if s.routine.diagram}
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "sv"})
    a = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    feed_url = urljoin(base, f"{ALIAS}/{FILE}")
    _sub(feed, a("id"), feed_url)
    _sub(feed, a("title"), TITLE)
    _sub(feed, a("subtitle"), "Versioner av handboken som nämnden har fastställt, med de rutiner varje version ändrade.")
    latest = max((r.date for r in register.releases), default=today)
    _sub(feed, a("updated"), _timestamp(latest))
    _sub(feed, a("link"), rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, a("link"), rel="alternate", type="text/html", href=urljoin(base, f"{ALIAS}/"))
    _sub(feed, a("generator"), "Rutinhandboken")

    previous = None
    entries = []
    for release in register.releases:
        entries.append((release, decided_changes(handbook.root, previous, release, diagram_of)))
        previous = release
    for release, changes in reversed(entries):
        home = urljoin(base, f"{release.version}/")
        entry = _sub(feed, a("entry"))
        _sub(entry, a("id"), home)
        _sub(entry, a("title"), f"Version {release.version} fastställd av {release.organ} ({release.reference})")
        _sub(entry, a("published"), _timestamp(release.date))
        _sub(entry, a("updated"), _timestamp(release.date))
        author = _sub(entry, a("author"))
        _sub(author, a("name"), release.organ)
        _sub(entry, a("link"), rel="alternate", type="text/html", href=urljoin(home, "beslut-och-versioner/"))
        _sub(entry, a("summary"), f"Gäller från {release.valid_from}. " + _summary(changes).capitalize() + ".")
        # HTML content (type="html", escaped once more by ElementTree): every feed reader shows it.
        _sub(entry, a("content"), _content_html(release, changes, home), type="html")
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"

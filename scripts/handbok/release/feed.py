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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from .. import model
from ..handbook import Handbook, routine_url
from . import ReleaseError
from .plan import CHANGED, HEADINGS, NEW, REMOVED, REPEALED, REVIEWED, read_proposal
from .publish import ALIAS
from .register import ReleaseRegister
from .site import MIKE_VERSION_VARIABLE

FILE = "andringar.xml"
TITLE = "Rutinhandboken – fastställda ändringar"
ATOM = "http://www.w3.org/2005/Atom"
ORDER = (NEW, CHANGED, REPEALED, REMOVED, REVIEWED)


@dataclass(frozen=True)
class Change:
    kind: str
    routine: model.ReleasedRoutine


def release_changes(previous: model.Release | None, release: model.Release,
                    diagram_of: dict[str, str] | None = None) -> list[Change]:
    """What ``release`` changed since ``previous``, in the beslutsunderlag's categories.

    ``diagram_of`` maps a routine id to its process map's file name, so that a routine
    whose map alone changed counts as changed.
    """
    diagram_of = diagram_of or {}
    before_maps = {d.name: d.sha256 for d in previous.diagrams} if previous else {}
    after_maps = {d.name: d.sha256 for d in release.diagrams}
    changes = []
    for entry in release.routines:
        if entry.status == "utkast":
            continue  # not part of the decision
        old = previous.routine(entry.id) if previous else None
        was_in_force = old is not None and old.status == "gällande"
        if entry.status == "upphävd":
            if old is None or old.status != "upphävd":
                changes.append(Change(REPEALED, entry))
            continue
        if not was_in_force:
            changes.append(Change(NEW, entry))
            continue
        name = diagram_of.get(entry.id)
        map_changed = bool(name) and name in after_maps and before_maps.get(name) != after_maps[name]
        if old.sha256 != entry.sha256 or map_changed:
            changes.append(Change(CHANGED, entry))
        elif old.review_by != entry.review_by:
            changes.append(Change(REVIEWED, entry))
    if previous is not None:
        kept = {entry.id for entry in release.routines}
        changes += [Change(REMOVED, old) for old in previous.routines
                    if old.id not in kept and old.status != "utkast"]
    return _ordered(changes)


def _ordered(changes: list[Change]) -> list[Change]:
    """In the beslutsunderlag's order of categories, by title within each."""
    return sorted(changes, key=lambda c: (ORDER.index(c.kind), c.routine.title.casefold()))


def decided_changes(root, previous: model.Release | None, release: model.Release,
                    diagram_of: dict[str, str] | None = None) -> list[Change]:
    """What the nämnd was shown for ``release``: the categories in the proposal that
    ``release prepare`` wrote and ``release approve`` checked (``beslutsunderlag/<version>/``).

    Without a readable proposal the register is compared release against release instead
    (``release_changes``); that cannot tell a routine reviewed without change from a changed
    one, as the new decision's ``approved`` is part of the recorded checksum.
    """
    try:
        proposal = read_proposal(Path(root), release.version)
    except ReleaseError:
        return release_changes(previous, release, diagram_of)
    decided = proposal.get("rutiner")
    if not isinstance(decided, dict):
        return release_changes(previous, release, diagram_of)
    changes = []
    for rid, entry in decided.items():
        kind = entry.get("kategori") if isinstance(entry, dict) else None
        if kind not in ORDER:
            continue  # unchanged, or a draft left out of the decision
        routine = release.routine(rid) if kind != REMOVED else (previous.routine(rid) if previous else None)
        if routine is not None:
            changes.append(Change(kind, routine))
    return _ordered(changes)


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
    counts = [(kind, sum(1 for c in changes if c.kind == kind)) for kind in ORDER]
    parts = [f"{HEADINGS[kind].lower().split(' (')[0]}: {count}" for kind, count in counts if count]
    return "; ".join(parts) if parts else "inga ändringar i rutinerna"


def _content_html(release: model.Release, changes: list[Change], home: str) -> str:
    div = ET.Element("div")
    _sub(div, "p", f"{release.organ} fastställde version {release.version} av handboken den "
                   f"{release.date} ({release.reference}). Den gäller från {release.valid_from}.")
    if not changes:
        _sub(div, "p", "Versionen ändrade inga rutiner.")
    for kind in ORDER:
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


def atom(handbook: Handbook, register: ReleaseRegister, site_url: str, today: dt.date) -> str:
    """The feed as text. ``site_url`` is the build's (under mike the version's); the addresses
    start at the site's root (``site_root``), where mike puts each version in ``<version>/``."""
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

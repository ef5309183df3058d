"""Safe HTML by construction: the one allow-list of what a page's content may hold.

Every page's content (a routine, a page in ``docs/``, a generated register)
is sanitised after Markdown has run, by nh3 (the Python binding of the Rust
sanitiser ammonia, which parses HTML as a browser does, with html5ever). Only
the elements and attributes below survive; everything else is removed, and
what was removed is reported, so the checker and the build say the same thing
about the same HTML (``checks.safety`` turns a removal into a finding).

What was removed is found by a second nh3 pass that keeps everything
(``_EVERYTHING``): both passes parse the same input the same way and
serialise it the same way, so when the two results are equal nothing was
removed (the usual case, and the only cost is two fast passes). When they
differ, the element and attribute events of both serialisations are read
with the standard library's tokenizer (safe here: html5ever's output is
well formed, quoted and escaped) and aligned: what the permissive pass has
and the strict pass lacks was removed.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

# --- the allow-list -------------------------------------------------------------------

CONTENT_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var", "wbr",
    # mkdocs-autorefs' cross-reference placeholder (mkdocstrings); replaced by a link later.
    "autoref",
})
"""Elements an editor may write (and Markdown and the handbook's own blocks produce)."""

FORM_TAGS = frozenset({"form", "input", "select", "option", "button", "label"})
"""Form controls: only in what the handbook itself writes (the registers' filters, the start
page's search, a map's *Visa större*), never in an editor's text."""

OWN_ATTRIBUTES = frozenset({"tabindex"})
OWN_ATTRIBUTE_PREFIXES = frozenset({"data-"})
"""What the handbook's own blocks add for its styles and scripts (a map's box takes the focus;
the start page and the registers carry their state in data attributes)."""

GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "hidden", "role"})
ATTRIBUTE_PREFIXES = frozenset({"aria-", "data-handbok-"})
# The data attributes the handbook's own pages and scripts use.
HANDBOOK_DATA = frozenset({
    "data-search-exclude", "data-lagrum", "data-roll", "data-status", "data-lage", "data-revidera",
    "data-fynd", "data-rutin", "data-version", "data-ansvar", "data-sorteringsvarde", "data-period",
    "data-sortera", "data-total", "data-idag", "data-varningsdagar", "data-regel",
})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "abbr": frozenset(),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "autoref": frozenset({"identifier", "optional", "hover", "filepath"}),
}
FORM_ATTRIBUTES: dict[str, frozenset[str]] = {
    "input": frozenset({"type", "name", "autocomplete", "required", "placeholder", "value"}),
    "select": frozenset({"name"}),
    "option": frozenset({"value", "selected"}),
    "button": frozenset({"type"}),
    "label": frozenset({"for"}),
    "form": frozenset(),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Addresses a link may have (besides relative ones and #anchors)."""

# Attributes that make the browser fetch something when the page loads.
RESOURCE_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "xlink:href"})
URL_ATTRIBUTES = RESOURCE_ATTRIBUTES | frozenset({"href", "action", "formaction", "cite", "longdesc",
                                                  "usemap", "manifest", "codebase", "ping"})
# Removed together with their content: what they hold is code, styles or not text.
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "iframe", "noscript", "noembed", "noframes",
                                "xmp", "title", "textarea", "svg", "math", "object", "applet"})

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data)\s*:", re.IGNORECASE)


def _attributes(generated: bool) -> dict[str, set[str]]:
    attributes = {"*": set(GLOBAL_ATTRIBUTES | HANDBOOK_DATA | (OWN_ATTRIBUTES if generated else set()))}
    for tag, names in TAG_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(names)
    if generated:
        for tag, names in FORM_ATTRIBUTES.items():
            attributes.setdefault(tag, set()).update(names)
    return attributes


def is_external(url: str) -> bool:
    """An address on another host: with a scheme, or starting with // (also \\\\ as browsers read it)."""
    cleaned = _CONTROL.sub("", _html.unescape(url)).replace("\\", "/")
    return bool(_SCHEME.match(cleaned)) or cleaned.startswith("//")


def is_dangerous_url(url: str) -> bool:
    """True for javascript:, vbscript: and data: addresses, also when hidden with entities, spaces or case."""
    return bool(_BAD_SCHEME.match(_CONTROL.sub("", _html.unescape(url))))


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Decisions beyond membership in the allow-list (nh3 calls this for every allowed attribute)."""
    if attribute in RESOURCE_ATTRIBUTES and is_external(value):
        return None  # nothing is loaded from another host
    if attribute in ("id", "for", "name") and value.startswith("__"):
        return None  # Material's own ids (__config, __search …) stay Material's
    return value


_STRICT = {
    generated: dict(
        tags=set(CONTENT_TAGS | (FORM_TAGS if generated else set())),
        clean_content_tags=set(CLEAN_CONTENT_TAGS - (FORM_TAGS if generated else set())),
        attributes=_attributes(generated),
        generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES | (OWN_ATTRIBUTE_PREFIXES if generated else set())),
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        attribute_filter=_filter,
    )
    for generated in (False, True)
}

# Every element of HTML (and the roots of SVG and MathML): the permissive pass keeps
# them all, with every attribute and address, so that the difference is what was removed.
_ALL_TAGS = CONTENT_TAGS | FORM_TAGS | CLEAN_CONTENT_TAGS | {
    "address", "area", "article", "aside", "audio", "base", "bdi", "bdo", "big", "blink", "body", "canvas",
    "center", "data", "datalist", "dialog", "dir", "embed", "fieldset", "font", "footer", "frame", "frameset",
    "head", "header", "hgroup", "html", "image", "keygen", "legend", "link", "main", "map", "marquee", "menu",
    "meta", "meter", "nav", "nobr", "optgroup", "output", "param", "picture", "plaintext", "portal", "progress",
    "rb", "rp", "rt", "rtc", "ruby", "search", "section", "slot", "source", "strike", "tt", "track", "video",
    "acronym", "basefont", "bgsound", "spacer", "isindex", "listing", "multicol", "nextid", "noindex",
}
_EVERYTHING = dict(
    tags=set(_ALL_TAGS),
    clean_content_tags=set(),
    attributes={},
    generic_attribute_prefixes={""},
    url_schemes={"http", "https", "mailto", "tel", "javascript", "vbscript", "livescript", "data", "file", "ftp",
                 "blob", "about", "ws", "wss", "sms", "news", "irc", "ssh", "git", "res", "jar", "view-source"},
    link_rel=None,
    strip_comments=True,
)


# --- removals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """One element or attribute the sanitiser removed."""

    tag: str
    attribute: str | None  # None: the element itself
    value: str = ""

    @property
    def reason(self) -> str:
        """element | style | handler | script-url | external | attribute"""
        if self.attribute is None:
            return "style" if self.tag == "style" else "element"
        name = self.attribute
        if name.startswith("on"):
            return "handler"
        if name == "style":
            return "style"
        if name in URL_ATTRIBUTES and is_dangerous_url(self.value):
            return "script-url"
        if name in RESOURCE_ATTRIBUTES and is_external(self.value):
            return "external"
        return "attribute"

    def as_data(self) -> tuple:
        return (self.tag, self.attribute, self.value)


@dataclass(frozen=True)
class Sanitized:
    html: str
    removed: tuple[Removed, ...]


def sanitize(text: str, *, generated: bool = False) -> Sanitized:
    """``text`` with everything outside the allow-list removed, and what was removed.

    ``generated`` allows what only the handbook itself writes: form controls, ``tabindex``
    and any ``data-`` attribute (its generated pages and the blocks it puts into pages).
    """
    clean = nh3.clean(text, **_STRICT[generated])
    if "<" not in text:
        return Sanitized(clean, ())
    everything = nh3.clean(text, **_EVERYTHING)
    if everything == clean:
        return Sanitized(clean, ())
    return Sanitized(clean, tuple(_difference(everything, clean)))


class _Events(HTMLParser):
    """Start and end tags of well-formed HTML (html5ever's serialisation), with attributes."""

    # html5ever writes the text of these elements as it is (raw text), like a browser reads it.
    CDATA_CONTENT_ELEMENTS = ("script", "style", "iframe", "noembed", "noframes", "xmp", "noscript")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.events.append(("end", tag, {}))


def _events(text: str) -> list[tuple[str, str, dict[str, str]]]:
    parser = _Events()
    parser.feed(text)
    parser.close()
    return parser.events


def _difference(everything: str, clean: str) -> list[Removed]:
    """What ``everything`` has and ``clean`` lacks: the strict pass only deletes, so its
    events are a subsequence of the permissive pass's; a greedy walk aligns them."""
    wanted = _events(clean)
    removed: list[Removed] = []
    position = 0
    skipping: list[str] = []  # inside an element removed with its content
    for kind, tag, attributes in _events(everything):
        if skipping:
            if kind == "start" and tag == skipping[-1]:
                skipping.append(tag)
            elif kind == "end" and tag == skipping[-1]:
                skipping.pop()
            continue
        if position < len(wanted) and wanted[position][0] == kind and wanted[position][1] == tag:
            if kind == "start":
                kept = wanted[position][2]
                removed += [Removed(tag, name, value) for name, value in attributes.items()
                            if kept.get(name) != value]
            position += 1
            continue
        if kind == "start":
            removed.append(Removed(tag, None))
            if tag in CLEAN_CONTENT_TAGS:
                skipping.append(tag)
    return removed

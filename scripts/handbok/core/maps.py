"""Process maps as Mermaid read them: the one reading of a map.

The maps are Mermaid flowcharts, drawn in the reader's browser by the
vendored Mermaid. ``core.mermaid`` runs that same Mermaid under Node and
takes what it understood from its flowchart database (vertices with labels
and shapes, edges with type, stroke and label, subgraphs with titles and
members, classes, accTitle/accDescr, click lines, the map's settings). This
module turns that record into the data classes every consumer reads
(``Flowchart``, ``Node``, ``Edge``, ``Group``, ``Click``), and computes the
facts derived from a map once: the labels as a reader sees them, the steps
in reading order, and what a map would load from other hosts. Nothing here
reads the map's text itself; where a finding needs a line, it is the line
Mermaid's parser was on.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Iterator

from .markdown_text import is_external

# Mermaid's names for a decision: the classic {…} and the names of @{ shape: … }.
DECISION_SHAPES = frozenset({"diamond", "diam", "decision", "question"})

# Mermaid's link types (FlowDB edge.type): the markers at the start and the end.
_ENDS = {
    "arrow_point": (None, "arrow"),
    "arrow_open": (None, None),
    "arrow_cross": (None, "cross"),
    "arrow_circle": (None, "circle"),
    "double_arrow_point": ("arrow", "arrow"),
    "double_arrow_cross": ("cross", "cross"),
    "double_arrow_circle": ("circle", "circle"),
}


# --- the data classes ---------------------------------------------------------------------


@dataclass
class Node:
    """A step of the map (a Mermaid vertex)."""

    id: str
    label: str  # as the reader sees it: no Markdown, HTML, entities or icon codes
    shape: str = "square"  # Mermaid's shape name: square, round, diamond, stadium, … or an @{ shape } name
    line: int = 0
    link: str | None = None  # a click href as the editor wrote it
    group: str | None = None  # the innermost subgraph the node belongs to
    image: str | None = None  # @{ img: … }
    icon: str | None = None  # @{ icon: … }
    classes: tuple[str, ...] = ()
    raw: str = ""  # Mermaid's label text (HTML sanitised by Mermaid), for the checks
    image_line: int = 0

    @property
    def is_decision(self) -> bool:
        return self.shape in DECISION_SHAPES


@dataclass
class Edge:
    """A link between two nodes (or subgraphs)."""

    source: str
    target: str
    label: str | None
    line: int = 0
    kind: str = "arrow_point"  # Mermaid's edge type
    stroke: str = "normal"  # normal | thick | dotted | invisible
    length: int = 1
    id: str | None = None  # an edge id the editor gave (e1@-->)
    raw: str = ""

    @property
    def visible(self) -> bool:
        """An invisible link (``~~~``) only places nodes; Mermaid draws nothing."""
        return self.stroke != "invisible"

    @property
    def ends(self) -> tuple[str | None, str | None]:
        """The markers at the source and at the target end: arrow, cross, circle or None."""
        return _ENDS.get(self.kind, (None, "arrow"))

    @property
    def symmetric(self) -> bool:
        """Both ends look the same (no arrow, or the same marker at both ends)."""
        start, end = self.ends
        return start == end


@dataclass
class Group:
    """A subgraph: a named group of steps (and of other groups)."""

    id: str
    title: str
    members: list[str] = field(default_factory=list)
    line: int = 0
    parent: str | None = None
    raw: str = ""


@dataclass(frozen=True)
class Click:
    """A ``click`` line: a link (``href``) or a JavaScript callback (``call``)."""

    line: int
    nodes: tuple[str, ...]
    action: str  # href | call
    value: str  # the address, or the function's name
    target: str | None = None  # _blank …, or a callback's arguments
    tooltip: str | None = None


@dataclass(frozen=True)
class Style:
    """A ``style``, ``classDef`` or ``linkStyle`` statement."""

    line: int
    kind: str
    target: str
    styles: tuple[str, ...]


@dataclass
class Step:
    number: int
    node: Node


@dataclass
class Flowchart:
    direction: str = "TB"
    title: str | None = None  # accTitle
    description: str | None = None  # accDescr
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    clicks: list[Click] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)
    _steps: list[Step] | None = field(default=None, repr=False, compare=False)

    def steps(self) -> list[Step]:
        """Every node once, in reading order: breadth-first along the links from the starts.

        A start is a node no visible link leads to (taken in the order Mermaid met
        them, each flow read to its end before the next); a link into a group leads
        to its steps. Nodes no start reaches (a loop) follow in the order met.
        """
        if self._steps is not None:
            return self._steps
        outgoing: dict[str, list[str]] = {}
        incoming: set[str] = set()
        for edge in self.edges:
            if not edge.visible:
                continue
            sources = self.members_of(edge.source)
            targets = self.members_of(edge.target)
            for source in sources:
                outgoing.setdefault(source, []).extend(targets)
            incoming.update(targets)
        order: list[str] = []
        seen: set[str] = set()
        # One start at a time, so that each flow reads to its end before the next begins.
        starts = [n for n in self.nodes if n not in incoming] + list(self.nodes)
        for start in starts:
            if start in seen:
                continue
            queue = [start]
            while queue:
                current = queue.pop(0)
                if current in seen:
                    continue
                seen.add(current)
                order.append(current)
                queue.extend(t for t in outgoing.get(current, []) if t not in seen)
        self._steps = [Step(index + 1, self.nodes[node_id]) for index, node_id in enumerate(order)]
        return self._steps

    def step_numbers(self) -> dict[str, int]:
        return {step.node.id: step.number for step in self.steps()}

    def members_of(self, item: str) -> list[str]:
        """The nodes an id stands for: the node itself, or every node of a group (nested too)."""
        if item in self.nodes:
            return [item]
        group = self.groups.get(item)
        if group is None:
            return []
        found: list[str] = []
        stack = [group]
        visited: set[str] = set()
        while stack:
            current = stack.pop(0)
            if current.id in visited:
                continue
            visited.add(current.id)
            for member in current.members:
                if member in self.nodes:
                    found.append(member)
                elif member in self.groups:
                    stack.append(self.groups[member])
        order = {node_id: index for index, node_id in enumerate(self.nodes)}
        return sorted(set(found), key=order.__getitem__)

    def group_path(self, item: str) -> list[Group]:
        """The groups a node or group is in, innermost first."""
        path: list[Group] = []
        parent = self.nodes[item].group if item in self.nodes else (self.groups[item].parent if item in self.groups else None)
        while parent and parent in self.groups and all(g.id != parent for g in path):
            path.append(self.groups[parent])
            parent = self.groups[parent].parent
        return path

    def links(self) -> list[Click]:
        """The click links (``href``), in the order of the map."""
        return [click for click in self.clicks if click.action == "href"]


@dataclass(frozen=True)
class Limit:
    """A map over one of Mermaid's own limits (the browser draws an error instead)."""

    name: str  # maxTextSize | maxEdges
    size: int
    maximum: int
    line: int = 1  # where Mermaid stopped (the first link over maxEdges)


@dataclass
class MapReading:
    """What Mermaid made of one map."""

    ok: bool  # Mermaid parsed it
    diagram_type: str = ""
    chart: Flowchart | None = None  # when it is a flowchart
    error: dict | None = None  # Mermaid's parse error (see ``core.mermaid.verdict``)
    limit: Limit | None = None
    config: dict = field(default_factory=dict)  # the settings of front matter and %%{init}%%, as Mermaid kept them
    denied: tuple[str, ...] = ()  # secure settings Mermaid refused to change (securityLevel …)
    size: int = 0

    @property
    def is_flowchart(self) -> bool:
        return self.diagram_type.startswith("flowchart")


# --- labels as the reader sees them --------------------------------------------------------

ICON = re.compile(r"(fa[bklrs]?):fa-[\w-]+")  # Mermaid draws these as icons (createText.ts)
_BREAK_TAGS = frozenset({"br", "p", "div", "li", "tr", "hr"})


class _TextOf(HTMLParser):
    """The text a browser shows for a piece of HTML (tags dropped, entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in _BREAK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BREAK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    if "<" not in markup and "&" not in markup:
        return markup
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


_MARKDOWN: Any = None


def _markdown_html(text: str) -> str:
    """A Markdown string the way Mermaid draws it: bold, italics and line breaks; the rest as written.

    Mermaid renders only paragraphs, ``**strong**`` and ``*em*`` of its Markdown
    strings (``handle-markdown-text.ts``); lists, headings, links and code are
    shown as typed. Python-Markdown with only those processors does the same.
    """
    global _MARKDOWN
    if _MARKDOWN is None:
        import markdown

        md = markdown.Markdown()
        for name in ("indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote", "reference"):
            md.parser.blockprocessors.deregister(name, strict=False)
        for name in ("backtick", "reference", "link", "image_link", "image_reference", "short_reference",
                     "short_image_ref", "autolink", "automail", "linebreak"):
            md.inlinePatterns.deregister(name, strict=False)
        md.preprocessors.deregister("html_block", strict=False)
        _MARKDOWN = md
    # Mermaid turns <br/> into line breaks and removes the indentation of each line.
    text = "\n".join(line.strip() for line in text.replace("<br/>", "\n").split("\n"))
    return _MARKDOWN.reset().convert(text)


def reader_text(text: str, label_type: str = "text") -> str:
    """A label as the reader sees it in the drawn map, as plain text on one line."""
    if not text:
        return ""
    if label_type == "markdown":
        text = _markdown_html(text)
    else:
        text = text.replace("\\n", "\n")  # Mermaid draws a typed \n as a line break
    if "fa" in text:
        text = ICON.sub(" ", text)
    text = html_text(text)
    return " ".join(text.split())


# --- building the chart from Mermaid's record ----------------------------------------------


def reading_from(result: dict) -> MapReading:
    """The ``MapReading`` of one result of ``mermaid_read.mjs``."""
    if not result.get("ok"):
        limit = None
        if result.get("limit"):
            limit = Limit(str(result["limit"]), int(result.get("size") or 0), int(result.get("max") or 0),
                          int(result.get("line") or 1))
        return MapReading(False, error=None if limit else result, limit=limit, size=int(result.get("size") or 0))
    reading = MapReading(True, diagram_type=str(result.get("type") or ""), config=result.get("config") or {},
                         denied=tuple(result.get("denied") or ()), size=int(result.get("size") or 0))
    if result.get("flowchart") is not None:
        reading.chart = flowchart_from(result["flowchart"])
    return reading


def flowchart_from(data: dict) -> Flowchart:
    chart = Flowchart(
        direction=data.get("direction") or "TB",
        title=reader_text(data.get("accTitle") or "") or None,
        description=" ".join((data.get("accDescr") or "").split()) or None,
    )
    group_ids = {item["id"] for item in data.get("subgraphs") or ()}
    links = {}
    for click in data.get("clicks") or ():
        record = Click(int(click.get("line") or 0), tuple(click.get("ids") or ()), str(click.get("action")),
                       str(click.get("value") or ""), click.get("target"), click.get("tooltip"))
        chart.clicks.append(record)
        if record.action == "href":
            for node_id in record.nodes:
                links[node_id] = record.value
    for vertex in data.get("vertices") or ():
        node_id = vertex["id"]
        if node_id in group_ids:
            continue  # a link to a subgraph made a vertex of its id; Mermaid draws the group
        raw = vertex.get("text") or ""
        chart.nodes[node_id] = Node(
            id=node_id,
            label=reader_text(raw, vertex.get("labelType") or "text"),
            shape=vertex.get("type") or "square",
            line=int(vertex.get("labelLine") or vertex.get("line") or 0),
            link=links.get(node_id),
            image=vertex.get("img"),
            icon=vertex.get("icon"),
            classes=tuple(vertex.get("classes") or ()),
            raw=raw,
            image_line=int(vertex.get("imgLine") or 0),
        )
    for item in sorted(data.get("subgraphs") or (), key=lambda s: s.get("line") or 0):
        raw = item.get("title") or ""
        chart.groups[item["id"]] = Group(item["id"], reader_text(raw, item.get("labelType") or "text") or item["id"],
                                         list(item.get("nodes") or ()), int(item.get("line") or 0), raw=raw)
    for group in chart.groups.values():
        for member in group.members:
            if member in chart.nodes:
                chart.nodes[member].group = group.id
            elif member in chart.groups:
                chart.groups[member].parent = group.id
    for edge in data.get("edges") or ():
        raw = edge.get("text") or ""
        chart.edges.append(Edge(
            source=edge["start"], target=edge["end"],
            label=reader_text(raw, edge.get("labelType") or "text") or None,
            line=int(edge.get("line") or 0), kind=edge.get("type") or "arrow_point",
            stroke=edge.get("stroke") or "normal", length=int(edge.get("length") or 1), id=edge.get("id"), raw=raw,
        ))
    for item in data.get("classes") or ():
        chart.classes[item["id"]] = tuple(item.get("styles") or ())
    for item in data.get("styles") or ():
        chart.styles.append(Style(int(item.get("line") or 0), str(item.get("kind")), str(item.get("target")),
                                  tuple(item.get("styles") or ())))
    return chart


# --- what a map would load from other hosts -------------------------------------------------

_URL_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "background", "action", "formaction",
                             "xlink:href", "href", "lowsrc", "dynsrc", "longdesc", "imagesrcset"})
_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<url>[^'")]*)(?P=q)\s*\)|@import\s+(?P<iq>['"])(?P<import>[^'"]*)(?P=iq)""",
                      re.IGNORECASE)


def leaves_site(url: str) -> bool:
    """An address on another host (``https://…``, ``//host/…``); ``data:`` is inside the page."""
    url = html.unescape(url).strip()
    if url.lower().startswith("data:"):
        return False
    return is_external(url) or url.startswith("\\\\")


def _css_urls(css: str) -> Iterator[str]:
    if "url" not in css.lower() and "@import" not in css.lower():
        return
    for match in _CSS_URL.finditer(css):
        yield (match.group("url") if match.group("url") is not None else match.group("import")).strip()


class _Requests(HTMLParser):
    """Addresses a piece of label HTML makes the browser fetch (images, styles …); links are not fetched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (what, url)
        self._style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.urls += [(f"<{tag} style>", url) for url in _css_urls(value)]
            elif name in _URL_ATTRIBUTES and not (name == "href" and tag == "a"):
                candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name.endswith("srcset") else [value]
                self.urls += [(f"<{tag} {name}>", url) for url in candidates if url]
        if tag == "style":
            self._style = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "style":
            self._style = False

    def handle_data(self, data):
        if self._style:
            self.urls += [("<style>", url) for url in _css_urls(data)]


def _html_requests(markup: str) -> list[tuple[str, str]]:
    if "<" not in markup:
        return []
    parser = _Requests()
    parser.feed(markup)
    parser.close()
    return parser.urls


@dataclass(frozen=True)
class Fetch:
    """Something the drawn map would load from another host."""

    line: int
    place: str  # in Swedish: where in the map
    url: str


def _config_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _config_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _config_strings(item, f"{path}[{index}]")


def external_fetches(reading: MapReading, locate) -> list[Fetch]:
    """What the map would make the reader's browser fetch from another host.

    ``locate(word)`` gives the line of a setting in the map's text (front matter
    or ``%%{init}%%``), which Mermaid's record does not hold.
    """
    found: list[Fetch] = []
    chart = reading.chart
    if chart is not None:
        for node in chart.nodes.values():
            name = node.label or node.id
            if node.image and leaves_site(node.image):
                found.append(Fetch(node.image_line or node.line, f"bilden i steget '{name}'", node.image))
            for what, url in _html_requests(node.raw):
                if leaves_site(url):
                    found.append(Fetch(node.line, f"{what} i steget '{name}'", url))
        for edge in chart.edges:
            for what, url in _html_requests(edge.raw):
                if leaves_site(url):
                    found.append(Fetch(edge.line, f"{what} i pilens text", url))
        for group in chart.groups.values():
            for what, url in _html_requests(group.raw):
                if leaves_site(url):
                    found.append(Fetch(group.line, f"{what} i gruppens rubrik '{group.title}'", url))
        for style in chart.styles:
            for url in _css_urls(";".join(style.styles)):
                if leaves_site(url):
                    found.append(Fetch(style.line, f"{style.kind} {style.target}", url))
    # Mermaid puts settings such as themeCSS and fontFamily into the drawn map's style sheet.
    for path, value in _config_strings(reading.config):
        for url in _css_urls(value):
            if leaves_site(url):
                found.append(Fetch(locate(path.rsplit(".", 1)[-1]), f"inställningen {path}", url))
    return sorted(set(found), key=lambda fetch: (fetch.line, fetch.place, fetch.url))


# --- the map's text for the page ------------------------------------------------------------


def _click_line(lines: list[str], click: Click, quoted: str) -> int | None:
    """The index of the line with this click's address: the line Mermaid was on, else the nearest."""
    at = click.line - 1
    if 0 <= at < len(lines) and quoted in lines[at]:
        return at
    candidates = [i for i, line in enumerate(lines) if quoted in line and "click" in line]
    return min(candidates, key=lambda i: abs(i - at)) if candidates else None


def with_links(source: str, chart: Flowchart, resolve) -> str:
    """The map's text with each click address replaced by ``resolve(address)``.

    The page gets the map as the editor wrote it, except that ``click … "rutin.md"``
    points at the routine's published page (what ``resolve`` gives), and an address
    ``resolve`` refuses (None: ``javascript:`` …) points nowhere (``#``).
    """
    lines = source.replace("\r\n", "\n").split("\n")
    changed = False
    for click in chart.links():
        new = resolve(click.value)
        if new == click.value:
            continue
        new = (new or "#").replace('"', "%22")
        for written in (click.value, click.value.replace("&", "#")):
            quoted = f'"{written}"'
            index = _click_line(lines, click, quoted)
            if index is not None:
                lines[index] = lines[index].replace(quoted, f'"{new}"', 1)
                changed = True
                break
    return "\n".join(lines) if changed else source

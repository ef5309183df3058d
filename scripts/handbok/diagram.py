"""Process maps: reading a Mermaid flowchart and turning it into text.

Every process map must also exist as text (WCAG 2.1, 1.1.1). The handbook's
maps are Mermaid flowcharts; this module reads the flowchart statements the
handbook uses (nodes, edges with labels, accTitle/accDescr, click links,
subgraphs and styling, which are ignored) and produces an ordered list of
steps with their branches. A statement it cannot read is reported with its
line, so a map that cannot be turned into text fails the check.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

HEADER = re.compile(r"^(flowchart|graph)(\s+(TD|TB|LR|RL|BT))?\s*;?$")
ACC_TITLE = re.compile(r"^accTitle\s*:\s*(.*)$")
ACC_DESCR = re.compile(r"^accDescr\s*:\s*(.*)$")
ACC_DESCR_BLOCK = re.compile(r"^accDescr\s*\{\s*(.*)$")
CLICK = re.compile(r'^click\s+([A-Za-z0-9_]+)\s+(?:href\s+)?"([^"]+)"(?:\s+"[^"]*")?(?:\s+_(?:self|blank|parent|top))?\s*;?$')
IGNORED = re.compile(r"^(classDef|class|style|linkStyle|direction)\b")
SUBGRAPH = re.compile(r"^subgraph\s+(.+)$")

_ID = r"[A-Za-z0-9_]+"
# Shapes, longest delimiters first. Each maps opening/closing to a shape name.
_SHAPES = [
    (r"\(\[", r"\]\)", "start"),
    (r"\(\(", r"\)\)", "circle"),
    (r"\[\[", r"\]\]", "subroutine"),
    (r"\[\(", r"\)\]", "database"),
    (r"\{\{", r"\}\}", "hexagon"),
    (r"\[/", r"/\]", "parallelogram"),
    (r"\[\\", r"\\\]", "parallelogram"),
    (r"\[", r"\]", "box"),
    (r"\(", r"\)", "round"),
    (r"\{", r"\}", "decision"),
    (r">", r"\]", "flag"),
]
_SHAPE_RE = "|".join(f"{o}(?P<l{i}>.*?){c}" for i, (o, c, _) in enumerate(_SHAPES))
NODE = re.compile(rf"\s*(?P<id>{_ID})(?:{_SHAPE_RE})?\s*")
EDGE = re.compile(
    r"\s*(?:"
    r"(?P<arrow>-->|---|-\.->|-\.-|==>|===|--x|--o|<-->)\s*(?:\|(?P<label>[^|]*)\|)?"
    r"|--\s+(?P<tlabel>[^-|>][^>]*?)\s+-->"
    r"|-\.\s+(?P<dlabel>[^>]*?)\s+\.->"
    r"|==\s+(?P<elabel>[^>]*?)\s+==>"
    r")\s*"
)


@dataclass
class Node:
    id: str
    label: str
    shape: str = "box"
    line: int = 0
    link: str | None = None

    @property
    def is_decision(self) -> bool:
        return self.shape in ("decision", "hexagon")


@dataclass
class Edge:
    source: str
    target: str
    label: str | None
    line: int


@dataclass
class Step:
    number: int
    node: Node
    transitions: list[tuple[str | None, "Step"]] = field(default_factory=list)


@dataclass
class Flowchart:
    direction: str = "TD"
    title: str | None = None
    title_line: int = 0
    description: str | None = None
    description_line: int = 0
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def steps(self) -> list[Step]:
        """Nodes in reading order: breadth-first from the starting nodes."""
        outgoing: dict[str, list[Edge]] = {}
        incoming: set[str] = set()
        for edge in self.edges:
            outgoing.setdefault(edge.source, []).append(edge)
            incoming.add(edge.target)
        starts = [n for n in self.nodes if n not in incoming] or list(self.nodes)[:1]
        order: list[str] = []
        seen: set[str] = set()
        queue = list(starts)
        while queue or len(seen) < len(self.nodes):
            if not queue:
                queue.append(next(n for n in self.nodes if n not in seen))
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            order.append(current)
            for edge in outgoing.get(current, []):
                if edge.target not in seen:
                    queue.append(edge.target)
        steps = {node_id: Step(index + 1, self.nodes[node_id]) for index, node_id in enumerate(order)}
        for node_id in order:
            for edge in outgoing.get(node_id, []):
                steps[node_id].transitions.append((edge.label, steps[edge.target]))
        return [steps[n] for n in order]


def _clean_label(raw: str) -> str:
    label = raw.strip()
    if len(label) >= 2 and label[0] == label[-1] == '"':
        label = label[1:-1]
    label = label.replace("<br>", " ").replace("<br/>", " ").replace("<br />", " ")
    return html.unescape(re.sub(r"\s+", " ", label)).strip()


def _read_node(text: str, pos: int, chart: Flowchart, line: int) -> int | None:
    match = NODE.match(text, pos)
    if not match:
        return None
    node_id = match.group("id")
    label = None
    shape = None
    for index, (_, _, name) in enumerate(_SHAPES):
        value = match.group(f"l{index}")
        if value is not None:
            label, shape = _clean_label(value), name
            break
    node = chart.nodes.get(node_id)
    if node is None:
        chart.nodes[node_id] = Node(node_id, label if label is not None else node_id, shape or "box", line)
    elif label is not None:
        node.label, node.shape = label, shape or node.shape
    return match.end()


def parse(source: str) -> Flowchart:
    """Read a flowchart; unreadable statements are collected in ``errors``."""
    chart = Flowchart()
    lines = source.replace("\r\n", "\n").split("\n")
    header_seen = False
    in_descr = False
    descr_lines: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if in_descr:
            if line.endswith("}"):
                descr_lines.append(line[:-1])
                chart.description = " ".join(x.strip() for x in descr_lines if x.strip())
                in_descr = False
            else:
                descr_lines.append(line)
            continue
        if not line or line.startswith("%%"):
            continue
        if not header_seen:
            match = HEADER.match(line)
            if not match:
                chart.errors.append((number, "första raden ska vara 'flowchart TD' (eller LR)"))
                return chart
            chart.direction = match.group(3) or "TD"
            header_seen = True
            continue
        if match := ACC_TITLE.match(line):
            chart.title, chart.title_line = match.group(1).strip(), number
            continue
        if match := ACC_DESCR_BLOCK.match(line):
            rest = match.group(1)
            chart.description_line = number
            if rest.endswith("}"):
                chart.description = rest[:-1].strip()
            else:
                in_descr, descr_lines = True, [rest]
            continue
        if match := ACC_DESCR.match(line):
            chart.description, chart.description_line = match.group(1).strip(), number
            continue
        if match := CLICK.match(line):
            node = chart.nodes.get(match.group(1))
            if node is None:
                chart.errors.append((number, f"click avser noden '{match.group(1)}', som inte finns"))
            else:
                node.link = match.group(2)
            continue
        if IGNORED.match(line) or line == "end" or SUBGRAPH.match(line):
            continue
        for statement in (s for s in line.split(";") if s.strip()):
            error = _parse_statement(statement, chart, number)
            if error:
                chart.errors.append((number, error))
    if not header_seen:
        chart.errors.append((1, "processkartan är tom; första raden ska vara 'flowchart TD'"))
    if in_descr:
        chart.errors.append((chart.description_line, "accDescr { … } avslutas aldrig med }"))
    return chart


def _parse_statement(statement: str, chart: Flowchart, number: int) -> str | None:
    pos = _read_node(statement, 0, chart, number)
    if pos is None:
        return f"kan inte läsa '{statement.strip()}'"
    previous = NODE.match(statement, 0).group("id")
    while pos < len(statement):
        edge = EDGE.match(statement, pos)
        if not edge or edge.end() == pos:
            return f"kan inte läsa '{statement[pos:].strip()}' i '{statement.strip()}'"
        label = next((edge.group(g) for g in ("label", "tlabel", "dlabel", "elabel") if edge.group(g) is not None), None)
        target_pos = _read_node(statement, edge.end(), chart, number)
        if target_pos is None:
            return f"en pil saknar mål i '{statement.strip()}'"
        target = NODE.match(statement, edge.end()).group("id")
        chart.edges.append(Edge(previous, target, _clean_label(label) if label else None, number))
        previous, pos = target, target_pos
    return None


# --- text alternative ------------------------------------------------------------


_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def _safe_href(href: str) -> bool:
    """Relative links, https/http and mailto only: never javascript: or data:."""
    match = _SCHEME.match(html.unescape(href).replace("\t", "").replace("\n", ""))
    return match is None or match.group(1).lower() in ("http", "https", "mailto")


def _ended(text: str) -> str:
    """A label as the end of a sentence: a full stop unless it already ends with one (or ? or !)."""
    return text if text.rstrip().endswith((".", "?", "!", "…")) else text + "."


def text_alternative_html(chart: Flowchart, *, link_for=None) -> str:
    """The map as an ordered list of steps with branches, in Swedish, escaped."""
    esc = html.escape
    parts = ['<ol class="handbok-processtext">']
    for step in chart.steps():
        node = step.node
        label = esc(node.label)
        href = link_for(node.link) if (link_for and node.link) else node.link
        if href and not _safe_href(href):
            href = None  # the checker reports it (RH603); the page must not carry it
        if href:
            label = f'<a href="{esc(href)}">{label}</a>'
        kind = " <em>(beslut)</em>" if node.is_decision else ""
        parts.append(f'<li id="steg-{step.number}" value="{step.number}">{label}{kind}')
        if not step.transitions:
            parts.append(" <span class=\"handbok-processtext-slut\">– slut på flödet.</span>")
        elif len(step.transitions) == 1 and not step.transitions[0][0]:
            target = step.transitions[0][1]
            parts.append(f" → vidare till steg {target.number}: {esc(_ended(target.node.label))}")
        else:
            parts.append("<ul>")
            for edge_label, target in step.transitions:
                lead = f"Om {esc(edge_label.rstrip(':'))}: " if edge_label else "Därefter: "
                parts.append(f"<li>{lead}steg {target.number}, {esc(_ended(target.node.label))}</li>")
            parts.append("</ul>")
        parts.append("</li>")
    parts.append("</ol>")
    return "".join(parts)

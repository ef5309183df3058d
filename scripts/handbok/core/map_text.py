"""A process map as text, in Swedish: the one text version of a map.

Every process map also exists as text (WCAG 2.1, 1.1.1), on the routine's
page under the drawn map and in the beslutsunderlag. The text is written
from Mermaid's reading of the map (``core.maps``): every step with its label
as drawn, numbered in reading order, with every link that leaves it – what
kind of link it is, its label, and the step it leads to. A decision's
branches read *Om …*; a line without an arrow says the steps belong
together; crosses, circles, dotted and thick lines are named; groups
(subgraphs) are named with their steps. Only escaped text and the simple
markup an allow-list keeps (``ol``, ``ul``, ``li``, ``p``, ``a``, ``em``,
``span``) are written.
"""

from __future__ import annotations

from html import escape as esc
from typing import Callable

from .maps import ICON, Edge, Flowchart, Group, Node

_FINAL = (".", "!", "?", "…", ":", ";")


def sentence(text: str) -> str:
    """``text`` ending with a full stop, unless it already ends with punctuation (no 'Klart?.')."""
    stripped = text.rstrip()
    return stripped if stripped.endswith(_FINAL) else stripped + "."


def node_text(node: Node) -> str:
    """A node's label for the text; a node drawn without text says what it shows."""
    if node.label:
        return node.label
    if node.image:
        return "(bild utan text)"
    if node.icon or ICON.search(node.raw):
        return "(ikon utan text)"
    return "(steg utan text)"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


class _Writer:
    def __init__(self, chart: Flowchart, link_for: Callable[[str], str | None] | None, anchor: str) -> None:
        self.chart = chart
        self.link_for = link_for
        self.anchor = anchor
        self.steps = chart.steps()
        self.numbers = chart.step_numbers()
        visible = [edge for edge in chart.edges if edge.visible]
        # Per node: (edge, other end, incoming) of each link a reader at that step should know about.
        self.links: dict[str, list[tuple[Edge, str, bool]]] = {node_id: [] for node_id in chart.nodes}
        for edge in visible:
            if edge.source in self.links:
                self.links[edge.source].append((edge, edge.target, False))
            if edge.target in self.links and edge.symmetric and edge.source in chart.nodes and edge.source != edge.target:
                self.links[edge.target].append((edge, edge.source, True))
        self.reached = {node_id for edge in visible for node_id in chart.members_of(edge.target)}
        self.leaving_groups = {edge.source for edge in visible if edge.source in chart.groups}

    # -- references ---------------------------------------------------------------------

    def step_ref(self, node_id: str) -> str:
        number = self.numbers[node_id]
        return f'<a href="#{self.anchor}{number}">steg {number}</a>'

    def group_steps(self, group: Group) -> str:
        numbers = [self.step_ref(n) for n in self.chart.members_of(group.id)]
        if not numbers:
            return "inga steg"
        return _and(numbers)

    def target(self, item: str, separator: str = ": ") -> str:
        """'steg 3: Label' for a node, 'gruppen Titel (steg 4 och 5)' for a group."""
        if item in self.chart.nodes:
            return f"{self.step_ref(item)}{separator}{esc(node_text(self.chart.nodes[item]))}"
        group = self.chart.groups.get(item)
        if group is not None:
            return f"gruppen {esc(group.title)} ({self.group_steps(group)})"
        return esc(item)

    # -- one link -----------------------------------------------------------------------------

    @staticmethod
    def manner(edge: Edge) -> str:
        """How the link is drawn, when it is not an ordinary line: 'prickad', 'tjock'."""
        return {"dotted": "prickad", "thick": "tjock"}.get(edge.stroke, "")

    def link_phrase(self, edge: Edge, other: str, *, decision: bool, incoming: bool = False) -> str:
        start, end = edge.ends
        target = self.target(other)
        drawn = self.manner(edge)
        label = esc(edge.label) if edge.label else ""
        if start is None and end == "arrow":
            kind, line_word = "arrow", "pil"
            phrase = f"vidare till {target}"
        elif start is None and end is None:
            kind, line_word = "open", "linje"
            phrase = f"hör ihop med {target}"
        elif start is None:
            kind, line_word = "marker", "linje"
            mark = "ett kryss" if end == "cross" else "en ring"
            phrase = f"linje till {target} som slutar med {mark}"
        elif start == end == "arrow":
            kind, line_word = "both", "pil"
            phrase = f"i båda riktningarna med {target}"
        else:
            kind, line_word = "markers", "linje"
            marks = "kryss" if end == "cross" else "ringar"
            phrase = f"linje med {marks} i båda ändar till {target}"
        notes = []
        if drawn:
            notes.append(f"{drawn} {line_word}")
        if decision and label and not incoming:
            branch = self.target(other, ", ") if kind == "arrow" else phrase
            text = f"Om {label.rstrip(':')}: {branch}"
        else:
            if label:
                written = f"med texten ”{label}”"
                notes = [f"{notes[0]} {written}"] if notes else [f"{'pilen' if line_word == 'pil' else 'linjen'} har texten ”{label}”"]
            text = phrase[0].upper() + phrase[1:]
        if notes:
            text += f" ({notes[0]})"
        return sentence(text)

    # -- the steps ------------------------------------------------------------------------------

    def ends_here(self, node_id: str) -> bool:
        """A link leads here and none leads on, not even from a group the step is in."""
        if any(group.id in self.leaving_groups for group in self.chart.group_path(node_id)):
            return False
        return node_id in self.reached

    def step_item(self, number: int, node: Node) -> str:
        label = esc(node_text(node))
        href = self.link_for(node.link) if (self.link_for and node.link) else None
        if href:
            label = f'<a href="{esc(href)}">{label}</a>'
        parts = [f'<li id="{self.anchor}{number}" value="{number}">{label}']
        if node.is_decision:
            parts.append(" <em>(beslut)</em>")
        path = self.chart.group_path(node.id)
        if path:
            parts.append(f' <span class="handbok-processtext-grupp">(i gruppen {esc(path[0].title)})</span>')
        links = self.links[node.id]
        if not links:
            if self.ends_here(node.id):
                parts.append(' <span class="handbok-processtext-slut">– slut på flödet.</span>')
        elif len(links) == 1 and not node.is_decision and self._plain(links[0]):
            _, other, _ = links[0]
            parts.append(sentence(f" → vidare till {self.target(other)}"))
        else:
            parts.append("<ul>")
            for edge, other, incoming in links:
                parts.append(f"<li>{self.link_phrase(edge, other, decision=node.is_decision, incoming=incoming)}</li>")
            parts.append("</ul>")
        parts.append("</li>")
        return "".join(parts)

    @staticmethod
    def _plain(link: tuple[Edge, str, bool]) -> bool:
        edge, _, incoming = link
        return not incoming and edge.kind == "arrow_point" and edge.stroke == "normal" and not edge.label

    # -- the groups -------------------------------------------------------------------------------

    def group_item(self, group: Group) -> str:
        parts = [f"<li>{esc(group.title)}"]
        if group.parent and group.parent in self.chart.groups:
            parts.append(f' <span class="handbok-processtext-grupp">(i gruppen {esc(self.chart.groups[group.parent].title)})</span>')
        numbers = self.numbers
        members = [self.step_ref(m) for m in sorted((m for m in group.members if m in self.chart.nodes), key=numbers.get)]
        inner = [f"gruppen {esc(self.chart.groups[m].title)}" for m in group.members if m in self.chart.groups]
        contents = members + inner
        parts.append(": " + (_and(contents) if contents else "inga steg") + ".")
        leaving = [edge for edge in self.chart.edges if edge.visible and edge.source == group.id]
        if leaving:
            parts.append("<ul>")
            for edge in leaving:
                phrase = self.link_phrase(edge, edge.target, decision=False)
                parts.append(f"<li>Från gruppen: {phrase[0].lower() + phrase[1:]}</li>")
            parts.append("</ul>")
        parts.append("</li>")
        return "".join(parts)

    def html(self) -> str:
        parts = ['<ol class="handbok-processtext">']
        parts += [self.step_item(step.number, step.node) for step in self.steps]
        parts.append("</ol>")
        if self.chart.groups:
            parts.append('<p class="handbok-processtext-grupper">Grupper i kartan:</p>')
            parts.append('<ul class="handbok-processtext-grupper">')
            parts += [self.group_item(group) for group in self.chart.groups.values()]
            parts.append("</ul>")
        return "".join(parts)


STEP_ANCHOR = "steg-"
"""The ids of the steps on a routine's page: ``#steg-1``, ``#steg-2`` … (editors link to them)."""


def text_version_html(chart: Flowchart, *, link_for: Callable[[str], str | None] | None = None,
                      anchor: str = STEP_ANCHOR) -> str:
    """The map as numbered steps with their links, in Swedish; every value escaped.

    ``link_for(href)`` gives the address a node's click link points to on the
    page (a routine's page for ``rutinens-id.md``), or None to show no link.
    Each step's id is ``anchor`` and its number; a document with several maps
    gives each its own ``anchor``.
    """
    return _Writer(chart, link_for, anchor).html()

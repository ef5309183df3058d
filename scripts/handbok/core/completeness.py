"""Completeness: what a routine must say before it can be in force, computed once.

The audits' recurring findings are routines that are missing, responsibility
that is unclear and follow-up without a set frequency. A routine in force
therefore names who decides, who carries out and who follows up; says in
``follow_up`` how often or by when (``core.frequency``); rests on a legal
basis; has the template's sections, written and without the template's own
sentences; has a process map of its own (if it has one); and names its
readers (``audience``).

The template's sections and sentences are read from the template files
themselves (``core.templates``), so the rules cannot drift from what ``handbok
new`` writes. The checker turns what is missing into findings (``checks``,
RH9xx: errors for a routine in force, warnings for a draft); the release tool
shows the nämnd that each routine meets the requirements; the register
*Ansvarsfördelning* lists routines with a missing kind of responsibility.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import model
from . import frequency
from .cache import key as cache_key
from .handbook import Handbook, RoutineSource
from .markdown_text import HEADING, heading_text, mask
from .state import KIND_LABELS
from .templates import MAP, routine_template_body, template_text

# --- reading text the way the template is compared ----------------------------------------

_LIST_MARKER = re.compile(r"^([ \t]*)(?:\d+[.)]|[-*+])(?=[ \t])", re.MULTILINE)
_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|!?\[|\]\([^)\n]*\)|\]|^[ \t]{0,3}>", re.MULTILINE)
_SENTENCE = re.compile(r"\S[^.!?]*(?:[.!?]+|$)")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _unmarked(text: str) -> str:
    """Markdown with list markers, emphasis, link brackets and quote markers blanked by spaces
    (so offsets stay the offsets in the text)."""
    text = _LIST_MARKER.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)
    return _MARKUP.sub(_blank, text)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _sentences(line: str) -> list[tuple[int, str, str]]:
    """(offset, text, normal form) of each sentence on one line of Markdown."""
    found = []
    for match in _SENTENCE.finditer(_unmarked(line)):
        text = " ".join(match.group(0).split())
        if text:
            found.append((match.start(), text, text.casefold()))
    return found


def _may_hold(body: str, sentences) -> bool:
    """Whether any of ``sentences`` (normal forms) can be in ``body``: one pass over the whole
    text before the line-by-line search (a sentence found line by line is always found here)."""
    plain = _normal(_unmarked(body))
    return any(sentence in plain for sentence in sentences)


# --- the template -----------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateSection:
    heading: str
    sentences: tuple[str, ...]  # as written in the template


@lru_cache(maxsize=None)
def template_sections() -> tuple[TemplateSection, ...]:
    """The sections of ``templates/rutin.md`` in order, with the template's sentences in each."""
    body, _ = routine_template_body()
    sections: list[tuple[str, list[str]]] = []
    for line in body.split("\n"):
        heading = HEADING.match(line)
        if heading:
            sections.append((heading_text(heading.group("text")), []))
        elif sections:
            sections[-1][1].extend(text for _, text, _ in _sentences(line))
    return tuple(TemplateSection(heading, tuple(sentences)) for heading, sentences in sections)


def section_names() -> list[str]:
    """The headings every routine must have: Syfte, Omfattning, Arbetsgång, …"""
    return [section.heading for section in template_sections()]


_ACC_TITLE = re.compile(r"^accTitle\s*:")


@lru_cache(maxsize=None)
def _template_sentences() -> dict[str, str]:
    """normal form -> the template's sentence as written."""
    return {_normal(sentence): sentence for section in template_sections() for sentence in section.sentences}


def _map_lines(text: str) -> tuple[str, ...]:
    """A map's statements for comparison: whitespace collapsed, comments and blank lines
    dropped, and the title left out (``handbok new`` writes the routine's title there)."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line or line.startswith("%%"):
            continue
        if _ACC_TITLE.match(line):
            line = "accTitle:"
        lines.append(line)
    return tuple(lines)


def _template_map(handbook: Handbook) -> tuple[tuple[str, ...], dict[str, str]]:
    """The template map's statements, and its placeholder texts (normal form -> as written):
    its description and every step label of three words or more, as Mermaid reads the
    template (``Handbook.template_map``, read in the same run as the handbook's maps)."""
    text = template_text(MAP)
    chart = handbook.template_map()
    placeholders = {}
    if chart is not None:
        if chart.description:
            placeholders[_normal(chart.description)] = chart.description
        for node in chart.nodes.values():
            if len(node.label.split()) >= 3:
                placeholders[_normal(node.label)] = node.label
    return _map_lines(text), placeholders


def _line_of(text: str, start: str) -> int:
    """The first line of ``text`` that begins (after indentation) with ``start``: where to point."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith(start):
            return number
    return 1


# --- what a routine lacks -----------------------------------------------------------------


@dataclass(frozen=True)
class SectionGap:
    """A template section that is missing from the body, or present with no text."""

    heading: str
    line: int
    empty: bool          # the heading is there, the text under it is not
    after: str | None    # the template section it belongs after, when that one is there


@dataclass(frozen=True)
class TemplateText:
    """A sentence of the template left in the body."""

    line: int
    column: int
    section: str | None
    sentence: str


@dataclass(frozen=True)
class MapGap:
    """The process map is the template's map, or still holds one of its placeholder texts."""

    name: str
    line: int
    whole: bool
    text: str = ""


def missing_kinds(routine: model.Routine) -> list[str]:
    """The kinds of responsibility (beslutar, utför, följer upp) no role has in the routine."""
    present = {item.kind for item in routine.responsibilities}
    return [kind for kind in model.RESPONSIBILITY_KINDS if kind not in present]


def _headings(body: str) -> list[tuple[int, str, int, int, int]]:
    """(level, text, line in the body from 0, start, end) of each heading in a masked body."""
    return [(len(m.group(1)), heading_text(m.group("text")), body.count("\n", 0, m.start()), m.start(), m.end())
            for m in HEADING.finditer(body)]


def section_gaps(body: str) -> list[SectionGap]:
    """The template's sections that a (masked) body lacks or leaves empty, in the template's order;
    lines count from the body's first line (0).

    A missing section is placed where it belongs: after the template section
    before it (at the heading that follows that section), or first in the text.
    """
    headings = _headings(body) if "#" in body else []
    end_line = body.count("\n")

    def end_of(index: int) -> tuple[int, int]:
        """(offset, line) where the section under ``headings[index]`` ends."""
        level = headings[index][0]
        following = next((h for h in headings[index + 1:] if h[0] <= level), None)
        return (following[3], following[2]) if following else (len(body), end_line)

    first_text = next((i for i, line in enumerate(body.split("\n")) if line.strip()), 0)
    wanted = {name.casefold() for name in section_names()}
    found: dict[str, int] = {}
    for index, heading in enumerate(headings):
        name = heading[1].casefold()
        if name in wanted:
            found.setdefault(name, index)
    gaps = []
    previous: tuple[str, int] | None = None  # the last template section found, and the line its section ends
    for name in section_names():
        index = found.get(name.casefold())
        if index is None:
            gaps.append(SectionGap(name, previous[1] if previous else first_text, False,
                                   previous[0] if previous else None))
            continue
        _, _, line, _, end = headings[index]
        stop, stop_line = end_of(index)
        if not body[end:stop].strip():
            gaps.append(SectionGap(name, line, True, None))
        previous = (name, stop_line)
    return gaps


def template_text_left(body: str) -> list[TemplateText]:
    """The template's sentences left in a (masked) body; lines count from the body's first line (0)."""
    sentences = _template_sentences()
    if not _may_hold(body, sentences):
        return []
    found = []
    section = None
    for index, line in enumerate(body.split("\n")):
        heading = HEADING.match(line)
        if heading:
            section = heading_text(heading.group("text"))
            continue
        for offset, text, normal in _sentences(line):
            if normal in sentences:
                found.append(TemplateText(index, offset + 1, section, text))
    return found


def map_gaps(handbook: Handbook, name: str) -> list[MapGap]:
    """How the map ``diagrams/<name>`` is still the template's (nothing if it does not exist)."""
    text, _ = handbook.diagram_text(name)
    if text is None:
        return []
    lines, placeholders = _template_map(handbook)
    if _map_lines(text) == lines:
        return [MapGap(name, 1, True)]
    chart = handbook.diagram(name)
    if chart is None:
        return []
    gaps = []
    if chart.description and _normal(chart.description) in placeholders:
        gaps.append(MapGap(name, _line_of(text, "accDescr"), False, chart.description))
    for node in chart.nodes.values():
        if _normal(node.label) in placeholders:
            gaps.append(MapGap(name, node.line or 1, False, node.label))
    return gaps


@dataclass(frozen=True)
class Completeness:
    """What one routine says and lacks of what a routine in force must say."""

    missing_kinds: tuple[str, ...]
    follow_up: str | None
    intervals: tuple[frequency.Interval, ...]
    vague: tuple[str, ...]
    legal_basis: int
    sections: tuple[SectionGap, ...]
    template_text: tuple[TemplateText, ...]
    diagram: str | None
    map_gaps: tuple[MapGap, ...]
    audience: int

    @property
    def complete(self) -> bool:
        return not (self.missing_kinds or not self.intervals or not self.legal_basis or self.sections
                    or self.template_text or self.map_gaps or not self.audience)


# What is read from a routine's body, its follow-up text and its map depends only on
# those texts, the templates and this code: kept in the on-disk cache (``core.cache``).
CACHE = ("fullstandighet", "core/completeness.py", "core/frequency.py", "core/markdown_text.py",
         "core/templates.py", "templates/rutin.md", "templates/processkarta.mmd", "core/maps.py")


def _cached(handbook: Handbook, parts: tuple[str, str], compute):
    store = handbook.store(*CACHE)
    entry = cache_key(*parts)
    value = store.get(entry)
    if value is None:
        value = compute()
        store.put(entry, value)
    return value


def _body_facts(handbook: Handbook, source: RoutineSource) -> tuple[tuple[SectionGap, ...], tuple[TemplateText, ...]]:
    def compute():
        body = mask(source.body)
        return ([(g.heading, g.line, g.empty, g.after) for g in section_gaps(body)],
                [(t.line, t.column, t.section, t.sentence) for t in template_text_left(body)])

    gaps, texts = _cached(handbook, ("body", source.body), compute)
    offset = source.body_line
    return (tuple(SectionGap(heading, line + offset, empty, after) for heading, line, empty, after in gaps),
            tuple(TemplateText(line + offset, column, section, text) for line, column, section, text in texts))


def _follow_up_facts(handbook: Handbook, text: str | None) -> tuple[tuple[frequency.Interval, ...], tuple[str, ...]]:
    if not text:
        return (), ()

    def compute():
        return ([(i.text, i.start, i.end, i.kind) for i in frequency.intervals(text)], frequency.vague_terms(text))

    found, vague = _cached(handbook, ("follow_up", text), compute)
    return tuple(frequency.Interval(*item) for item in found), tuple(vague)


def _map_facts(handbook: Handbook, name: str | None) -> tuple[MapGap, ...]:
    if not name:
        return ()
    text, _ = handbook.diagram_text(name)
    if text is None:
        return ()
    found = _cached(handbook, ("map", text), lambda: [(g.line, g.whole, g.text) for g in map_gaps(handbook, name)])
    return tuple(MapGap(name, line, whole, label) for line, whole, label in found)


def completeness(handbook: Handbook, source: RoutineSource) -> Completeness:
    """What the routine lacks of what a routine in force must say."""
    routine = source.routine
    sections, template_text = _body_facts(handbook, source)
    intervals, vague = _follow_up_facts(handbook, routine.follow_up)
    return Completeness(
        missing_kinds=tuple(missing_kinds(routine)),
        follow_up=routine.follow_up,
        intervals=intervals,
        vague=vague,
        legal_basis=len(routine.legal_basis),
        sections=sections,
        template_text=template_text,
        diagram=routine.diagram,
        map_gaps=_map_facts(handbook, routine.diagram),
        audience=len(routine.audience),
    )


def required(routine: model.Routine) -> bool:
    """A routine in force must be complete (a draft is told what it lacks; a repealed one is left alone)."""
    return routine.status == "gällande"


def checked(routine: model.Routine) -> bool:
    return routine.status != "upphävd"


# --- as the nämnd reads it ------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    met: bool
    detail: str


def joined(names: list[str], word: str = "och") -> str:
    """``a, b och c`` (or ``eller``)."""
    return ", ".join(names[:-1]) + f" {word} " + names[-1] if len(names) > 1 else "".join(names)


def requirements(handbook: Handbook, source: RoutineSource, found: Completeness | None = None) -> list[Requirement]:
    """Each requirement with whether the routine meets it and what it says, in Swedish."""
    found = found or completeness(handbook, source)
    routine = source.routine
    rows = []

    if found.missing_kinds:
        detail = "ingen roll " + joined([KIND_LABELS[k].lower() for k in found.missing_kinds], "eller")
    else:
        detail = "; ".join(
            f"{KIND_LABELS[kind].lower()}: "
            + ", ".join(dict.fromkeys(handbook.role_name(item.role) for item in routine.responsibilities
                                      if item.kind == kind))
            for kind in model.RESPONSIBILITY_KINDS)
    rows.append(Requirement("ansvar", "Ansvar", not found.missing_kinds, detail))

    if not found.follow_up:
        detail = "uppföljning saknas"
    elif not found.intervals:
        detail = "säger inte hur ofta eller när"
    else:
        detail = found.follow_up  # in full: who follows up, and how often or by when
    rows.append(Requirement("uppföljning", "Uppföljning", bool(found.intervals), detail))

    rows.append(Requirement("lagstöd", "Lagstöd", bool(found.legal_basis),
                            f"{found.legal_basis} lagrum" if found.legal_basis else "inget lagrum"))

    missing = [gap.heading for gap in found.sections]
    rows.append(Requirement("avsnitt", "Avsnitt", not missing,
                            ("saknas eller tomt: " + joined(missing)) if missing else joined(section_names())))

    sections = list(dict.fromkeys(t.section or "texten" for t in found.template_text))
    rows.append(Requirement("malltext", "Mallens text", not found.template_text,
                            ("kvar i " + joined(sections)) if sections else "ingen text kvar från mallen"))

    if found.diagram is None:
        detail = "ingen processkarta"
    elif found.map_gaps:
        detail = f"{found.diagram} är mallens karta" if any(g.whole for g in found.map_gaps) \
            else f"{found.diagram} har kvar text från mallen"
    else:
        detail = f"egen karta ({found.diagram})"
    rows.append(Requirement("processkarta", "Processkarta", not found.map_gaps, detail))

    readers = [handbook.role_name(r) for r in routine.audience]
    rows.append(Requirement("läsare", "Läsare", bool(readers), ", ".join(readers) if readers else "inga roller"))
    return rows

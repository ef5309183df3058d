"""Reading source files: encodings, front matter and YAML with line numbers.

Everything an editor can type wrong in a file is turned into a ``Problem``
here, never into an exception: BOM, CRLF and decomposed å/ä/ö are accepted and
normalised; a file that is not UTF-8, a YAML syntax error, a tab, a duplicate
key or a missing front matter block is reported with file and line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .problems import ProblemList

# A location inside a YAML document: path of keys/indices -> (line, column), 1-based.
Location = tuple[int, int]


@dataclass
class Text:
    """The decoded, normalised text of one file."""

    path: Path
    display: str
    text: str
    had_bom: bool = False
    had_crlf: bool = False
    was_nfd: bool = False


def read_text(path: Path, display: str, problems: ProblemList) -> Text | None:
    """Decode a file as UTF-8 (with or without BOM), normalise line ends and NFC."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(display, 0, "RH001", f"filen kan inte läsas: {exc.strerror}",
                     hint="Kontrollera att filen finns och att du har läsbehörighet.")
        return None
    had_bom = raw.startswith(b"\xef\xbb\xbf")
    if had_bom:
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            display, line, "RH001",
            f"filen är inte sparad som UTF-8 (ogiltig byte 0x{raw[exc.start]:02x})",
            column=col,
            hint="Spara filen med teckenkodningen UTF-8 i din editor.",
        )
        return None
    had_crlf = "\r" in text
    if had_crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    normalised = unicodedata.normalize("NFC", text)
    return Text(path, display, normalised, had_bom, had_crlf, normalised != text)


@dataclass
class Document:
    """Plain Python data from YAML plus where each value stood in the file."""

    data: Any
    locations: dict[tuple, Location] = field(default_factory=dict)
    first_line: int = 1

    def where(self, loc: tuple) -> Location:
        """The best known location for a path of keys, walking up to a parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.locations:
                return self.locations[loc]
            loc = loc[:-1]
        return self.locations.get((), (self.first_line, 1))


class _Constructor(RoundTripConstructor):
    """Keeps timestamps as text, so that dates are validated by the model
    (with file and line) instead of failing inside the YAML parser."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def _plain(node: Any, path: tuple, locations: dict, offset: int) -> Any:
    """Convert ruamel's round-trip nodes to plain data, recording locations."""
    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            key_str = str(key)
            try:
                line, col = node.lc.key(key)
                locations[path + (key_str,)] = (line + 1 + offset, col + 1)
                vline, vcol = node.lc.value(key)
                locations[path + (key_str, "__value__")] = (vline + 1 + offset, vcol + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            result[key_str] = _plain(value, path + (key_str,), locations, offset)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            try:
                line, col = node.lc.item(index)
                locations[path + (index,)] = (line + 1 + offset, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            items.append(_plain(value, path + (index,), locations, offset))
        return items
    if isinstance(node, str):
        return str(node)
    return node


def parse_yaml(text: str, display: str, problems: ProblemList, *, line_offset: int = 0) -> Document | None:
    """Parse YAML text; syntax problems are reported with file and line."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.add(
                display, number + line_offset, "RH006",
                "tabbtecken används för indrag",
                column=len(line) - len(stripped) + 1,
                hint="YAML tillåter bara mellanslag för indrag. Ersätt tabben med två mellanslag.",
            )
            return None
    try:
        node = _yaml().load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        problems.add(
            display, line, "RH005",
            f"nyckeln '{key}' förekommer två gånger" if key else "en nyckel förekommer två gånger",
            column=(mark.column + 1) if mark else 1,
            hint="Ta bort den ena raden eller slå ihop värdena.",
        )
        return None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        problems.add(
            display, line, "RH004",
            f"YAML-syntaxfel: {_swedish_yaml_problem(exc.problem or exc.context or '')}",
            column=col,
            hint="Kontrollera indrag, kolon efter varje nyckel och citattecken runt värden som innehåller kolon eller #.",
        )
        return None
    except YAMLError as exc:
        problems.add(display, line_offset + 1, "RH004", f"YAML-syntaxfel: {exc}",
                     hint="Kontrollera filens YAML-syntax.")
        return None
    locations: dict[tuple, Location] = {(): (line_offset + 1, 1)}
    data = _plain(node, (), locations, line_offset)
    return Document(data, locations, line_offset + 1)


_YAML_PHRASES = {
    "could not find expected ':'": "kolon (:) saknas efter en nyckel",
    "mapping values are not allowed here": "ett kolon står där det inte får stå (sätt värdet inom citattecken)",
    "found character '\\t' that cannot start any token": "tabbtecken är inte tillåtet",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (saknas ett avslutande citattecken?)",
    "did not find expected key": "en nyckel saknas eller indraget är fel",
    "did not find expected '-' indicator": "ett listelement saknar bindestreck eller har fel indrag",
    "found undefined alias": "okänt alias (*)",
    "expected <block end>, but found": "indraget är fel",
    "while scanning a quoted scalar": "ett citattecken avslutas inte",
    "found unknown escape character": "okänd escape-sekvens i citerad text",
}


def _swedish_yaml_problem(problem: str) -> str:
    for english, swedish in _YAML_PHRASES.items():
        if problem.startswith(english) or english in problem:
            return swedish
    return problem


@dataclass
class FrontMatterFile:
    """A Markdown file split into front matter and body."""

    text: Text
    document: Document | None
    body: str
    body_line: int  # 1-based line where the body starts


def split_front_matter(text: Text, problems: ProblemList) -> FrontMatterFile | None:
    """Split ``---`` front matter from the Markdown body and parse it."""
    display = text.display
    if not text.text.strip():
        problems.add(display, 1, "RH002", "filen är tom",
                     hint="En rutin börjar med framsidesdata mellan två rader med ---. Skapa nya rutiner med 'handbok new'.")
        return None
    lines = text.text.split("\n")
    if lines[0].strip() != "---":
        problems.add(display, 1, "RH003", "framsidesdata (---) saknas i början av filen",
                     hint="Första raden ska vara --- och följas av fälten id, title, owner … och en avslutande rad ---.")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            end = index
            break
    else:
        problems.add(display, 1, "RH003", "framsidesdata avslutas aldrig med en rad ---",
                     hint="Lägg till en rad med bara --- efter det sista fältet.")
        return None
    yaml_text = "\n".join(lines[1:end])
    document = parse_yaml(yaml_text, display, problems, line_offset=1)
    body = "\n".join(lines[end + 1:])
    if document is not None and not isinstance(document.data, dict):
        problems.add(display, 2, "RH004", "framsidesdata måste vara fält på formen 'nyckel: värde'",
                     hint="Varje rad mellan --- ska ha formen nyckel: värde.")
        document = None
    return FrontMatterFile(text, document, body, end + 2)


def load_yaml_file(path: Path, display: str, problems: ProblemList) -> Document | None:
    text = read_text(path, display, problems)
    if text is None:
        return None
    if not text.text.strip():
        problems.add(display, 1, "RH002", "filen är tom", hint="Ett register är en YAML-lista med poster.")
        return None
    return parse_yaml(text.text, display, problems)

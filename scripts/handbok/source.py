"""Reading source files: encodings, front matter and YAML with line numbers.

Everything an editor can type wrong in a file is turned into a ``Problem``
here, never into an exception: BOM, CRLF and decomposed å/ä/ö are accepted and
normalised; a file that is not UTF-8, a YAML syntax error, a tab, a duplicate
key or a missing front matter block is reported with file and line.

YAML is read with libyaml (through PyYAML) as parser events; see ``parse_yaml``.
"""

from __future__ import annotations

import marshal
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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
    return read_text_from(raw, path, display, problems)


def read_text_from(raw: bytes, path: Path, display: str, problems: ProblemList) -> Text | None:
    """``read_text`` for bytes already read."""
    had_bom = raw.startswith(b"\xef\xbb\xbf")
    if had_bom:
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _not_utf8(display, raw, exc, problems)
        return None
    had_crlf = "\r" in text
    if had_crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if unicodedata.is_normalized("NFC", text):
        return Text(path, display, text, had_bom, had_crlf, False)
    return Text(path, display, unicodedata.normalize("NFC", text), had_bom, had_crlf, True)


def _not_utf8(display: str, raw: bytes, exc: UnicodeDecodeError, problems: ProblemList) -> None:
    """Report a file that is not UTF-8, guessing the encoding editors usually hit."""
    hint = ("Spara filen med teckenkodningen UTF-8 i din editor (i VS Code: klicka på "
            "kodningen längst ned till höger och välj 'Spara med kodning' → UTF-8).")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(display, 1, "RH001", "filen är sparad som UTF-16, inte UTF-8", hint=hint)
        return
    line = raw[: exc.start].count(b"\n") + 1
    col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    byte = raw[exc.start]
    guess = ""
    if byte in (0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9):
        guess = f"; den verkar vara sparad som Windows-1252/Latin-1 ('{bytes([byte]).decode('cp1252')}')"
    problems.add(display, line, "RH001", f"filen är inte sparad som UTF-8 (ogiltig byte 0x{byte:02x}){guess}",
                 column=col, hint=hint)


class Document:
    """Plain Python data from YAML plus where each value stood in the file.

    ``locations`` maps a path of keys and list indices to (line, column);
    ``(key, "__value__")`` is where the key's value starts. A document from the
    cache keeps its locations packed until a finding needs one.
    """

    __slots__ = ("data", "_locations", "_packed", "first_line")

    def __init__(self, data: Any, locations: dict[tuple, Location] | None = None, first_line: int = 1,
                 *, packed: bytes | None = None) -> None:
        self.data = data
        self._locations = locations if locations is not None or packed is not None else {}
        self._packed = packed
        self.first_line = first_line

    @property
    def locations(self) -> dict[tuple, Location]:
        if self._locations is None:
            self._locations = marshal.loads(self._packed) if self._packed else {}
            self._packed = None
        return self._locations

    @locations.setter
    def locations(self, value: dict[tuple, Location]) -> None:
        self._locations, self._packed = value, None

    def packed_locations(self) -> bytes:
        return self._packed if self._locations is None and self._packed else marshal.dumps(self.locations)

    def __repr__(self) -> str:
        return f"Document(data={self.data!r}, first_line={self.first_line})"

    def where(self, loc: tuple) -> Location:
        """The best known location for a path of keys, walking up to a parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.locations:
                return self.locations[loc]
            loc = loc[:-1]
        return self.locations.get((), (self.first_line, 1))


# --- YAML ------------------------------------------------------------------------
#
# The YAML is read as a stream of parser events from libyaml (PyYAML's C
# parser, pure Python where libyaml is missing) and turned into plain data in
# one pass, recording the line of every key, value and list item. That is
# about fifty times faster than building ruamel's round-trip tree, which
# matters with a thousand routines. Scalars are resolved by YAML 1.2's core
# schema, as ruamel does: `nej`, `yes` and `on` stay text (no "Norway
# problem"), and dates stay text so the model validates them with file and line.

_Loader = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None
_Loader = _Loader or yaml.SafeLoader

_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OTHER = re.compile(r"0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                  "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
                  "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
                  ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}
# Aliases share objects, so the data read stays small, but whatever walks it
# (validation, messages, hashing, pages) sees every alias expanded. The size a
# document has once expanded is counted while it is read, so an anchor/alias
# structure ("billion laughs") is refused before anything expands it.
MAX_NODES = 100_000
"""Values (texts, lists, mappings) in one YAML document, aliases counted as expanded."""
MAX_CHARACTERS = 4_000_000
"""Characters of text in one YAML document, aliases counted as expanded."""
MAX_DEPTH = 40
"""Lists and mappings inside each other (the handbook's own data is at most four deep)."""


def _scalar(event: "yaml.ScalarEvent") -> Any:
    value = event.value
    if event.style or not event.implicit[0]:
        tag = event.tag or ""
        if tag.endswith(":int") and _INT.match(value):
            return int(value)
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(value):
            return int(value)
        if _INT_OTHER.match(value):
            return int(value, 0)
        if _FLOAT.match(value):
            return float(value)
        if value in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[value]
    return value


class _YamlProblem(Exception):
    def __init__(self, line: int, column: int, code: str, message: str, hint: str):
        super().__init__(message)
        self.line, self.column, self.code, self.message, self.hint = line, column, code, message, hint


def _events(text: str) -> list:
    """All parser events of a text (libyaml raises on the first syntax error)."""
    loader = _Loader(text)
    get = loader.get_event
    end = yaml.StreamEndEvent
    events = []
    try:
        while True:
            event = get()
            events.append(event)
            if type(event) is end:
                return events
    finally:
        loader.dispose()


def _build(events: list, offset: int, display: str, problems: ProblemList) -> tuple[Any, dict, int]:
    """Plain data and the location of every key, value and item, in one pass.

    Returns (data, locations, number of documents). A single loop with an
    explicit stack: this runs for every routine on every check, so it avoids
    a function call per YAML node.
    """
    Scalar, MapStart, MapEnd = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
    SeqStart, SeqEnd, Alias, DocStart = yaml.SequenceStartEvent, yaml.SequenceEndEvent, yaml.AliasEvent, yaml.DocumentStartEvent
    locations: dict[tuple, Location] = {}
    anchors: dict[str, Any] = {}
    # The expanded size (values, characters) of each anchor, and of the document so far.
    sizes: dict[str, tuple[int, int]] = {}
    nodes = characters = 0
    # Each frame: [container, path, pending key (mappings) or None, anchor, size at its start]
    stack: list[list] = []
    data: Any = None
    documents = 0
    for event in events:
        kind = type(event)
        if kind is MapEnd or kind is SeqEnd:
            container, _, _, anchor, start = stack.pop()
            value = container
            if anchor:
                anchors[anchor] = value
                sizes[anchor] = (nodes - start[0], characters - start[1])
        elif kind is Scalar or kind is Alias or kind is MapStart or kind is SeqStart:
            if kind is Scalar:
                value = _scalar(event)
                nodes += 1
                characters += len(event.value)
                if event.anchor:
                    anchors[event.anchor] = value
                    sizes[event.anchor] = (1, len(event.value))
            elif kind is Alias:
                if event.anchor not in anchors:
                    mark = event.start_mark
                    raise _YamlProblem(mark.line + 1 + offset, mark.column + 1, "RH004",
                                       f"YAML-syntaxfel: okänt alias '*{event.anchor}'",
                                       f"Ett alias (*) måste peka på ett ankare (&{event.anchor}) tidigare i filen. "
                                       "Sätt värdet inom citattecken om * ska stå i texten.")
                value = anchors[event.anchor]
                extra_nodes, extra_characters = sizes[event.anchor]
                nodes += extra_nodes
                characters += extra_characters
            else:
                nodes += 1
                if len(stack) >= MAX_DEPTH:
                    mark = event.start_mark
                    raise _YamlProblem(mark.line + 1 + offset, mark.column + 1, "RH008",
                                       f"YAML-värdet är nästlat för djupt (mer än {MAX_DEPTH} nivåer av listor och fält)",
                                       "Handbokens fält är som mest några nivåer djupa; ta bort de extra hakparenteserna eller indragen.")
            if nodes > MAX_NODES or characters > MAX_CHARACTERS:
                mark = event.start_mark
                raise _YamlProblem(mark.line + 1 + offset, mark.column + 1, "RH007",
                                   "YAML-värdet är för stort: " + (
                                       f"mer än {MAX_NODES} värden" if nodes > MAX_NODES
                                       else f"mer än {MAX_CHARACTERS // 1_000_000} miljoner tecken")
                                   + (" när alias (*) räknas ut" if kind is Alias else ""),
                                   "Skriv ut värdena i stället för att använda ankare (&) och alias (*), "
                                   "och dela upp mycket stora register.")
            if kind is MapStart or kind is SeqStart:
                # A new container: record where it stands in its parent, then descend.
                path = _child_path(stack, event, offset, locations, problems, display)
                stack.append([{} if kind is MapStart else [], path, None, event.anchor, (nodes - 1, characters)])
                continue
        elif kind is DocStart:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise _YamlProblem(mark.line + 1 + offset, mark.column + 1, "RH004",
                                   "YAML-syntaxfel: filen innehåller mer än ett YAML-dokument (en rad med ---)",
                                   "Ta bort raden med --- eller dela upp innehållet.")
            continue
        else:
            continue
        # Place a finished value (scalar, alias or closed container) in its parent.
        if not stack:
            data = value
            continue
        frame = stack[-1]
        container = frame[0]
        if type(container) is list:
            if kind is Scalar or kind is Alias:
                mark = event.start_mark
                locations[frame[1] + (len(container),)] = (mark.line + 1 + offset, mark.column + 1)
            container.append(value)
        elif frame[2] is None:
            # A key. Keys are text; a key that is itself a list or mapping is shown as text.
            key = _key_text(value)
            where = None
            if kind is Scalar or kind is Alias:
                mark = event.start_mark
                where = (mark.line + 1 + offset, mark.column + 1)
            if key in container:
                first = locations.get(frame[1] + (key,), where or (0, 0))[0]
                problems.add(display, where[0] if where else 0, "RH005",
                             f"nyckeln '{key}' förekommer två gånger (första gången på rad {first})",
                             column=where[1] if where else 1,
                             hint="Ta bort den ena raden eller slå ihop värdena. Bara den första räknas.")
                frame[2] = (_DUPLICATE, None)
            else:
                if where:
                    locations[frame[1] + (key,)] = where
                frame[2] = (key, where)
        else:
            key, key_mark = frame[2]
            frame[2] = None
            if key is _DUPLICATE:
                continue
            if kind is Scalar or kind is Alias:
                mark = event.start_mark
                locations[frame[1] + (key, "__value__")] = (mark.line + 1 + offset, mark.column + 1)
            container[key] = value
    return data, locations, documents


_DUPLICATE = object()


def _key_text(key: Any) -> str:
    if key is None:
        return ""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (list, dict)):
        return repr(key)
    return str(key)


def _child_path(stack: list, event, offset: int, locations: dict, problems: ProblemList, display: str) -> tuple:
    """The path of a container that starts here, recording its location."""
    mark = event.start_mark
    where = (mark.line + 1 + offset, mark.column + 1)
    if not stack:
        return ()
    frame = stack[-1]
    container, path = frame[0], frame[1]
    if type(container) is list:
        index = len(container)
        locations[path + (index,)] = where
        return path + (index,)
    if frame[2] is None:
        # A mapping or list used as a key: unusual; keep it under a throwaway path.
        return path + ("__key__",)
    key, _ = frame[2]
    if key is _DUPLICATE:
        return path + ("__duplicate__",)
    locations[path + (key, "__value__")] = where
    return path + (key,)


def parse_yaml(text: str, display: str, problems: ProblemList, *, line_offset: int = 0) -> Document | None:
    """Parse YAML text; syntax problems are reported with file and line."""
    if "\t" in text:
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
        data, locations, _ = _build(_events(text), line_offset, display, problems)
    except _YamlProblem as exc:
        problems.add(display, exc.line, exc.code, exc.message, column=exc.column, hint=exc.hint)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit, deeper than ours
            problems.add(display, (mark.line + 1 + line_offset) if mark else line_offset + 1,
                         "RH008", f"YAML-värdet är nästlat för djupt (mer än {MAX_DEPTH} nivåer av listor och fält)",
                         column=(mark.column + 1) if mark else 1,
                         hint="Handbokens fält är som mest några nivåer djupa; ta bort de extra hakparenteserna eller indragen.")
            return None
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            # Failing at the end of the text (an unclosed quote or bracket):
            # the place to fix is where the unclosed thing began.
            mark = exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        stripped = text.rstrip()
        if mark is not None and mark.index >= len(stripped) and stripped:
            # Past the last character: point at the end of the last written line.
            last = stripped.split("\n")
            line, col = len(last) + line_offset, len(last[-1]) + 1
        char = ""
        if mark is not None:
            # libyaml's marks carry no buffer: find the character in the text.
            lines = text.split("\n")
            if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
                char = lines[mark.line][mark.column]
        problems.add(
            display, line, "RH004",
            f"YAML-syntaxfel: {_swedish_yaml_problem(exc.problem or '', exc.context or '', char)}",
            column=col,
            hint="Kontrollera indrag, kolon efter varje nyckel och citattecken runt värden som innehåller kolon, # eller börjar med @ eller `.",
        )
        return None
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes of UTF-8, not characters.
        raw = text.encode("utf-8") if getattr(_Loader, "__module__", "") == "yaml.cyaml" else text
        before = raw[: exc.position]
        newline = b"\n" if isinstance(raw, bytes) else "\n"
        line = before.count(newline) + 1 + line_offset
        tail = before[before.rfind(newline) + 1:]
        col = len(tail.decode("utf-8", "replace") if isinstance(tail, bytes) else tail) + 1
        problems.add(display, line, "RH004",
                     f"YAML-syntaxfel: otillåtet kontrolltecken (#x{exc.character:04x}) i texten",
                     column=col, hint="Ta bort tecknet; det syns ofta inte i editorn. Skriv om värdet för hand.")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error is marked or a reader error
        problems.add(display, line_offset + 1, "RH004", f"YAML-syntaxfel ({exc})",
                     hint="Kontrollera filens YAML-syntax.")
        return None
    locations[()] = (line_offset + 1, 1)
    return Document(data, locations, line_offset + 1)


_YAML_PHRASES = {
    "could not find expected ':'": "kolon (:) saknas efter en nyckel",
    "mapping values are not allowed": "ett kolon står där det inte får stå (sätt värdet inom citattecken, eller rätta indraget)",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (saknas ett avslutande citattecken?)",
    "did not find expected key": "en nyckel saknas eller indraget är fel",
    "did not find expected '-' indicator": "ett listelement saknar bindestreck eller har fel indrag",
    "did not find expected ',' or ']'": "listan avslutas inte med ] (eller saknar kommatecken)",
    "did not find expected ',' or '}'": "fälten inom { } avslutas inte med } (eller saknar kommatecken)",
    "did not find expected node content": "ett värde saknas",
    "found undefined alias": "okänt alias (*)",
    "expected <block end>, but found": "indraget är fel",
    "found unknown escape character": "okänd escape-sekvens (\\) i text inom dubbla citattecken",
    "found a tab character": "tabbtecken är inte tillåtet här",
    "found unexpected ':'": "ett kolon står där det inte får stå (sätt värdet inom citattecken)",
    "found character that cannot start any token": "ett värde börjar med ett tecken som inte är tillåtet där",
    "could not find expected": "ett avslutande tecken saknas",
    "found unexpected document": "en rad med --- eller ... står mitt i framsidesdatan",
}


def _swedish_yaml_problem(problem: str, context: str = "", char: str = "") -> str:
    if "cannot start any token" in problem:
        if char == "\t":
            return "tabbtecken är inte tillåtet här"
        if char in ("@", "`"):
            return f"ett värde får inte börja med {char} (sätt värdet inom citattecken)"
        if char == "%":
            return "ett värde får inte börja med % (sätt värdet inom citattecken)"
    if "quoted scalar" in context and "end of stream" in problem:
        return "ett citattecken avslutas aldrig"
    for english, swedish in _YAML_PHRASES.items():
        if english in problem:
            return swedish
    return f"filen följer inte YAML-syntaxen ({problem or context})"


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

"""Säkerhet: bara handbokens egna skript körs, vad en redaktör än skriver.

The text of every routine and every page in ``docs/`` is rendered the way
the build renders it (``core.rendering``: Python-Markdown with the
extensions of ``mkdocs.yml``) and sanitised with the one allow-list
(``core.safe_html``); each element or attribute the sanitiser removes is a
finding. The build sanitises every page with the same allow-list and
reports what it removes with the same messages (``removal_problems``), so
what is checked is what is published. Values in front matter and registers
are text: HTML in them is shown as typed, and a script, an event handler or
a ``javascript:`` address in one is an error all the same.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

from .. import model
from ..core.cache import Store, code_version
from ..core.cache import key as cache_key
from ..core.handbook import REGISTER_DIR, Handbook
from ..core.markdown_text import MARKDOWN_WORK_LIMIT, mask, markdown_work
from ..core.rendering import Renderer, markdown_settings
from ..core.safe_html import URL_ATTRIBUTES, Removed, is_dangerous_url, sanitize
from ..problems import Problem, Severity
from .diagrams import used_diagrams
from .registry import BuildContext, rule

_FIELD_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>")
# Scanned on the unescaped, lower-cased value; each '<' starts at most one scan to the next '<' or '>'.
_FIELD_SCRIPT = re.compile(r"<\s*(script|iframe|object|embed|applet|frame|frameset|base|meta|link|style|svg|math|form)\b")
_FIELD_HANDLER = re.compile(r"<[a-z][^<>]*?[\s/\"'](on[a-z]+)\s*=")
_FIELD_SCHEME = re.compile(r"(?:javascript|vbscript|livescript):|data:text/html")
_SPACE = re.compile(r"[\x00-\x20\x7f]+")

INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)] + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2060, 0x2065)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u061c", "\ufeff"])
"""Direction controls and zero-width characters: invisible, but they reorder or hide text."""
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")

PAGE_SIZE_WARNING = 100_000
"""Characters of text in one routine above which its page and search-index share get large."""


# --- the text as the build renders it --------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One routine's or docs page's Markdown and where it stands in its file."""

    display: str
    body: str
    first_line: int
    kind: str  # "rutinen" or "sidan", as the messages say


def texts(handbook: Handbook) -> list[Text]:
    found = [Text(s.display, s.body, s.body_line, "rutinen") for s in handbook.routines.values()]
    return found + [Text(p.display, p.body, p.body_line, "sidan") for p in handbook.docs_pages()]


def _renderer(handbook: Handbook, context: BuildContext) -> Renderer:
    return context.once("renderer", lambda: Renderer(markdown_settings(handbook.root)))


def _store(context: BuildContext) -> Store:
    return context.once("safety-store", lambda: Store(
        "sakerhet", code_version("core/safe_html.py", "core/rendering.py", "core/markdown_text.py")))


def removals(handbook: Handbook, context: BuildContext) -> list[Problem]:
    """Every finding about the rendered text of the routines and docs pages (computed once)."""
    def compute() -> list[Problem]:
        renderer = _renderer(handbook, context)
        store = _store(context)
        found: list[Problem] = []
        for text in texts(handbook):
            work, at = markdown_work(text.body)
            if work > MARKDOWN_WORK_LIMIT:
                line, column = _position(text.body, at + len(text.body[at:]) - len(text.body[at:].lstrip("\n")))
                found.append(Problem(text.display, text.first_line + line - 1, column, "RH011", Severity.ERROR,
                                     f"{text.kind} har ett stycke som är för stort för Markdown-tolken "
                                     f"(mycket långa rader med många [, (, < eller `)",
                                     "Dela upp stycket med tomma rader, eller ta bort de upprepade tecknen."))
                continue
            entry = cache_key(renderer.settings.fingerprint, text.body)
            cached = store.get(entry)
            if cached is None:
                cached = [r.as_data() for r in sanitize(renderer.html(text.body)).removed]
                store.put(entry, cached)
            removed = [Removed(*item) for item in cached]
            found += removal_problems(text.display, text.body, text.first_line, removed, text.kind)
        store.save()
        return found

    return context.once("removals", compute)


def _position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of an offset, 1-based."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _needles(item: Removed) -> list[re.Pattern]:
    """What to look for in the Markdown to find where a removed element or attribute was written."""
    element = re.compile(r"<" + re.escape(item.tag) + r"(?![\w-])", re.IGNORECASE)
    if item.attribute is None:
        return [element]
    name = re.compile(r"(?<![\w-])" + re.escape(item.attribute) + r"\s*=", re.IGNORECASE)
    value = item.value.strip()
    if item.attribute in URL_ATTRIBUTES and len(value) >= 4:
        # A Markdown link or image has no href= or src=: its address is what was written.
        return [re.compile(re.escape(value[:40]), re.IGNORECASE), name, element]
    return [name, element]


def _locate(body: str, masked: str, item: Removed, cursors: dict[str, int]) -> int | None:
    """Where in the Markdown a removed element or attribute most likely was written.

    Rendered HTML carries no source positions, so each removal is looked for in
    the text: the element's opening ``<tag``, or the attribute's value, or its
    ``name=`` (in HTML or in an attribute list ``{: …}``). Outside code first
    (what an editor shows as an example is rendered as text and never removed),
    then anywhere; successive removals of the same kind take successive
    occurrences, so two scripts are found on their two lines.
    """
    for needle in _needles(item):
        for text in (masked, body):
            key = f"{id(text)}:{needle.pattern}"
            match = needle.search(text, cursors.get(key, 0))
            if match is None and cursors.get(key):
                match = needle.search(text)  # past the last one: the last place seen is the best guess
            if match is not None:
                cursors[key] = match.end()
                return match.start()
    return None


def removal_problems(display: str, body: str, first_line: int, removed: list[Removed],
                     kind: str = "rutinen") -> list[Problem]:
    """Findings for what the sanitiser removed from the HTML of a text, at its lines."""
    found = []
    masked = mask(body)
    cursors: dict[str, int] = {}
    first_text = len(body) - len(body.lstrip())
    for item in removed:
        at = _locate(body, masked, item, cursors)
        line, column = _position(body, first_text if at is None else at)
        code, message, hint = _describe(item, kind)
        found.append(Problem(display, first_line + line - 1, column, code, Severity.ERROR, message, hint))
    return found


def _describe(item: Removed, kind: str) -> tuple[str, str, str]:
    reason, tag, name, value = item.reason, item.tag, item.attribute, item.value
    if reason == "element":
        return ("RH601", f"{kind} innehåller HTML-taggen <{tag}>, som inte är tillåten",
                "Ta bort taggen. Kod som ska visas som exempel skrivs inom bakåtfnuttar (`...`).")
    if reason == "style":
        what = "en <style>-tagg" if name is None else f"attributet style= på <{tag}>"
        return ("RH607", f"{kind} innehåller {what}; egna stilar är inte tillåtna i texten",
                "Ta bort stilen. Utseendet kommer från handbokens tema, så att alla sidor ser lika ut och går att läsa.")
    if reason == "handler":
        return ("RH602", f"HTML-taggen har händelsehanteraren '{name}=', som kör skript",
                "Ta bort attributet. Rutiner behöver inga skript.")
    if reason == "script-url":
        return ("RH603", f"länken '{value[:60]}' kör skript",
                "Länka till en https://-adress eller till en rutin (rutinens-id.md).")
    if reason == "external":
        return ("RH608", f"<{tag}> hämtar '{value[:60]}' från en annan webbplats",
                "Lägg bilden i docs/assets/ och länka till den där; handboken hämtar inget från andra webbplatser.")
    return ("RH611", f"attributet '{name}' på <{tag}> är inte tillåtet och tas bort",
            "Ta bort attributet. Tillåten HTML står i redaktörsguiden (avsnittet om HTML i texten).")


def _of_code(code: str, handbook: Handbook, context: BuildContext) -> Iterator[Problem]:
    return (p for p in removals(handbook, context) if p.code == code)


@rule("RH011", "filer", "ett stycke är för stort för Markdown-tolken", per_routine=True)
def markdown_too_costly(handbook: Handbook, context: BuildContext):
    """Ett stycke i texten (text mellan två tomma rader) har så många `[`,
    `(`, `<` eller bakåtfnuttar utan slut på mycket långa rader att
    Markdown-tolken skulle arbeta i minuter med det. Texten byggs därför inte.
    Vanlig text, även lång, är aldrig i närheten av gränsen.

    Rätta: Dela upp stycket med tomma rader, eller ta bort de upprepade
    tecknen. Ofta är det inklistrad text eller data som inte hör hemma i en rutin.
    """
    yield from _of_code("RH011", handbook, context)


@rule("RH601", "säkerhet", "texten innehåller HTML som inte är tillåten", per_routine=True)
def no_dangerous_elements(handbook: Handbook, context: BuildContext):
    """Rutinens (eller sidans) text innehåller en HTML-tagg som inte finns i
    handbokens lista över tillåten HTML, till exempel `<script>`, `<iframe>`,
    `<object>`, `<embed>`, `<form>`, `<base>`, `<meta>` eller `<link>`.
    Sådant skulle kunna köras hos varje läsare eller hämta innehåll från andra
    webbplatser. Bygget tar bort taggen och stoppar. Texten kontrolleras som
    Markdown blir HTML, så det hjälper inte att gömma taggen i en kommentar
    eller ett kodblock som Markdown inte räknar som kod.

    Rätta: Ta bort taggen. Behöver du visa kod som exempel, skriv den inom
    bakåtfnuttar (`` `<script>` ``) eller i ett kodblock; då visas den som text.

    Exempel:
        Skriv `<script>` inom bakåtfnuttar när du vill visa taggen.
    """
    yield from _of_code("RH601", handbook, context)


@rule("RH602", "säkerhet", "texten innehåller en händelsehanterare (on…=)", per_routine=True)
def no_event_handlers(handbook: Handbook, context: BuildContext):
    """En HTML-tagg i texten har ett attribut som `onclick=`, `onerror=` eller
    `onload=`, skrivet i HTML eller i en attributlista (`{: onclick="…"}`).
    Sådana attribut kör kod i läsarens webbläsare.

    Rätta: Ta bort attributet (eller hela taggen). Rutiner skrivs i Markdown
    och behöver inga skript.
    """
    yield from _of_code("RH602", handbook, context)


@rule("RH603", "säkerhet", "en länk använder javascript:", per_routine=True)
def no_script_links(handbook: Handbook, context: BuildContext):
    """En länk i texten eller en `click`-länk i en processkarta börjar med
    `javascript:` (eller `vbscript:`, `data:`), också när det är gömt med
    entiteter, mellanslag, radbrytningar eller en referenslänk. En sådan länk
    kör kod när läsaren klickar.

    Rätta: Länka till en webbadress (`https://…`) eller till en annan rutin
    med dess filnamn (`rutinens-id.md`).
    """
    yield from _of_code("RH603", handbook, context)
    for name in used_diagrams(handbook, context):
        chart = handbook.diagram(name)  # the click links as Mermaid read them
        for click in chart.links() if chart is not None else ():
            if is_dangerous_url(click.value):
                yield Problem(f"diagrams/{name}", click.line or 1, 1, "RH603", Severity.ERROR,
                              f"click-länken '{click.value[:60]}' i processkartan kör skript",
                              "Låt click peka på en rutin (rutinens-id.md) eller en https://-adress.")


@rule("RH607", "säkerhet", "texten innehåller egna stilar (<style> eller style=)", per_routine=True)
def no_styles(handbook: Handbook, context: BuildContext):
    """Texten innehåller en `<style>`-tagg eller ett `style=`-attribut. En
    stil kan dölja eller flytta text, så att sidan visar något annat än det
    som står i rutinen, och kan göra den svår att läsa.

    Rätta: Ta bort stilen. Utseendet kommer från handbokens tema; rubriker,
    listor, tabeller och rutor (`!!! note`) räcker för att strukturera texten.
    """
    yield from _of_code("RH607", handbook, context)


@rule("RH608", "säkerhet", "en bild eller fil hämtas från en annan webbplats", per_routine=True)
def no_external_resources(handbook: Handbook, context: BuildContext):
    """En bild (eller annan fil som läses in när sidan visas) pekar på en
    annan webbplats, t.ex. `![](https://exempel.se/bild.png)`. Handboken hämtar
    aldrig något från andra webbplatser: det skulle berätta för den webbplatsen
    vem som läser vilken rutin, och sidan skulle inte fungera på ett intranät.
    Vanliga länkar till andra webbplatser går bra.

    Rätta: Spara bilden i `docs/assets/` och länka till den där.
    """
    yield from _of_code("RH608", handbook, context)


@rule("RH611", "säkerhet", "ett HTML-attribut är inte tillåtet", per_routine=True)
def no_unknown_attributes(handbook: Handbook, context: BuildContext):
    """En HTML-tagg i texten har ett attribut som inte finns i handbokens
    lista över tillåten HTML (till exempel `target=`, `srcdoc=` eller ett id
    som börjar med `__`, som temat använder själv). Bygget tar bort attributet.

    Rätta: Ta bort attributet. Vilken HTML som är tillåten står i
    redaktörsguiden.
    """
    yield from _of_code("RH611", handbook, context)


# --- front matter and registers ------------------------------------------------------------


def _strings(value: Any) -> Iterator[tuple[tuple, str]]:
    """(path, text) for every text value, depth first, each shared container once."""
    stack: list[tuple[tuple, Any]] = [((), value)]
    seen: set[int] = set()
    while stack:
        path, current = stack.pop()
        kind = type(current)
        if kind is str:
            yield path, current
        elif kind is dict or kind is list:
            if id(current) in seen:  # aliases share containers
                continue
            seen.add(id(current))
            items = current.items() if kind is dict else enumerate(current)
            stack.extend(reversed([(path + (k,), v) for k, v in items]))


def _field_name(path: tuple) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


def dangerous_value(value: str) -> str | None:
    """What in a field's text would run as code if it were HTML, or None."""
    if not any(ch in value for ch in "<:&"):
        return None
    text = html.unescape(value).lower()
    found = _FIELD_SCRIPT.search(text)
    if found:
        return f"<{found.group(1)}>"
    found = _FIELD_HANDLER.search(text)
    if found:
        return f"{found.group(1)}="
    found = _FIELD_SCHEME.search(_SPACE.sub("", text))
    if found:
        return found.group(0)
    return None


@dataclass(frozen=True)
class _Field:
    display: str
    line: int
    column: int
    name: str
    value: str
    where: str  # "routine" | "register" | "docs"


def _fields(handbook: Handbook, context: BuildContext) -> list[_Field]:
    """Every text in the front matter of routines and docs pages and in the registers."""
    def compute() -> list[_Field]:
        found = []
        documents = [(s.display, s.document, "routine", ()) for s in handbook.routines.values()]
        documents += [(p.display, p.document, "docs", ()) for p in handbook.docs_pages() if p.document is not None]
        for attribute, (filename, _) in model.REGISTERS.items():
            document = handbook.register_documents.get(attribute)
            if document is not None:
                documents.append((handbook.display(handbook.root / REGISTER_DIR / filename), document, "register", ()))
        for display, document, where, _ in documents:
            for path, value in _strings(document.data):
                loc = path + ("__value__",)
                line, column = document.locations[loc] if loc in document.locations else document.where(path)
                found.append(_Field(display, line, column, _field_name(path), value, where))
        return found

    return context.once("fields", compute)


@rule("RH604", "säkerhet", "HTML i ett fält visas som text", severity=Severity.WARNING, per_routine=True)
def html_in_fields(handbook: Handbook, context: BuildContext):
    """Varning: ett fält i framsidesdatan (eller i ett register) innehåller
    HTML, t.ex. `<b>`. Fälten visas alltid som ren text, så taggen syns som
    den är skriven på sidan i stället för att formatera texten. Det är ingen
    säkerhetsrisk, men ser fel ut. (Ett skript, en händelsehanterare eller en
    `javascript:`-adress i ett fält är ett fel, RH605.)

    Rätta: Ta bort taggen ur fältet. Fälten är ren text; formatering hör
    hemma i rutinens brödtext.
    """
    for field in _fields(handbook, context):
        if field.where == "docs" or "<" not in field.value or dangerous_value(field.value):
            continue
        tag = _FIELD_HTML.search(field.value)
        if tag:
            yield Problem(field.display, field.line, field.column, "RH604", Severity.WARNING,
                          f"fältet '{field.name}' innehåller HTML ({tag.group(0)[:40]}), som visas som text",
                          "Ta bort taggen; fälten är ren text.")


@rule("RH605", "säkerhet", "ett fält innehåller ett skript, en händelsehanterare eller javascript:", per_routine=True)
def script_in_fields(handbook: Handbook, context: BuildContext):
    """Ett fält i framsidesdatan, i en sida i `docs/` eller i ett register
    innehåller `<script>` (eller en annan tagg som kör eller bäddar in kod),
    en händelsehanterare som `onerror=` eller en adress som börjar med
    `javascript:`. Fälten visas som text, men ett sådant värde är aldrig
    avsiktligt och kan bli farligt var det än skrivs ut (i en sökträff, en
    export, ett e-postmeddelande).

    Rätta: Ta bort koden ur fältet. Fälten är ren text.
    """
    for field in _fields(handbook, context):
        found = dangerous_value(field.value)
        if found:
            yield Problem(field.display, field.line, field.column, "RH605", Severity.ERROR,
                          f"fältet '{field.name}' innehåller {found[:40]}, som kör skript",
                          "Ta bort koden; fälten är ren text.")


@rule("RH612", "säkerhet", "HTML i framsidesdatan till en sida i docs/", per_routine=True)
def html_in_docs_front_matter(handbook: Handbook, context: BuildContext):
    """Framsidesdatan i en sida i `docs/` (t.ex. `title:` eller
    `description:`) innehåller HTML. Temat skriver de värdena rakt in i
    sidans HTML (i menyn och sidhuvudet), så där blir de inte text.

    Rätta: Ta bort taggen ur fältet och skriv titeln som vanlig text.
    """
    for field in _fields(handbook, context):
        if field.where != "docs" or dangerous_value(field.value):
            continue
        tag = _FIELD_HTML.search(field.value) if "<" in field.value else None
        if tag:
            yield Problem(field.display, field.line, field.column, "RH612", Severity.ERROR,
                          f"fältet '{field.name}' innehåller HTML ({tag.group(0)[:40]})",
                          "Ta bort taggen; skriv fältet som vanlig text.")


def _single_line_values(handbook: Handbook) -> Iterator[tuple[str, int, int, str, str]]:
    """(display, line, column, field, value) for each one-line field of routines and registers."""
    for source in handbook.routines.values():
        routine = source.routine
        for name in model.single_line_fields(model.Routine):
            value = getattr(routine, name)
            if value:
                yield (source.display, *source.document.where((name, "__value__")), name, value)
        if routine.approved:
            for name in model.single_line_fields(model.Approval):
                yield (source.display, *source.document.where(("approved", name, "__value__")),
                       f"approved.{name}", getattr(routine.approved, name))
    for attribute, (_, model_cls) in model.REGISTERS.items():
        target = getattr(handbook, attribute)
        key_field = "term" if attribute == "glossary" else "id"
        items = target.values() if isinstance(target, dict) else target
        names = model.single_line_fields(model_cls)
        for item in items:
            key = getattr(item, key_field)
            for name in names:
                value = getattr(item, name)
                if value:
                    yield (*handbook.register_field(attribute, key, name), name, value)


@rule("RH606", "säkerhet", "en radbrytning i ett fält som är en rad", per_routine=True)
def line_breaks_in_one_line_fields(handbook: Handbook, context: BuildContext):
    """Ett fält som är en rad (en titel, ett namn, en förkortning, en
    protokollsreferens) innehåller en radbrytning, ofta från `|` i YAML eller
    `\\n` inom citattecken. En förkortning skrivs in i varje sidas Markdown, så
    en radbrytning där skulle göra resten av värdet till en del av varje sida.

    Rätta: Skriv värdet på en rad.

    Exempel:
        abbreviation: SoL
    """
    for display, line, column, name, value in _single_line_values(handbook):
        if "\n" in value or "\r" in value:
            yield Problem(display, line, column, "RH606", Severity.ERROR,
                          f"fältet '{name}' ska vara en rad men innehåller en radbrytning",
                          "Skriv värdet på en rad.")


@rule("RH609", "säkerhet", "osynliga styrtecken i texten", per_routine=True)
def invisible_characters(handbook: Handbook, context: BuildContext):
    """Texten eller ett fält innehåller ett osynligt tecken som ändrar
    skrivriktningen (t.ex. U+202E) eller har noll bredd (U+200B–U+200F,
    U+2066–U+2069, U+FEFF). De syns inte i editorn men kan vända på eller
    gömma text, så att sidan visar något annat än det granskaren såg.

    Rätta: Ta bort tecknet. Skriv om ordet för hand om du inte hittar det;
    meddelandet säger rad och kolumn.
    """
    for field in _fields(handbook, context):
        found = _INVISIBLE.search(field.value)
        if found:
            yield _invisible(field.display, field.line, field.column, found.group(0), f"fältet '{field.name}'")
    for text in texts(handbook):
        found = _INVISIBLE.search(text.body)
        if found:
            line, column = _position(text.body, found.start())
            yield _invisible(text.display, text.first_line + line - 1, column, found.group(0), "texten")


def _invisible(display: str, line: int, column: int, char: str, where: str) -> Problem:
    name = unicodedata.name(char, "okänt tecken")
    return Problem(display, line, column, "RH609", Severity.ERROR,
                   f"{where} innehåller det osynliga tecknet U+{ord(char):04X} ({name})",
                   "Ta bort tecknet; det syns inte i editorn men ändrar hur texten visas.")


@rule("RH610", "säkerhet", "rutinen är mycket stor", severity=Severity.WARNING, per_routine=True)
def very_large_routines(handbook: Handbook, context: BuildContext):
    """Varning: rutinens text är mycket lång (mer än 100 000 tecken, ungefär
    50 sidor). Hela texten blir en webbsida och en del av sökindexet som varje
    läsare hämtar, så sidan och sökningen blir långsamma för alla. Ofta är det
    inklistrad data eller bilder som text.

    Rätta: Dela upp rutinen i flera rutiner, eller flytta bilagor till egna
    filer i `docs/assets/` och länka till dem.
    """
    for source in handbook.routines.values():
        size = len(source.body)
        if size > PAGE_SIZE_WARNING:
            yield Problem(source.display, source.body_line, 1, "RH610", Severity.WARNING,
                          f"rutinens text är {size:,} tecken".replace(",", " ") + "; sidan och sökindexet blir stora för läsarna",
                          "Dela upp rutinen, eller flytta bilagor till egna filer.")

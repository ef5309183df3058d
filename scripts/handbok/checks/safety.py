"""Säkerhet: inget skript eller inbäddat innehåll i rutinerna.

Routine bodies are Markdown, and Markdown passes raw HTML through to the
page. A ``<script>``, an ``<iframe>``, an inline event handler or a
``javascript:`` link in a routine would run in every reader's browser, so
each is an error. Front matter values are always escaped (shown as text), so
HTML there is only a warning that it will show as text.
"""

from __future__ import annotations

import marshal
import re
from typing import Any, Iterator

from .. import model
from ..core.handbook import Handbook
from ..core.markdown_text import is_dangerous_url
from ..problems import Problem, Severity
from . import body
from .diagrams import used_diagrams
from .registry import BuildContext, rule

DANGEROUS_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "form")
_DANGEROUS = re.compile(r"<\s*(?P<tag>" + "|".join(DANGEROUS_TAGS) + r")\b", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
_HANDLER = re.compile(r"[\s/\"'](?P<name>on[a-z]+)\s*=", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(r"\b(?:href|src|action|formaction|xlink:href|data|poster|srcset)\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s>]+)",
                            re.IGNORECASE)
_FIELD_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>")


@rule("RH601", "säkerhet", "rutinen innehåller farlig HTML")
def no_dangerous_elements(handbook: Handbook, context: BuildContext):
    """Rutinens text innehåller en HTML-tagg som kan köra kod eller bädda in
    en annan webbplats: `<script>`, `<iframe>`, `<object>`, `<embed>`,
    `<form>`, `<base>`, `<meta>` eller `<link>`. Sådant skulle köras hos varje
    läsare och hämta innehåll från andra webbplatser.

    Rätta: Ta bort taggen. Behöver du visa kod som exempel, skriv den inom
    bakåtfnuttar (`` `<script>` ``) eller i ett kodblock; då visas den som text.
    """
    for source in handbook.routines.values():
        text = body.masked_body(source, context)
        if "<" not in text:
            continue
        for match in _DANGEROUS.finditer(text):
            line, column = body.position(source, text, match.start())
            tag = match.group("tag").lower()
            yield Problem(source.display, line, column, "RH601", Severity.ERROR,
                          f"rutinen innehåller HTML-taggen <{tag}>, som inte är tillåten",
                          "Ta bort taggen. Kod som ska visas som exempel skrivs inom bakåtfnuttar (`...`).")


@rule("RH602", "säkerhet", "rutinen innehåller en händelsehanterare (on…=)")
def no_event_handlers(handbook: Handbook, context: BuildContext):
    """En HTML-tagg i rutinens text har ett attribut som `onclick=`,
    `onerror=` eller `onload=`. Sådana attribut kör kod i läsarens webbläsare.

    Rätta: Ta bort attributet (eller hela taggen). Rutiner skrivs i Markdown
    och behöver inga skript.
    """
    for source in handbook.routines.values():
        text = body.masked_body(source, context)
        if "<" not in text:
            continue
        for tag in _TAG.finditer(text):
            for handler in _HANDLER.finditer(tag.group(0)):
                line, column = body.position(source, text, tag.start() + handler.start("name"))
                yield Problem(source.display, line, column, "RH602", Severity.ERROR,
                              f"HTML-taggen har händelsehanteraren '{handler.group('name').lower()}=', som kör skript",
                              "Ta bort attributet. Rutiner behöver inga skript.")


@rule("RH603", "säkerhet", "en länk använder javascript:")
def no_script_links(handbook: Handbook, context: BuildContext):
    """En länk i rutinens text eller en `click`-länk i en processkarta börjar
    med `javascript:` (eller `vbscript:`, `data:text/html`). En sådan länk
    kör kod när läsaren klickar.

    Rätta: Länka till en webbadress (`https://…`) eller till en annan rutin
    med dess filnamn (`rutinens-id.md`).
    """
    for source in handbook.routines.values():
        for link in body.links(source, context):
            if is_dangerous_url(link.target):
                yield Problem(source.display, link.line, link.column, "RH603", Severity.ERROR,
                              f"länken '{link.target[:60]}' kör skript",
                              "Länka till en https://-adress eller till en rutin (rutinens-id.md).")
        text = body.masked_body(source, context)
        if "<" not in text:
            continue
        for tag in _TAG.finditer(text):
            for attribute in _URL_ATTRIBUTE.finditer(tag.group(0)):
                value = attribute.group("value").strip("\"'")
                if is_dangerous_url(value):
                    line, column = body.position(source, text, tag.start() + attribute.start())
                    yield Problem(source.display, line, column, "RH603", Severity.ERROR,
                                  f"HTML-länken '{value[:60]}' kör skript",
                                  "Länka till en https://-adress eller till en rutin (rutinens-id.md).")
    for name in used_diagrams(handbook, context):
        chart = handbook.diagram(name)
        for click in chart.links() if chart is not None else ():
            if is_dangerous_url(click.value):
                yield Problem(f"diagrams/{name}", click.line or 1, 1, "RH603", Severity.ERROR,
                              f"click-länken '{click.value[:60]}' i processkartan kör skript",
                              "Låt click peka på en rutin (rutinens-id.md) eller en https://-adress.")


def _strings_with_tags(value: Any) -> Iterator[tuple[tuple, str]]:
    """(path, text) for every text value that contains '<', depth first, each container once."""
    stack: list[tuple[tuple, Any]] = [((), value)]
    seen: set[int] = set()
    while stack:
        path, current = stack.pop()
        kind = type(current)
        if kind is str:
            if "<" in current:
                yield path, current
        elif kind is dict or kind is list:
            if id(current) in seen:  # aliases share containers
                continue
            seen.add(id(current))
            items = current.items() if kind is dict else enumerate(current)
            stack.extend(reversed([(path + (k,), v) for k, v in items if type(v) is not str or "<" in v]))


def _field_name(path: tuple) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


@rule("RH604", "säkerhet", "HTML i ett fält visas som text", severity=Severity.WARNING)
def html_in_fields(handbook: Handbook, context: BuildContext):
    """Varning: ett fält i framsidesdatan (eller i ett register) innehåller
    HTML, t.ex. `<b>` eller `<script>`. Fälten visas alltid som ren text, så
    taggen syns som den är skriven på sidan i stället för att formatera texten.
    Det är ingen säkerhetsrisk, men ser fel ut.

    Rätta: Ta bort taggen ur fältet. Fälten är ren text; formatering hör
    hemma i rutinens brödtext.
    """
    for source in handbook.routines.values():
        data = source.document.data
        if b"<" not in marshal.dumps(data):  # a quick look before walking every field
            continue
        for path, value in _strings_with_tags(data):
            if _FIELD_HTML.search(value):
                line, column = source.document.where(path + ("__value__",)) if (path + ("__value__",)) in source.document.locations \
                    else source.document.where(path)
                tag = _FIELD_HTML.search(value).group(0)
                yield Problem(source.display, line, column, "RH604", Severity.WARNING,
                              f"fältet '{_field_name(path)}' innehåller HTML ({tag[:40]}), som visas som text",
                              "Ta bort taggen; fälten är ren text.")
    for attribute, (filename, _) in model.REGISTERS.items():
        for key, item in _register_items(handbook, attribute):
            for field_name, value in item.model_dump().items():
                if isinstance(value, str) and "<" in value and _FIELD_HTML.search(value):
                    display, line = handbook.register_lines.get((attribute, key), (f"routines/register/{filename}", 1))
                    yield Problem(display, line, 1, "RH604", Severity.WARNING,
                                  f"fältet '{field_name}' i '{key}' innehåller HTML ({_FIELD_HTML.search(value).group(0)[:40]}), som visas som text",
                                  "Ta bort taggen; registren är ren text.")


def _register_items(handbook: Handbook, attribute: str):
    target = getattr(handbook, attribute, None)
    if isinstance(target, dict):
        return list(target.items())
    if isinstance(target, list):
        key_field = "term" if attribute == "glossary" else "id"
        return [(getattr(item, key_field), item) for item in target]
    return []

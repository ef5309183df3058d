"""Validation against the one model, with Swedish messages at the file's lines.

``validate`` turns pydantic's errors into ``Problem``s (RH1xx) that name the
field, quote at most a short excerpt of the value and say how to fix it.
"""

from __future__ import annotations

import difflib
import reprlib
from typing import Any

from pydantic import BaseModel, ValidationError

from ..problems import ProblemList
from ..source import Document

EXCERPT = 60  # characters of a bad value quoted in a message


_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict = 2, 6, 4
_REPR.maxstring = _REPR.maxother = EXCERPT


def excerpt(value: object) -> str:
    """A value as a message quotes it, cut short: a value can be megabytes, or an
    alias structure that would expand to gigabytes if printed in full."""
    text = value if isinstance(value, str) else _REPR.repr(value)
    if len(text) > EXCERPT:
        text = text[:EXCERPT].rstrip() + "…"
    return " ".join(text.split()) if "\n" in text or "\t" in text else text


def _field_name(loc: tuple) -> str:
    return ".".join(str(part) if not isinstance(part, int) else f"[{part + 1}]" for part in loc).replace(".[", "[")


def _swedish(error: dict, model_cls: type[BaseModel]) -> tuple[str, str, str]:
    """(code, message, hint) for one pydantic error."""
    loc = tuple(error.get("loc", ()))
    name = _field_name(loc) or "posten"
    kind = error.get("type", "")
    value = excerpt(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "RH101", f"fältet '{name}' saknas", f"Lägg till '{loc[-1]}:' med ett värde. Se Fältreferensen i redaktörsguiden."
    if kind == "extra_forbidden":
        known = _known_fields(model_cls, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        message = f"okänt fält '{name}'"
        if guess:
            message += f" – menade du '{guess[0]}'?"
        return "RH102", message, "Tillåtna fält: " + ", ".join(known) + "."
    if kind == "value_error":
        return "RH103", f"'{name}': {ctx.get('error', error.get('msg'))}", "Datum skrivs ÅÅÅÅ-MM-DD, t.ex. 2027-03-31."
    if kind == "literal_error":
        allowed = [part.strip().strip("'") for part in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        allowed = [part for part in allowed if part]
        message = f"'{name}' har värdet '{value}', som inte är tillåtet"
        guess = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        if guess:
            message += f" – menade du '{guess[0]}'?"
        listed = ", ".join(allowed[:-1]) + " eller " + allowed[-1] if len(allowed) > 1 else "".join(allowed)
        return "RH104", message, f"Tillåtna värden: {listed}."
    if kind == "string_pattern_mismatch":
        field_name = str(loc[-1]) if loc else ""
        hints = {
            "version": "Skriv versionen inom citattecken, t.ex. \"2.1\".",
            "diagram": "Ange filnamnet i diagrams/, t.ex. anvisning.mmd.",
            "contact": "Ange en e-postadress, t.ex. enheten@kommunen.se.",
            "handle": "Ange ett namn som börjar med @, t.ex. @kommunen/ekonomiskt-bistand.",
            "url": "Länken ska börja med https://.",
        }
        hint = hints.get(field_name, "Id skrivs med gemener a–z, siffror och bindestreck, t.ex. anvisning-arbetsmarknadsinsats.")
        return "RH105", f"'{name}' har ett ogiltigt format: '{value}'", hint
    if kind in ("string_type", "int_type", "list_type", "model_type", "dict_type", "date_type", "model_attributes_type"):
        expected = {
            "string_type": "text",
            "int_type": "ett heltal",
            "list_type": "en lista, t.ex. [a, b]",
            "model_type": "fält på formen nyckel: värde",
            "dict_type": "fält på formen nyckel: värde",
            "model_attributes_type": "fält på formen nyckel: värde",
            "date_type": "ett datum",
        }[kind]
        hint = "Sätt värdet inom citattecken." if kind == "string_type" else "Se Fältreferensen i redaktörsguiden."
        if kind == "string_type" and loc and loc[-1] == "version":
            hint = "Skriv versionen inom citattecken, t.ex. version: \"2.1\" (annars blir det ett decimaltal)."
        return "RH103", f"'{name}' ska vara {expected}, inte '{value}'", hint
    if kind == "string_too_short":
        return "RH101", f"fältet '{name}' är tomt", "Skriv ett värde efter kolonet."
    return "RH103", f"'{name}': ogiltigt värde '{value}'", "Se Fältreferensen i redaktörsguiden."


def _known_fields(model_cls: type[BaseModel], loc: tuple) -> list[str]:
    cls: Any = model_cls
    for part in loc:
        if isinstance(part, int):
            continue
        info = cls.model_fields.get(part)
        if info is None:
            break
        annotation = info.annotation
        for candidate in getattr(annotation, "__args__", ()) or (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                cls = candidate
                break
            for inner in getattr(candidate, "__args__", ()):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    cls = inner
                    break
    return list(cls.model_fields)


def validate(model_cls: type[BaseModel], data: Any, document: Document, display: str,
             problems: ProblemList, prefix: tuple = ()) -> BaseModel | None:
    """Validate plain data against a model, reporting errors at their lines."""
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error.get("loc", ()))
            code, message, hint = _swedish(error, model_cls)
            if error.get("type") == "missing":
                line, col = document.where(prefix + loc[:-1])
            elif error.get("type") == "extra_forbidden":
                line, col = document.where(prefix + loc)
            else:
                line, col = document.where(prefix + loc + ("__value__",)) if (prefix + loc + ("__value__",)) in document.locations else document.where(prefix + loc)
            problems.add(display, line, code, message, column=col, hint=hint)
        return None

"""Typed command-line parameters: dates, versions and protocol references are
parsed once, here, as Click types; the workflows below never see raw strings.

Click reports a value it cannot convert as a usage error (exit code 2) in
Swedish (``cli_sv``): ``Fel: Ogiltigt värde för '--datum': …``.
"""

from __future__ import annotations

import datetime as dt
import re

import click

from . import model


class DateParam(click.ParamType):
    """A day written ÅÅÅÅ-MM-DD, read by the model's one date parser."""

    name = "ÅÅÅÅ-MM-DD"

    def convert(self, value, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return model.parse_date(value.strip() if isinstance(value, str) else value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class ReleaseVersionParam(click.ParamType):
    """A handbook version: year, dot, running number (``2026.1``)."""

    name = "VERSION"
    _pattern = re.compile(model.RELEASE_VERSION_PATTERN)

    def convert(self, value, param, ctx) -> str:
        text = str(value).strip()
        if not self._pattern.fullmatch(text):
            self.fail(f"'{value}' är inget giltigt versionsnummer; skriv år, punkt och löpnummer, "
                      "t.ex. 2026.1 (nästa version samma år: 2026.2)", param, ctx)
        return text


class DecisionReferenceParam(click.ParamType):
    """A protocol reference: organ, meeting day, § and number (``SN 2026-03-12 § 45``)."""

    name = '"SN ÅÅÅÅ-MM-DD § NN"'
    _pattern = re.compile(model.DECISION_REFERENCE_PATTERN)

    def convert(self, value, param, ctx) -> str:
        text = " ".join(str(value).split())
        match = self._pattern.fullmatch(text)
        if not match:
            self.fail(f"'{value}' har fel format; skriv organets förkortning, sammanträdets datum, § och "
                      "paragrafnummer, t.ex. \"SN 2026-03-12 § 45\"", param, ctx)
        try:
            model.parse_date(match.group("date"))
        except ValueError as error:
            self.fail(f"'{value}': {error}", param, ctx)
        return text


def reference_date(reference: str) -> dt.date:
    """The meeting day in a protocol reference that ``DecisionReferenceParam`` accepted."""
    return model.parse_date(re.fullmatch(model.DECISION_REFERENCE_PATTERN, reference).group("date"))


DATE = DateParam()
RELEASE_VERSION = ReleaseVersionParam()
DECISION_REFERENCE = DecisionReferenceParam()

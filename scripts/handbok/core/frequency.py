"""How often, or by when: a small Swedish grammar of follow-up intervals.

A routine in force says in ``follow_up`` how often, or by when, it is followed
up, in words a reader can act on (the audits' recurring finding is follow-up
"without a set frequency"). This module recognises such phrases in plain
Swedish text. It accepts:

- **every period**: *varje vecka*, *varje månad*, *varje kvartal*, *var
  tredje månad*, *minst var tredje månad*, *var 14:e dag*, *varannan vecka*,
  *vartannat år*, *vart år*;
- **a number of times per period**: *en gång i månaden*, *två gånger per år*,
  *tre gånger om året*, *ett möte per kvartal*, *minst en gång i veckan*, and
  *per månad*, *per kvartal* on their own;
- **periodic words**: *dagligen*, *veckovis*, *den veckovisa
  ärendegenomgången*, *månadsvis*, *kvartalsvis*, *halvårsvis*, *årligen*,
  *månatlig*, and meetings and reports named after their period:
  *månadsmötet*, *veckomöte*, *tertialuppföljning*, *årsbokslutet*,
  *kvartalsrapporten*, *månadsskiftet*;
- **deadlines**: *inom fem arbetsdagar*, *inom en vecka*, *inom 24 timmar*,
  *senast tre månader efter start*, *fyra veckor efter start*, *sex och tolv
  månader efter avslut*, *efter tre månader*, *samma dag*, *nästa arbetsdag*,
  *dagen efter beslutet*;
- **dates**: *senast den 31 mars*, *senast 2027-03-31*, *den 15 januari*.

Periods: dag (also arbetsdag, vardag, kalenderdag), timme, vecka, månad,
kvartal, tertial, halvår, år and termin, in every form (*månad*, *månader*,
*månaden*, *månaderna*). Numbers are written as digits or as words (*en*,
*ett*, *två* … *tolv*, *fjorton*, *tjugo* …, ordinals *andra* … *tolfte*,
*fjortonde* …, or *3:e*).

Words that do not say how often are not intervals on their own:
*regelbundet*, *vid behov*, *löpande*, *kontinuerligt*, *fortlöpande*,
*återkommande*, *ofta*, *med jämna mellanrum*, *när det behövs*
(``vague_terms`` finds them, so a message can name them). Beside an interval
they do no harm: *löpande och minst var tredje månad* states a frequency.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NUMBER_WORDS = ("en", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
                 "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton", "tjugo", "trettio",
                 "fyrtio", "femtio", "sextio", "nittio", "hundra")
_ORDINAL_WORDS = ("andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde", "elfte",
                  "tolfte", "trettonde", "fjortonde", "femtonde", "sextonde", "sjuttonde", "artonde", "nittonde",
                  "tjugonde", "trettionde")
_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")
_PERIOD_PREFIXES = ("vecko", "månads", "kvartals", "tertial", "halvårs", "års", "termins")
_PERIODIC_NOUNS = ("möte", "genomgång", "uppföljning", "avstämning", "rapport", "redovisning", "bokslut",
                   "sammanställning", "träff", "samtal", "skifte")


def _alternatives(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


COUNT = rf"(?:\d+|{_alternatives(_NUMBER_WORDS)})"
ORDINAL = rf"(?:\d+:[ae]|{_alternatives(_ORDINAL_WORDS)})"
UNIT = (r"(?:(?:arbets|var|kalender)?dag(?:arna|ar|en)?|tim(?:marna|mar|men|me)|veck(?:orna|or|an|a)"
        r"|månad(?:erna|er|en)?|kvartal(?:en|et)?|tertial(?:en|et)?|halvår(?:en|et)?|år(?:en|et)?"
        r"|termin(?:erna|er|en)?)")
UNIT_DEFINITE = r"(?:dagen|veckan|månaden|kvartalet|tertialet|halvåret|året|terminen)"
_DATE = rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+(?:{_alternatives(_MONTHS)}))"
_COUNTS = rf"{COUNT}(?:\s*(?:,|och|eller|till|–|-)\s*{COUNT})*"
_AT_LEAST = r"(?:(?:minst|högst|cirka|ungefär)\s+)?"

# (kind, pattern): "frekvens" says how often, "tidsgräns" by when.
_PATTERNS = [
    ("frekvens", rf"\b{_AT_LEAST}(?:varje|var|vart|varenda|varendaste)(?:\s+{ORDINAL})?\s+{UNIT}\b"),
    ("frekvens", rf"\b{_AT_LEAST}(?:varannan|vartannat)\s+{UNIT}\b"),
    ("frekvens", rf"\b{_AT_LEAST}{COUNT}\s+(?:\w+\s+){{0,2}}?(?:per\s+{UNIT}|(?:i|om)\s+{UNIT_DEFINITE})\b"),
    ("frekvens", r"\bper\s+(?:dag|arbetsdag|vecka|månad|kvartal|tertial|halvår|år|termin)\b"),
    ("frekvens", rf"\b(?:(?:{_alternatives(_PERIOD_PREFIXES)})vis(?:a|t)?|(?:dag|vecko|månat|år)lig(?:en|a|t)?)\b"),
    ("frekvens", rf"\b(?:{_alternatives(_PERIOD_PREFIXES)})(?:{_alternatives(_PERIODIC_NOUNS)})\w*"),
    ("tidsgräns", rf"\binom\s+(?:{COUNT}\s+)?{UNIT}\b"),
    ("tidsgräns", rf"\b(?:(?:senast|tidigast)\s+)?{_COUNTS}\s+{UNIT}\s+(?:efter|före|innan|från|sedan)\b(?:\s+\w+)?"),
    ("tidsgräns", rf"\befter\s+{COUNT}\s+{UNIT}\b"),
    ("tidsgräns", rf"\b(?:senast|före|till och med|den)\s+(?:den\s+)?{_DATE}\b"),
    ("tidsgräns", r"\b(?:samma|nästa|följande)\s+(?:arbets|var)?(?:dag|vecka|månad)\b"),
    ("tidsgräns", r"\b(?:dagen|veckan|månaden)\s+(?:efter|före)\b(?:\s+\w+)?"),
]
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PATTERNS]

_VAGUE = re.compile(r"\b(?:regelbund(?:et|en|na)|vid behov|löpande|kontinuerlig(?:t|a)?|fortlöpande|återkommande"
                    r"|ofta|med jämna mellanrum|när det behövs|vid tillfälle|då och då|periodvis)\b", re.IGNORECASE)

EXAMPLES = ("varje månad", "minst var tredje månad", "senast tre månader efter start", "två gånger per år",
            "inom fem arbetsdagar")
"""Good phrasings, for hints and documentation."""


@dataclass(frozen=True)
class Interval:
    """One phrase that says how often (``frekvens``) or by when (``tidsgräns``)."""

    text: str
    start: int
    end: int
    kind: str


_TAG = re.compile(r"<[^>\n]*>")


def _normal(text: str) -> str:
    # HTML tags (shown as text, RH604) count as space, and any run of whitespace as one
    # space; offsets change, so callers get the text back from here.
    return " ".join(_TAG.sub(" ", unicodedata.normalize("NFC", text)).split())


def intervals(text: str) -> list[Interval]:
    """Every interval phrase in ``text`` (whitespace collapsed), in order, none overlapping."""
    text = _normal(text)
    found = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(text):
            found.append(Interval(match.group(0), match.start(), match.end(), kind))
    found.sort(key=lambda i: (i.start, -(i.end - i.start)))
    chosen: list[Interval] = []
    for interval in found:
        if chosen and interval.start < chosen[-1].end:
            continue
        chosen.append(interval)
    return chosen


def states_interval(text: str | None) -> bool:
    """Whether ``text`` says how often or by when (at least one interval phrase)."""
    return bool(text) and bool(intervals(text))


def vague_terms(text: str | None) -> list[str]:
    """The words in ``text`` that sound like a frequency but are none (*regelbundet*, *vid behov* …)."""
    if not text:
        return []
    return list(dict.fromkeys(match.group(0).lower() for match in _VAGUE.finditer(_normal(text))))

"""The routine list as data for the intranet and bots: ``api/rutiner.json`` and its JSON Schema.

One entry per routine, sorted by id: its address on this build, the reader's
status (``core.state.reader_status``, the same words as the metadata box),
version, process, owner role, dates, the decision, legal basis, process map
and the state of its review (``core.state.review_state``) on the build's day.
The shape is the pydantic models below: the document is made through them,
and the schema published beside it (``api/rutiner.schema.json``, JSON Schema
draft 2020-12) is generated from them, so the two cannot drift apart.

The format is versioned (``FORMAT``): a minor version adds fields and keeps
every existing field's name, type and meaning, so a document of format 1.y is
valid against the schema of every 1.x with x ≤ y; anything else is a new
major version. The developer page (``docs/redaktor/utvecklare.md``) says this
to the consumers, and the tests keep the schema of the current format as a
snapshot, so a change of shape without a new format fails.

Everything is plain text, never HTML. The output is deterministic: keys in
the models' order, routines by id, and nothing from the clock but the build's
day (``dag``), which the statuses and review states are computed for.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema

from ..core.addresses import routine_url, site_address
from ..core.context import BuildContext
from ..core.handbook import Handbook, RoutineSource
from ..core.state import (READER_LABELS, ReaderStatus, build_status, legal_state, reader_statuses,
                          review_state)

FORMAT = "1.0"
"""The document's format: ``major.minor`` (see the module docstring for when each is raised)."""
FILE = "api/rutiner.json"
SCHEMA_FILE = "api/rutiner.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _described(description: str, **extra) -> dict:
    return {"description": description, **({"json_schema_extra": extra} if extra else {})}


Day = Annotated[dt.date, Field(description="Datum, ÅÅÅÅ-MM-DD (ISO 8601).")]
Address = Annotated[str, Field(json_schema_extra={"format": "uri-reference"})]


def _titled(title: str) -> ConfigDict:
    """A part of the document, with its Swedish title in the schema."""
    return ConfigDict(frozen=True, title=title)


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True)


class Beslut(_Data):
    """Ett beslut i handbokens releaseregister om en version av rutinen."""

    model_config = _titled("Beslut")

    handbok_version: str = Field(**_described("Handbokens version som beslutet gäller, t.ex. 2026.1."))
    organ: str = Field(**_described("Organet som fattade beslutet, t.ex. Socialnämnden."))
    datum: Day = Field(**_described("Beslutsdatum (sammanträdets dag), ÅÅÅÅ-MM-DD."))
    protokoll: str = Field(**_described("Protokollsreferensen, t.ex. SN 2026-03-12 § 45."))
    rutinens_version: str = Field(**_described("Rutinens egen version i beslutet, t.ex. 2.1."))
    status: Literal["gällande", "upphävd"] = Field(
        **_described("Vad beslutet gällde: att rutinen fastställdes (gällande) eller upphävdes (upphävd)."))
    galler_fran: Day = Field(**_described("Dagen då rutinens version enligt beslutet börjar (eller började) "
                                          "gälla, ÅÅÅÅ-MM-DD. För ett upphävande: dagen då det gäller från."))


class Status(_Data):
    """Rutinens status som läsaren ser den på rutinsidan, i registren och i sökträffarna."""

    model_config = _titled("Status")

    nyckel: Literal[tuple(READER_LABELS)] = Field(  # type: ignore[valid-type]
        **_described("Statusen som nyckel: gallande, kommande (fastställd, gäller från en senare dag), utkast, "
                     "ej-faststalld (anger ett beslut som releaseregistret inte har, eller texten har ändrats "
                     "sedan beslutet), upphavd eller upphavs (utkast: föreslås upphävd)."))
    status: str = Field(**_described("Statusen i ord, som i rutinsidans metadataruta, t.ex. Gällande."))
    text: str = Field(**_described("Hela meningen om statusen, som på rutinsidans banderoll och vid utskrift."))
    galler: bool = Field(**_described("true bara när rutinen gäller på dagen `dag` (nyckel gallande)."))
    faststalld: Optional[Beslut] = Field(
        **_described("Beslutet som fastställde (eller upphävde) den här versionen, eller null om inget "
                     "registrerat beslut finns."))
    utkastbygge: bool = Field(**_described("true när webbplatsen är ett utkast och inte en fastställd version "
                                           "av handboken (se `bygge`)."))
    galler_i_stallet: Optional[Beslut] = Field(
        **_described("Den version av rutinen som gäller på dagen `dag` i stället för den här, eller null."))


class HandbokVersion(_Data):
    """En fastställd version av handboken."""

    model_config = _titled("Handbokens version")

    version: str = Field(**_described("Handbokens version, t.ex. 2026.1."))
    organ: str = Field(**_described("Organet som fastställde versionen."))
    datum: Day = Field(**_described("Beslutsdatum, ÅÅÅÅ-MM-DD."))
    protokoll: str = Field(**_described("Protokollsreferensen."))
    galler_fran: Day = Field(**_described("Dagen då versionen börjar (eller började) gälla, ÅÅÅÅ-MM-DD."))


class Bygge(_Data):
    """Vad den här webbplatsen är: en fastställd version av handboken eller ett utkast."""

    model_config = _titled("Bygge")

    utkast: bool = Field(**_described("true när webbplatsen är ett utkast (varje sida är märkt Utkast – ej "
                                      "fastställd); false för en fastställd version byggd från sin tagg."))
    version: str = Field(**_described("Handbokens version som webbplatsen är, eller tom sträng för ett utkast."))
    text: str = Field(**_described("Meningen om webbplatsen, som på startsidan."))
    kort: str = Field(**_described("Utkastmärkningens mening (tom för en fastställd version)."))
    faststalld: Optional[HandbokVersion] = Field(
        **_described("Den fastställda version som webbplatsen är, eller null för ett utkast."))
    gallande: Optional[HandbokVersion] = Field(
        **_described("Den version av handboken som gäller på dagen `dag`, eller null."))


class Process(_Data):
    """Processen rutinen hör till."""

    model_config = _titled("Process")

    id: str = Field(**_described("Processens id ur processregistret, t.ex. anvisning."))
    titel: str = Field(**_described("Processens rubrik i menyn."))


class Agare(_Data):
    """Rutinägarens roll ur rollregistret."""

    model_config = _titled("Rutinägare")

    id: str = Field(**_described("Rollens id ur rollregistret."))
    namn: str = Field(**_described("Rollens namn."))
    enhet: str = Field(**_described("Enheten rollen hör till."))
    kontakt: Optional[str] = Field(**_described("Rollens e-postadress (funktionsbrevlåda), eller null."))


class Lagrum(_Data):
    """Ett lagrum som rutinen vilar på, ur lagrumsregistret."""

    model_config = _titled("Lagrum")

    id: str = Field(**_described("Lagrummets id ur lagrumsregistret."))
    hanvisning: str = Field(**_described("Hänvisningen som den skrivs, t.ex. 12 kap. 4 § socialtjänstlagen "
                                         "(2025:400)."))
    rubrik: Optional[str] = Field(**_described("Vad bestämmelsen handlar om, eller null."))
    adress: Optional[str] = Field(**_described("Länk till författningstexten (https), eller null.",
                                               format="uri"))
    lage: Literal["gällande", "kommande", "upphävd"] = Field(
        **_described("Bestämmelsens läge på dagen `dag`: gällande, kommande (gäller från en senare dag) eller "
                     "upphävd."))


class Processkarta(_Data):
    """Rutinens processkarta (på rutinsidan, med en textversion)."""

    model_config = _titled("Processkarta")

    fil: str = Field(**_described("Kartans fil i diagrams/, t.ex. anvisning.mmd."))
    titel: str = Field(**_described("Kartans rubrik på rutinsidan."))


class Revidering(_Data):
    """Revideringsläget på dagen `dag`, som på sidan Revideringsplan."""

    model_config = _titled("Revidering")

    lage: Literal["i-tid", "snart", "forsenad"] = Field(
        **_described("i-tid, snart (i dag eller inom `revideringsregel.varningsdagar` dagar) eller forsenad "
                     "(revideringsdatumet har passerat)."))
    text: str = Field(**_described("Läget i ord, t.ex. I tid, Ska revideras inom 30 dagar, Försenad sedan 3 dagar."))


class Rutin(_Data):
    """En rutin i handboken."""

    model_config = _titled("Rutin")

    id: str = Field(**_described("Rutinens stabila id (filnamnet utan .md). Återanvänds aldrig."))
    titel: str = Field(**_described("Rutinens titel."))
    sammanfattning: str = Field(**_described("En eller två meningar om vad rutinen gäller."))
    adress: Address = Field(**_described(
        "Rutinsidans adress i den här versionen av webbplatsen: absolut när webbplatsen har en adress "
        "(site_url i mkdocs.yml), annars relativ till webbplatsens rot (mappen som har api/)."))
    status: Status
    version: str = Field(**_described("Rutinens egen version, t.ex. 2.1."))
    process: Process
    agare: Agare
    galler_fran: Optional[Day] = Field(**_described(
        "Dagen då den här versionen av rutinen börjar (eller började) gälla enligt beslutet, ÅÅÅÅ-MM-DD; null "
        "när rutinen inte är fastställd eller är upphävd (metadatarutan säger då Gäller inte)."))
    revideras_senast: Day = Field(**_described("Dagen då rutinen senast ska vara reviderad (review_by), "
                                               "ÅÅÅÅ-MM-DD."))
    revidering: Optional[Revidering] = Field(**_described(
        "Revideringsläget, för rutiner som nämnden har fastställt (status.nyckel gallande eller kommande); "
        "null för utkast och upphävda rutiner."))
    lagstod: list[Lagrum] = Field(**_described("Lagrummen som rutinen vilar på, i rutinens ordning."))
    processkarta: Optional[Processkarta] = Field(**_described("Rutinens processkarta, eller null."))


class Revideringsregel(_Data):
    """Regeln för revideringsläget, så att den som läser filen kan räkna om läget för en annan dag."""

    model_config = _titled("Revideringsregel")

    varningsdagar: int = Field(**_described(
        "Antal dagar före revideringsdatumet då läget blir snart."), ge=0)


class Rutinlista(_Data):
    """Rutinhandbokens rutiner som data, för intranätet och andra system. Alla texter är ren text, inte HTML."""

    model_config = _titled("Rutinlistan (api/rutiner.json)")

    format: str = Field(**_described(
        f"Filens formatversion, major.minor (nu {FORMAT}). En ny minor-version lägger bara till fält; en ny "
        "major-version betyder att fält har tagits bort, bytt namn, typ eller betydelse."),
        pattern=rf"^{FORMAT.split('.')[0]}\.[0-9]+$")
    schema_address: Address = Field(alias="schema", **_described(
        "Adressen till JSON Schema för filen (api/rutiner.schema.json i samma version av webbplatsen), absolut "
        "eller relativ till webbplatsens rot som adresserna till rutinerna."))
    dag: Day = Field(**_described(
        "Dagen som statusar, revideringslägen och lagrummens lägen gäller för: byggets dag, ÅÅÅÅ-MM-DD. Filen har "
        "ingen annan tidsstämpel."))
    revideringsregel: Revideringsregel
    bygge: Bygge
    rutiner: list[Rutin] = Field(**_described("Alla rutiner i handboken, sorterade efter id."))


class _SchemaGenerator(GenerateJsonSchema):
    """pydantic's JSON Schema, without the English titles it makes from field names."""

    def field_title_should_be_set(self, schema) -> bool:
        return False


# --- the document -------------------------------------------------------------------------


def _entry(handbook: Handbook, source: RoutineSource, status: ReaderStatus, base: str,
           context: BuildContext) -> Rutin:
    routine = source.routine
    role = handbook.roles.get(routine.owner)
    process = handbook.process_of(routine)
    legal = [handbook.legal[ref] for ref in routine.legal_basis if ref in handbook.legal]  # others: RH4xx errors
    chart = handbook.diagram(routine.diagram) if routine.diagram else None
    chart_title = chart.title if chart is not None and chart.title else "Processkarta"  # as the page says
    review = review_state(routine, context) if status.decided else None
    return Rutin(
        id=routine.id,
        titel=routine.title,
        sammanfattning=routine.summary,
        adress=site_address(base, routine_url(routine)),
        status=Status.model_validate(status.as_dict()),
        version=routine.version,
        process=Process(id=routine.process, titel=process.title),
        agare=Agare(id=routine.owner, namn=role.name if role else routine.owner, enhet=role.unit if role else "",
                    kontakt=role.contact if role else None),
        galler_fran=status.valid_from if status.decided else None,
        revideras_senast=routine.review_by,
        revidering=Revidering(lage=review.key, text=review.label) if review else None,
        lagstod=[Lagrum(id=item.id, hanvisning=item.citation, rubrik=item.title, adress=item.url,
                        lage=legal_state(item, context.today)) for item in legal],
        processkarta=Processkarta(fil=routine.diagram, titel=chart_title) if routine.diagram else None,
    )


def routine_list(handbook: Handbook, context: BuildContext, base: str = "") -> Rutinlista:
    """The document for this build. ``base`` is the site's address (``site_url``, the version's own
    folder in a mike build), or "" for addresses relative to the site root."""
    statuses = reader_statuses(handbook, context)
    return Rutinlista(
        format=FORMAT,
        schema=site_address(base, SCHEMA_FILE),
        dag=context.today,
        revideringsregel=Revideringsregel(varningsdagar=context.review_warning_days),
        bygge=Bygge.model_validate(build_status(handbook, context).as_dict()),
        rutiner=[_entry(handbook, handbook.routines[rid], statuses[rid], base, context)
                 for rid in sorted(handbook.routines)],
    )


def schema(base: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of the document. Its ``$id`` is the address it is published at
    when the site has one; without one, a name for this format."""
    generated = Rutinlista.model_json_schema(by_alias=True, mode="serialization", schema_generator=_SchemaGenerator)
    return {"$schema": SCHEMA_DIALECT,
            "$id": site_address(base, SCHEMA_FILE) if base else f"urn:rutinhandboken:api:rutiner:{FORMAT}",
            **generated}


def dumps(data: dict) -> str:
    """JSON as UTF-8 text, two-space indented, with ``<``, ``>`` and ``&`` written as escapes
    (the same data, but nothing that reads as markup even if the file ends up inside HTML)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text + "\n"


def files(handbook: Handbook, context: BuildContext, base: str = "") -> dict[str, str]:
    """Both files by their path in the site."""
    document = routine_list(handbook, context, base).model_dump(mode="json", by_alias=True)
    return {FILE: dumps(document), SCHEMA_FILE: dumps(schema(base))}


__all__ = ["FILE", "FORMAT", "SCHEMA_FILE", "files", "routine_list", "schema"]

"""Fältreferens: vad en rutin och registren får innehålla.

Det här är den enda beskrivningen av en rutins framsidesdata. Kontrollen
(`handbok check`), MkDocs-pluginet som publicerar handboken och
releaseverktyget använder alla samma modell. Texten på sidan *Fältreferens*
i redaktörsguiden genereras härifrån, så dokumentationen kan inte glida isär
från koden.

Nycklarna är engelska (som MkDocs egna `title` och `tags`); värden som en
människa läser är svenska.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

# --- value types -------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def parse_date(value: object) -> _dt.date:
    """The one reading of a date, wherever an editor or a command line writes one:
    only real calendar days written ÅÅÅÅ-MM-DD. Raises ``ValueError`` with a Swedish message."""
    if isinstance(value, _dt.datetime):
        raise ValueError("ska vara ett datum utan klockslag, t.ex. 2027-03-31")
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value} är inget giltigt datum (finns dagen i kalendern?)") from None
    raise ValueError(f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-03-31")


Datum = Annotated[_dt.date, BeforeValidator(parse_date)]
"""A date written YYYY-MM-DD."""

Id = Annotated[StrictStr, Field(pattern=_ID)]
"""A stable identifier: lower-case a–z, digits and hyphens."""

Text = Annotated[StrictStr, Field(min_length=1)]


class SingleLine:
    """Marks a text that is one line: a name, a title, an abbreviation. A line break
    in it cannot be meant (and in an abbreviation it would end the Markdown line it
    is written into), so the checker reports one (RH606)."""

    def __repr__(self) -> str:
        return "SingleLine()"


Line = Annotated[Text, SingleLine()]
"""A text of one line."""


def single_line_fields(model_cls: type[BaseModel]) -> list[str]:
    """The fields of ``model_cls`` that hold one line of text (see ``SingleLine``)."""
    def marked(annotation) -> bool:
        if any(isinstance(item, SingleLine) for item in getattr(annotation, "__metadata__", ())):
            return True
        return any(marked(arg) for arg in getattr(annotation, "__args__", ()) or ())

    return [name for name, info in model_cls.model_fields.items()
            if any(isinstance(item, SingleLine) for item in info.metadata) or marked(info.annotation)]

Version = Annotated[StrictStr, Field(pattern=r"^\d+(\.\d+)*$")]
"""A routine's own version, digits and dots, written in quotes: "2.1"."""

DiagramFile = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_-]+\.mmd$")]
"""A process map's file name in diagrams/."""

Status = Literal["utkast", "gällande", "upphävd"]
ResponsibilityKind = Literal["beslutar", "utför", "följer upp"]

STATUS_VALUES: tuple[str, ...] = ("utkast", "gällande", "upphävd")
RESPONSIBILITY_KINDS: tuple[str, ...] = ("beslutar", "utför", "följer upp")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def Label(text: str):  # noqa: N802 - reads like a type annotation: Annotated[Text, Label("Titel")]
    """The Swedish label of a field, as every page, box and document shows it."""
    return Field(title=text)


def label(model_cls: type[BaseModel], name: str) -> str:
    """The Swedish label of ``model_cls.name`` (the field's name when it has none)."""
    info = model_cls.model_fields.get(name)
    return info.title if info is not None and info.title else name


# --- the routine -------------------------------------------------------------


class Approval(_Model):
    """Beslutet som fastställde rutinen. Det skrivs av `handbok release approve`
    och ska stämma med beslutet i releaseregistret `routines/register/releaser.yml`.

    Attributes:
        by: Organet som fattade beslutet, t.ex. `Socialnämnden`.
        date: Beslutsdatum, ÅÅÅÅ-MM-DD.
        reference: Protokollsreferensen, t.ex. `SN 2026-03-12 § 45`.
    """

    by: Annotated[Line, Label("Fastställd av")]
    date: Annotated[Datum, Label("Beslutsdatum")]
    reference: Annotated[Line, Label("Protokollsreferens")]


class Responsibility(_Model):
    """En rolls ansvar i rutinen.

    Attributes:
        role: Roll-id ur rollregistret (`routines/register/roller.yml`).
        kind: `beslutar`, `utför` eller `följer upp`.
        task: Vad rollen gör, en mening.
    """

    role: Annotated[Id, Label("Roll")]
    kind: Annotated[ResponsibilityKind, Label("Ansvar")]
    task: Annotated[Text, Label("Uppgift")]


class Routine(_Model):
    """En rutin: en Markdown-fil i `routines/` med framsidesdata.

    Filnamnet är rutinens id följt av `.md`. Brödtexten skrivs i Markdown med
    rubriker från `##`; rutinens titel, metadataruta, processkarta, ansvar,
    lagrum och kopplade revisionsrekommendationer genereras från fälten nedan.

    Attributes:
        id: Stabilt id som aldrig återanvänds, t.ex. `anvisning-arbetsmarknadsinsats`.
            Samma som filnamnet. Gemener a–z, siffror och bindestreck.
        title: Rutinens namn som det visas för läsaren.
        summary: En eller två meningar om vad rutinen gäller. Visas i register och sökträffar.
        process: Processen rutinen hör till, ett id ur `processer.yml`
            (t.ex. `anvisning`, `uppföljning`, `lönestöd`, `osa`). Styr adressen
            `/rutiner/<process>/<id>/` och menyn.
        status: `utkast`, `gällande` eller `upphävd`.
        version: Rutinens egen version inom citattecken, t.ex. `"2.1"`.
        owner: Rutinägarens roll, ett id ur rollregistret. Rutinägaren svarar
            för innehållet och granskar ändringar.
        approved: Beslutet som fastställde rutinen (`by`, `date`, `reference`).
            Krävs för en gällande rutin, och skrivs av `handbok release approve`.
            Rutinen gäller bara om beslutet om den här versionen finns i
            releaseregistret (annars kontrollkod RH706).
        valid_from: Datum då rutinen börjar gälla.
        review_by: Datum då rutinen senast ska ha reviderats. Flyttas bara genom
            en fastställd release.
        legal_basis: Lagrum som rutinen vilar på, id ur `lagrum.yml`. Minst ett för en
            gällande rutin (RH904).
        diagram: Processkartans fil i `diagrams/`, t.ex. `anvisning.mmd`.
        related: Id för relaterade rutiner.
        answers: Id för revisionsfynd (rekommendationer och bedömningar) som rutinen
            besvarar helt, ur `revisionsfynd.yml`.
        answers_in_part: Id för revisionsfynd som rutinen bara besvarar delvis. Fyndet
            står då som *delvis besvarat* i revisionsspårningen tills en rutin besvarar det helt.
        follow_up: Hur ofta och när uppföljning sker, och av vem, i klartext. En gällande
            rutin anger en frekvens eller tidsgräns som går att följa, t.ex. *varje månad*,
            *minst var tredje månad* eller *senast tre månader efter start*; *regelbundet*
            eller *vid behov* räcker inte (RH902, RH903).
        audience: Roller som använder rutinen (id ur rollregistret). Blir etiketter. Minst en
            för en gällande rutin (RH908).
        target_groups: Målgrupper i klartext, t.ex. `Unga vuxna`. Blir etiketter.
        responsibilities: Vem som beslutar, utför och följer upp (se *Ansvar*). En gällande
            rutin har minst en roll av varje slag (RH901).
        change_note: Vad som ändrats i den här versionen. Visas i beslutsunderlaget.
        replaced_by: Id för rutinen som ersätter en upphävd rutin.
    """

    id: Annotated[Id, Label("Id")]
    title: Annotated[Line, Label("Titel")]
    summary: Annotated[Text, Label("Sammanfattning")]
    process: Annotated[Line, Label("Process")]
    status: Annotated[Status, Label("Status")]
    version: Annotated[Version, Label("Version")]
    owner: Annotated[Id, Label("Rutinägare")]
    approved: Annotated[Optional[Approval], Label("Fastställelse")] = None
    valid_from: Annotated[Optional[Datum], Label("Gäller från")] = None
    review_by: Annotated[Datum, Label("Nästa revidering")]
    legal_basis: Annotated[list[Id], Label("Lagstöd")] = []
    diagram: Annotated[Optional[DiagramFile], Label("Processkarta")] = None
    related: Annotated[list[Id], Label("Relaterade rutiner")] = []
    answers: Annotated[list[Id], Label("Svarar på revisionsrekommendationer")] = []
    answers_in_part: Annotated[list[Id], Label("Besvarar delvis")] = []
    follow_up: Annotated[Optional[Text], Label("Uppföljning")] = None
    audience: Annotated[list[Id], Label("Läsare (roller)")] = []
    target_groups: Annotated[list[Text], Label("Målgrupper")] = []
    responsibilities: Annotated[list[Responsibility], Label("Ansvar")] = []
    change_note: Annotated[Optional[Text], Label("Ändringsanteckning")] = None
    replaced_by: Annotated[Optional[Id], Label("Ersätts av")] = None


# --- registers ---------------------------------------------------------------


class Role(_Model):
    """En roll i rollregistret `routines/register/roller.yml`.

    Attributes:
        id: Stabilt id, t.ex. `socialsekreterare`.
        name: Rollens namn, t.ex. `Socialsekreterare`.
        unit: Enheten rollen hör till.
        contact: E-postadress (funktionsbrevlåda) dit läsare vänder sig med frågor om rutinen.
        handle: Plattformens grupp- eller användarnamn för CODEOWNERS, t.ex. `@kommunen/ekonomiskt-bistand`.
        description: Kort beskrivning av rollen.
    """

    id: Id
    name: Line
    unit: Line
    contact: Optional[Annotated[StrictStr, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]] = None
    handle: Optional[Annotated[StrictStr, Field(pattern=r"^@[A-Za-z0-9_.\-/]+$")]] = None
    description: Optional[Text] = None


class LegalReference(_Model):
    """Ett lagrum i registret `routines/register/lagrum.yml`.

    Attributes:
        id: Stabilt id, t.ex. `sol-2025-400-12-4`.
        citation: Hänvisningen som den skrivs, t.ex. `12 kap. 4 § socialtjänstlagen (2025:400)`.
        title: Vad bestämmelsen handlar om.
        url: Länk till författningstexten.
        in_force_from: Dag då bestämmelsen trädde i kraft.
        in_force_to: Sista dag bestämmelsen gällde, om den är upphävd.
        replaced_by: Id för bestämmelsen som ersatte den.
        affects: Processer som bestämmelsen berör (id ur `processer.yml`). När en
            bestämmelse med `affects` träder i kraft varnar kontrollen i förväg för
            varje rutin i de processerna som inte reviderats sedan, och rapporterar
            ett fel när den har trätt i kraft.
        note: Anmärkning till läsaren, skriven till läsaren, t.ex. "Det är inte bekräftat att
            paragrafen motsvarar 3 kap. 5 § i den upphävda lagen." Visas på sidan *Lagrum*.
            Ett lagrums id i texten (t.ex. `sol-2025-400-12-3`) visas som hänvisningen.
        editor_note: Anmärkning till redaktörerna, t.ex. vad som ska stämmas av och mot vad.
            Visas inte på webbplatsen.
    """

    id: Id
    citation: Line
    title: Optional[Line] = None
    url: Optional[Annotated[StrictStr, Field(pattern=r"^https://\S+$")]] = None
    in_force_from: Optional[Datum] = None
    in_force_to: Optional[Datum] = None
    replaced_by: Optional[Id] = None
    affects: list[Text] = []
    note: Optional[Text] = None
    editor_note: Optional[Text] = None

    def in_force_on(self, day: _dt.date) -> bool:
        if self.in_force_from and day < self.in_force_from:
            return False
        if self.in_force_to and day > self.in_force_to:
            return False
        return True


class GlossaryTerm(_Model):
    """Ett begrepp i `routines/register/begrepp.yml`.

    Attributes:
        term: Begreppet, t.ex. `Socialtjänstlagen`.
        abbreviation: Förkortning, t.ex. `SoL`. Visas som förklaring i all text.
        definition: Förklaringen i en till tre meningar.
    """

    term: Line
    abbreviation: Optional[Line] = None
    definition: Text


class AuditFinding(_Model):
    """Ett fynd från en granskning: en rekommendation eller en bedömning, i `routines/register/revisionsfynd.yml`.

    Attributes:
        id: Stabilt id, t.ex. `enkoping-2023-rek-1`.
        municipality: Granskad kommun.
        year: Årtal för rapporten.
        auditor: Vem som granskade, t.ex. `PwC`.
        report: Rapportens titel.
        kind: `rekommendation` (det revisorn föreslår) eller `bedömning` (det revisorn
            konstaterar, t.ex. att planer saknar datum för uppföljning).
        text: Rekommendationen eller bedömningen i korthet.
        open_reason: Om ingen rutin kan besvara fyndet: varför.
    """

    id: Id
    municipality: Line
    year: StrictInt
    auditor: Line
    report: Line
    kind: Literal["rekommendation", "bedömning"] = "rekommendation"
    text: Text
    open_reason: Optional[Text] = None


class Process(_Model):
    """En processgrupp i `routines/register/processer.yml`, i kedjans ordning.

    Attributes:
        id: Processens namn som det skrivs i rutinens `process`, t.ex. `uppföljning`.
        title: Rubriken i menyn, t.ex. `Uppföljning av insatser`.
        description: En mening om processen.
    """

    id: Line
    title: Line
    description: Optional[Text] = None

    @property
    def slug(self) -> str:
        return slugify(self.id)


def slugify(value: str) -> str:
    """An ASCII URL segment: å/ä → a, ö → o, everything else kebab-case."""
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
    value = value.lower().translate(table)
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-")


# --- releases ----------------------------------------------------------------

RELEASE_VERSION_PATTERN = r"^\d{4}\.[1-9]\d*$"
"""A handbook version: year, dot, running number, e.g. 2026.1."""

DECISION_REFERENCE_PATTERN = r"^(?P<organ>[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,9}) (?P<date>\d{4}-\d{2}-\d{2}) § (?P<number>[1-9]\d{0,3})$"
"""A protocol reference: organ abbreviation, meeting date and paragraph, e.g. SN 2026-03-12 § 45."""

_SHA256 = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]


class ReleasedRoutine(_Model):
    """En rutin som den såg ut i en fastställd version av handboken.

    Attributes:
        id: Rutinens id.
        title: Rutinens titel när versionen fastställdes.
        process: Processen rutinen hörde till (ger adressen i den publicerade versionen).
        version: Rutinens egen version, t.ex. `"2.1"`.
        status: `gällande`, `upphävd` eller `utkast` (ett utkast ingick inte i beslutet).
        owner: Rutinägarens roll-id.
        valid_from: Dag då rutinens version började gälla.
        review_by: Revideringsdatumet som nämnden fastställde.
        sha256: Kontrollsumma (SHA-256) av rutinens innehåll: brödtexten och alla
            fält utom `review_by`. Används för att upptäcka ändringar efter fastställande.
    """

    id: Id
    title: Text
    process: Text
    version: Version
    status: Status
    owner: Id
    valid_from: Optional[Datum] = None
    review_by: Datum
    sha256: _SHA256


class ReleasedRole(_Model):
    """En roll som den hette när en version fastställdes.

    Attributes:
        id: Rollens id i rollregistret.
        name: Rollens namn, som det visas på de fastställda sidorna.
    """

    id: Id
    name: Line


class ReleasedDiagram(_Model):
    """En processkarta som den såg ut i en fastställd version.

    Attributes:
        name: Filnamnet i `diagrams/`, t.ex. `anvisning.mmd`.
        sha256: Kontrollsumma (SHA-256) av kartans källtext.
    """

    name: DiagramFile
    sha256: _SHA256


class Release(_Model):
    """En fastställd version av handboken, i `routines/register/releaser.yml`.

    Posterna skrivs av `handbok release approve` och ändras aldrig efteråt:
    en fastställd version är oföränderlig. Versionen taggas i git som
    `v<version>` och publiceras på webbplatsen under `/<version>/`.

    Attributes:
        version: Handbokens version: år, punkt, löpnummer, t.ex. `"2026.1"`.
        organ: Organet som fattade beslutet, t.ex. `Socialnämnden`.
        date: Beslutsdatum (sammanträdets dag), ÅÅÅÅ-MM-DD.
        reference: Protokollsreferensen, t.ex. `SN 2026-03-12 § 45`.
        valid_from: Dag då versionen börjar gälla. Den gäller till dagen innan
            nästa version börjar gälla.
        routines: Varje rutin i versionen med version, status och kontrollsumma.
        diagrams: Varje processkarta i versionen med kontrollsumma.
        roles: Namnet på varje roll som de gällande rutinerna nämner, som det
            stod i rollregistret när versionen fastställdes (visas på sidorna).
    """

    version: Annotated[StrictStr, Field(pattern=RELEASE_VERSION_PATTERN)]
    organ: Text
    date: Datum
    reference: Annotated[StrictStr, Field(pattern=DECISION_REFERENCE_PATTERN)]
    valid_from: Datum
    routines: list[ReleasedRoutine] = []
    diagrams: list[ReleasedDiagram] = []
    roles: list[ReleasedRole] = []

    @property
    def tag(self) -> str:
        """The annotated git tag of the release."""
        return f"v{self.version}"

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))

    def routine(self, routine_id: str) -> "ReleasedRoutine | None":
        return next((r for r in self.routines if r.id == routine_id), None)

    def diagram(self, name: str) -> "ReleasedDiagram | None":
        return next((d for d in self.diagrams if d.name == name), None)

    def role(self, role_id: str) -> "ReleasedRole | None":
        return next((r for r in self.roles if r.id == role_id), None)


RELEASES_FILE = "releaser.yml"
"""The releases register in routines/register/; read by handbok.release, not by load_handbook."""


REGISTERS: dict[str, tuple[str, type[_Model]]] = {
    # attribute name -> (file name in routines/register/, model)
    "processes": ("processer.yml", Process),
    "roles": ("roller.yml", Role),
    "legal": ("lagrum.yml", LegalReference),
    "glossary": ("begrepp.yml", GlossaryTerm),
    "findings": ("revisionsfynd.yml", AuditFinding),
}

"""api/rutiner.json: the routine list for the intranet, read back as a consumer reads it.

A fixture handbook is built with MkDocs; the document is compared with the routines'
own front matter, the registers and what the built pages say, and validated with the
jsonschema library against the schema the build publishes beside it.

The schema of the current format is kept as a snapshot
(``tests/fixtures/api/rutiner.schema-<format>.json``). When the shape changes on
purpose, raise ``handbok.pages.api.FORMAT`` as ``docs/redaktor/utvecklare.md`` says
and write the new snapshot:

    PYTHONPATH=scripts .venv/bin/python -c "import handbok.pages.api as a; \\
        open(f'tests/fixtures/api/rutiner.schema-{a.FORMAT}.json', 'w').write(a.dumps(a.schema()))"
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from conftest import FIXTURES, REPO, build_project, checks_bypassed, prepare_project
from fixture_releases import record
from release_helpers import git
from handbok.pages import api

SITE = "https://rutiner.kommunen.se/"
TODAY = "2026-11-25"
SNAPSHOT = FIXTURES / "api" / f"rutiner.schema-{api.FORMAT}.json"


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _add_routine(project: Path, rid: str, replacements: dict[str, str]) -> None:
    """A routine in force like 'gallande-rutin', with some of its lines replaced."""
    text = (project / "routines" / "gallande-rutin.md").read_text(encoding="utf-8")
    for old, new in {"id: gallande-rutin": f"id: {rid}", **replacements}.items():
        assert old in text, old
        text = text.replace(old, new)
    (project / "routines" / f"{rid}.md").write_text(text, encoding="utf-8")


def make_project(tmp_path: Path) -> Path:
    """The 'grund' handbook (one routine of each status, hostile values) and two routines more:
    one to be reviewed within the warning window, one approved to apply from a later day, each
    recorded in the releases register as 'handbok release approve' records it."""
    project = prepare_project("grund", tmp_path)
    _add_routine(project, "snart-rutin", {"title: Anvisning till praktik": "title: Uppstartsmöte",
                                          "review_by: 2027-03-31": "review_by: 2026-12-15"})
    _add_routine(project, "kommande-rutin", {
        "title: Anvisning till praktik": "title: Praktik i kommunen",
        'approved: {by: Socialnämnden, date: 2026-03-12, reference: "SN 2026-03-12 § 45"}':
            'approved: {by: Socialnämnden, date: 2026-10-15, reference: "SN 2026-10-15 § 80"}',
        "valid_from: 2026-04-01": "valid_from: 2027-01-01",
        "review_by: 2027-03-31": "review_by: 2027-12-31",
        "diagram: flode.mmd\n": ""})
    assert record(project)
    return project


def build(project: Path, **options):
    """'farlig-rutin' has markup in its fields (RH605): bypassed, so that the export sees it."""
    with checks_bypassed("RH605"):
        return build_project(project, today=TODAY, **options)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(make_project(tmp_path_factory.mktemp("api")))


def _document(site) -> dict:
    return json.loads((site.site_dir / api.FILE).read_text(encoding="utf-8"))


def _schema(site) -> dict:
    return json.loads((site.site_dir / api.SCHEMA_FILE).read_text(encoding="utf-8"))


def _validator(schema: dict) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _entries(site) -> dict[str, dict]:
    return {entry["id"]: entry for entry in _document(site)["rutiner"]}


# -- what the document says --------------------------------------------------------------------


def test_every_routine_is_listed_by_id_with_its_own_data(site):
    document = _document(site)
    roles = {r["id"]: r for r in yaml.safe_load((site.root / "routines/register/roller.yml").read_text("utf-8"))}
    legal = {r["id"]: r for r in yaml.safe_load((site.root / "routines/register/lagrum.yml").read_text("utf-8"))}
    processes = {p["id"]: p for p in yaml.safe_load((site.root / "routines/register/processer.yml").read_text("utf-8"))}
    files = sorted((site.root / "routines").glob("*.md"))
    assert [entry["id"] for entry in document["rutiner"]] == sorted(path.stem for path in files)
    assert document["format"] == api.FORMAT and document["dag"] == TODAY
    assert document["revideringsregel"] == {"varningsdagar": 60}
    entries = _entries(site)
    for path in files:
        front, entry = _front_matter(path), entries[path.stem]
        assert entry["titel"] == front["title"] and entry["sammanfattning"] == front["summary"]
        assert entry["version"] == front["version"]
        assert entry["revideras_senast"] == str(front["review_by"])
        assert entry["process"] == {"id": front["process"], "titel": processes[front["process"]]["title"]}
        role = roles[front["owner"]]
        assert entry["agare"] == {"id": role["id"], "namn": role["name"], "enhet": role["unit"],
                                  "kontakt": role.get("contact")}
        assert [item["id"] for item in entry["lagstod"]] == front.get("legal_basis", [])
        for item in entry["lagstod"]:
            assert item["hanvisning"] == legal[item["id"]]["citation"]
            assert item["adress"] == legal[item["id"]].get("url")
        if front.get("diagram"):
            assert entry["processkarta"]["fil"] == front["diagram"] and entry["processkarta"]["titel"]
        else:
            assert entry["processkarta"] is None
        # The page's address on this build, and the page is there.
        assert entry["adress"].startswith(SITE)
        assert site.path(entry["adress"].removeprefix(SITE)).is_file(), entry["adress"]
    gallande = entries["gallande-rutin"]
    assert gallande["adress"] == f"{SITE}rutiner/anvisning/gallande-rutin/"
    assert gallande["galler_fran"] == "2026-04-01"
    assert gallande["status"]["faststalld"] == {
        "handbok_version": "2026.1", "organ": "Socialnämnden", "datum": "2026-03-12",
        "protokoll": "SN 2026-03-12 § 45", "rutinens_version": "2.1", "status": "gällande",
        "galler_fran": "2026-04-01"}
    assert gallande["lagstod"][0]["lage"] == "gällande"


def test_the_status_is_what_the_page_and_the_register_say(site):
    """The one status: the words of each routine's metadata box, its banner and its row in the register."""
    entries = _entries(site)
    assert {rid: e["status"]["nyckel"] for rid, e in entries.items()} == {
        "farlig-rutin": "ej-faststalld", "forsenad-rutin": "gallande", "gallande-rutin": "gallande",
        "kommande-rutin": "kommande", "snart-rutin": "gallande", "upphavd-rutin": "upphavd",
        "utkast-rutin": "utkast"}
    register = site.soup("register/rutinregister/")
    for rid, entry in entries.items():
        status = entry["status"]
        page = site.soup(entry["adress"].removeprefix(SITE))
        box = page.select_one(".handbok-metadata")
        assert box["data-status"] == status["nyckel"], rid
        assert box.select_one(".handbok-status").get_text(strip=True) == status["status"], rid
        assert status["galler"] is (status["nyckel"] == "gallande")
        fields = {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True) for div in box.select("dl > div")}
        assert fields["Version"] == entry["version"] and fields["Nästa revidering"] == entry["revideras_senast"]
        assert fields["Gäller från"] == (entry["galler_fran"] or "Gäller inte"), rid
        if status["faststalld"]:
            assert fields["Protokollsreferens"] == status["faststalld"]["protokoll"], rid
            assert fields["Handbokens version"] == status["faststalld"]["handbok_version"], rid
        else:
            assert fields["Fastställd"].startswith("Nej, inte fastställd."), rid
        banners = [b.get_text(" ", strip=True) for b in page.select(".handbok-banner:not([hidden])")]
        if status["nyckel"] != "gallande":
            assert any(text.startswith(status["text"].removesuffix(".")) for text in banners), (rid, banners)
        row = register.select_one(f'tr[data-rutin="{rid}"]')
        assert row["data-status"] == status["nyckel"], rid
        assert row.select_one(".handbok-status").get_text(strip=True) == status["status"], rid
    kommande = entries["kommande-rutin"]["status"]
    assert kommande["faststalld"]["handbok_version"] == "2026.2" and kommande["galler"] is False
    assert entries["kommande-rutin"]["galler_fran"] == "2027-01-01"
    assert entries["upphavd-rutin"]["galler_fran"] is None


def test_the_review_state_on_the_builds_day_is_the_review_plans(site):
    entries = _entries(site)
    states = {rid: (e["revidering"] or {}).get("lage") for rid, e in entries.items()}
    # 2026-11-25: reviewed by 2025-01-31 (late), 2026-12-15 (in 20 days), 2027-03-31 and 2027-12-31;
    # drafts, routines not approved and repealed ones have no review to keep.
    assert states == {"forsenad-rutin": "forsenad", "snart-rutin": "snart", "gallande-rutin": "i-tid",
                      "kommande-rutin": "i-tid", "utkast-rutin": None, "farlig-rutin": None,
                      "upphavd-rutin": None}
    assert entries["snart-rutin"]["revidering"]["text"] == "Ska revideras inom 20 dagar"
    assert entries["forsenad-rutin"]["revidering"]["text"].startswith("Försenad sedan ")
    plan = site.soup("register/revideringsplan/")
    rows = {row.select_one("a")["href"].rstrip("/").rsplit("/", 1)[-1]: row["data-lage"]
            for row in plan.select("tr[data-lage]")}
    assert rows == {rid: state for rid, state in states.items() if state}


# -- the schema -------------------------------------------------------------------------------


def test_the_document_is_valid_against_the_schema_published_beside_it(site):
    schema, document = _schema(site), _document(site)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == document["schema"] == f"{SITE}api/rutiner.schema.json"
    _validator(schema).validate(document)
    # Swedish descriptions for the consumer, on the document and on every field of a routine.
    routine = schema["$defs"]["Rutin"]
    assert "intranätet" in schema["description"]
    assert all("description" in prop or "$ref" in prop for prop in routine["properties"].values())
    assert set(routine["required"]) == set(routine["properties"])


def _set(path: str, value):
    def mutate(document):
        *parents, last = path.split(".")
        target = document
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is KeyError:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return mutate


@pytest.mark.parametrize("mutate", [
    _set("rutiner.0.status", KeyError),
    _set("rutiner.0.status.nyckel", "giltig"),
    _set("rutiner.1.revideras_senast", "2027-13-01"),
    _set("rutiner.1.revideras_senast", "31/3 2027"),
    _set("rutiner.2.revidering.lage", "sent"),
    _set("rutiner.2.agare.kontakt", 5),
    _set("rutiner.2.lagstod", "sol-2025-400-12-4"),
    _set("format", "2.0"),
    _set("bygge.utkast", "nej"),
    _set("rutiner", {}),
], ids=["utan-status", "okand-status", "ogiltigt-datum", "fel-datumformat", "okant-revideringslage",
        "kontakt-ar-tal", "lagstod-ar-text", "ny-major-version", "utkast-ar-text", "rutiner-ar-objekt"])
def test_the_schema_refuses_a_document_of_another_shape(site, mutate):
    document = copy.deepcopy(_document(site))
    mutate(document)
    with pytest.raises(ValidationError):
        _validator(_schema(site)).validate(document)


def test_a_later_minor_version_is_valid_against_this_schema(site):
    """A minor version only adds fields: consumers of 1.0 keep reading 1.1."""
    document = copy.deepcopy(_document(site))
    document["format"] = "1.1"
    document["nytt_falt"] = True
    document["rutiner"][0]["ny_uppgift"] = "x"
    _validator(_schema(site)).validate(document)


def test_the_schema_is_the_snapshot_of_its_format():
    """A change of shape without a new format fails here (see the module docstring)."""
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = api.schema()
    assert current["$id"] == snapshot["$id"] == f"urn:rutinhandboken:api:rutiner:{api.FORMAT}"
    assert current == snapshot, ("api/rutiner.json har ändrat form: höj handbok.pages.api.FORMAT enligt "
                                 "docs/redaktor/utvecklare.md och skriv en ny ögonblicksbild av schemat")


# -- safe, stable, relative without a site address ---------------------------------------------------


def test_values_are_plain_text_and_nothing_reads_as_markup(site):
    raw = (site.site_dir / api.FILE).read_text(encoding="utf-8")
    assert not set("<>&") & set(raw)
    hostile = _entries(site)["farlig-rutin"]
    front = _front_matter(site.root / "routines" / "farlig-rutin.md")
    assert hostile["titel"] == front["title"] == "Rutin <script>alert('titel')</script> & \"citat\""
    assert hostile["agare"]["namn"] == '<script>alert("roll")</script> & "Chef"'
    assert "\\u003cscript\\u003e" in raw and "&lt;" not in raw
    assert "Gällande" in raw  # UTF-8, not \\u escapes, for the rest


def test_two_builds_of_the_same_handbook_give_the_same_bytes(site):
    again = build(site.root, site_dir="site-igen")
    for path in (api.FILE, api.SCHEMA_FILE):
        assert (again.site_dir / path).read_bytes() == (site.site_dir / path).read_bytes(), path


def test_without_a_site_address_the_addresses_are_relative_to_the_site_root(tmp_path):
    site = build(make_project(tmp_path), config={"site_url": ""})
    document, schema = _document(site), _schema(site)
    assert document["schema"] == "api/rutiner.schema.json"
    assert schema["$id"] == f"urn:rutinhandboken:api:rutiner:{api.FORMAT}"
    entries = _entries(site)
    assert entries["gallande-rutin"]["adress"] == "rutiner/anvisning/gallande-rutin/"
    for entry in entries.values():
        assert site.path(entry["adress"]).is_file(), entry["adress"]
    _validator(schema).validate(document)


# -- a draft and an approved release ------------------------------------------------------------------


def test_a_release_build_and_a_draft_build_each_say_what_the_reader_sees_there(tmp_path):
    project = make_project(tmp_path)
    (project / ".gitignore").write_text("site/\n__pycache__/\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Nämndsekreteraren"), ("user.email", "sekreterare@kommunen.se"),
                       ("commit.gpgsign", "false"), ("tag.gpgsign", "false")):
        git(project, "config", key, value)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Handboken")
    git(project, "tag", "-a", "v2026.2", "-m", "Version 2026.2")

    release = build(project)
    document = _document(release)
    assert document["bygge"]["utkast"] is False and document["bygge"]["version"] == "2026.2"
    assert document["bygge"]["faststalld"]["protokoll"] == "SN 2026-10-15 § 80"
    assert document["bygge"]["gallande"]["version"] == "2026.1"  # 2026.2 applies from 2027-01-01
    assert {e["status"]["utkastbygge"] for e in document["rutiner"]} == {False}
    page = release.soup("rutiner/anvisning/gallande-rutin/")
    assert page.select("[data-handbok-utkast]") == []

    (project / "anteckning.txt").write_text("inte incheckad\n", encoding="utf-8")
    draft = build(project, site_dir="site-utkast")
    drafted = _document(draft)
    assert drafted["bygge"]["utkast"] is True and drafted["bygge"]["version"] == ""
    assert {e["status"]["utkastbygge"] for e in drafted["rutiner"]} == {True}
    assert draft.soup("rutiner/anvisning/gallande-rutin/").select("[data-handbok-utkast]")
    # Whether each routine applies is the same in both: a routine whose text the nämnd approved
    # is in force also in a draft of the handbook.
    assert [e["status"]["nyckel"] for e in drafted["rutiner"]] == [e["status"]["nyckel"] for e in document["rutiner"]]


# -- the developer page ---------------------------------------------------------------------------


def _section() -> str:
    text = (REPO / "docs" / "redaktor" / "utvecklare.md").read_text(encoding="utf-8")
    start = text.index("## Rutinlistan för intranätet: api/rutiner.json")
    end = text.find("\n## ", start + 1)
    return text[start: end if end != -1 else None]


def test_the_developer_page_names_every_field_and_its_example_is_valid():
    section = _section()
    schema = api.schema()
    # Every name in the first cell of a table row, each part of a dotted name (lagstod[].id) counted.
    cells = re.findall(r"^\| (`[^|]+`) \|", section, flags=re.MULTILINE)
    named = {part.removesuffix("[]") for cell in cells for name in re.findall(r"`([^`]+)`", cell)
             for part in name.split(".")}
    fields = {*schema["properties"]}
    for definition in schema["$defs"].values():
        fields |= set(definition["properties"])
    assert fields - named == set(), "fält som sidan inte beskriver"
    example = re.search(r"```json\n(.*?)\n```", section, flags=re.DOTALL).group(1)
    _validator(schema).validate(json.loads(example))


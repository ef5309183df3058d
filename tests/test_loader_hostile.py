"""Hostile input: every bad file gets a clear Swedish message with file and line, never a traceback.

Each case writes one routine (as bytes, so BOM, CRLF and encodings are exact)
into the clean fixture handbook and runs ``handbok check`` through click's
runner.
"""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from handbok.cli import main

BASE = Path(__file__).resolve().parent / "fixtures" / "check-bas"

GOOD = """---
id: ny-rutin
title: Återrapportering till nämnden
summary: Så rapporterar förvaltningen.
process: uppföljning
status: utkast
version: "0.1"
owner: enhetschef
review_by: 2027-06-30
legal_basis: [sol-2025-400-12-4]
follow_up: Förvaltningen rapporterar till nämnden tre gånger per år.
audience: [handlaggare]
responsibilities:
  - {role: enhetschef, kind: beslutar, task: Beslutar om rapporten.}
  - {role: handlaggare, kind: utför, task: Tar fram underlaget.}
  - {role: enhetschef, kind: följer upp, task: Går igenom rapporten med nämnden.}
---

## Syfte

Rutinen gäller återrapportering. Åtgärder följs upp.

## Omfattning

Rutinen gäller rapporter till nämnden.

## Arbetsgång

1. Handläggaren tar fram underlaget.

## Uppföljning

Enhetschefen går igenom rapporten.

## Dokumentation

Rapporten diarieförs.
"""


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path_factory.getbasetemp() / "mermaid-cache-hostile"))


def check_with(tmp_path: Path, content: bytes, name: str = "ny-rutin.md"):
    project = tmp_path / "handbok"
    shutil.copytree(BASE, project)
    (project / "routines" / name).write_bytes(content)
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", "2026-11-25"])
    # A traceback would be an unexpected exception; only SystemExit (the exit code) is allowed.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def problems(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("routines/")]


@pytest.mark.parametrize("label,content", [
    ("BOM", b"\xef\xbb\xbf" + GOOD.encode("utf-8")),
    ("CRLF", GOOD.replace("\n", "\r\n").encode("utf-8")),
    ("BOM och CRLF", b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8")),
    ("NFD", unicodedata.normalize("NFD", GOOD).encode("utf-8")),
])
def test_accepted_encodings_and_line_ends(tmp_path, label, content):
    result = check_with(tmp_path, content)
    assert result.exit_code == 0, result.output
    assert problems(result) == []


def test_nfd_text_is_normalised_so_ids_still_match(tmp_path):
    # process 'uppföljning' written with a decomposed ö must still match the register.
    result = check_with(tmp_path, unicodedata.normalize("NFD", GOOD).encode("utf-8"))
    assert "RH704" not in result.output


def test_crlf_keeps_line_numbers(tmp_path):
    text = GOOD.replace('version: "0.1"', "version: 0.1").replace("\n", "\r\n")
    result = check_with(tmp_path, text.encode("utf-8"))
    assert problems(result)[0] == "routines/ny-rutin.md:7:10: fel RH103 'version' ska vara text, inte '0.1'"


@pytest.mark.parametrize("label,content,expected", [
    ("tom fil", b"", "routines/ny-rutin.md:1:1: fel RH002 filen är tom"),
    ("bara blanksteg", b"  \n\n", "routines/ny-rutin.md:1:1: fel RH002 filen är tom"),
    ("ingen framsidesdata", "## Syfte\n\nText.\n".encode(), "routines/ny-rutin.md:1:1: fel RH003 framsidesdata (---) saknas i början av filen"),
    ("framsidesdata avslutas aldrig", "---\nid: x\ntitle: y\n".encode(), "routines/ny-rutin.md:1:1: fel RH003 framsidesdata avslutas aldrig med en rad ---"),
    ("Latin-1", GOOD.encode("latin-1"), "routines/ny-rutin.md:3:8: fel RH001 filen är inte sparad som UTF-8 (ogiltig byte 0xc5); den verkar vara sparad som Windows-1252/Latin-1 ('Å')"),
    ("UTF-16", GOOD.encode("utf-16"), "routines/ny-rutin.md:1:1: fel RH001 filen är sparad som UTF-16, inte UTF-8"),
    ("tabb", GOOD.replace("status: utkast", "status:\tutkast\nlegal_basis:\n\t- a").encode(), "routines/ny-rutin.md:8:1: fel RH006 tabbtecken används för indrag"),
    ("kolon i värde", GOOD.replace("title: Återrapportering till nämnden", "title: Återrapportering: nämnden: steg").encode(),
     "routines/ny-rutin.md:3:24: fel RH004 YAML-syntaxfel: ett kolon står där det inte får stå (sätt värdet inom citattecken, eller rätta indraget)"),
    ("lista utan slut", GOOD.replace("\n---\n\n## Syfte", "\nrelated: [a, b\n---\n\n## Syfte").encode(),
     "routines/ny-rutin.md:17:10: fel RH004 YAML-syntaxfel: listan avslutas inte med ] (eller saknar kommatecken)"),
    ("värde som börjar med @", GOOD.replace("owner: enhetschef", "owner: @enhetschef").encode(),
     "routines/ny-rutin.md:8:8: fel RH004 YAML-syntaxfel: ett värde får inte börja med @ (sätt värdet inom citattecken)"),
    ("okänt alias", GOOD.replace("owner: enhetschef", "owner: *enhetschef").encode(),
     "routines/ny-rutin.md:8:8: fel RH004 YAML-syntaxfel: okänt alias '*enhetschef'"),
    ("kontrolltecken", GOOD.replace("summary: Så", "summary: S\x01å").encode(),
     "routines/ny-rutin.md:4:11: fel RH004 YAML-syntaxfel: otillåtet kontrolltecken (#x0001) i texten"),
    ("två dokument", GOOD.replace("owner: enhetschef\n", "owner: enhetschef\n...\nx: 1\n").encode(),
     "routines/ny-rutin.md:2:1: fel RH101 fältet 'review_by' saknas"),
    ("framsidesdata är en lista", "---\n- a\n- b\n---\n\nText.\n".encode(),
     "routines/ny-rutin.md:2:1: fel RH004 framsidesdata måste vara fält på formen 'nyckel: värde'"),
    ("omöjligt datum", GOOD.replace("review_by: 2027-06-30", "review_by: 2026-02-30").encode(),
     "routines/ny-rutin.md:9:12: fel RH103 'review_by': 2026-02-30 är inget giltigt datum (finns dagen i kalendern?)"),
    ("datum i fel format", GOOD.replace("review_by: 2027-06-30", "review_by: 30/6 2027").encode(),
     "routines/ny-rutin.md:9:12: fel RH103 'review_by': '30/6 2027' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-03-31"),
    ("datum med klockslag", GOOD.replace("review_by: 2027-06-30", "review_by: 2027-06-30 12:00").encode(),
     "routines/ny-rutin.md:9:12: fel RH103 'review_by': '2027-06-30 12:00' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-03-31"),
    ("okänt fält", GOOD.replace("owner: enhetschef", "owner: enhetschef\nägare: enhetschef").encode(),
     "routines/ny-rutin.md:9:1: fel RH102 okänt fält 'ägare'"),
    ("stavfel i fält", GOOD.replace("summary:", "sumary:").encode(),
     "routines/ny-rutin.md:4:1: fel RH102 okänt fält 'sumary' – menade du 'summary'?"),
    ("dubbel nyckel", GOOD.replace("owner: enhetschef", "owner: enhetschef\nowner: handlaggare").encode(),
     "routines/ny-rutin.md:9:1: fel RH005 nyckeln 'owner' förekommer två gånger (första gången på rad 8)"),
    ("ja/nej är text", GOOD.replace("title: Återrapportering till nämnden", "title: nej").encode(), None),
    ("lista i stället för text", GOOD.replace("title: Återrapportering till nämnden", "title: [a, b]").encode(),
     "routines/ny-rutin.md:3:8: fel RH103 'title' ska vara text, inte '['a', 'b']'"),
    ("text i stället för lista", GOOD.replace("review_by: 2027-06-30", "review_by: 2027-06-30\nrelated: uppfoljning-praktik").encode(),
     "routines/ny-rutin.md:10:10: fel RH103 'related' ska vara en lista, t.ex. [a, b], inte 'uppfoljning-praktik'"),
    ("många alias", ("---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n").encode(),
     "routines/ny-rutin.md:2:1: fel RH101 fältet 'id' saknas"),
])
def test_hostile_input_gives_a_clear_message(tmp_path, label, content, expected):
    result = check_with(tmp_path, content)
    if expected is None:
        assert problems(result) == [], result.output
        return
    assert expected in problems(result), f"{label}:\n{result.output}"
    # Every finding is followed by a hint line in Swedish.
    lines = result.output.splitlines()
    assert lines[lines.index(expected) + 1].startswith("    → ")


def test_html_in_fields_is_a_warning_and_shown_as_text(tmp_path):
    content = GOOD.replace("title: Återrapportering till nämnden", 'title: "Rutin <b>viktig</b>"')
    result = check_with(tmp_path, content.encode())
    assert result.exit_code == 0
    assert problems(result) == ["routines/ny-rutin.md:3:8: varning RH604 fältet 'title' innehåller HTML (<b>), som visas som text"]


def test_a_script_in_a_field_is_an_error(tmp_path):
    content = GOOD.replace("title: Återrapportering till nämnden", 'title: "Rutin <script>alert(1)</script>"')
    result = check_with(tmp_path, content.encode())
    assert result.exit_code == 1
    assert problems(result) == ["routines/ny-rutin.md:3:8: fel RH605 fältet 'title' innehåller <script>, som kör skript"]


def test_unreadable_register_is_reported_not_crashed(tmp_path):
    project = tmp_path / "handbok"
    shutil.copytree(BASE, project)
    (project / "routines" / "register" / "roller.yml").write_bytes(b"- id: x\n  name: [\n")
    result = CliRunner().invoke(main, ["--rot", str(project), "check"])
    assert result.exit_code == 1
    assert "routines/register/roller.yml:2:10: fel RH004 YAML-syntaxfel: ett värde saknas" in result.output.splitlines()


def test_cached_results_equal_a_fresh_read(tmp_path, monkeypatch):
    """The on-disk cache gives the same findings, and a changed file is read again."""
    monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path / "cache"))
    content = GOOD.replace("owner: enhetschef", "owner: enhetschef\nowner: handlaggare").replace(
        "title: Återrapportering till nämnden", 'title: "Rutin <b>x</b>"').encode()
    first = check_with(tmp_path / "a", content)
    assert list((tmp_path / "cache").glob("rutiner-*.marshal")), "the cache was not written"
    second = check_with(tmp_path / "b", content)
    assert first.output == second.output and "RH005" in first.output and "RH604" in first.output
    monkeypatch.setenv("HANDBOK_CACHE", "")
    uncached = check_with(tmp_path / "c", content)
    assert uncached.output == first.output
    monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path / "cache"))
    changed = check_with(tmp_path / "d", content.replace(b"owner: handlaggare", b"review: x"))
    assert "RH005" not in changed.output and "okänt fält 'review'" in changed.output


def test_reading_on_several_cores_gives_the_same_findings(tmp_path, monkeypatch):
    """The CLI's first run parses new files in worker processes; the result is the same."""
    from handbok.checks import BuildContext, run_checks
    from handbok.core import loader, prefetch

    project = tmp_path / "handbok"
    shutil.copytree(BASE, project)
    for index, bad in enumerate([b"", GOOD.replace("summary:", "sumary:").encode(), "\xff".encode("latin-1"),
                                 GOOD.replace("owner: enhetschef", "owner: @x").encode()]):
        (project / "routines" / f"fel-{index}.md").write_bytes(bad)
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 1)
    found = {}
    for workers in (1, 2):
        monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path / f"cache-{workers}"))
        book = loader.load_handbook(project, workers=workers)
        found[workers] = [p.format() for p in run_checks(book, BuildContext(today=dt.date(2026, 11, 25)))]
    assert found[1] == found[2]
    assert any(" RH002 " in line for line in found[2]) and any(" RH102 " in line for line in found[2])
    assert any(" RH001 " in line for line in found[2]) and any(" RH004 " in line for line in found[2])


# -- bounded input: sizes, depths, links out and invisible characters (issue 12) ----------

LAUGHS = ('lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
          + "".join(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 9)))


def test_an_alias_bomb_in_a_known_field_is_refused_before_it_grows(tmp_path):
    content = GOOD.replace("title: Återrapportering till nämnden", LAUGHS + "title: *l8")
    result = check_with(tmp_path, content.encode())
    assert problems(result) == ["routines/ny-rutin.md:8:12: fel RH007 YAML-värdet är för stort: "
                                "mer än 100000 värden när alias (*) räknas ut"]


def test_an_alias_bomb_in_a_register_is_refused(tmp_path):
    project = tmp_path / "handbok"
    shutil.copytree(BASE, project)
    register = project / "routines" / "register" / "lagrum.yml"
    register.write_text("- id: bomb\n  citation: &c0 x\n  affects: &a1 [" + ", ".join(["*c0"] * 9) + "]\n"
                        + "".join(f"  note{i}: &a{i + 1} [" + ", ".join([f"*a{i}"] * 9) + "]\n" for i in range(1, 9)),
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", "2026-11-25"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if " RH007 " in line] == [
        "routines/register/lagrum.yml:8:15: fel RH007 YAML-värdet är för stort: mer än 100000 värden när alias (*) räknas ut"]


@pytest.mark.parametrize("depth", [41, 986, 999, 5000])
def test_deep_nesting_is_a_finding_not_a_recursion_error(tmp_path, depth):
    content = GOOD.replace("title: Återrapportering till nämnden", "title: " + "[" * depth + "]" * depth)
    result = check_with(tmp_path, content.encode())
    found = problems(result)
    assert len(found) == 1 and found[0].startswith("routines/ny-rutin.md:3:"), found
    assert found[0].split(" ", 1)[1] == "fel RH008 YAML-värdet är nästlat för djupt (mer än 40 nivåer av listor och fält)"


def test_a_huge_text_value_is_refused(tmp_path):
    content = GOOD.replace("summary: Så rapporterar förvaltningen.", "summary: " + "x" * 4_100_000)
    result = check_with(tmp_path, content.encode())
    assert problems(result) == ["routines/ny-rutin.md:4:10: fel RH007 YAML-värdet är för stort: mer än 4 miljoner tecken"]


def _link_out(project: Path, inside: str) -> None:
    outside = project.parent / "utanfor" / Path(inside).name
    outside.parent.mkdir(exist_ok=True)
    original = project / inside
    outside.write_bytes(original.read_bytes() if original.exists() else b"# Hemlig\n\nText.\n")
    if original.exists():
        original.unlink()
    original.symlink_to(outside)


@pytest.mark.parametrize("inside", ["routines/uppfoljning-praktik.md", "diagrams/anvisning.mmd",
                                    "routines/register/roller.yml", "docs/index.md"])
def test_a_file_linked_from_outside_the_handbook_is_refused(tmp_path, inside):
    project = tmp_path / "handbok"
    shutil.copytree(BASE, project)
    _link_out(project, inside)
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", "2026-11-25"])
    assert "Traceback" not in result.output and result.exit_code == 1
    assert (f"{inside}:1:1: fel RH009 filen är en symbolisk länk till en plats utanför handboken och publiceras inte"
            in result.output.splitlines()), result.output


def test_a_linked_file_inside_the_handbook_is_fine(tmp_path):
    project = tmp_path / "handbok"
    shutil.copytree(BASE, project)
    (project / "docs" / "kopia.md").symlink_to(project / "docs" / "index.md")
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", "2026-11-25"])
    assert "RH009" not in result.output


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
                                  "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff"])
def test_invisible_characters_in_text_and_fields(tmp_path, char):
    content = GOOD.replace("Rutinen gäller återrapportering.", f"Rutinen gäller {char}återrapportering.") \
        .replace("title: Återrapportering till nämnden", f"title: Återrapportering{char} till nämnden")
    result = check_with(tmp_path, content.encode())
    name = __import__("unicodedata").name(char)
    line = next(number for number, text in enumerate(content.split("\n"), start=1) if "Rutinen gäller" in text)
    assert problems(result) == [
        f"routines/ny-rutin.md:3:8: fel RH609 fältet 'title' innehåller det osynliga tecknet U+{ord(char):04X} ({name})",
        f"routines/ny-rutin.md:{line}:16: fel RH609 texten innehåller det osynliga tecknet U+{ord(char):04X} ({name})",
    ]

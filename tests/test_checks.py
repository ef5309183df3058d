"""Every check code has a failing fixture, a message and a documentation entry.

``tests/fixtures/check-bas/`` is a small clean handbook. Each folder
``tests/fixtures/check-koder/<KOD>/`` holds the files that, copied over the
clean handbook, make exactly that finding; a file ``<name>.ta-bort`` removes
``<name>``, and a file ``<name>.symlank`` makes ``<name>`` a symbolic link to the
path it holds (relative to the handbook; a file there outside it is created). The test runs ``handbok check`` through click's runner and asserts
the exact line (file, line, column, severity, code, message).

The routines the overlays add are written for one finding each and are not
complete routines, so they may also have completeness findings (RH9xx); the
completeness codes' own overlays are complete routines lacking one thing, and
``tests/fixtures/check-klarar/<KOD>/`` holds a routine close to it that passes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CONTENT_DAY
from fixture_releases import record

from handbok import checks
from handbok.checks.completeness import CODES as COMPLETENESS
from handbok.checks.completeness import DRAFT_NOTE
from handbok.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "check-bas"
OVERLAYS = FIXTURES / "check-koder"
PASSING = FIXTURES / "check-klarar"
TODAY = "2026-11-25"

# Codes whose failing fixtures live with the feature that owns them.
TESTED_ELSEWHERE = {
    "RH801": "tests/test_release_flow.py (integritet kräver ett git-arkiv med en fastställd release)",
    "RH802": "tests/test_release_flow.py",
    "RH803": "tests/test_release_flow.py",
    "RH804": "tests/test_release_transaction.py (en fastställelse som dödas mitt i)",
    "RH805": "tests/test_release_verify.py (register, taggar och gh-pages i ett git-arkiv)",
    "RH806": "tests/test_release_verify.py",
    "RH807": "tests/test_release_verify.py",
    "RH808": "tests/test_release_verify.py",
    "RH809": "tests/test_release_verify.py",
    "RH810": "tests/test_release_verify.py",
    "RH811": "tests/test_release_verify.py",
}

EXPECTED = {
    "RH001": "routines/latin1.md:3:15: fel RH001 filen är inte sparad som UTF-8 (ogiltig byte 0xf6); "
             "den verkar vara sparad som Windows-1252/Latin-1 ('ö')",
    "RH002": "routines/tom.md:1:1: fel RH002 filen är tom",
    "RH003": "routines/utan-framsidesdata.md:1:1: fel RH003 framsidesdata (---) saknas i början av filen",
    "RH004": "routines/trasig.md:3:8: fel RH004 YAML-syntaxfel: ett citattecken avslutas aldrig",
    "RH005": "routines/dubbel.md:12:1: fel RH005 nyckeln 'title' förekommer två gånger (första gången på rad 3)",
    "RH006": "routines/tabb.md:13:1: fel RH006 tabbtecken används för indrag",
    "RH007": 'routines/alias-bomb.md:7:36: fel RH007 YAML-värdet är för stort: mer än 100000 värden när alias (*) räknas ut',
    "RH008": 'routines/djup.md:3:47: fel RH008 YAML-värdet är nästlat för djupt (mer än 40 nivåer av listor och fält)',
    "RH009": 'routines/lankad.md:1:1: fel RH009 filen är en symbolisk länk till en plats utanför handboken och publiceras inte',
    "RH010": "routines/register/begrepp.yml:0:1: fel RH010 registret begrepp.yml saknas",
    "RH011": 'routines/hakparenteser.md:18:1: fel RH011 rutinen har ett stycke som är för stort för Markdown-tolken (mycket långa rader med många [, (, < eller `)',
    "RH101": "routines/utan-datum.md:2:1: fel RH101 fältet 'review_by' saknas",
    "RH102": "routines/stavfel.md:11:1: fel RH102 okänt fält 'reviw_by' – menade du 'review_by'?",
    "RH103": "routines/omojligt-datum.md:11:12: fel RH103 'review_by': 2026-02-30 är inget giltigt datum (finns dagen i kalendern?)",
    "RH104": "routines/fel-status.md:6:9: fel RH104 'status' har värdet 'gallande', som inte är tillåtet – menade du 'gällande'?",
    "RH105": "routines/fel-id.md:2:5: fel RH105 'id' har ett ogiltigt format: 'Fel_Id'",
    "RH201": "routines/okand-agare.md:8:8: fel RH201 rutinägaren 'okand-roll' finns inte i rollregistret",
    "RH202": "routines/anvisning-praktik.md:8:8: fel RH202 rollen 'enhetschef' saknar kontaktuppgift, så läsare kan inte nå rutinägaren",
    "RH203": "routines/okand-ansvarsroll.md:16:5: fel RH203 rollen 'okand-roll' i ansvar finns inte i rollregistret",
    "RH301": "routines/forsenad.md:11:12: fel RH301 revideringen är försenad: review_by 2026-10-31 har passerat",
    "RH302": "routines/snart.md:11:12: varning RH302 rutinen ska revideras inom 25 dagar (2026-12-20)",
    "RH303": "routines/datumordning.md:10:13: fel RH303 valid_from 2027-05-01 ligger efter review_by 2027-03-31",
    "RH304": "routines/fore-beslut.md:10:13: varning RH304 valid_from 2026-03-01 ligger före beslutsdatumet 2026-03-12",
    "RH401": "routines/kopia.md:2:1: fel RH401 id 'anvisning-praktik' används redan av routines/anvisning-praktik.md",
    "RH402": "routines/register/roller.yml:9:1: fel RH402 'enhetschef' finns redan på rad 1",
    "RH403": "routines/okant-lagrum.md:12:15: fel RH403 lagrummet 'sol-2025-400-12-44' finns inte i lagrum.yml – menade du 'sol-2025-400-12-4'?",
    "RH404": "routines/upphavd-lag.md:12:15: fel RH404 4 kap. 4 § socialtjänstlagen (2001:453) är upphävd sedan 2025-06-30 "
             "och gällde inte den 2026-04-01; den ersätts av 12 kap. 4 § socialtjänstlagen (2025:400) (sol-2025-400-12-4)",
    "RH405": "routines/okand-relaterad.md:12:32: fel RH405 den relaterade rutinen 'finns-inte' finns inte",
    "RH406": "routines/okand-rekommendation.md:12:11: fel RH406 revisionsfyndet 'testby-2024-rek-9' finns inte i revisionsfynd.yml – menade du 'testby-2024-rek-1'?",
    "RH407": "routines/trasig-lank.md:16:20: fel RH407 länken pekar på 'uppfoljning-praktk.md', men det finns ingen rutin med id 'uppfoljning-praktk' – menade du 'uppfoljning-praktik'?",
    "RH408": "routines/trasigt-ankare.md:16:13: fel RH408 rubriken '#arbetsgangen' finns inte i rutinen 'uppfoljning-praktik' – menade du '#arbetsgang'?",
    "RH409": "routines/register/lagrum.yml:4:1: fel RH409 'sol-2001-453-4-4' ersätts enligt registret av 'sol-2025-400-99-9', som inte finns i lagrum.yml",
    "RH410": "routines/gammal-lag.md:12:15: fel RH410 4 kap. 4 § socialtjänstlagen (2001:453) gällde till och med 2025-06-30, "
             "men rutinen gäller fortfarande; den ersätts av 12 kap. 4 § socialtjänstlagen (2025:400) (sol-2025-400-12-4)",
    "RH411": "routines/uppfoljning-praktik.md:10:14: varning RH411 Prop. 2026/27:1 (ny uppföljningsregel) träder i kraft "
             "2026-12-20 och berör processen 'uppföljning', men utkastet hänvisar inte till den",
    "RH412": "routines/anvisning-praktik.md:12:14: fel RH412 Prop. 2025/26:9 (ändrad anvisning) gäller sedan 2026-07-01 och "
             "berör processen 'anvisning', men rutinen gäller sedan 2026-04-01 och har inte reviderats efter ändringen",
    "RH501": "routines/saknad-karta.md:12:10: fel RH501 processkartan diagrams/saknas.mmd finns inte",
    "RH502": "diagrams/utan-beskrivning.mmd:1:1: fel RH502 processkartan saknar accDescr",
    "RH503": "diagrams/sekvens.mmd:1:1: fel RH503 processkartan är ett diagram av typen 'sequence', inte ett flödesschema, "
             "och kan inte göras om till text",
    "RH504": "diagrams/trasig.mmd:4:21: fel RH504 Mermaid kan inte tolka processkartan: ']]' står där det inte får stå",
    "RH505": "diagrams/bild.mmd:5:1: fel RH505 bilden i steget 'Kommunen' hämtar 'https://bilder.example.org/logga.png' från en annan webbplats",
    "RH506": "diagrams/klick.mmd:5:1: fel RH506 click anropar JavaScript-funktionen 'visaHjalp' när man klickar på 'Slut'",
    "RH507": "diagrams/los.mmd:1:1: fel RH507 inställningen 'securityLevel' får inte ändras i en processkarta",
    "RH508": "diagrams/jatte.mmd:1:1: fel RH508 processkartan har 60761 tecken; Mermaid ritar högst 50000",
    "RH509": "diagrams/anvisning.mmd:1:1: varning RH509 processkartorna kunde inte kontrolleras med Mermaid: Node.js finns inte på datorn",
    "RH510": "diagrams/pilar.mmd:504:1: fel RH510 processkartan har fler än 500 pilar, som är det mesta Mermaid ritar",
    "RH511": "diagrams/kartlank.mmd:5:1: fel RH511 click-länken pekar på 'uppfoljning-praktk.md', men det finns ingen rutin med id "
             "'uppfoljning-praktk' – menade du 'uppfoljning-praktik'?",
    "RH601": "routines/skript.md:18:1: fel RH601 rutinen innehåller HTML-taggen <script>, som inte är tillåten",
    "RH602": "routines/hanterare.md:16:32: fel RH602 HTML-taggen har händelsehanteraren 'onerror=', som kör skript",
    "RH603": "routines/skriptlank.md:16:14: fel RH603 länken 'javascript:alert(1)' kör skript",
    "RH604": "routines/html-i-falt.md:3:8: varning RH604 fältet 'title' innehåller HTML (<b>), som visas som text",
    "RH605": "routines/skript-i-titel.md:3:8: fel RH605 fältet 'title' innehåller <script>, som kör skript",
    "RH606": "routines/register/begrepp.yml:2:17: fel RH606 fältet 'abbreviation' ska vara en rad men innehåller en radbrytning",
    "RH607": 'routines/stil.md:18:1: fel RH607 rutinen innehåller en <style>-tagg; egna stilar är inte tillåtna i texten',
    "RH608": "routines/extern-bild.md:18:10: fel RH608 <img> hämtar 'https://example.org/karta.png' från en annan webbplats",
    "RH609": "routines/osynligt.md:3:8: fel RH609 fältet 'title' innehåller det osynliga tecknet U+202E (RIGHT-TO-LEFT OVERRIDE)",
    "RH610": 'routines/mycket-stor.md:13:1: varning RH610 rutinens text är 106 908 tecken; sidan och sökindexet blir stora för läsarna',
    "RH611": "routines/malattribut.md:18:46: fel RH611 attributet 'target' på <a> är inte tillåtet och tas bort",
    "RH612": "docs/index.md:2:8: fel RH612 fältet 'title' innehåller HTML (<b>)",
    "RH701": "routines/ej-faststalld.md:6:9: fel RH701 rutinen är gällande men saknar approved (vem fastställde den, när, protokollsreferens)",
    "RH702": "routines/upphavd-utan-ersattare.md:6:9: fel RH702 rutinen är upphävd men replaced_by saknas",
    "RH703": "routines/annat-filnamn.md:2:5: fel RH703 id 'ett-annat-id' stämmer inte med filnamnet 'annat-filnamn.md'",
    "RH704": "routines/okand-process.md:5:10: fel RH704 processen 'lönestod' finns inte",
    "RH705": "routines/ersatt-men-gallande.md:12:14: varning RH705 replaced_by är angivet men rutinens status är 'gällande'",
    "RH901": "routines/utan-uppfoljningsansvar.md:16:3: fel RH901 ansvaret är inte helt beskrivet: ingen roll följer upp",
    "RH902": "routines/utan-uppfoljning.md:2:1: fel RH902 follow_up saknas: rutinen säger inte hur ofta eller när den följs upp",
    "RH903": "routines/vag-uppfoljning.md:13:12: fel RH903 follow_up säger inte hur ofta eller när: 'Följs upp regelbundet.' "
             "('regelbundet' är ingen frekvens)",
    "RH904": "routines/utan-lagstod.md:12:14: fel RH904 legal_basis är tom: rutinen anger inget lagrum som den vilar på",
    "RH905": "routines/utan-avsnitt.md:31:1: fel RH905 avsnittet '## Omfattning' saknas",
    "RH906": "routines/malltext.md:29:1: fel RH906 mallens text står kvar i avsnittet Syfte: "
             "'Skriv i en eller två meningar vad rutinen ska åstadkomma och för vem.'",
    "RH907": "diagrams/mallkarta.mmd:1:1: fel RH907 processkartan är mallens karta utan ändringar (används av rutinen mallkarta)",
    "RH908": "routines/utan-lasare.md:2:1: fel RH908 audience är tom: rutinen säger inte vilka roller som arbetar efter den",
    "RH706": "routines/anvisning-praktik.md:9:11: fel RH706 rutinen anges som fastställd av Socialnämnden 2026-03-12 "
             "(SN 2026-03-12 § 45), men i handbokens version 2026.1 fastställdes rutinens version 1.0, inte 1.1",
    "RH707": "routines/register/lagrum.yml:1:1: varning RH707 anmärkningen till 'sol-2025-400-12-4' ber redaktören "
             "göra något ('stäm av'), men den visas för läsaren på sidan Lagrum",
}

# Codes only Mermaid can find (every map finding comes from its reading).
NEEDS_MERMAID = {"RH502", "RH503", "RH504", "RH505", "RH506", "RH507", "RH508", "RH510", "RH511"}


def node_available() -> bool:
    from handbok.core.mermaid import find_node, find_node_modules

    return find_node() is not None and find_node_modules(Path(".")) is not None


@pytest.fixture(scope="session")
def mermaid_cache(tmp_path_factory) -> Path:
    # One cache for the session: verdicts are keyed by the map's text, so this
    # only saves Node runs; tests that need a cold cache make their own.
    return tmp_path_factory.mktemp("mermaid-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(mermaid_cache, monkeypatch):
    monkeypatch.setenv("HANDBOK_CACHE", str(mermaid_cache))


def make_project(tmp_path: Path, code: str | None = None) -> Path:
    """The clean handbook with the overlay for ``code`` applied."""
    project = tmp_path / "handbok"
    shutil.copytree(BASE, project)
    if code is None:
        return project
    overlay = OVERLAYS / code
    for path in sorted(overlay.rglob("*")):
        if path.is_dir() or path.name == "README.txt":
            continue
        relative = path.relative_to(overlay)
        if path.name.endswith(".ta-bort"):
            (project / str(relative)[: -len(".ta-bort")]).unlink()
            continue
        if path.name.endswith(".symlank"):
            link = project / str(relative)[: -len(".symlank")]
            target = (project / path.read_text(encoding="utf-8").strip()).resolve()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("Text som inte hör till handboken.\n", encoding="utf-8")
            link.symlink_to(target)
            continue
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, project / relative)
    return project


def run_check(project: Path, *args: str, env: dict | None = None):
    result = CliRunner().invoke(main, ["--rot", str(project), "check", "--datum", TODAY, *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_clean_handbook_passes_strict(tmp_path):
    result = run_check(make_project(tmp_path), "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 rutiner kontrollerade: 0 fel, 0 varningar."


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_failing_fixture_gives_the_code_and_message(tmp_path, monkeypatch, code):
    if code in NEEDS_MERMAID and not node_available():
        pytest.skip("Node.js eller linkedom saknas (make node-deps)")
    env = {}
    if code == "RH509":
        env["HANDBOK_NODE"] = str(tmp_path / "finns-inte" / "node")
        env["HANDBOK_CACHE"] = str(tmp_path / "tom-cache")
    result = run_check(make_project(tmp_path, code), env=env)
    lines = result.output.splitlines()
    assert EXPECTED[code] in lines, result.output
    problem_lines = [line for line in lines if not line.startswith("    →") and ": " in line and " RH" in line]
    allowed = {code, "RH101"} | ({"RH503"} if code == "RH504" else set())
    if code not in COMPLETENESS:
        allowed |= set(COMPLETENESS)  # the overlay's routine is written for its one finding (see above)
    assert {line.split()[2] for line in problem_lines} <= allowed, result.output
    severity = EXPECTED[code].split()[1]
    other_errors = any(line.split()[1] == "fel" and line.split()[2] in COMPLETENESS and code not in COMPLETENESS
                       for line in problem_lines)
    assert result.exit_code == (1 if severity == "fel" or other_errors else 0), result.output
    hint = lines[lines.index(EXPECTED[code]) + 1]
    assert hint.startswith("    → ") and len(hint) > 12


def _with_law_change(tmp_path, in_force_from: str, cite: bool):
    project = make_project(tmp_path, "RH412")
    lagrum = project / "routines/register/lagrum.yml"
    lagrum.write_text(lagrum.read_text(encoding="utf-8").replace("2026-07-01", in_force_from), encoding="utf-8")
    if cite:
        routine = project / "routines/anvisning-praktik.md"
        text = routine.read_text(encoding="utf-8")
        routine.write_text(text.replace("legal_basis: [sol-2025-400-12-4]",
                                        "legal_basis: [sol-2025-400-12-4, prop-testlag-anvisning]"), encoding="utf-8")
        record(project)  # the nämnd approved the routine as it now reads
    return project


def test_a_routine_that_cites_the_change_takes_it_into_account(tmp_path):
    for day, code in (("2026-07-01", "RH412"), ("2026-12-20", "RH411")):
        project = _with_law_change(tmp_path / day, day, cite=False)
        assert f" {code} " in run_check(project).output
        project = _with_law_change(tmp_path / f"{day}-citerad", day, cite=True)
        result = run_check(project, "--strict")
        assert result.exit_code == 0, result.output  # citing an upcoming provision is no RH404 either


def test_a_change_outside_the_window_is_not_yet_reported(tmp_path):
    project = _with_law_change(tmp_path, "2027-06-01", cite=False)
    assert run_check(project, "--strict").exit_code == 0
    assert " RH411 " in run_check(project, "--datum", "2027-05-01").output


def test_a_routine_revised_after_the_change_is_not_reported(tmp_path):
    project = _with_law_change(tmp_path, "2026-03-01", cite=False)  # before the routine's valid_from 2026-04-01
    assert run_check(project, "--strict").exit_code == 0


@pytest.mark.parametrize("code", COMPLETENESS)
def test_a_close_routine_meets_the_completeness_rule(tmp_path, code):
    """Each completeness rule's passing fixture: the same kind of routine, complete, gives nothing at all."""
    project = make_project(tmp_path)
    overlay = PASSING / code
    files = [path for path in sorted(overlay.rglob("*")) if path.is_file()]
    assert any(path.suffix == ".md" for path in files), f"{code} saknar en rutin som klarar regeln i {overlay}"
    for path in files:
        target = project / path.relative_to(overlay)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    result = run_check(project, "--strict")
    assert result.output.strip() == "3 rutiner kontrollerade: 0 fel, 0 varningar.", result.output
    assert result.exit_code == 0


@pytest.mark.parametrize("code", COMPLETENESS)
def test_completeness_is_a_warning_for_a_draft(tmp_path, code):
    """The same routine as a draft: the same finding as a warning, which only --strict counts."""
    project = make_project(tmp_path, code)
    for path in (project / "routines").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if path.name in {p.name for p in (OVERLAYS / code / "routines").glob("*.md")}:
            path.write_text(text.replace("status: gällande", "status: utkast"), encoding="utf-8")
    result = run_check(project)
    path_line, rest = EXPECTED[code].split(" fel ", 1)
    assert f"{path_line} varning {rest}{DRAFT_NOTE}" in result.output.splitlines(), result.output
    assert result.exit_code == 0, result.output
    assert run_check(project, "--strict").exit_code == 1


def test_a_repealed_routine_is_not_held_to_completeness(tmp_path):
    project = make_project(tmp_path, "RH904")
    routine = project / "routines" / "utan-lagstod.md"
    routine.write_text(routine.read_text(encoding="utf-8").replace("status: gällande", "status: upphävd\nreplaced_by: anvisning-praktik"),
                       encoding="utf-8")
    assert run_check(project, "--strict").output.strip() == "3 rutiner kontrollerade: 0 fel, 0 varningar."


def test_the_template_routine_in_force_fails_every_completeness_rule(tmp_path):
    """The issue's case: 'handbok new', then status gällande by hand, is not a routine in force."""
    project = make_project(tmp_path)
    created = CliRunner().invoke(main, ["--rot", str(project), "new", "--titel", "Provrutin", "--process", "anvisning",
                                        "--agare", "enhetschef", "--sammanfattning", "Prov.", "--datum", TODAY])
    assert created.exit_code == 0, created.output
    routine = project / "routines" / "provrutin.md"
    text = routine.read_text(encoding="utf-8")
    routine.write_text(text.replace("status: utkast", "status: gällande")
                       .replace('version: "0.1"', 'version: "1.0"\napproved: {by: Socialnämnden, date: 2026-03-12, '
                                'reference: "SN 2026-03-12 § 45"}\nvalid_from: 2026-04-01'), encoding="utf-8")
    result = run_check(project)
    found = {line.split()[2] for line in result.output.splitlines() if " fel RH" in line}
    # No follow_up at all, every section is there; and no release records the approval claimed by hand (RH706).
    assert found == (set(COMPLETENESS) - {"RH903", "RH905"}) | {"RH706"}, result.output
    assert result.exit_code == 1
    assert result.output.count(" RH906 ") == 6, result.output  # one per line of the template's text


def test_warnings_fail_only_with_strict(tmp_path):
    project = make_project(tmp_path, "RH302")
    assert run_check(project).exit_code == 0
    assert run_check(project, "--strict").exit_code == 1


def test_every_code_has_a_failing_fixture_and_documentation():
    for code, entry in checks.CODES.items():
        assert entry.title, code
        assert entry.meaning, f"{code} saknar beskrivning (funktionens docstring)"
        assert entry.fix, f"{code} saknar 'Rätta:' i sin docstring"
        if code in TESTED_ELSEWHERE:
            continue
        assert (OVERLAYS / code).is_dir(), f"{code} saknar en felande fixtur i {OVERLAYS}"
        assert code in EXPECTED, f"{code} saknar ett förväntat meddelande i EXPECTED"
    assert set(EXPECTED) <= set(checks.CODES), set(EXPECTED) - set(checks.CODES)
    assert {p.name for p in OVERLAYS.iterdir()} <= set(checks.CODES)


def test_code_ranges_follow_the_topics():
    ranges = {"0": {"filer"}, "1": {"fält"}, "2": {"ägare"}, "3": {"datum"}, "4": {"referenser"},
              "5": {"processkartor"}, "6": {"säkerhet"}, "7": {"status"}, "8": {"integritet"},
              "9": {"fullständighet"}}
    for code, entry in checks.CODES.items():
        assert entry.topic in ranges[code[2]], (code, entry.topic)


def test_reviewing_window_is_configurable(tmp_path):
    project = make_project(tmp_path, "RH302")
    assert "RH302" not in run_check(project, "--varningsdagar", "10").output
    assert "RH302" in run_check(project, "--varningsdagar", "30").output


def test_code_examples_in_the_body_are_not_flagged(tmp_path):
    # check-bas has `<script>` in inline code and an <iframe> in a fenced block.
    text = (BASE / "routines" / "anvisning-praktik.md").read_text(encoding="utf-8")
    assert "`<script>`" in text and "<iframe" in text
    assert run_check(make_project(tmp_path)).exit_code == 0


def test_links_hidden_with_entities_are_still_caught(tmp_path):
    project = make_project(tmp_path)
    (project / "routines" / "gomd.md").write_text(
        (OVERLAYS / "RH603" / "routines" / "skriptlank.md").read_text(encoding="utf-8")
        .replace("skriptlank", "gomd").replace("[Klicka här](javascript:alert(1))",
                                               '<a href="jav&#x61;script:alert(1)">Klicka här</a>'),
        encoding="utf-8")
    result = run_check(project)
    assert "routines/gomd.md:16:4: fel RH603 länken 'javascript:alert(1)' kör skript" in result.output


def test_javascript_click_in_a_process_map_is_an_error(tmp_path):
    project = make_project(tmp_path)
    diagram = project / "diagrams" / "anvisning.mmd"
    diagram.write_text(diagram.read_text(encoding="utf-8") + '    click bedom "javascript:alert(1)"\n', encoding="utf-8")
    result = run_check(project)
    assert "diagrams/anvisning.mmd:8:1: fel RH603 click-länken 'javascript:alert(1)' i processkartan kör skript" in result.output


def test_anchor_in_the_same_routine_and_generated_sections(tmp_path):
    project = make_project(tmp_path)
    routine = project / "routines" / "anvisning-praktik.md"
    text = routine.read_text(encoding="utf-8")
    routine.write_text(text.replace("se [ansvaret](#ansvar)", "se [lagstödet](#lagstod), [steg 2](#steg-2) och [x](#finns-ej)"),
                       encoding="utf-8")
    result = run_check(project)
    assert result.output.count("RH408") == 1, result.output
    assert "rubriken '#finns-ej' finns inte i rutinen" in result.output


def test_mermaid_runs_for_maps_referenced_from_docs_pages(tmp_path):
    if not node_available():
        pytest.skip("Node.js eller linkedom saknas (make node-deps)")
    project = make_project(tmp_path)
    (project / "diagrams" / "oversikt.mmd").write_text(
        "flowchart LR\n    accTitle: Översikt\n    accDescr: Alla steg.\n    a[Ett] --> b[Två))\n", encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Start\n\n<!-- processkarta: oversikt.mmd -->\n", encoding="utf-8")
    result = run_check(project)
    assert any(line.startswith("diagrams/oversikt.mmd:4:") and " RH504 " in line for line in result.output.splitlines()), result.output


def test_mermaid_results_are_cached(tmp_path, monkeypatch):
    if not node_available():
        pytest.skip("Node.js eller linkedom saknas (make node-deps)")
    monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path / "cache"))
    project = make_project(tmp_path, "RH504")
    first = run_check(project).output
    # A second run needs no Node at all: the verdict comes from the cache.
    monkeypatch.setenv("HANDBOK_NODE", str(tmp_path / "finns-inte"))
    second = run_check(project).output
    assert first == second and "RH509" not in second


def test_mermaid_reading_script_runs_under_node(tmp_path):
    """The Node script itself, on one good and one bad map."""
    if not node_available():
        pytest.skip("Node.js eller linkedom saknas (make node-deps)")
    from handbok.core.mermaid import MermaidRun

    run = MermaidRun.start(BASE, {"bra.mmd": "flowchart TD\n  a --> b\n", "dalig.mmd": "flowchart TD\n  a -->\n"})
    results = run.results()
    assert run.unavailable is None
    assert results["bra.mmd"]["ok"] and [v["id"] for v in results["bra.mmd"]["flowchart"]["vertices"]] == ["a", "b"]
    assert not results["dalig.mmd"]["ok"] and results["dalig.mmd"]["line"] == 2


def test_repository_handbook_is_clean():
    """The real routines pass the same checks (no error, so the build can publish them).

    Checked on the day the content was last brought up to date (``CONTENT_DAY``), not on
    the machine's clock: an overdue review is the owner's finding in 'handbok check' on
    main and in pull requests, not a broken test suite on a later date.
    """
    root = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(main, ["--rot", str(root), "check", "--format", "json", "--datum", CONTENT_DAY])
    import json

    report = json.loads(result.output)
    assert report["errors"] == 0, [p for p in report["problems"] if p["severity"] == "fel"]


def test_pre_commit_hook_definition_runs_handbok_check():
    import yaml

    root = Path(__file__).resolve().parent.parent
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "handbok-check")
    assert hook["entry"].startswith("handbok check")
    assert hook["pass_filenames"] is False
    completed = subprocess.run(["git", "check-ignore", "-q", "node_modules/linkedom"], cwd=root)
    assert completed.returncode == 0, "node_modules ska vara ignorerad av git"


def test_codeowners_hook_watches_the_file_the_tool_writes():
    import re

    import yaml

    from handbok.cli import codeowners

    root = Path(__file__).resolve().parent.parent
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "handbok-codeowners")
    written = next(p for p in codeowners.params if p.name == "output").default
    assert re.search(hook["files"], str(written)), (hook["files"], written)
    assert re.search(hook["files"], "routines/register/roller.yml")


def test_large_batches_are_split_over_node_processes(tmp_path, monkeypatch):
    if not node_available():
        pytest.skip("Node.js eller linkedom saknas (make node-deps)")
    from handbok.core import mermaid

    monkeypatch.setenv("HANDBOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(mermaid, "PARALLEL_FROM", 6)
    maps = {f"karta-{i}.mmd": f"flowchart TD\n  a{i}[Steg {i}] --> b{i}[Slut]\n" for i in range(10)}
    maps["karta-3.mmd"] = "flowchart TD\n  a --> b]\n"
    run = mermaid.MermaidRun.start(BASE, maps)
    assert len(run._processes) >= 1
    results = run.results()
    assert run.unavailable is None and len(results) == 10
    assert [name for name, result in results.items() if not result["ok"]] == ["karta-3.mmd"]
    assert not any(path.exists() for path in run._inputs)


def test_a_routine_with_errors_is_not_reported_again_as_missing(tmp_path):
    """Links and relations to a routine that failed to load only report its own error."""
    project = make_project(tmp_path)
    broken = project / "routines" / "uppfoljning-praktik.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("owner: enhetschef", "owner: Enhetschef"), encoding="utf-8")
    result = run_check(project)
    codes = [line.split()[2] for line in result.output.splitlines() if " RH" in line and not line.startswith("    →")]
    assert codes == ["RH105"], result.output
    assert result.output.splitlines()[-1] == "2 rutiner kontrollerade: 1 fel, 0 varningar."

"""The reader's status of a routine: one answer from the routine, the releases register and the build.

The 'grund' fixture has a routine approved in release 2026.1, one approved in 2024.1
and carried on, a draft, a repealed routine recorded as repealed, and a hostile routine
whose approval claim no release can record.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import prepare_project
from handbok.core.build import BuildState
from handbok.core.context import BuildContext
from handbok.core.loader import load_handbook
from handbok.core.state import (approval_gap, build_status, reader_status, reader_statuses, role_label,
                                search_tags)

DAY = dt.date(2026, 11, 25)


@pytest.fixture
def project(tmp_path):
    return prepare_project("grund", tmp_path)


def status(project, rid: str, today: dt.date = DAY, build: BuildState | None = None):
    handbook = load_handbook(project)
    return reader_status(handbook, handbook.routines[rid], BuildContext(today=today, build=build))


def edit(project, rid: str, old: str, new: str) -> None:
    path = project / "routines" / f"{rid}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_routine_approved_in_a_recorded_release_is_in_force_and_says_which(project):
    found = status(project, "gallande-rutin")
    assert (found.key, found.label, found.in_force) == ("gallande", "Gällande", True)
    assert found.approved.release == "2026.1" and found.approved.reference == "SN 2026-03-12 § 45"
    assert found.text == ("Gällande sedan 2026-04-01. Fastställd av Socialnämnden 2026-03-12 (SN 2026-03-12 § 45) "
                          "i handbokens version 2026.1.")
    assert found.in_force_instead is None and found.draft_build
    # Approved in 2024.1 and unchanged since: the decision that approved it is 2024's.
    assert status(project, "forsenad-rutin").approved.release == "2024.1"


def test_a_claim_no_release_records_is_not_an_approval(project):
    found = status(project, "farlig-rutin")
    assert (found.key, found.label, found.in_force) == ("ej-faststalld", "Ej fastställd – gäller inte", False)
    assert found.approved is None
    assert found.text.startswith("Ej fastställd – inget beslut om den här versionen finns i handbokens releaseregister")
    handbook = load_handbook(project)
    assert approval_gap(handbook, handbook.routines["farlig-rutin"].routine) == "beslutet finns inte i releaseregistret"
    assert approval_gap(handbook, handbook.routines["gallande-rutin"].routine) is None


def test_a_raised_version_that_keeps_the_old_approval_is_not_approved(project):
    edit(project, "gallande-rutin", 'version: "2.1"', 'version: "2.2"')
    found = status(project, "gallande-rutin")
    assert found.key == "ej-faststalld"
    # What applies instead is the version the register recorded.
    assert found.in_force_instead.routine_version == "2.1" and found.in_force_instead.release == "2026.1"
    assert found.text.endswith("Gällande är rutinens version 2.1, fastställd av Socialnämnden 2026-03-12 "
                               "(SN 2026-03-12 § 45) i handbokens version 2026.1.")
    handbook = load_handbook(project)
    assert approval_gap(handbook, handbook.routines["gallande-rutin"].routine) == (
        "i handbokens version 2026.1 fastställdes rutinens version 2.1, inte 2.2")


def test_approved_text_changed_since_the_decision_is_not_approved(project):
    edit(project, "gallande-rutin", "## Syfte", "## Syfte\n\nEn ny mening.")
    found = status(project, "gallande-rutin")
    assert found.key == "ej-faststalld" and "texten har ändrats sedan nämnden fastställde den" in found.text


def test_a_draft_of_a_routine_in_force_names_the_version_in_force(project):
    edit(project, "gallande-rutin", "status: gällande", "status: utkast")
    edit(project, "gallande-rutin", 'version: "2.1"', 'version: "2.2"')
    found = status(project, "gallande-rutin")
    assert (found.key, found.label) == ("utkast", "Utkast – gäller inte")
    assert found.in_force_instead.routine_version == "2.1"
    # A draft that never was approved has nothing in force instead.
    new = status(project, "utkast-rutin")
    assert new.in_force_instead is None and new.text.endswith("Det finns ingen gällande version av rutinen.")


def test_approved_for_a_later_day_is_not_in_force_yet(project):
    found = status(project, "gallande-rutin", today=dt.date(2026, 3, 20))
    assert (found.key, found.in_force, found.decided) == ("kommande", False, True)
    assert found.text.startswith("Fastställd av Socialnämnden 2026-03-12 (SN 2026-03-12 § 45) men gäller först från "
                                 "2026-04-01.")
    # The routine approved in 2024 applies all along.
    assert status(project, "forsenad-rutin", today=dt.date(2026, 3, 20)).key == "gallande"


def test_a_repeal_recorded_in_a_release_says_who_repealed_it(project):
    found = status(project, "upphavd-rutin")
    assert found.key == "upphavd" and found.repealed
    assert found.approved.status == "upphävd" and found.approved.release == "2026.1"
    assert found.text == "Upphävd – rutinen gäller inte längre. Den upphävdes av Socialnämnden 2026-03-12 (SN 2026-03-12 § 45)."


def test_a_repeal_nobody_decided_leaves_the_version_in_force(project):
    edit(project, "gallande-rutin", "status: gällande", "status: upphävd")
    found = status(project, "gallande-rutin")
    assert (found.key, found.label) == ("upphavs", "Utkast – föreslås upphävd")
    assert found.in_force_instead.routine_version == "2.1"


def test_the_build_decides_only_whether_it_is_a_draft(project):
    handbook = load_handbook(project)
    release = BuildContext(today=DAY, build=BuildState("2026.1", "2026.1"))
    assert not reader_status(handbook, handbook.routines["gallande-rutin"], release).draft_build
    draft = build_status(handbook, BuildContext(today=DAY))
    assert draft.draft and draft.in_force.version == "2026.1"
    assert draft.short == ("Arbetsversion med ändringar som inte är beslutade; varje rutin visar om den gäller. "
                           "Gällande version: 2026.1 (SN 2026-03-12 § 45).")
    approved = build_status(handbook, release)
    assert not approved.draft and approved.text == (
        "Version 2026.1 av handboken, fastställd av Socialnämnden 2026-03-12 (SN 2026-03-12 § 45). "
        "Den gäller från 2026-04-01.")


def test_without_any_release_nothing_is_in_force(tmp_path):
    project = prepare_project("release-grund", tmp_path)
    handbook = load_handbook(project)
    context = BuildContext(today=DAY)
    assert {s.key for s in reader_statuses(handbook, context).values()} <= {"ej-faststalld", "utkast", "upphavd"}
    assert build_status(handbook, context).text == (
        "Ingen version av handboken är fastställd av nämnden ännu, så ingen rutin här gäller.")


def test_the_status_is_plain_data_for_exports_and_search(project):
    handbook = load_handbook(project)
    context = BuildContext(today=DAY)
    data = {rid: s.as_dict() for rid, s in reader_statuses(handbook, context).items()}
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["gallande-rutin"]["faststalld"]["handbok_version"] == "2026.1"
    assert data["utkast-rutin"]["galler"] is False
    assert json.loads(json.dumps(build_status(handbook, context).as_dict()))["utkast"] is True
    # A search hit shows the status and the process, nothing more.
    assert search_tags(handbook, handbook.routines["utkast-rutin"].routine, context) == [
        "Utkast – gäller inte", "Uppföljning av insatser"]


def test_a_role_is_named_without_repeating_its_unit():
    from conftest import REPO

    handbook = load_handbook(REPO)
    chief = role_label(handbook, "enhetschef-ekonomiskt-bistand")
    assert (chief.name, chief.unit) == ("Enhetschef, ekonomiskt bistånd", "individ- och familjeomsorgen")
    assert str(chief) == "Enhetschef, ekonomiskt bistånd – individ- och familjeomsorgen"
    assert role_label(handbook, "enhetschef-arbetsmarknadsenheten").unit == ""
    assert role_label(handbook, "socialsekreterare").unit == "Ekonomiskt bistånd, individ- och familjeomsorgen"
    assert role_label(handbook, "finns-inte") == role_label(handbook, "finns-inte")
    assert str(role_label(handbook, "finns-inte")) == "finns-inte"

"""Review dates as iCalendar files (RFC 5545), read back with the icalendar library as a
calendar program reads them."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from conftest import checks_bypassed, build_project, prepare_project

SITE = "https://rutiner.kommunen.se/"
NAV = [{"Start": "index.md"}, {"Rutiner": "rutiner/index.md"}, {"Revideringsplan": "register/revideringsplan.md"}]


def build_grund(project, **options):
    """The 'grund' fixture has a hostile routine (RH605): bypassed, as its own site tests do."""
    with checks_bypassed("RH605"):
        return build_project(project, **options)


def _events(site, path: str) -> dict[str, dict]:
    calendar = Calendar.from_ical((site.site_dir / path).read_bytes())
    return {str(event["uid"]): {
        "start": event.decoded("dtstart"), "end": event.decoded("dtend"), "summary": str(event["summary"]),
        "url": str(event["url"]), "description": str(event["description"]),
        "alarms": [alarm.decoded("trigger") for alarm in event.walk("VALARM")],
    } for event in calendar.walk("VEVENT")}


def test_one_all_day_event_per_routine_in_force_with_owner_link_and_alarm(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path), nav=NAV)
    events = _events(site, "revideringar.ics")
    # The routines a recorded release approved: no draft, no repealed routine, and not the hostile
    # routine whose approval claim no release records.
    assert set(events) == {"gallande-rutin.revidering@rutiner.kommunen.se",
                           "forsenad-rutin.revidering@rutiner.kommunen.se"}
    event = events["gallande-rutin.revidering@rutiner.kommunen.se"]
    assert event["start"] == dt.date(2027, 3, 31) and event["end"] == dt.date(2027, 4, 1)
    assert event["summary"] == "Revidera: Anvisning till praktik"
    assert event["url"] == f"{SITE}gallande/rutiner/anvisning/gallande-rutin/"
    assert "Rutinägare: Enhetschef, Ekonomiskt bistånd." in event["description"]
    assert event["alarms"] == [dt.timedelta(days=-60)]
    calendar = Calendar.from_ical((site.site_dir / "revideringar.ics").read_bytes())
    assert str(calendar["version"]) == "2.0" and str(calendar["prodid"]).startswith("-//Rutinhandboken")


def test_each_owner_role_has_a_calendar_of_its_own(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path), nav=NAV)
    assert set(_events(site, "kalender/enhetschef.ics")) == {"gallande-rutin.revidering@rutiner.kommunen.se"}
    assert set(_events(site, "kalender/konsulent.ics")) == {"forsenad-rutin.revidering@rutiner.kommunen.se"}
    plan = site.soup("register/revideringsplan/")
    links = {a.get_text(strip=True): a["href"] for a in plan.select("a[href$='.ics']")}
    assert links["Alla gällande rutiner"] == "../../revideringar.ics"
    assert links["Enhetschef"] == "../../kalender/enhetschef.ics"


def test_a_moved_review_date_updates_the_same_event(tmp_path):
    project = prepare_project("grund", tmp_path)
    first = _events(build_grund(project, nav=NAV), "revideringar.ics")
    path = project / "routines" / "gallande-rutin.md"
    path.write_text(path.read_text(encoding="utf-8").replace("review_by: 2027-03-31", "review_by: 2027-09-30"),
                    encoding="utf-8")
    second = _events(build_grund(project, nav=NAV), "revideringar.ics")
    uid = "gallande-rutin.revidering@rutiner.kommunen.se"
    assert set(first) == set(second)
    assert (first[uid]["start"], second[uid]["start"]) == (dt.date(2027, 3, 31), dt.date(2027, 9, 30))


def test_without_a_site_address_there_are_no_calendars(tmp_path):
    site = build_grund(prepare_project("grund", tmp_path), nav=NAV, config={"site_url": ""})
    assert not (site.site_dir / "revideringar.ics").exists()
    assert site.soup("register/revideringsplan/").select("a[href$='.ics']") == []

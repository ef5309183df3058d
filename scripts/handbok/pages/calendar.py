"""Review dates as calendars an owner subscribes to in Outlook (iCalendar, RFC 5545).

``revideringar.ics`` has one all-day event per routine in force on its review
date; ``kalender/<roll>.ics`` has the routines of one owner role, so an owner
subscribes to its own. Each event names the owner, links to the routine in
the version in force, and has an alarm when the review warning window
begins (the same window as ``handbok check`` and the review plan). A
routine's event keeps its UID, so a review date moved by a new release
updates the event in a subscribed calendar instead of adding one. Written
with the ``icalendar`` library.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event

from .. import model
from ..core.addresses import routine_url
from ..core.build import ALIAS
from ..core.context import BuildContext
from ..core.handbook import Handbook, RoutineSource
from ..core.state import reader_statuses

FILE = "revideringar.ics"
ROLE_DIR = "kalender"
PRODID = "-//Rutinhandboken//Revideringar//SV"


def role_file(role_id: str) -> str:
    return f"{ROLE_DIR}/{role_id}.ics"


def in_force(handbook: Handbook, context: BuildContext) -> list[RoutineSource]:
    """The routines whose review dates are promises – those a recorded release approved
    (the reader's status: in force, or from a later day) – by review date."""
    statuses = reader_statuses(handbook, context)
    return sorted((s for s in handbook.routines.values() if statuses[s.routine.id].decided),
                  key=lambda s: (s.routine.review_by, s.routine.title.casefold()))


def _event(handbook: Handbook, source: RoutineSource, site_root: str, context: BuildContext,
           stamp: dt.datetime) -> Event:
    routine = source.routine
    role = handbook.roles.get(routine.owner)
    owner = f"{role.name}, {role.unit}" if role else routine.owner
    address = f"{site_root}{ALIAS}/{routine_url(routine)}"
    event = Event()
    event.add("uid", f"{routine.id}.revidering@{urlsplit(site_root).hostname or 'rutinhandboken'}")
    event.add("dtstamp", stamp)
    event.add("dtstart", routine.review_by)  # a DATE: an all-day event
    event.add("dtend", routine.review_by + dt.timedelta(days=1))
    event.add("summary", f"Revidera: {routine.title}")
    event.add("description",
              f"Rutinen {routine.title} (version {routine.version}) ska vara reviderad och fastställd av "
              f"nämnden senast {routine.review_by}.\nRutinägare: {owner}.\n{address}\n"
              "Ett nytt revideringsdatum gäller först när nämnden har fastställt det i nästa version av "
              "handboken, också om rutinen inte ändras.")
    event.add("url", address)
    event.add("categories", ["Revidering"])
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the owner is not busy
    if role and role.contact:
        event.add("organizer", f"mailto:{role.contact}", parameters={"cn": role.name})
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Om {context.review_warning_days} dagar ska {routine.title} vara reviderad.")
    alarm.add("trigger", dt.timedelta(days=-context.review_warning_days))
    event.add_component(alarm)
    return event


def calendar(handbook: Handbook, sources: list[RoutineSource], site_root: str, context: BuildContext,
             name: str) -> bytes:
    """One calendar of review dates. ``site_root`` is the address of the whole site (where mike puts
    each version and the alias of the version in force)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", "Dagar då rutinerna i Rutinhandboken senast ska vara reviderade.")
    cal.add("x-wr-timezone", "Europe/Stockholm")
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"value": "DURATION"})
    stamp = dt.datetime.combine(context.today, dt.time(0, 0), tzinfo=dt.timezone.utc)
    for source in sources:
        cal.add_component(_event(handbook, source, site_root, context, stamp))
    return cal.to_ical()


def calendars(handbook: Handbook, site_root: str, context: BuildContext) -> dict[str, bytes]:
    """Every calendar file by its path in the site: all routines, and one per owner role."""
    routines = in_force(handbook, context)
    files = {FILE: calendar(handbook, routines, site_root, context, "Rutinhandboken – revideringar")}
    for role_id, role in handbook.roles.items():
        owned = [s for s in routines if s.routine.owner == role_id]
        if owned:
            files[role_file(role_id)] = calendar(handbook, owned, site_root, context,
                                                 f"Rutinhandboken – revideringar för {role.name}")
    return files


def owners_with_calendars(handbook: Handbook, context: BuildContext) -> list[model.Role]:
    owners = {s.routine.owner for s in in_force(handbook, context)}
    return [role for role_id, role in handbook.roles.items() if role_id in owners]


def subscribe_markdown(handbook: Handbook, page_uri: str, context: BuildContext) -> str:
    """A paragraph for the review plan: where owners subscribe to the review dates."""
    from ..core.addresses import relative_uri
    from .html import md_text

    owners = owners_with_calendars(handbook, context)
    lines = ["## Prenumerera på revideringsdatumen", "",
             "Revideringsdatumen finns som kalender, så att rutinägaren ser dem i Outlook och får en påminnelse "
             "när det är dags att börja revidera. Lägg till kalendern från internet (i Outlook: *Lägg till "
             "kalender → Från internet*) med adressen till en av kalendrarna nedan. Kalendern uppdateras av sig "
             "själv när nämnden fastställer nya datum.", "",
             f"- [Alla gällande rutiner]({relative_uri(page_uri, FILE)})"]
    lines += [f"- [{md_text(role.name)}]({relative_uri(page_uri, role_file(role.id))})" for role in owners]
    return "\n".join(lines) + "\n"

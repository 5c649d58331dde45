"""A meeting invitation as an RFC 5545 calendar file (.ics), made with the icalendar library.

Calendars leak (shared calendars, previews on lock screens, synced phones), so an invitation never names
the child: the summary is the meeting type, its number and the case id; foresatte appear by relation
("Foresatt (mor)"), never by name; the hovedperson is mentioned only as taking part; the agenda, free
text that often names the child, goes in only when asked for (`with_agenda`). Staff are attendees
by name, with their e-mail from personer.yaml when it is there. With an organizer e-mail the file is an
iTIP REQUEST (an invitation that can be answered); without one it is PUBLISH (an event to import).

One meeting is one event for its whole life: the UID never changes, and SEQUENCE counts the revisions
(each postponement, and the cancellation), so a calendar replaces the event it has instead of adding a
second one. A cancelled meeting is an iTIP CANCEL with STATUS:CANCELLED (PUBLISH with the same status
when there is no organizer to cancel in the name of). Why a meeting moved or was cancelled is free
text that may name the child: it stays in the case, never in the calendar.

The text is in the case's målform (`malform`, nb or nn; the caller passes `case.malform_in(settings)`), like
the case's documents, whatever language the person running the command reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Optional

from stafett.model import Case, People
from stafett.model.case import Mote
from stafett.workflow.common import HOVEDPERSON

TIMEZONE = "Europe/Oslo"  # every kommune is in Norway
PRODID = "-//stafett//stafett meeting invitation//NO"
# Norway's rule (the EU's since 1996): summer time from the last Sunday of March at 02:00 local, standard
# time again from the last Sunday of October at 03:00 local. One yearly rule per change, not the list
# of every past change that icalendar's add_missing_timezones writes as one comma-separated RDATE:
# Thunderbird (ical.js) reads only the first date of such a list and puts every summer meeting an hour off.
_CHANGES = (
    # component, name, first change (local wall time), month, offset before, offset after
    ("STANDARD", "CET", dt.datetime(1970, 10, 25, 3, 0), 10, 2, 1),
    ("DAYLIGHT", "CEST", dt.datetime(1970, 3, 29, 2, 0), 3, 1, 2),
)


Say = Callable[[str, str], str]


def speaker(malform: Optional[str]) -> Say:
    """say(nb, nn): the text in the invitation's målform."""
    return (lambda nb, nn: nn) if malform == "nn" else (lambda nb, nn: nb)


def invitation(case: Case, meeting: Mote, people: People, now: dt.datetime, *, with_agenda: bool = False,
               malform: Optional[str] = None) -> bytes:
    """`malform`: the case's (case.malform_in(settings)); without it, the case's own field, else bokmål."""
    from icalendar import Calendar, Event, vCalAddress, vText

    say = speaker(malform or case.malform or "nb")

    start = _local(meeting.tidspunkt)
    organizer = people.get(meeting.leder)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cancelled = meeting.avlyst is not None
    scheduling = organizer is not None and bool(organizer.epost)
    cal.add("method", ("CANCEL" if cancelled else "REQUEST") if scheduling else "PUBLISH")
    cal.add_component(_timezone())

    event = Event()
    event.add("uid", f"{meeting.id}.{case.id}@stafett")
    event.add("dtstamp", now.astimezone(dt.timezone.utc))
    end = start + dt.timedelta(minutes=meeting.varighet_min)
    for name, when in (("dtstart", start), ("dtend", end)):
        event.add(name, when)  # aware in Europe/Oslo: TZID names the zone the VTIMEZONE defines
    event.add("summary", say(f"{meeting.type.capitalize()} nr. {meeting.nummer or 1} – sak {case.id}",
                             f"{meeting.type.capitalize()} nr. {meeting.nummer or 1} – sak {case.id}"))
    event.add("location", meeting.sted)
    event.add("description", _description(case, meeting, people, with_agenda, say))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None and organizer.epost:
        address = vCalAddress(f"mailto:{organizer.epost}")
        address.params["cn"] = vText(organizer.navn)
        event.add("organizer", address)
    for who in meeting.innkalt:
        attendee = _attendee(case, people, who, meeting.leder, say)
        if attendee is not None:
            event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def _timezone():
    """The VTIMEZONE every common client reads: a STANDARD and a DAYLIGHT part, each a yearly RRULE."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    tz = Timezone()
    tz.add("tzid", TIMEZONE)
    tz.add("x-lic-location", TIMEZONE)
    for kind, name, first, month, before, after in _CHANGES:
        part = TimezoneStandard() if kind == "STANDARD" else TimezoneDaylight()
        part.add("tzname", name)
        part.add("tzoffsetfrom", dt.timedelta(hours=before))
        part.add("tzoffsetto", dt.timedelta(hours=after))
        part.add("dtstart", first)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        tz.add_component(part)
    return tz


def _local(when: dt.datetime) -> dt.datetime:
    """Wall time in Norway, with the zone's own tzinfo."""
    from stafett.model.common import oslo_zone

    zone = oslo_zone()
    return when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)


def _attendee(case: Case, people: People, who: str, leader: str, say: Say):
    from icalendar import vCalAddress, vText

    staff = people.get(who)
    if staff is not None:
        if not staff.epost:
            return None  # named in the description; RFC 5545 needs an address for an attendee
        address = vCalAddress(f"mailto:{staff.epost}")
        address.params["cn"] = vText(staff.navn)
        address.params["role"] = vText("CHAIR" if who == leader else "REQ-PARTICIPANT")
    else:
        guardian = next((f for f in case.foresatte if f.id == who), None)
        if guardian is None or not guardian.epost:
            return None
        address = vCalAddress(f"mailto:{guardian.epost}")
        address.params["cn"] = vText(say(f"Foresatt ({guardian.relasjon})", f"Føresett ({guardian.relasjon})"))
        address.params["role"] = vText("REQ-PARTICIPANT")
    address.params["partstat"] = vText("NEEDS-ACTION")
    address.params["rsvp"] = vText("TRUE")
    return address


def _description(case: Case, meeting: Mote, people: People, with_agenda: bool, say: Say) -> str:
    def name(who: str) -> str:
        if who == HOVEDPERSON:
            return say("hovedpersonen", "hovudpersonen")
        guardian = next((f for f in case.foresatte if f.id == who), None)
        if guardian is not None:
            return say(f"foresatt ({guardian.relasjon})", f"føresett ({guardian.relasjon})")
        staff = people.get(who)
        return f"{staff.navn} ({staff.stilling})" if staff else who

    lines = [f"{meeting.type.capitalize()} nr. {meeting.nummer or 1} i sak {case.id}.", ""]
    if meeting.avlyst is not None:
        lines += [say("Møtet er avlyst.", "Møtet er avlyst."), ""]
    elif meeting.utsettelser:
        moved = _wall(meeting.utsettelser[-1].fra)
        lines += [say(f"Møtet er flyttet fra {moved}.", f"Møtet er flytta frå {moved}."), ""]
    if meeting.dagsorden and with_agenda:
        lines.append("Dagsorden:")
        lines += [f"{n}. {item}" for n, item in enumerate(meeting.dagsorden, 1)]
        lines.append("")
    elif meeting.dagsorden:
        count = len(meeting.dagsorden)
        lines += [say(f"Dagsorden: {count} punkt(er), se stafettloggen.", f"Dagsorden: {count} punkt, sjå stafettloggen."), ""]
    lines.append(say("Møteleder: ", "Møteleiar: ") + name(meeting.leder))
    lines.append("Referent: " + name(meeting.referent))
    lines.append(say("Innkalt: ", "Kalla inn: ") + ", ".join(name(who) for who in meeting.innkalt))
    return "\n".join(lines)


def _wall(when: dt.datetime) -> str:
    return f"{when.day}.{when.month}.{when.year} kl. {when:%H.%M}"

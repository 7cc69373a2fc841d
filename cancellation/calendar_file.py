"""The calendar file (RFC 5545) for one letter: the dates the user must not miss.

- the last day to post the letter so that it arrives before the requested end (posting.py:
  four postal working days); only when the letter names a date and the service does not post it
- the day by which the provider's confirmation should have come (followup.py: 14 days), with a
  reminder (VALARM) that morning
- the contract end the letter asks for

Times are Europe/Berlin with its VTIMEZONE; summaries and descriptions come from the catalogue in
the user's language. Pure: a verified attempt record in, bytes out.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from icalendar import Alarm, Calendar, Event

from cancellation.clock import GERMAN_TIME as BERLIN
from cancellation.followup import reminder_due_on
from cancellation.log.records import AttemptRecord
from cancellation.posting import last_day_to_post
from cancellation.texts import render, say
from cancellation.vocabulary import Language

PRODUCT_ID = "-//Kuendigungshilfe//Fristen//DE"
REMINDER_HOUR = 9
UID_DOMAIN = "kuendigungshilfe.invalid"


def _requested_end(record: AttemptRecord) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(record.requested_end or "")
    except ValueError:
        return None


def calendar_for(record: AttemptRecord, language: Language, *, posted_for_user: bool = False,
                 stamp: Optional[dt.datetime] = None) -> bytes:
    """The .ics file for the letter `record`."""
    stamp = stamp or dt.datetime.now(dt.timezone.utc)
    reference = record.reference
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", render(say("utter_calendar_name", reference=reference), language))

    end = _requested_end(record)
    if end is not None and not posted_for_user:
        post_by = last_day_to_post(end)
        calendar.add_component(_morning_event(
            f"post-{reference}", post_by, stamp,
            render(say("utter_calendar_post_summary", reference=reference), language),
            render(say("utter_calendar_post_description", reference=reference, end=end), language),
            alarm=True,
        ))
    confirmation_by = reminder_due_on(record)
    calendar.add_component(_morning_event(
        f"confirmation-{reference}", confirmation_by, stamp,
        render(say("utter_calendar_confirmation_summary", reference=reference), language),
        render(say("utter_calendar_confirmation_description", reference=reference), language),
        alarm=True,
    ))
    if end is not None:
        event = Event()
        event.add("uid", f"end-{reference}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", end)
        event.add("dtend", end + dt.timedelta(days=1))
        event.add("summary", render(say("utter_calendar_end_summary", reference=reference), language))
        event.add("description", render(say("utter_calendar_end_description", reference=reference),
                                        language))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _morning_event(uid: str, day: dt.date, stamp: dt.datetime, summary: str, description: str,
                   *, alarm: bool) -> Event:
    start = dt.datetime.combine(day, dt.time(REMINDER_HOUR), tzinfo=BERLIN)
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=30))
    event.add("summary", summary)
    event.add("description", description)
    if alarm:
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", summary)
        reminder.add("trigger", dt.timedelta(0))
        event.add_component(reminder)
    return event

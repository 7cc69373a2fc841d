"""The calendar file: valid RFC 5545 (parsed back with icalendar), German local time, a reminder."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from cancellation.calendar_file import calendar_for
from cancellation.log.records import AttemptRecord
from cancellation.vocabulary import Language


def letter(requested_end: str) -> AttemptRecord:
    return AttemptRecord(
        reference="KB-2026-7F3K9Q", created_at=dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.timezone.utc),
        kind="letter", channel="rest", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=requested_end, status="letter_created",
        letter_sha256="0" * 64, related_reference=None,
    )


def events(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, {str(event["uid"]).split("-KB")[0]: event for event in calendar.walk("VEVENT")}


def test_three_dates_in_german_time_with_a_reminder():
    data = calendar_for(letter("2027-05-31"), Language.DE)
    calendar, found = events(data)
    assert set(found) == {"post", "confirmation", "end"}
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Berlin"
    post = found["post"]["dtstart"].dt
    # 31.05.2027 is a Monday; four postal working days (Saturdays count) back: Wednesday 26.05.
    assert post.date() == dt.date(2027, 5, 26) and post.hour == 9
    assert str(post.tzinfo) == "Europe/Berlin"
    confirmation = found["confirmation"]
    assert confirmation["dtstart"].dt.date() == dt.date(2026, 12, 16)
    [alarm] = confirmation.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    assert found["end"]["dtstart"].dt == dt.date(2027, 5, 31)
    assert "Bestätigung" in str(confirmation["summary"])
    assert b"\r\n" in data and data.startswith(b"BEGIN:VCALENDAR")


def test_english_and_no_posting_day_when_the_service_posts_or_no_date():
    _, found = events(calendar_for(letter("2027-05-31"), Language.EN, posted_for_user=True))
    assert set(found) == {"confirmation", "end"}
    assert "confirmation" in str(found["confirmation"]["summary"])
    _, found = events(calendar_for(letter("asap"), Language.DE))
    assert set(found) == {"confirmation"}

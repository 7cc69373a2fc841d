"""One clock for the whole assistant: "today" is a German calendar day, times are shown in
German local time.

Deadlines are German calendar days (a contract ends at midnight in Germany, not in UTC), so
"today" is the date in Europe/Berlin, and every time shown to a user (status lists, evidence
reports, calendar entries) is Europe/Berlin local time with daylight saving. The log stores UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

GERMAN_TIME = ZoneInfo("Europe/Berlin")


def now() -> dt.datetime:
    """The current moment, timezone-aware, in UTC (what the log stores)."""
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """Today's date in Germany."""
    return now().astimezone(GERMAN_TIME).date()


def local(moment: dt.datetime) -> dt.datetime:
    """A stored (UTC) moment as German local time; naive values are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(GERMAN_TIME)


def local_time_text(moment: dt.datetime) -> str:
    """ "05.04.2027, 14:03 Uhr" in German local time (CET/CEST)."""
    return local(moment).strftime("%d.%m.%Y, %H:%M Uhr")

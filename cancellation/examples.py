"""Example dates the questions show ("zum Beispiel 31.03.2027"), computed from today.

A fixed example goes stale: an end date in the past is refused by the very parser that shows it,
a day of receipt long gone reads like a typo. Each example is a `datetime.date` (or a
`MonthOfYear`) handed to the catalogue as a parameter, so it is written the way the user's
language writes dates (31.03.2027 / 31 March 2027). `today` comes from cancellation/clock.py.
"""

from __future__ import annotations

import calendar
import datetime as dt

from cancellation.texts import MonthOfYear

END_DATE_MONTHS_AHEAD = 3  # an end date a user may want: a few months ahead, at a month's end
RECEIPT_DAYS_AHEAD = 7  # a day of receipt for a letter sent now
START_MONTHS_BACK = 24  # a contract start: about the usual minimum term ago


def _month_shifted(today: dt.date, months: int) -> MonthOfYear:
    index = today.year * 12 + today.month - 1 + months
    return MonthOfYear(index // 12, index % 12 + 1)


def end_date(today: dt.date) -> dt.date:
    """The last day of the month three months ahead: 02.12.2026 -> 31.03.2027."""
    month = _month_shifted(today, END_DATE_MONTHS_AHEAD)
    return dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def receipt_date(today: dt.date) -> dt.date:
    """A day a cancellation sent now may reach the provider: a week ahead."""
    return today + dt.timedelta(days=RECEIPT_DAYS_AHEAD)


def coming_date(today: dt.date) -> dt.date:
    """A day soon to come: the first of next month (02.12.2026 -> 01.01.2027)."""
    month = _month_shifted(today, 1)
    return dt.date(month.year, month.month, 1)


def past_date(today: dt.date) -> dt.date:
    """A recent day, at most a month back: the first of this month (02.12.2026 -> 01.12.2026)."""
    return today.replace(day=1)


def start_month(today: dt.date) -> MonthOfYear:
    """The month a contract with the usual two-year term started: 12/2026 -> December 2024."""
    return _month_shifted(today, -START_MONTHS_BACK)


def start_date(today: dt.date) -> dt.date:
    """The 15th of `start_month`: 02.12.2026 -> 15.12.2024."""
    month = start_month(today)
    return dt.date(month.year, month.month, 15)


def start_examples(today: dt.date) -> dict:
    """The parameters of the contract-start question and its refusal: a day, a month (by name and
    as digits), a year."""
    month = start_month(today)
    return {
        "example": start_date(today),
        "example_month": month,
        "example_month_digits": f"{month.month:02d}/{month.year}",
        "example_year": month.year - 1,
    }

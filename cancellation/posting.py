"""Postal working days: when a posted letter arrives and the last day to post it.

Source: /work/shared/LEGAL.md, "Added 2026-12-02". Since 1 January 2025 (Postrechtsmodernisierungs-
gesetz) Deutsche Post must deliver 95 % of letters by the third and 99 % by the fourth working day
after posting; Sundays and public holidays do not count, Saturdays do. A letter that reaches a
business outside its business hours (a Saturday) may count as received on the next business day
(§ 130 Abs. 1 BGB), so a deadline for receipt is met safely only by delivery on a business day
(Monday to Friday). The advice is to send at least a week before the last day of receipt.

Holidays are the nationwide German public holidays (the `holidays` package without a state):
the sender's and the provider's state are not known. A regional holiday can delay a letter by a
further day; the one-week advice leaves room for that, and the texts say so.

Pure functions; other modules (the deadline answer, calendar entries) call `last_day_to_post`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
import holidays

from cancellation.vocabulary import Vocabulary

# LEGAL.md "Added 2026-12-02": 99 % of letters by the fourth working day after posting.
POSTAL_WORKING_DAYS = 4
# LEGAL.md "Added 2026-12-02": "send at least a week before the last day of receipt".
SAFETY_MARGIN_DAYS = 7
_SATURDAY, _SUNDAY = 5, 6
_ONE_DAY = dt.timedelta(days=1)


class SendingMethod(Vocabulary):
    """How a cancellation goes out; decides when it is assumed to reach the provider."""

    POST = "post"
    REGISTERED = "einschreiben"  # Einwurf-Einschreiben: posted like a letter, with proof
    FAX = "fax"
    EMAIL = "email"

    @property
    def is_letter(self) -> bool:
        return self in (SendingMethod.POST, SendingMethod.REGISTERED)


@functools.lru_cache(maxsize=64)
def _nationwide_holidays(year: int) -> frozenset:
    return frozenset(holidays.country_holidays("DE", years=year))


def is_public_holiday(day: dt.date) -> bool:
    """A nationwide German public holiday (regional ones are not known here)."""
    return day in _nationwide_holidays(day.year)


def is_postal_working_day(day: dt.date) -> bool:
    """Monday to Saturday, except nationwide public holidays: the days the post delivers."""
    return day.weekday() != _SUNDAY and not is_public_holiday(day)


def is_business_day(day: dt.date) -> bool:
    """Monday to Friday, except nationwide public holidays: the days a letter surely counts as received."""
    return day.weekday() < _SATURDAY and not is_public_holiday(day)


def _next_working_day(day: dt.date) -> dt.date:
    day += _ONE_DAY
    while not is_postal_working_day(day):
        day += _ONE_DAY
    return day


def _previous_working_day(day: dt.date) -> dt.date:
    day -= _ONE_DAY
    while not is_postal_working_day(day):
        day -= _ONE_DAY
    return day


def first_business_day_from(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day += _ONE_DAY
    return day


def last_business_day_until(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day -= _ONE_DAY
    return day


def delivered_by(posted_on: dt.date) -> dt.date:
    """The fourth postal working day after posting: by then 99 % of letters are delivered.

    A letter posted on a Sunday or holiday is collected on the next working day and counts from there.
    """
    day = posted_on if is_postal_working_day(posted_on) else _next_working_day(posted_on)
    for _ in range(POSTAL_WORKING_DAYS):
        day = _next_working_day(day)
    return day


def assumed_receipt(sent_on: dt.date, method: SendingMethod | str) -> dt.date:
    """The day a cancellation sent on `sent_on` is safely taken as received (§ 130 Abs. 1 BGB).

    Letters: delivered by the fourth postal working day, and counted on a business day (a Saturday
    delivery may count only on Monday). Fax and e-mail: the same day if it is a business day and
    they are sent during business hours, otherwise the next business day.
    """
    method = SendingMethod(str(method).lower())
    if method.is_letter:
        return first_business_day_from(delivered_by(sent_on))
    return first_business_day_from(sent_on)


def last_day_to_post(receipt_by: dt.date) -> dt.date:
    """The last (postal working) day to post a letter that must be received by `receipt_by`.

    Counts back four postal working days from the last business day on or before `receipt_by`:
    a letter posted on that day or earlier is, as a rule, received in time; one posted later is not
    (`assumed_receipt` then lies after `receipt_by`).
    """
    day = last_business_day_until(receipt_by)
    for _ in range(POSTAL_WORKING_DAYS):
        day = _previous_working_day(day)
    return day


def recommended_posting_day(receipt_by: dt.date) -> dt.date:
    """A postal working day at least a week before the last day of receipt, never after the last day to post."""
    day = min(receipt_by - dt.timedelta(days=SAFETY_MARGIN_DAYS), last_day_to_post(receipt_by))
    return day if is_postal_working_day(day) else _previous_working_day(day)


class Urgency(Vocabulary):
    """How much time is left to post a letter that must arrive by a given day."""

    IN_GOOD_TIME = "in_good_time"  # today is on or before the recommended posting day
    URGENT = "urgent"  # after the recommended day, still on or before the last day to post
    TOO_LATE_BY_POST = "too_late_by_post"  # a letter posted today will, as a rule, arrive too late


@dataclass(frozen=True)
class PostingPlan:
    receipt_by: dt.date
    recommended: dt.date
    last_day: dt.date
    urgency: Urgency


def posting_plan(receipt_by: dt.date, today: dt.date) -> PostingPlan:
    last_day = last_day_to_post(receipt_by)
    recommended = recommended_posting_day(receipt_by)
    if today <= recommended:
        urgency = Urgency.IN_GOOD_TIME
    elif today <= last_day:
        urgency = Urgency.URGENT
    else:
        urgency = Urgency.TOO_LATE_BY_POST
    return PostingPlan(receipt_by=receipt_by, recommended=recommended, last_day=last_day, urgency=urgency)

"""Postal working days (Postrechtsmodernisierungsgesetz, LEGAL.md "Added 2026-12-02")."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cancellation.posting import (
    SendingMethod,
    Urgency,
    assumed_receipt,
    delivered_by,
    is_business_day,
    is_postal_working_day,
    last_day_to_post,
    posting_plan,
    recommended_posting_day,
)

D = dt.date
dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2032, 12, 31))


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 11, 28), True),  # Saturday: the post delivers
        (D(2026, 11, 29), False),  # Sunday
        (D(2026, 12, 25), False),  # Christmas Day (nationwide)
        (D(2026, 10, 3), False),  # German Unity Day, a Saturday
        (D(2026, 1, 6), True),  # Epiphany is regional only (BW, BY, ST): not counted
        (D(2026, 6, 4), True),  # Corpus Christi is regional only
    ],
)
def test_postal_working_days_are_monday_to_saturday_without_nationwide_holidays(day, working):
    assert is_postal_working_day(day) is working


def test_saturday_is_a_postal_working_day_but_not_a_business_day():
    assert is_postal_working_day(D(2026, 11, 28)) and not is_business_day(D(2026, 11, 28))


@pytest.mark.parametrize(
    "posted, delivered",
    [
        (D(2026, 11, 23), D(2026, 11, 27)),  # Monday -> Friday
        (D(2026, 11, 26), D(2026, 12, 1)),  # Thursday -> Fri, Sat, Mon, Tue
        (D(2026, 11, 29), D(2026, 12, 4)),  # Sunday: collected Monday -> Friday
        (D(2026, 12, 23), D(2026, 12, 30)),  # Wed: Thu 24, (Fri 25, Sat 26 holidays, Sun), Mon 28, Tue 29, Wed 30
        (D(2026, 4, 1), D(2026, 4, 8)),  # Easter: Thu 2, Sat 4, Tue 7, Wed 8
    ],
)
def test_letters_are_delivered_by_the_fourth_postal_working_day(posted, delivered):
    assert delivered_by(posted) == delivered


@pytest.mark.parametrize(
    "receipt_by, last_day",
    [
        (D(2026, 5, 29), D(2026, 5, 23)),  # Friday; Whit Monday 25.05. does not count -> Saturday 23.05.
        (D(2026, 5, 31), D(2026, 5, 23)),  # Sunday: delivery must be on Friday 29.05. at the latest
        (D(2026, 5, 30), D(2026, 5, 23)),  # Saturday delivery may count only on Monday: Friday again
        (D(2026, 12, 31), D(2026, 12, 24)),  # Thu 31: Wed 30, Tue 29, Mon 28, Thu 24
        (D(2027, 2, 26), D(2027, 2, 22)),  # Friday -> Monday of the same week
    ],
)
def test_last_day_to_post_counts_back_working_days(receipt_by, last_day):
    assert last_day_to_post(receipt_by) == last_day


def test_recommended_posting_day_is_a_week_before_or_earlier():
    assert recommended_posting_day(D(2027, 2, 26)) == D(2027, 2, 19)
    assert recommended_posting_day(D(2027, 2, 14)) == D(2027, 2, 6)  # not Sunday the 7th: Saturday
    # Christmas: four working days reach back further than a week
    assert recommended_posting_day(D(2026, 12, 28)) == last_day_to_post(D(2026, 12, 28)) == D(2026, 12, 21)


def test_plan_says_how_urgent_posting_is():
    receipt_by = D(2027, 2, 26)
    assert posting_plan(receipt_by, D(2027, 2, 19)).urgency is Urgency.IN_GOOD_TIME
    assert posting_plan(receipt_by, D(2027, 2, 20)).urgency is Urgency.URGENT
    assert posting_plan(receipt_by, D(2027, 2, 22)).urgency is Urgency.URGENT
    assert posting_plan(receipt_by, D(2027, 2, 23)).urgency is Urgency.TOO_LATE_BY_POST


@pytest.mark.parametrize(
    "sent, method, received",
    [
        (D(2026, 11, 26), "fax", D(2026, 11, 26)),  # Thursday: same day
        (D(2026, 11, 28), "email", D(2026, 11, 30)),  # Saturday: next business day
        (D(2026, 11, 26), "post", D(2026, 12, 1)),
        (D(2026, 11, 24), "einschreiben", D(2026, 11, 30)),  # delivered Sat 28 -> counts Monday
    ],
)
def test_assumed_receipt_by_method(sent, method, received):
    assert assumed_receipt(sent, method) == received


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError):
        assumed_receipt(D(2026, 11, 26), "brieftaube")


@settings(max_examples=400)
@given(receipt_by=dates)
def test_posting_on_the_last_day_is_in_time_and_a_working_day_later_is_not(receipt_by):
    last_day = last_day_to_post(receipt_by)
    assert is_postal_working_day(last_day)
    assert assumed_receipt(last_day, SendingMethod.POST) <= receipt_by
    later = last_day + dt.timedelta(days=1)
    while not is_postal_working_day(later):
        later += dt.timedelta(days=1)
    assert assumed_receipt(later, SendingMethod.POST) > receipt_by
    assert (receipt_by - last_day).days >= 4
    assert recommended_posting_day(receipt_by) <= receipt_by - dt.timedelta(days=7)
    assert is_postal_working_day(recommended_posting_day(receipt_by))


@settings(max_examples=300)
@given(posted=dates, later=st.integers(min_value=0, max_value=20))
def test_posting_later_never_arrives_earlier(posted, later):
    assert delivered_by(posted) <= delivered_by(posted + dt.timedelta(days=later))
    assert assumed_receipt(posted, "post") >= posted + dt.timedelta(days=4)

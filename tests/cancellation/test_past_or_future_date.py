from datetime import date

import pytest

from cancellation.validation import InvalidInput, parse_past_or_future_date

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("15.03.2024", date(2024, 3, 15)),
        ("am 1.12.25", date(2025, 12, 1)),
        ("2024-03-15", date(2024, 3, 15)),
        ("3. März 2024", date(2024, 3, 3)),
        ("31.01.2027", date(2027, 1, 31)),
        ("gestern", date(2026, 11, 25)),
        ("heute", TODAY),
        ("vorgestern", date(2026, 11, 24)),
    ],
)
def test_dates_in_the_past_and_the_future_are_accepted(answer, expected):
    assert parse_past_or_future_date(answer, TODAY) == expected


def test_a_date_without_year_is_the_nearest_occurrence():
    assert parse_past_or_future_date("15.10.", TODAY) == date(2026, 10, 15)
    assert parse_past_or_future_date("02.01.", TODAY) == date(2027, 1, 2)
    assert parse_past_or_future_date("15.12.", date(2027, 1, 10)) == date(2026, 12, 15)


@pytest.mark.parametrize("answer", ["keine Ahnung", "31.02.2025", "15.13.2024", "01.01.1900", ""])
def test_unusable_dates_are_explained(answer):
    with pytest.raises(InvalidInput) as info:
        parse_past_or_future_date(answer, TODAY)
    assert info.value.message

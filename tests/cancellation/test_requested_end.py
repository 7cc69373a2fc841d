"""Hand-test item 5: an end whose notice has run out is never accepted silently."""

import datetime as dt

import pytest

from cancellation.requested_end import too_late
from cancellation.texts import render

# Expected results, each with its source (§ 11 Abs. 4 VVG: at least one month's notice; posting:
# a letter is received by the fourth postal working day, LEGAL.md "Added 2026-12-02").
CASES = [
    # today, end, contract type, warned, text expected
    (dt.date(2026, 12, 2), dt.date(2026, 12, 31), "insurance", True, "spätestens am 30.11.2026 ankommen"),
    (dt.date(2026, 12, 2), dt.date(2026, 12, 31), "insurance", True, "in der Regel der 31.12.2027"),
    (dt.date(2026, 11, 26), dt.date(2026, 12, 31), "insurance", True, "bis zum 30.11.2026 beim Versicherer"),
    (dt.date(2026, 11, 25), dt.date(2026, 12, 31), "insurance", False, None),  # arrives 30.11.: just in time
    (dt.date(2026, 11, 2), dt.date(2026, 12, 31), "insurance", False, None),
    (dt.date(2026, 12, 2), dt.date(2026, 12, 31), "gym", False, None),  # no statutory minimum notice
    (dt.date(2026, 12, 2), dt.date(2026, 12, 31), None, False, None),
]


@pytest.mark.parametrize("today, end, contract_type, warned, expected", CASES)
def test_a_passed_notice_is_told_with_the_last_day_and_the_next_end(today, end, contract_type, warned, expected):
    said = too_late(end, contract_type, today)
    assert (said is not None) is warned
    if expected:
        assert expected in " ".join(render(said).split())


def test_the_fax_hint_only_while_the_last_day_has_not_passed():
    assert "Per Fax" not in render(too_late(dt.date(2026, 12, 31), "insurance", dt.date(2026, 12, 2)))
    assert "Per Fax" in render(too_late(dt.date(2026, 12, 31), "insurance", dt.date(2026, 11, 27)))


def test_the_deadline_asked_inside_the_interview_fits_the_end_chosen():
    # hand-test item 5: at the summary "bis wann?" got "Der Brief kündigt ohnehin zum nächstmöglichen
    # Zeitpunkt" although the user had chosen the 31.12.
    from cancellation.requested_end import deadline_answer

    today = dt.date(2026, 10, 1)
    insurance = " ".join(render(deadline_answer("2026-12-31", "insurance", today)).split())
    assert "spätestens am 30.11.2026 beim Versicherer" in insurance and "§ 11 Abs. 4 VVG" in insurance
    gym = render(deadline_answer("2026-12-31", "gym", today))
    assert "Der Brief kündigt zum 31.12.2026" in gym and "ohnehin" not in gym
    assert "ohnehin „zum nächstmöglichen Zeitpunkt“" in render(deadline_answer("asap", "gym", today))
    late = render(deadline_answer("2026-12-31", "insurance", dt.date(2026, 12, 2)))
    assert "reicht es nicht mehr" in late

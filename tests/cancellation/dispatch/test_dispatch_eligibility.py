"""When the letter may go by the print service (no handwritten signature possibly needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from cancellation.dispatch.eligibility import Concluded, concluded_from, verdict
from cancellation.provider_records import IdentificationRule

O2 = IdentificationRule.parse([{"one_of": ["customer_password", "handwritten_signature"]}], "o2")
NONE = IdentificationRule()
D = dt.date


@pytest.mark.parametrize("first, last, expected", [
    (D(2015, 1, 1), D(2015, 12, 31), Concluded.BEFORE),
    (D(2016, 9, 30), D(2016, 9, 30), Concluded.BEFORE),
    (D(2016, 10, 1), D(2016, 10, 1), Concluded.FROM),
    (D(2016, 1, 1), D(2016, 12, 31), Concluded.UNKNOWN),  # "2016": may be either
    (None, None, Concluded.UNKNOWN),
])
def test_conclusion_relative_to_1_october_2016(first, last, expected):
    assert concluded_from(first, last) is expected


# (answers, identification, concluded, abroad, enclosures) -> allowed, reason key, ask
CASES = [
    ({}, NONE, Concluded.FROM, False, (), True, None, False),
    ({}, NONE, Concluded.BEFORE, False, (), False, "utter_dispatch_not_offered_old_contract", False),
    ({}, NONE, Concluded.UNKNOWN, False, (), False, None, True),
    ({"customer_password": "none"}, O2, Concluded.FROM, False, (), False,
     "utter_dispatch_not_offered_signature", False),
    ({"customer_password": "4711"}, O2, Concluded.FROM, False, (), True, None, False),
    ({}, NONE, Concluded.FROM, True, (), False, "utter_dispatch_not_offered_abroad", False),
    ({}, NONE, Concluded.FROM, False, ("Sterbeurkunde",), False,
     "utter_dispatch_not_offered_enclosures", False),
]


@pytest.mark.parametrize("answers, rule, concluded, abroad, enclosures, allowed, reason, ask", CASES)
def test_verdict(answers, rule, concluded, abroad, enclosures, allowed, reason, ask):
    result = verdict(answers, identification=rule, provider_name="o2", concluded=concluded,
                     recipient_abroad=abroad, enclosures=enclosures)
    assert result.allowed is allowed
    assert (result.reason.key if result.reason else None) == reason
    assert result.ask_concluded is ask

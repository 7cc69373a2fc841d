"""English answers to the interview's questions are understood like their German counterparts."""

import datetime as dt

import pytest

from cancellation.extras import ADVERTISING, ALL_EXTRAS, PORTING, SEPA, parse_extras
from cancellation.validation import is_asap_answer, is_skip_answer, parse_end_date


@pytest.mark.parametrize(
    "text", ["none", "None.", "I don't know", "dont know", "no thanks", "I don't have one", "without email", "no idea"]
)
def test_skipping_an_optional_question(text):
    assert is_skip_answer(text)


@pytest.mark.parametrize("text", ["Erika Mustermann", "123456789", "erika@example.org", "nonetheless 5"])
def test_real_answers_are_not_skips(text):
    assert not is_skip_answer(text)


@pytest.mark.parametrize(
    "text", ["as soon as possible", "the earliest possible date", "at the next possible date", "at the earliest"]
)
def test_the_next_possible_date(text):
    assert is_asap_answer(text)
    assert parse_end_date(text, dt.date(2026, 12, 1)) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("revoke the direct debit", (SEPA,)),
        ("no advertising calls please", (ADVERTISING,)),
        ("port my number", (PORTING,)),
        ("I want to keep my number and stop the direct debit", (SEPA, PORTING)),
        ("all of them", ALL_EXTRAS),
        ("nothing else", ()),
        ("none of these", ()),
        ("no", ()),
    ],
)
def test_extras_in_english(text, expected):
    assert parse_extras(text) == expected


@pytest.mark.parametrize(
    "text, subject_kind, contract_type, provider",
    [
        ("Hi, I want to cancel my mobile contract with o2", "contract", "mobile", "o2"),
        ("I want to cancel my gym membership", "contract", "gym", None),
        ("cancel my Netflix subscription", "contract", "streaming", "netflix"),
        ("I want to terminate my electricity contract with E.ON", "contract", "energy", "eon"),
    ],
)
def test_facts_of_an_english_first_message(text, subject_kind, contract_type, provider):
    from cancellation.extraction import extract_facts

    facts = extract_facts(text, dt.date(2026, 12, 2))
    assert (facts.subject_kind, facts.contract_type, facts.provider) == (subject_kind, contract_type, provider)

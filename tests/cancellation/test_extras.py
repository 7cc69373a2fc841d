import datetime as dt

import pytest

from cancellation.extras import (
    ALL_EXTRAS,
    identification_questions,
    parse_customer_password,
    parse_date_of_birth,
    parse_extras,
)
from cancellation.provider_records import IdentificationRule
from cancellation.validation import InvalidInput

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nein", ()),
        ("nichts davon", ()),
        ("Keine", ()),
        ("Lastschrift widerrufen", ("sepa",)),
        ("bitte Werbeanrufe untersagen und meine Rufnummer mitnehmen", ("advertising", "porting")),
        ("alle", ALL_EXTRAS),
        ("alle drei bitte", ALL_EXTRAS),
        ("SEPA Mandat", ("sepa",)),
    ],
)
def test_parse_extras(text, expected):
    assert parse_extras(text) == expected


def test_parse_extras_unclear_answer_gets_examples():
    with pytest.raises(InvalidInput) as error:
        parse_extras("Blumenkohl")
    assert "zum Beispiel" in error.value.message


def test_customer_password():
    assert parse_customer_password("weiß ich nicht") is None
    assert parse_customer_password("Kundenkennzahl: 4711") == "4711"
    with pytest.raises(InvalidInput):
        parse_customer_password("1" * 41)


def test_date_of_birth():
    assert parse_date_of_birth("24.12.1980", TODAY) == dt.date(1980, 12, 24)
    for bad in ("01.01.2030", "01.01.2020", "31.02.1980"):
        with pytest.raises(InvalidInput):
            parse_date_of_birth(bad, TODAY)


def test_identification_from_the_providers_structured_field():
    rule = IdentificationRule.parse([{"one_of": ["customer_password", "handwritten_signature"]}], "o2")
    assert identification_questions(rule) == ("customer_password",)
    assert identification_questions(IdentificationRule.parse(["date_of_birth"], "x")) == ("date_of_birth",)
    assert identification_questions(IdentificationRule()) == ()

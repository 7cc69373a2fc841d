"""Optional questions: "hab ich nicht" means unknown and is never printed; values are plausible."""

from __future__ import annotations

import datetime as dt

import pytest

from cancellation.extras import parse_customer_password, parse_date_of_birth
from cancellation.interview import SKIPPED
from cancellation.letter_request import build_letter_data
from cancellation.summary import summary_text
from cancellation.texts import render
from cancellation.validation import (
    InvalidInput,
    is_skip_answer,
    parse_contract_reference,
    parse_customer_number,
    parse_email,
)
from cancellation.vocabulary import Language

TODAY = dt.date(2026, 12, 2)

UNKNOWN = [
    "hab ich nicht", "keine Ahnung", "hab keine", "nicht zur Hand", "weiss nicht", "weiß ich nicht",
    "k.A.", "-", "no idea", "don't have it", "Hab ich nicht.", "KEINE AHNUNG!", "habe ich gerade nicht zur Hand",
    "kenne ich nicht", "weiß ich nicht mehr", "I don't know", "nein", "keine", "überspringen",
]
# The question's field named before "I don't have it": today's "Kundenkennzahl: Kundenkennwort
# hab ich nicht" in the letter came from such an answer.
UNKNOWN_AFTER_FIELD = [
    ("customer_password", "Kundenkennwort hab ich nicht"),
    ("customer_password", "Kundenkennzahl weiß ich nicht"),
    ("customer_password", "die Kennzahl kenne ich nicht"),
    ("customer_password", "Passwort: keine Ahnung"),
    ("customer_password", "my password I don't remember"),
    ("customer_number", "Kundennummer hab ich nicht"),
    ("customer_number", "die Kundennummer habe ich gerade nicht zur Hand"),
    ("customer_number", "Kd.-Nr. weiß ich nicht"),
    ("customer_number", "I don't have a customer number"),
    ("contract_reference", "Vertragsnummer hab ich keine"),
    ("contract_reference", "Rufnummer: k.A."),
    ("email", "E-Mail hab ich nicht"),
    ("email", "E-Mail-Adresse: keine"),
    ("date_of_birth", "Geburtsdatum möchte ich nicht angeben"),
]

PARSERS = {
    "customer_password": parse_customer_password,
    "customer_number": parse_customer_number,
    "contract_reference": parse_contract_reference,
    "email": parse_email,
    "date_of_birth": lambda text: parse_date_of_birth(text, TODAY),
}


@pytest.mark.parametrize("field", sorted(PARSERS))
@pytest.mark.parametrize("answer", UNKNOWN)
def test_an_unknown_answer_to_an_optional_question_is_no_value(field, answer):
    assert is_skip_answer(answer)
    assert PARSERS[field](answer) is None


@pytest.mark.parametrize("field, answer", UNKNOWN_AFTER_FIELD)
def test_an_unknown_answer_after_the_fields_name_is_no_value(field, answer):
    assert PARSERS[field](answer) is None


# Plausibility: value, expected result (a value, or the catalogue message that asks again).
PLAUSIBILITY = [
    ("customer_password", "4711", "4711"),
    ("customer_password", "Sonne77", "Sonne77"),
    ("customer_password", "Meine Kundenkennzahl ist 4711", "4711"),
    ("customer_password", "Kennwort: Blau-42", "Blau-42"),
    ("customer_password", "ich glaube 4711 oder so", "utter_invalid_customer_password_spaces"),
    ("customer_password", "Kundenkennwort weiß nicht genau vielleicht 12", "utter_invalid_customer_password_spaces"),
    ("customer_password", "1" * 41, "utter_invalid_customer_password_length"),
    ("customer_number", "K-123456789", "K-123456789"),
    ("customer_number", "Kundennummer: 123456789", "123456789"),
    ("customer_number", "die steht irgendwo", "utter_invalid_reference_no_digits"),
    ("customer_number", "12", "utter_invalid_reference_short"),
    ("contract_reference", "V-2024-123456", "V-2024-123456"),
    ("contract_reference", "Vertragsnummer ABCDEF", "utter_invalid_reference_no_digits"),
    ("email", "anna@example.de", "anna@example.de"),
    ("email", "anna at example", "utter_invalid_email"),
    ("email", "anna@example", "utter_invalid_email"),
    ("date_of_birth", "24.12.1980", dt.date(1980, 12, 24)),
    ("date_of_birth", "3. März 1975", dt.date(1975, 3, 3)),
    ("date_of_birth", "01.01.2030", "utter_invalid_date_of_birth_future"),
    ("date_of_birth", "01.01.2020", "utter_invalid_date_of_birth_age"),
    ("date_of_birth", "01.01.1890", "utter_invalid_date_of_birth_age"),
    ("date_of_birth", "31.02.1980", "utter_invalid_date_of_birth"),
    ("date_of_birth", "irgendwann im Sommer", "utter_invalid_date_of_birth"),
]


@pytest.mark.parametrize("field, answer, expected", PLAUSIBILITY)
def test_values_are_plausible_or_asked_again_with_a_short_explanation(field, answer, expected):
    if isinstance(expected, str) and expected.startswith("utter_"):
        with pytest.raises(InvalidInput) as error:
            PARSERS[field](answer)
        assert error.value.message.key == expected
        german = render(error.value.message, Language.DE)
        english = render(error.value.message, Language.EN)
        assert "zum Beispiel" in german or "„" in german
        assert german != english and len(german) < 300
    else:
        value = PARSERS[field](answer)
        shown = value.contract_number if field == "contract_reference" else value
        assert shown == expected


def test_unknown_answers_are_printed_nowhere():
    answers = {
        "subject_kind": "contract",
        "provider": "Fit AG",
        "provider_address": {"lines": ["Fit AG"], "street": "Postfach 1", "postcode": "12345", "city": "Ort"},
        "contract_type": "mobile",
        "full_name": "Max Mustermann",
        "street": "Hauptstr. 12a",
        "postcode": "50667",
        "city": "Köln",
        "customer_number": SKIPPED,
        "contract_reference": "0176 12345678",
        "phone_number": "0176 12345678",
        "customer_password": SKIPPED,
        "date_of_birth": SKIPPED,
        "email": SKIPPED,
    }
    data = build_letter_data(answers, None, reference="KB-2026-ABCDEF", today=TODAY)
    assert data.customer_password is None and data.date_of_birth is None
    assert data.customer_number is None and data.confirmation_email is None
    summary = summary_text(answers, None)
    assert "Kundenkennzahl: –" in summary and "Geburtsdatum: –" in summary
    assert SKIPPED not in summary.split()

import datetime as dt

import pytest

from cancellation.extras import (
    ADVERTISING,
    ALL_EXTRAS,
    PORTING,
    SEPA,
    extras_question,
    fitting_extras,
    identification_questions,
    offered_extras,
    parse_customer_password,
    parse_date_of_birth,
    parse_extras,
)
from cancellation.letter_request import build_letter_data
from cancellation.provider_records import IdentificationRule
from cancellation.summary import summary_text
from cancellation.texts import catalogue, render
from cancellation.validation import InvalidInput
from cancellation.vocabulary import ContractType, Language

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
    assert "zum Beispiel" in render(error.value.message, Language.DE)
    assert "for example" in render(error.value.message, Language.EN)


# What the extras question offers (LEGAL.md "Letter contents", "Number porting"): an option ends
# while the contract runs on (still paid, the number stays), porting needs a phone number, the
# objection to advertising fits every letter.
OFFERS = [
    # subject kind, contract type, offered extras, question
    ("contract", "mobile", (SEPA, ADVERTISING, PORTING), "utter_ask_extras"),
    ("contract", "landline", (SEPA, ADVERTISING, PORTING), "utter_ask_extras"),
    ("contract", "dsl", (SEPA, ADVERTISING, PORTING), "utter_ask_extras"),
    ("contract", "cable", (SEPA, ADVERTISING, PORTING), "utter_ask_extras"),
    ("contract", "fibre", (SEPA, ADVERTISING, PORTING), "utter_ask_extras"),
    ("contract", "gym", (SEPA, ADVERTISING), "utter_ask_extras_without_porting"),
    ("contract", "energy", (SEPA, ADVERTISING), "utter_ask_extras_without_porting"),
    ("contract", "streaming", (SEPA, ADVERTISING), "utter_ask_extras_without_porting"),
    ("contract", "tv", (SEPA, ADVERTISING), "utter_ask_extras_without_porting"),
    ("contract", "insurance", (SEPA, ADVERTISING), "utter_ask_extras_without_porting"),
    ("contract", "other", (SEPA, ADVERTISING), "utter_ask_extras_without_porting"),
    ("contract", None, (SEPA, ADVERTISING), "utter_ask_extras_without_porting"),
    ("option", None, (ADVERTISING,), "utter_ask_extras_option"),
    ("option", "mobile", (ADVERTISING,), "utter_ask_extras_option"),
    ("option", "gym", (ADVERTISING,), "utter_ask_extras_option"),
]


@pytest.mark.parametrize("subject_kind, contract_type, offered, question", OFFERS)
def test_offered_extras_fit_the_contract(subject_kind, contract_type, offered, question):
    assert offered_extras(subject_kind, contract_type) == offered
    assert extras_question(offered).key == question


def test_every_contract_type_gets_the_advertising_objection_and_porting_only_with_a_number():
    for kind in ContractType:
        offered = offered_extras("contract", kind.value)
        assert ADVERTISING in offered and SEPA in offered
        assert (PORTING in offered) == kind.has_phone_number
        assert offered_extras("option", kind.value) == (ADVERTISING,)


def test_the_option_question_names_neither_sepa_nor_porting_as_a_choice():
    for language in Language:
        variation = catalogue().variation("utter_ask_extras_option", language)
        payloads = [button["payload"] for button in variation.buttons]
        assert payloads == ["Werbung untersagen", "nein"]
    gym = catalogue().variation("utter_ask_extras_without_porting", Language.DE)
    assert "Rufnummer" not in gym.text and all("Rufnummer" not in b["payload"] for b in gym.buttons)


@pytest.mark.parametrize(
    "text, offered, expected",
    [
        ("alle", (SEPA, ADVERTISING), (SEPA, ADVERTISING)),
        ("beides", (SEPA, ADVERTISING), (SEPA, ADVERTISING)),
        ("alle", (ADVERTISING,), (ADVERTISING,)),
        ("ja", (ADVERTISING,), (ADVERTISING,)),
        ("yes please", (ADVERTISING,), (ADVERTISING,)),
        ("nein", (ADVERTISING,), ()),
        ("no", (ADVERTISING,), ()),
        ("Werbung untersagen", (ADVERTISING,), (ADVERTISING,)),
        ("Lastschrift widerrufen und Rufnummer mitnehmen", (SEPA, ADVERTISING), (SEPA,)),
        ("revoke direct debit and object to advertising", ALL_EXTRAS, (SEPA, ADVERTISING)),
        ("keep my number", ALL_EXTRAS, (PORTING,)),
        ("beides: Lastschrift und Werbung", ALL_EXTRAS, (SEPA, ADVERTISING)),
        ("alle drei", ALL_EXTRAS, ALL_EXTRAS),
    ],
)
def test_parse_extras_takes_only_what_is_offered(text, offered, expected):
    assert parse_extras(text, offered) == expected


@pytest.mark.parametrize("text", ["beides", "both", "beide bitte"])
def test_both_of_three_extras_asks_which_two(text):
    # "beides" with three on offer would otherwise also port the number away.
    with pytest.raises(InvalidInput) as info:
        parse_extras(text, ALL_EXTRAS)
    assert "Welche zwei" in render(info.value.message, Language.DE)


@pytest.mark.parametrize(
    "text, offered, explanation",
    [
        ("Lastschrift widerrufen", (ADVERTISING,), "utter_extras_option_keeps_running"),
        ("Rufnummer mitnehmen", (ADVERTISING,), "utter_extras_option_keeps_running"),
        ("Rufnummer mitnehmen", (SEPA, ADVERTISING), "utter_extras_no_phone_number"),
        ("ja", (SEPA, ADVERTISING), "utter_invalid_extras_without_porting"),
        ("vielleicht", (ADVERTISING,), "utter_invalid_extras_option"),
    ],
)
def test_an_extra_that_does_not_fit_is_explained_and_asked_again(text, offered, explanation):
    with pytest.raises(InvalidInput) as error:
        parse_extras(text, offered)
    assert error.value.message.key == explanation


def test_extras_chosen_before_the_subject_changed_are_left_out_of_letter_and_summary():
    answers = {
        "subject_kind": "option",
        "option_name": "Datenoption 5 GB",
        "provider": "Fit AG",
        "provider_address": {"lines": ["Fit AG"], "street": "Postfach 1", "postcode": "12345", "city": "Ort"},
        "contract_type": "mobile",
        "full_name": "Max Mustermann",
        "street": "Hauptstr. 12a",
        "postcode": "50667",
        "city": "Köln",
        "extras": ["sepa", "advertising", "porting"],
    }
    assert fitting_extras(answers["extras"], "option", "mobile") == (ADVERTISING,)
    data = build_letter_data(answers, None, reference="KB-2026-ABCDEF", today=TODAY)
    assert not data.revoke_sepa_mandate and not data.request_number_porting
    assert data.object_to_advertising
    summary = summary_text(answers, None)
    assert "Lastschrift" not in summary and "Rufnummer mitnehmen" not in summary
    assert "Werbung" in summary
    gym = dict(answers, subject_kind="contract", contract_type="gym")
    data = build_letter_data(gym, None, reference="KB-2026-ABCDEF", today=TODAY)
    assert data.revoke_sepa_mandate and data.object_to_advertising and not data.request_number_porting


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

import datetime as dt

import pytest

from cancellation.interview import ASAP
from cancellation.letter_request import build_letter_data
from cancellation.special import assess, required_facts
from cancellation.special_interview import (
    as_slot,
    assessment_message,
    detect_ground,
    next_question,
    parse_fact,
    parse_ground,
)
from cancellation.validation import InvalidInput
from letters.wording import compose

TODAY = dt.date(2026, 11, 26)
ANSWERS = {
    "subject_kind": "contract",
    "provider": "Vodafone",
    "contract_type": "dsl",
    "provider_address": {"lines": ["Vodafone GmbH"], "street": "Postfach 1", "postcode": "40875", "city": "Ratingen"},
    "full_name": "Erika Muster",
    "street": "Musterstraße 5",
    "postcode": "10115",
    "city": "Berlin",
    "customer_number": "123456",
    "end_date": ASAP,
}


@pytest.mark.parametrize(
    "text, ground",
    [
        ("o2 erhöht die Preise, kann ich sonderkündigen?", "price_change"),
        ("ich bekomme nur 20 statt 100 Mbit", "slow_internet"),
        ("ich ziehe um, was passiert mit meinem Vertrag", "relocation"),
        ("mein Vater ist gestorben", "death"),
        ("ich bin schwer krank", "important_reason"),
        ("Sonderkündigung", None),
    ],
)
def test_ground_is_detected_from_the_first_message(text, ground):
    assert detect_ground(text) == ground


def test_ground_answer_from_a_button_or_text():
    assert parse_ground("Preiserhöhung") == "price_change"
    assert parse_ground("death") == "death"
    with pytest.raises(InvalidInput):
        parse_ground("einfach so")


def test_facts_are_asked_in_order_until_all_are_known():
    first = next_question("price_change", {})
    assert first.key == "notice_received"
    assert next_question("price_change", {"notice_received": "2026-11-01"}).key == "change_effective"
    facts = {question.key: "x" for question in required_facts("price_change")}
    assert next_question("price_change", facts) is None


def test_fact_answers_are_normalised():
    date_question, *_ = required_facts("price_change")
    assert parse_fact(date_question, "1.11.2026", TODAY) == "2026-11-01"
    yes_no = required_facts("slow_internet")[0]
    assert parse_fact(yes_no, "Ja, DSL", TODAY) == "ja"
    assert parse_fact(yes_no, "weiß ich nicht", TODAY) == "weiß nicht"
    with pytest.raises(InvalidInput):
        parse_fact(yes_no, "vielleicht morgen", TODAY)
    with pytest.raises(InvalidInput):
        parse_fact(date_question, "neulich", TODAY)


def price_change_assessment(notice="2026-11-01"):
    facts = {
        "notice_received": notice,
        "change_effective": "2027-01-01",
        "change_description": "Grundgebühr steigt von 29,99 € auf 34,99 €",
    }
    return assess("price_change", facts, TODAY), facts


def test_price_change_letter_cancels_extraordinarily_and_lists_the_enclosure():
    assessment, facts = price_change_assessment()
    slot = as_slot(assessment, facts)
    data = build_letter_data(dict(ANSWERS, special_termination=slot), None, reference="KB-2026-ABCDEF", today=TODAY)
    text = compose(data)
    declaration = " ".join(block for block in text.body if isinstance(block, str))
    assert "außerordentlich und fristlos" in declaration
    assert "57" in declaration and "34,99" in declaration
    assert text.enclosures == ("Kopie der Mitteilung über die Vertragsänderung",)
    assert data.holder_name == "Erika Muster"


def test_window_passed_is_a_warning():
    assessment, _ = price_change_assessment(notice="2026-07-01")
    message = assessment_message(assessment)
    assert message.index("⚠") < message.index("Nach § 57")
    assert "Drei-Monats-Frist" in message


def test_death_makes_the_deceased_the_holder_and_the_heir_the_sender():
    facts = {"deceased_name": "Hans Muster", "date_of_death": "2026-11-01", "relationship": "Sohn"}
    slot = as_slot(assess("death", facts, TODAY), facts)
    assert slot["holder_name"] == "Hans Muster" and slot["legal_basis"] == ""
    data = build_letter_data(dict(ANSWERS, special_termination=slot), None, reference="KB-2026-ABCDEF", today=TODAY)
    assert data.holder_name == "Hans Muster" and data.sender.lines == ("Erika Muster",)
    assert "Kopie der Sterbeurkunde" in data.enclosures


def test_slow_internet_message_lists_the_measurement_steps():
    facts = {"fixed_line": "ja", "contracted_speed": "max. 100 Mbit/s", "measurement_completed": "2026-11-20", "deviation_confirmed": "ja"}
    message = assessment_message(assess("slow_internet", facts, TODAY))
    assert "LAN-Kabel" in message and "30 Messungen" in message


def test_letter_without_special_termination_is_unchanged():
    data = build_letter_data(ANSWERS, None, reference="KB-2026-ABCDEF", today=TODAY)
    assert data.special is None and data.enclosures == ()

import datetime as dt

import pytest

from cancellation.followup import (
    confirmation_message,
    earlier_cancellation_day,
    escalation_advice,
    how_to_send,
    is_telecom,
    letter_subject,
    latest_letter,
    next_steps,
    reminder_due_on,
    reminder_letter_data,
    waiting_message,
)
from cancellation.log.records import AttemptRecord
from cancellation.providers import load_directory
from cancellation.special import Context, assess, latest_receipt
from cancellation.texts import render
from cancellation.vocabulary import ContractType
from letters.wording import compose


def text_of(messages, language="de"):
    return " ".join(render(messages, language).split())

CREATED = dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone.utc)
PERSONAL = {"full_name": "Erika Muster", "street": "Musterstraße 5", "postcode": "10115", "city": "Berlin", "customer_number": "K-1"}


def record(**overrides):
    values = dict(
        reference="KB-2026-AAAAAA", created_at=CREATED, kind="letter", channel="rest", provider="o2",
        subject_kind="contract", subject="Mobilfunkvertrag", requested_end="2027-03-14", status="letter_created",
        letter_sha256="0" * 64, related_reference=None,
    )
    values.update(overrides)
    return AttemptRecord(**values)


def test_latest_letter_skips_calls_reminders_and_forgotten_letters():
    older = record(reference="KB-2026-OLDOLD", created_at=CREATED - dt.timedelta(days=3))
    newest = record(created_at=CREATED)
    call = record(reference="KB-2026-CALLCA", kind="hotline_call", created_at=CREATED + dt.timedelta(days=1))
    gone = record(reference="KB-2026-GONEGO", forgotten=True, created_at=CREATED + dt.timedelta(days=2))
    assert latest_letter([older, newest, call, gone]) == newest
    assert latest_letter([older, newest], reference="KB-2026-OLDOLD") == older
    assert latest_letter([call]) is None


def test_reminder_after_two_weeks_and_until_then_a_date_to_wait_for():
    letter = record()
    assert reminder_due_on(letter) == dt.date(2026, 11, 16)
    assert "bis zum 16.11.2026" in render(waiting_message(letter))
    assert "until 16 November 2026" in render(waiting_message(letter), "en")


def test_reminder_letter_repeats_the_cancellation_and_refers_to_the_first_letter():
    provider = load_directory().get("o2")
    data = reminder_letter_data(record(), PERSONAL, provider, reference="KB-2026-BBBBBB", today=dt.date(2026, 11, 20))
    assert data.reminder_of == ("KB-2026-AAAAAA", dt.date(2026, 11, 2))
    assert data.subject_label == "Mobilfunkvertrag" and data.requested_end == dt.date(2027, 3, 14)
    text = compose(data)
    assert "Erinnerung an mein Schreiben vom 02.11.2026" in text.subject_lines
    assert "KB-2026-AAAAAA" in " ".join(block for block in text.body if isinstance(block, str))


def test_reminder_for_an_option_names_the_option():
    letter = record(subject_kind="option", subject="Option „Datenoption 5 GB“", requested_end="asap")
    data = reminder_letter_data(letter, PERSONAL, None, reference="KB-2026-BBBBBB", today=dt.date(2026, 11, 20))
    assert data.subject_label == "Datenoption 5 GB" and data.requested_end is None


def body_of(data) -> str:
    return " ".join(block for block in compose(data).body if isinstance(block, str))


def test_a_reminder_keeps_the_ground_the_enclosures_and_the_holder_of_the_first_letter():
    today = dt.date(2026, 11, 2)
    facts = {"deceased_name": "Hans Muster", "date_of_death": "2026-10-20", "relationship": "Tochter",
             "has_death_certificate": "yes"}
    special = assess("death", facts, Context(today, latest_receipt(today))).as_slot()
    personal = dict(PERSONAL, special_termination=special)
    data = reminder_letter_data(record(), personal, None, reference="KB-2026-BBBBBB", today=dt.date(2026, 11, 20))
    assert data.holder_name == "Hans Muster" and data.enclosures == ("death_certificate",)
    text = compose(data)
    assert "Todesfall: Vertrag von Hans Muster" in text.subject_lines
    assert "Hans Muster ist am 20.10.2026 verstorben" in body_of(data)
    assert text.enclosures == ("Kopie der Sterbeurkunde",)

    facts = {"move_date": "2027-02-15", "new_address": "A-Straße 1, 12345 B", "available_at_new_address": "no"}
    special = assess("relocation", facts, Context(today, latest_receipt(today), ContractType.DSL)).as_slot()
    data = reminder_letter_data(record(), dict(PERSONAL, special_termination=special), None,
                                reference="KB-2026-BBBBBB", today=dt.date(2026, 11, 20))
    assert "wegen meines Umzugs außerordentlich mit einer Frist von einem Monat zum 15.02.2027" in body_of(data)
    assert "Vorsorglich kündige ich hiermit nochmals" in body_of(data)


def test_escalation_names_the_schlichtungsstelle_only_for_telecom_and_the_eight_weeks():
    assert "Schlichtungsstelle Telekommunikation" in text_of(escalation_advice(True))
    other = text_of(escalation_advice(False))
    assert "Schlichtungsstelle" not in other and "Verbraucherzentrale" in other
    assert "innerhalb von acht Wochen" in other and "kann das Geld trotzdem weiter verlangen" in other
    assert "within eight weeks" in text_of(escalation_advice(False), "en")
    assert is_telecom(record(), None)
    assert not is_telecom(record(subject="Mitgliedschaft", provider="McFit"), None)
    assert is_telecom(record(subject="Vertrag", contract_type=ContractType.CABLE), None)
    assert not is_telecom(record(subject="Vertrag", contract_type=ContractType.ENERGY), load_directory().get("o2"))
    assert not is_telecom(record(subject="Vertrag", contract_type=ContractType.OTHER), load_directory().get("o2"))
    assert is_telecom(record(subject="Vertrag"), load_directory().get("o2"))


def test_telecom_is_a_lookup_of_the_stored_contract_type_not_of_the_label():
    from cancellation.vocabulary import ContractType

    # An option on a DSL contract: its label names the option, its contract type says telecom.
    option = record(subject="Option „Sicherheitspaket“", subject_kind="option",
                    contract_type=ContractType.DSL)
    assert is_telecom(option, None)
    assert not is_telecom(record(contract_type=ContractType.GYM), None)
    assert is_telecom(record(subject="Vertrag", contract_type=ContractType.MOBILE), None)


def test_confirmation_warns_about_a_later_end():
    assert "bestätigt zum 14.03.2027" in text_of(confirmation_message(record(), dt.date(2027, 3, 14)))
    assert "Achtung" in text_of(confirmation_message(record(), dt.date(2027, 6, 30)))
    assert "confirmed, effective 14 March 2027" in text_of(confirmation_message(record(), dt.date(2027, 3, 14)), "en")


def test_next_steps_use_the_providers_channels_and_name_the_button_rule():
    directory = load_directory()
    o2 = text_of(next_steps(directory.get("o2")))
    assert "Kündigungsbutton" in o2 and "unterschreiben" in o2 and "Einlieferungsbeleg" in o2
    assert o2.startswith("So geht es weiter: 1. Drucken Sie den Brief aus")
    unknown = text_of(next_steps(None))
    assert "Wurde Ihr Vertrag nach dem 30.09.2016" in unknown
    assert "Es kam keine Bestätigung" in unknown
    assert "jederzeit ohne Einhaltung einer Frist kündigen (§ 312k Abs. 6 BGB)" in unknown
    assert "mindestens eine Woche vor dem letzten Tag" in unknown
    insurance = text_of(next_steps(None, "insurance"))
    assert "§ 312k" not in insurance  # not for financial services
    assert text_of(next_steps(None), "en").startswith("What to do next: 1. Print the letter")


def test_the_next_steps_give_each_piece_of_advice_once():
    # Hand-test: "Bewahren Sie … Einlieferungsbeleg … auf" appeared twice after the letter.
    for language in ("de", "en"):
        steps = text_of(next_steps(load_directory().get("o2")), language)
        assert steps.count("Einlieferungsbeleg" if language == "de" else "posting receipt") == 1, language


@pytest.mark.parametrize("text, on", [
    ("Ich habe vor 3 Wochen bei 1&1 gekündigt und es kam keine Bestätigung", dt.date(2026, 11, 5)),
    ("vor zwei Wochen telefonisch gekündigt, keine Bestätigung", dt.date(2026, 11, 12)),
    ("vor einem Monat online gekündigt", dt.date(2026, 10, 26)),
    ("am 10.11. gekündigt, nichts gekommen", dt.date(2026, 11, 10)),
    ("ich habe gekündigt, aber keine Bestätigung", None),
    ("am 10.12. gekündigt", None),  # a day to come is no cancellation made
])
def test_the_day_of_a_cancellation_made_elsewhere(text, on):
    # hand-test item 10: the new letter names it ("am 05.11.2026 habe ich ... bereits gekündigt")
    assert earlier_cancellation_day(text, dt.date(2026, 11, 26)) == on


@pytest.mark.parametrize("overrides, english", [
    ({"contract_type": ContractType.MOBILE}, "mobile contract (Mobilfunkvertrag)"),
    ({}, "mobile contract (Mobilfunkvertrag)"),  # stored before migration 0003: the type from the label
    ({"contract_type": ContractType.GYM, "subject": "Mitgliedschaft"}, "membership (Mitgliedschaft)"),
    ({"subject": "Fitnessstudiovertrag"}, "“Fitnessstudiovertrag” (the subject line of the German letter)"),
    ({"contract_type": ContractType.MOBILE, "subject": "Vertrag über Sky Sport"},
     "“Vertrag über Sky Sport” (the subject line of the German letter)"),
    ({"subject_kind": "option", "subject": "Option „Sky Sport“"}, "the option “Sky Sport”"),
])
def test_an_english_reader_gets_the_subject_described_or_the_german_line_marked(overrides, english):
    letter = record(**overrides)
    assert text_of(letter_subject(letter, "en"), "en") == english
    assert text_of(letter_subject(letter, "de")) == letter.subject


def test_the_confirmation_names_the_subject_in_the_readers_language():
    english = text_of(confirmation_message(record(), None, "en"), "en")
    assert "KB-2026-AAAAAA, mobile contract (Mobilfunkvertrag) with o2: cancellation confirmed" in english
    german = text_of(confirmation_message(record(), None, "de"))
    assert "KB-2026-AAAAAA (Mobilfunkvertrag bei o2)" in german


def test_o2s_identification_rule_is_practical_advice_beside_the_text_form():
    # Hand-test item 13: "unbedingt von Hand unterschreiben" beside "Fax oder E-Mail genügt".
    o2 = load_directory().get("o2")
    for text in (text_of(next_steps(o2, "mobile")), text_of(how_to_send(o2, "mobile"))):
        assert "Textform" in text and "Kundenkennzahl" in text
        assert "unbedingt" not in text
    assert "Kundenkennzahl" not in text_of(how_to_send(load_directory().get("vodafone"), "mobile"))
    english = text_of(how_to_send(o2, "mobile"), "en")
    assert "customer password" in english and "text form" in english


def test_how_to_send_after_the_letter_answers_for_that_letter():
    o2 = load_directory().get("o2")
    letter = record(reference="KB-2026-PVYPR0", provider="o2")
    answer = text_of(how_to_send(o2, "mobile", letter=letter))
    assert "KB-2026-PVYPR0" in answer and "E-Mail" in answer

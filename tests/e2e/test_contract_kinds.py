"""Hand-test items 3, 11 and 17 over REST: the kind of contract the first message names decides
the summary, the extras offered and the letter's subject line."""

from __future__ import annotations

from tests.e2e.conftest import Chat
from tests.e2e.pdftext import pdf_text
from tests.e2e.test_conversations import download_letter, reference_in
from tests.e2e.test_followup import INTERVIEW_ANSWERS

# Wertgarantie is not in the directory: its address is asked (answers before the shared ones).
ANSWERS = (
    ("Anschrift von", "WERTGARANTIE SE, Breite Straße 8, 30159 Hannover"),
    ("Versicherungsscheinnummer", "WG-4711-0815"),
    ("Soll der Brief noch etwas enthalten", "Lastschrift widerrufen"),
    *INTERVIEW_ANSWERS,
)


def _until_summary(chat: Chat) -> tuple[str, list[str]]:
    asked = []
    for _ in range(len(ANSWERS) + 2):
        if "Bitte prüfen Sie Ihre Angaben" in chat.text:
            return chat.text, asked
        asked.append(chat.text)
        answer = next((reply for words, reply in ANSWERS if words in chat.text), None)
        assert answer is not None, f"unexpected question: {chat.text}"
        chat.say(answer)
    raise AssertionError(f"no summary: {chat.text}")


def test_a_phone_insurance_with_an_insurer_is_an_insurance_contract(chat: Chat):
    chat.say("Ich möchte meine Handyversicherung bei Wertgarantie kündigen")
    summary, asked = _until_summary(chat)
    assert not any("ganzen Vertrag" in question for question in asked)
    assert not any("Rufnummer mitnehmen" in question for question in asked)
    assert "Versicherungsvertrag" in summary and "Mobilfunkvertrag" not in summary
    done = chat.say("ja")
    reference_in(done)
    text = pdf_text(download_letter(chat))
    assert "Kündigung Versicherungsvertrag" in text or "Versicherungsvertrag" in text.split("Sehr geehrte")[0]
    assert "Mobilfunkvertrag" not in text


def test_a_mobile_contract_typed_without_umlauts_asks_no_option_question(chat: Chat):
    first = chat.say("ich will mein handy vertrag kundigen bei vodafon")
    assert "ganzen Vertrag" not in first and "Option" not in first
    summary, asked = _until_summary(chat)
    assert not any("ganzen Vertrag" in question for question in asked)
    assert "Mobilfunkvertrag" in summary


def test_cable_internet_and_plain_internet_are_named_as_such(chat: Chat):
    chat.say("Ich will GigaZuhause 250 Kabel bei Vodafone kündigen")
    summary, _ = _until_summary(chat)
    assert "Internet über Kabel" in summary and "Kabelanschluss" not in summary


def test_english_internet_is_no_dsl_contract(chat: Chat):
    chat.say("I want to cancel my internet contract with Vodafone")
    english = chat.text
    for _ in range(20):
        if "Please check" in english or "check your details" in english:
            break
        english = chat.say(_english_answer(english))
    assert "internet contract (Internetvertrag)" in english and "DSL" not in english


def _english_answer(question: str) -> str:
    table = (
        ("full name", "Erika Muster"), ("your address", "Musterstraße 5, 10115 Berlin"),
        ("customer number", "123456789"), ("contract number", "none"), ("phone number", "none"),
        ("When would you like", "at the earliest possible date"), ("e-mail", "no"),
        ("anything else", "no"), ("password", "don't know"), ("date of birth", "24.12.1980"),
        ("postcode", "10115"), ("town", "Berlin"), ("city", "Berlin"),
    )
    answer = next((reply for words, reply in table if words.lower() in question.lower()), None)
    assert answer is not None, f"unexpected question: {question}"
    return answer

"""The interview's validator: context decides what an answer means."""

from __future__ import annotations

import asyncio

import pytest

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.facts import ActionTakeOverFacts
from actions.form import ActionAskContractReference, ValidateCancellationForm
from actions.navigation import ActionChangeField, ActionGoBack, ActionResumeInterview

ANSWERS = {"subject_kind": "contract", "provider": "Beispiel Fitness GmbH", "contract_type": "gym",
           "full_name": "Erika Muster"}


def tracker(text: str, intent: str | None = None, **slots) -> Tracker:
    return Tracker("c", slots, {"text": text, "intent": {"name": intent} if intent else {}}, [], False,
                   None, {"name": "cancellation_form"}, "action_listen")


def validate(slot: str, text: str, intent: str | None = None, **slots):
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateCancellationForm(), f"validate_{slot}")
    result = method(text, dispatcher, tracker(text, intent, requested_slot=slot, **slots), {})
    return result, [message.get("text") or message.get("response") for message in dispatcher.messages]


def test_a_contract_word_at_the_name_question_is_refused_and_the_name_asked_again():
    result, said = validate("full_name", "ganzer vertrag", intent="cancel", subject_kind="contract")
    assert result["full_name"] is None
    assert said == ["Das sieht nicht nach einem Namen aus. Bitte schreiben Sie Ihren Vor- und Nachnamen "
                    "so, wie er im Vertrag steht, zum Beispiel Anna Müller."]


def test_the_refusal_is_in_english_for_an_english_conversation():
    result, said = validate("full_name", "yes", subject_kind="contract", language="en")
    assert result["full_name"] is None
    assert said[0].startswith("That doesn't look like a name.")


def test_a_real_name_is_taken():
    result, said = validate("full_name", "Bruno Ganz", subject_kind="contract")
    assert result["full_name"] == "Bruno Ganz" and said == []


def test_only_the_option_at_the_address_question_changes_the_subject_and_keeps_the_answers():
    result, said = validate("provider_address", "doch lieber nur die option", intent="cancel", **ANSWERS)
    assert result["subject_kind"] == "option" and result["provider_address"] is None
    assert "provider" not in result and "full_name" not in result  # nothing else is lost
    assert said == ["Gut, dann kündigen wir nur eine Option, und der Vertrag läuft weiter. Ihre übrigen Angaben bleiben."]


def test_the_whole_contract_at_the_option_question_changes_back():
    result, said = validate("option_name", "ach nein, den ganzen Vertrag", intent="deny",
                            **{**ANSWERS, "subject_kind": "option"}, language="en")
    assert result["subject_kind"] == "contract" and result["option_name"] is None
    assert result["contract_type"] == "gym"
    assert said == ["Fine, then we'll cancel the whole contract. Your other answers stay."]


def test_change_field_and_go_back_honour_a_change_of_subject():
    for action, intent in ((ActionChangeField(), "change_field"), (ActionGoBack(), "wrong")):
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker("ach nein, nur die Option", intent,
                                                            requested_slot="street", **ANSWERS), {}))
        slots = {event["name"]: event["value"] for event in events}
        assert slots["subject_kind"] == "option", action
        assert "full_name" not in slots


def test_the_number_question_offers_none_only_when_a_customer_number_is_known():
    def asked(**slots):
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAskContractReference().run(dispatcher, tracker("weiß ich nicht", **slots), {}))
        return [message.get("text") or message.get("response") for message in dispatcher.messages]

    [question] = asked(customer_number="12345")
    assert question.endswith("Wenn Sie keine haben, schreiben Sie „keine“.")
    [question] = asked(customer_number="none", language="en")
    assert "Without a customer number" in question and "none" not in question


def test_resuming_is_confirmed_in_the_conversations_language():
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionResumeInterview().run(dispatcher, tracker("continue", full_name="Erika Muster",
                                                                language="en"), {}))
    assert [message.get("response") for message in dispatcher.messages] == ["utter_resumed"]


def test_a_single_word_name_is_asked_again_once_and_taken_when_repeated():
    result, said = validate("full_name", "Müller", subject_kind="contract")
    assert result["full_name"] is None
    assert said == ["Bitte schreiben Sie Vor- und Nachnamen, so wie sie im Vertrag stehen, zum Beispiel "
                    "Anna Müller. Haben Sie nur einen Namen, schreiben Sie ihn einfach noch einmal."]
    dispatcher = CollectingDispatcher()
    repeated = Tracker("c", {"requested_slot": "full_name"}, {"text": "Müller", "intent": {}},
                       [{"event": "user", "text": "Müller"}, {"event": "bot", "text": said[0]},
                        {"event": "user", "text": "Müller"}], False, None, {"name": "cancellation_form"},
                       "action_listen")
    result = ValidateCancellationForm().validate_full_name("Müller", dispatcher, repeated, {})
    assert result["full_name"] == "Müller" and dispatcher.messages == []


def test_a_known_option_named_in_a_sentence_is_stored_by_its_name():
    result, _ = validate("option_name", "the StreamOn thing", subject_kind="option", language="en")
    assert result["option_name"] == "StreamOn"
    result, _ = validate("option_name", "Sky Sport-Paket", subject_kind="option")
    assert result["option_name"] == "Sky Sport-Paket"


def test_without_a_customer_number_the_number_question_never_offers_dont_know_and_is_no_dead_end():
    unknown = {"subject_kind": "contract", "customer_number": "none", "language": "en"}
    result, said = validate("contract_reference", "asap", **unknown)
    assert result["contract_reference"] is None and "don't know" not in said[0]
    # Told once that a number is needed, "none" again is taken: the letter names the person instead.
    result, said = validate("contract_reference", "none", failed_answers=1, **unknown)
    assert result["contract_reference"] == "none" and said == []


def test_a_correction_of_another_answer_at_any_question_is_honoured():
    result, said = validate("contract_reference", "the postcode is wrong", subject_kind="contract",
                            postcode="10115", customer_number="none", language="en")
    assert result["postcode"] is None and result["contract_reference"] is None
    assert said == ["Sure, let's change: Postcode."]


def test_an_account_e_mail_at_the_number_question_identifies_the_account():
    # Hand-test: a Netflix account has no number, only the e-mail it runs under; the address was
    # refused ("a contract number contains digits", "too long"): a dead end.
    unknown = {"subject_kind": "contract", "customer_number": "none"}
    for text in ("lena.vogt@gmail.com", "mein Konto läuft über lena.vogt@gmail.com", "my account is Lena.Vogt@Gmail.com"):
        result, said = validate("contract_reference", text, **unknown)
        assert result["contract_reference"] == "none" and said == [], text
        assert result["email"].lower() == "lena.vogt@gmail.com"
    # An e-mail given before stays the one for the confirmation.
    result, _ = validate("contract_reference", "lena.vogt@gmail.com", email="lena@example.org", **unknown)
    assert result.get("email", "lena@example.org") == "lena@example.org"


def test_a_correction_with_its_new_value_takes_the_value_at_the_summary_at_a_question_and_by_intent():
    # Hand-test: "die PLZ stimmt nicht, es ist 50677" -> "Wie lautet Ihre Postleitzahl?".
    text = "die PLZ stimmt nicht, es ist 50677"
    result, said = validate("summary_confirmed", text, **ANSWERS, summary_confirmed=None)
    assert result["postcode"] == "50677" and result["summary_confirmed"] is None
    assert said == ["Gern, dann korrigieren wir das."]
    result, said = validate("end_date", "Der Anbieter ist falsch, es ist Vodafone", **ANSWERS)
    assert result["provider"] == "Vodafone" and result["provider_key"] == "vodafone" and result["end_date"] is None
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionChangeField().run(dispatcher, tracker(text, "change_field", requested_slot="summary_confirmed",
                                                                     **ANSWERS), {}))
    assert {event["name"]: event["value"] for event in events}["postcode"] == "50677"
    # An unusable value: the answer is asked again as before.
    result, said = validate("summary_confirmed", "die PLZ stimmt nicht, es ist 5067", **ANSWERS)
    assert result["postcode"] is None and said == ["Gern, dann korrigieren wir das."]


def test_the_number_question_names_the_numbers_a_contract_of_that_kind_has():
    # Hand-test: a gym and an insurance were asked for "Rufnummer oder Vertragsnummer".
    def asked(contract_type, **slots):
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAskContractReference().run(
            dispatcher, tracker("", contract_type=contract_type, **slots), {}))
        return " ".join(message.get("text") or "" for message in dispatcher.messages)

    for known in ({"customer_number": "12345"}, {"customer_number": "none"}):
        assert "Rufnummer oder Vertragsnummer" in asked("mobile", **known)
        assert "Mitglieds- oder Vertragsnummer" in asked("gym", **known) and "Rufnummer" not in asked("gym", **known)
        assert "Versicherungsschein- oder Vertragsnummer" in asked("insurance", **known) and "Rufnummer" not in asked("insurance", **known)
        assert "Wie lautet die Vertragsnummer" in asked("energy", **known)
    assert "keine" in asked("gym", customer_number="12345") and "keine" not in asked("gym", customer_number="none")
    assert "membership number or contract number" in asked("gym", customer_number="none", language="en")
    # Told that a number is needed: the gym's numbers and a gym-like example, no phone number.
    result, said = validate("contract_reference", "hab ich nicht", subject_kind="contract", contract_type="gym",
                            customer_number="none")
    assert "Mitglieds- oder Vertragsnummer" in said[0] and "0176" not in said[0]


@pytest.mark.parametrize("text", ["ach nein, doch den ganzen Vertrag",
                                  "Ich will den ganzen Vertrag kündigen, nicht nur die Option",
                                  "keine Option! den ganzen Vertrag"])
def test_the_whole_contract_at_the_summary_switches_the_subject_and_keeps_the_other_answers(text):
    # Hand-test item 1: the summary asked for an option name or stored the words as its name.
    option = {**ANSWERS, "subject_kind": "option", "option_name": "Sky-Paket", "street": "Hauptstr. 5"}
    for intent in ("deny", "change_field", None):
        result, said = validate("summary_confirmed", text, intent=intent, **option)
        assert result["subject_kind"] == "contract" and result["option_name"] is None
        assert result["summary_confirmed"] is None and result["contract_type"] == "gym"
        assert "street" not in result and "full_name" not in result
        assert said == ["Gut, dann kündigen wir den ganzen Vertrag. Ihre übrigen Angaben bleiben."]


def test_only_the_option_at_the_summary_switches_to_the_option_and_takes_its_name():
    result, said = validate("summary_confirmed", "ach nein, doch nur die Option Sky-Paket", intent="deny", **ANSWERS)
    assert result["subject_kind"] == "option" and result["summary_confirmed"] is None
    assert "full_name" not in result
    assert said == ["Gut, dann kündigen wir nur eine Option, und der Vertrag läuft weiter. Ihre übrigen Angaben bleiben."]
    # Without a name the form asks for it.
    result, _ = validate("summary_confirmed", "doch lieber nur die Option", intent="deny", **ANSWERS)
    assert result["subject_kind"] == "option" and result["option_name"] is None


def test_an_unknown_provider_named_in_the_first_message_is_not_asked_for():
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionTakeOverFacts().run(
        dispatcher, tracker("Ich will mein Zeitungsabo bei der Lokalzeitung Nordkurier kündigen", provider_key="o2"), {}))
    slots = {event["name"]: event["value"] for event in events}
    assert slots["provider"] == "Lokalzeitung Nordkurier" and slots["provider_key"] is None


def test_an_address_abroad_is_taken_with_its_country_and_its_own_postcode():
    result, said = validate("street", "Via Roma 3, 39100 Bozen, Italien", subject_kind="contract")
    assert {key: result[key] for key in ("street", "postcode", "city", "country")} == {
        "street": "Via Roma 3", "postcode": "39100", "city": "Bozen", "country": "Italien"
    }
    assert said == []
    result, said = validate("postcode", "1010", country="Österreich", subject_kind="contract")
    assert result["postcode"] == "1010" and said == []
    result, said = validate("city", "Wien, Österreich", subject_kind="contract")
    assert (result["city"], result["country"]) == ("Wien", "Österreich")
    result, said = validate("postcode", "1010", subject_kind="contract")  # in Germany: five digits
    assert result["postcode"] is None and "im Ausland" in said[0]


def test_back_after_a_one_line_address_goes_to_the_address_question_not_to_the_city():
    answers = {"subject_kind": "contract", "provider": "o2", "contract_type": "mobile", "full_name": "Eva Roth"}
    result, said = validate("street", "Am Markt 2, 04109 Leipzig", **answers)
    assert (result["street"], result["postcode"], result["city"]) == ("Am Markt 2", "04109", "Leipzig")
    dispatcher = CollectingDispatcher()
    back = tracker("zurück", "back", requested_slot="customer_number", **answers, **result)
    events = asyncio.run(ActionGoBack().run(dispatcher, back, {}))
    assert [message.get("text") for message in dispatcher.messages] == ["Gern, zurück zu: Straße und Hausnummer."]
    slots = {event["name"]: event["value"] for event in events}
    assert slots["street"] is None and slots["postcode"] is None and slots["city"] is None
    assert slots["answered_with"] == {}


def test_back_after_a_city_asked_on_its_own_goes_to_the_city():
    answers = {"subject_kind": "contract", "provider": "o2", "contract_type": "mobile", "full_name": "Eva Roth",
               "street": "Am Markt 2", "postcode": "04109", "answered_with": {}}
    result, _ = validate("city", "Leipzig", **answers)
    dispatcher = CollectingDispatcher()
    back = tracker("zurück", "back", requested_slot="customer_number", **{**answers, **result})
    events = asyncio.run(ActionGoBack().run(dispatcher, back, {}))
    assert [message.get("text") for message in dispatcher.messages] == ["Gern, zurück zu: Ort."]
    slots = {event["name"]: event["value"] for event in events}
    assert slots["city"] is None and "street" not in slots


def test_the_name_given_before_is_no_city_but_a_town_sharing_a_name_part_is():
    result, said = validate("city", "Eva Maria Roth", full_name="Eva Roth", subject_kind="contract")
    assert result["city"] is None
    assert said == ["Das ist Ihr Name. Bitte schreiben Sie hier den Namen Ihres Wohnorts, zum Beispiel Leipzig."]
    result, said = validate("city", "Roth", full_name="Eva Roth", subject_kind="contract")
    assert result["city"] == "Roth" and said == []


def test_a_changed_kind_of_contract_at_the_name_question_is_taken_and_the_name_asked_on():
    energy = {"subject_kind": "contract", "provider": "E.ON", "contract_type": "energy"}
    result, said = validate("full_name", "Moment, nein, doch nicht Strom, ich meine den Gasvertrag", "deny", **energy)
    assert result["contract_type"] == "gas" and result["full_name"] is None
    assert said == ["Gut, dann kündigen wir diesen Vertrag: Gasliefervertrag. Ihre übrigen Angaben bleiben."]
    result, said = validate("full_name", "ach doch, Strom", "stop", **{**energy, "contract_type": "gas"})
    assert result["contract_type"] == "energy" and result["full_name"] is None
    assert said == ["Gut, dann kündigen wir diesen Vertrag: Stromliefervertrag. Ihre übrigen Angaben bleiben."]


GYM = {"subject_kind": "contract", "provider": "McFit", "contract_type": "gym", "full_name": "Erika Muster"}


def test_a_coming_date_at_the_number_question_is_no_number_but_the_end_date(monkeypatch):
    monkeypatch.setattr("actions.form._today", lambda: __import__("datetime").date(2026, 12, 2))
    result, said = validate("contract_reference", "zum 31.01.2027", customer_number="none", **GYM)
    assert result["contract_reference"] is None and result["end_date"] == "2027-01-31"
    assert said == ["Das ist ein Datum, keine Nummer. Ich nehme es als Kündigungsdatum: zum 31.01.2027."]
    result, said = validate("customer_number", "01.05.2025", **GYM)
    assert result["customer_number"] is None and "end_date" not in result
    assert said == ["Das ist ein Datum, keine Nummer. Bitte schreiben Sie die Nummer so, wie sie auf Ihren "
                    "Unterlagen steht."]


def test_a_date_said_at_the_summary_changes_the_end_date(monkeypatch):
    monkeypatch.setattr("actions.form._today", lambda: __import__("datetime").date(2026, 12, 2))
    result, said = validate("summary_confirmed", "ich möchte zum 31.01.2027 kündigen", "cancel",
                            **GYM, end_date="asap")
    assert result == {"end_date": "2027-01-31", "summary_confirmed": None, "failed_answers": 0}
    assert said == ["Gern, dann kündigen wir zum 31.01.2027."]


def test_changing_the_end_date_names_it_in_plain_german():
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionChangeField().run(dispatcher, tracker("Kündigungsdatum ändern", "change_field",
                                                            requested_slot="summary_confirmed", **GYM), {}))
    assert [message.get("text") for message in dispatcher.messages] == ["Gern, dann ändern wir: Kündigungsdatum."]


NETFLIX = {"subject_kind": "contract", "provider": "Netflix", "provider_key": "netflix", "contract_type": "streaming",
           "full_name": "Erika Muster"}


def test_a_netflix_account_is_asked_for_its_e_mail_address_and_keine_is_an_answer():
    """Hand-test item 12: Netflix has no customer or contract number; "keine" was refused."""
    from actions.answers import interview_fields

    fields = interview_fields(NETFLIX)
    assert "customer_number" not in fields and "contract_reference" in fields
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskContractReference().run(dispatcher, tracker("Erika Muster", **NETFLIX), {}))
    assert dispatcher.messages[0]["text"].startswith("Unter welcher E-Mail-Adresse läuft Ihr Konto bei Netflix?")
    for none in ("keine", "hab ich nicht", "gibt es nicht", "nein"):
        result, said = validate("contract_reference", none, **NETFLIX)
        assert result["contract_reference"] == "none" and said == [], none
    result, said = validate("contract_reference", "erika@example.org", **NETFLIX)
    assert result["contract_reference"] == "none" and result["email"] == "erika@example.org"

"""The interview's validator: context decides what an answer means."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.form import ValidateCancellationForm

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

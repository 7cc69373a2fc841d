"""The provider question, in the interview and after reported hotline calls: an answer that is no
company name gets a German (or English) sentence saying what is expected, and the question again."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.followup import ValidateHotlineForm
from actions.form import ValidateCancellationForm


def ask(validator, slot: str, form: str, text: str, **slots):
    dispatcher = CollectingDispatcher()
    tracker = Tracker("c", {"requested_slot": slot, **slots}, {"text": text, "intent": {}}, [], False, None,
                      {"name": form}, "action_listen")
    result = getattr(validator, f"validate_{slot}")(text, dispatcher, tracker, {})
    return result, [message.get("text") for message in dispatcher.messages]


def interview(text: str, **slots):
    return ask(ValidateCancellationForm(), "provider", "cancellation_form", text, **slots)


def hotline(text: str, **slots):
    return ask(ValidateHotlineForm(), "hotline_provider", "hotline_form", text, **slots)


@pytest.mark.parametrize("answer, seen", [("Hauptstraße 1", "Anschrift"), ("31.12.2026", "Datum"),
                                          ("weiß nicht", "Kontoauszug"), ("12345", "Zahl")])
def test_a_non_name_is_refused_and_the_provider_asked_again(answer, seen):
    result, said = interview(answer)
    assert result["provider"] is None  # the form asks "Bei welchem Anbieter …" again
    assert len(said) == 1 and seen in said[0] and "„Stadtwerke Musterstadt“" in said[0]


def test_the_refusal_is_english_in_an_english_conversation():
    result, said = interview("max@example.com", language="en")
    assert result["provider"] is None
    assert said[0].startswith("That looks like an e-mail address.") and "provider's name" in said[0]


@pytest.mark.parametrize("answer, provider, key", [
    ("Stadtwerke Hintertupfingen", "Stadtwerke Hintertupfingen", None), ("Tele2", "Tele2", None),
    ("WEB.DE", "WEB.DE", None), ("1und1", "1&1", "1und1"), ("Sky", "Sky", "sky"), ("o2", "o2", "o2"),
])
def test_real_company_names_are_taken(answer, provider, key):
    result, said = interview(answer)
    assert said == [] and result["provider"] == provider
    assert (result["provider_key"] is None) == (key is None)


def test_the_hotline_provider_question_refuses_with_a_sentence():
    result, said = hotline("0176 12345678")
    assert result["hotline_provider"] is None
    assert said[0].startswith("Das sieht nach einer Telefonnummer aus.")


def test_the_hotline_provider_question_takes_an_unknown_company():
    result, said = hotline("Stadtwerke Hintertupfingen")
    assert said == [] and result["hotline_provider"] == "Stadtwerke Hintertupfingen"

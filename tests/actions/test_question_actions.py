"""Questions next to the cancellation: how to send it, for the provider named or the letter's."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.questions import ActionHowToSend


def answer(text: str, active_loop: str | None = None, **slots) -> list[dict]:
    tracker = Tracker("c", slots, {"text": text, "intent": {}}, [], False, None,
                      {"name": active_loop} if active_loop else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ActionHowToSend().run(dispatcher, tracker, {})) == []
    return dispatcher.messages


def test_how_to_send_names_registered_mail_and_offers_the_letter():
    messages = answer("reicht eine E-Mail oder muss es ein Brief sein?")
    assert "Einwurf-Einschreiben" in messages[0]["text"]
    assert "Textform" in messages[0]["text"]
    assert messages[1]["response"] == "utter_how_to_send_offer"


def test_how_to_send_for_a_named_provider_gives_its_fax_number():
    messages = answer("kann ich bei vodafone per fax kündigen?")
    assert "bei Vodafone" in messages[0]["text"] and "02102 986575" in messages[0]["text"]


def test_how_to_send_inside_the_interview_uses_the_letters_provider_and_offers_nothing_more():
    messages = answer("muss ich das per Einschreiben schicken?", active_loop="cancellation_form",
                      provider_key="o2", language="en")
    assert len(messages) == 1
    assert "o2" in messages[0]["text"] and "registered letter" in messages[0]["text"]

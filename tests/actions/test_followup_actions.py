"""Follow-up actions against a real attempt log: reminder after two weeks, hotline calls."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.followup as followup_actions
from actions import services
from actions.followup import ActionConfirmationMissing, ActionLogHotlineCalls, ActionOfferEvidence
from cancellation.log import AttemptLog
from cancellation.texts import render, say

SENDER = "conversation-1"


@pytest.fixture
def log(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'actions.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://bot.example")
    services.settings.cache_clear()
    services.attempt_log.cache_clear()
    yield services.attempt_log()
    services.attempt_log().dispose()
    services.settings.cache_clear()
    services.attempt_log.cache_clear()


def tracker(text: str, **slots) -> Tracker:
    return Tracker(SENDER, slots, {"text": text, "intent": {}}, [], False, None, {}, "action_listen")


def run(action, text: str, **slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(text, **slots), {}))
    return dispatcher.messages, events


def first_letter(log: AttemptLog):
    return log.evidence.create_letter_attempt(
        channel="rest", conversation_id=SENDER, provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None,
        personal_data={"full_name": "Erika Muster", "street": "Musterstraße 5", "postcode": "10115", "city": "Berlin"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    )


def test_no_confirmation_after_two_weeks_gives_a_reminder_and_escalation(log, monkeypatch):
    letter = first_letter(log)
    monkeypatch.setattr(followup_actions, "_today", lambda: letter.created_at.date() + dt.timedelta(days=15))

    messages, events = run(ActionConfirmationMissing(), "es kam keine Bestätigung")

    text = "\n".join(message.get("text") or "" for message in messages)
    assert "Erinnerungsschreiben" in text and "http://bot.example/letters/" in text
    assert "Schlichtungsstelle Telekommunikation" in text and "Verbraucherzentrale" in text
    reminder = [r for r in log.reads.attempts_for_conversation(SENDER) if r.kind == "reminder_letter"]
    assert len(reminder) == 1 and reminder[0].related_reference == letter.reference
    assert log.reads.get(letter.reference).status == "reminder_sent"
    assert [entry.payload["status"] for entry in log.reads.entries(letter.reference)[1:]] == ["no_confirmation", "reminder_sent"]

    # Asking again hands out the same reminder instead of writing another one.
    run(ActionConfirmationMissing(), "immer noch keine Bestätigung")
    assert len([r for r in log.reads.attempts_for_conversation(SENDER) if r.kind == "reminder_letter"]) == 1


def test_no_confirmation_within_two_weeks_says_until_when_to_wait(log, monkeypatch):
    letter = first_letter(log)
    monkeypatch.setattr(followup_actions, "_today", lambda: letter.created_at.date() + dt.timedelta(days=3))
    messages, _ = run(ActionConfirmationMissing(), "keine Antwort")
    assert "Bitte warten Sie bis zum" in messages[0]["text"]
    assert log.reads.get(letter.reference).status == "letter_created"


def test_other_conversations_letters_are_never_used(log):
    first_letter(log)
    dispatcher = CollectingDispatcher()
    other = Tracker("someone-else", {}, {"text": "Nachweis", "intent": {}}, [], False, None, {}, "action_listen")
    asyncio.run(ActionOfferEvidence().run(dispatcher, other, {}))
    assert dispatcher.messages[0]["response"] == "utter_followup_nothing_logged"


def test_hotline_calls_wait_for_the_provider_then_are_logged(log):
    _, events = run(ActionLogHotlineCalls(), "gestern dreimal angerufen")
    slots = {event["name"]: event["value"] for event in events}
    assert slots["hotline_provider_needed"] is True and slots["hotline_calls"]["count"] == 3
    assert log.reads.attempts_for_conversation(SENDER) == []

    messages, events = run(ActionLogHotlineCalls(), "o2", provider="o2", hotline_calls=slots["hotline_calls"])
    calls = log.reads.attempts_for_conversation(SENDER)
    assert len(calls) == 3 and all(call.kind == "hotline_call" for call in calls)
    assert "3 erfolglose Anrufe bei o2" in messages[0]["text"]
    assert {event["name"]: event["value"] for event in events}["hotline_provider_needed"] is False


def test_calls_reported_after_the_letter_are_logged_without_offering_another_letter(log):
    # hand-test item 9: "Ich habe heute zweimal vergeblich bei o2 angerufen" after the letter began a new one
    letter = first_letter(log)
    messages, events = run(ActionLogHotlineCalls(), "Ich habe heute zweimal vergeblich bei o2 angerufen", provider="o2")
    slots = {event["name"]: event["value"] for event in events}
    assert slots["hotline_letter_exists"] is True  # the rules do not start the letter interview
    text = "\n".join(message.get("text") or "" for message in messages)
    said = [message.get("response") for message in messages]
    assert "utter_hotline_empathy_letter_exists" in said and "utter_hotline_empathy" not in said
    assert "2 erfolglose Anrufe bei o2" in text
    calls = [r for r in log.reads.attempts_for_conversation(SENDER) if r.kind == "hotline_call"]
    assert len(calls) == 2 and letter.reference not in [call.reference for call in calls]


def test_calls_reported_before_any_letter_lead_to_the_letter(log):
    messages, events = run(ActionLogHotlineCalls(), "zweimal vergeblich angerufen", provider="o2")
    assert {event["name"]: event["value"] for event in events}["hotline_letter_exists"] is False
    assert messages[0]["response"] == "utter_hotline_empathy"  # "... das erstellen wir jetzt gemeinsam"


def test_no_confirmation_for_a_cancellation_made_elsewhere_gets_the_law_and_a_letter_offer(log):
    # hand-test item 10: "Ich habe vor 3 Wochen bei 1&1 gekündigt ..." got only "Jetzt kündigen"
    messages, events = run(ActionConfirmationMissing(), "Ich habe vor 3 Wochen bei 1&1 gekündigt und es kam keine Bestätigung")
    text = "\n".join(render(say(message["response"])) if message.get("response") else message.get("text") or ""
                     for message in messages)
    assert "§ 130 Abs. 1 BGB" in text  # receipt, not the confirmation, makes it effective
    assert "§ 312k BGB" in text  # confirmation duty after the cancellation button
    assert "Kündigungsvormerkung" in text  # a phone "registration" is no cancellation
    assert "Einwurf-Einschreiben" in text
    buttons = [button["payload"] for message in messages for button in message.get("buttons") or ()]
    assert "/cancel" in buttons
    slots = {event["name"]: event["value"] for event in events}
    assert slots["provider"] == "1&1"  # the letter is not asked for the provider again
    assert slots["earlier_cancellation"]["provider"] == "1&1" and slots["earlier_cancellation"]["on"]  # "vor 3 Wochen"
    assert log.reads.attempts_for_conversation(SENDER) == []

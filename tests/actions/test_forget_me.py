""""Forget me" tells the truth and reports its outcome for the tracker store."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.privacy import ActionForgetMe

SENDER = "rest:forget-1"


@pytest.fixture
def log(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'forget.db'}")
    services.settings.cache_clear()
    services.attempt_log.cache_clear()
    yield services.attempt_log()
    services.attempt_log().dispose()
    services.settings.cache_clear()
    services.attempt_log.cache_clear()


def forget(**slots):
    tracker = Tracker(SENDER, slots, {"text": "ja", "intent": {}}, [], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionForgetMe().run(dispatcher, tracker, {}))
    return " ".join(message["text"] for message in dispatcher.messages), events


def outcome(events) -> str | None:
    return next((e["value"] for e in events if e.get("name") == "forget_outcome"), None)


def letter(log, conversation=SENDER):
    return log.evidence.create_letter_attempt(
        channel="rest", conversation_id=conversation, provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Erika"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    )


def test_done_only_when_letters_were_deleted(log):
    record = letter(log)
    text, events = forget(full_name="Erika")
    assert text.startswith("Erledigt") and "Vorgang samt Schreiben gelöscht" in text
    assert outcome(events) == "deleted" and Restarted() in events
    assert log.reads.get(record.reference).forgotten


def test_answers_without_letters_are_deleted_and_said_so(log):
    text, events = forget(full_name="Erika", street="Heidestraße 17")
    assert text.startswith("Erledigt") and "keine gespeichert" in text
    assert outcome(events) == "deleted"


def test_nothing_stored_is_not_called_done(log):
    letter(log, conversation="rest:someone-else")
    text, events = forget()
    assert "Erledigt" not in text and "nichts gespeichert" in text
    assert outcome(events) == "deleted"  # the (empty) conversation itself goes


def test_english_users_hear_it_in_english(log):
    letter(log)
    text, _ = forget(language="en")
    assert text.startswith("Done:")


def test_a_failure_deletes_nothing_and_says_so(log, monkeypatch):
    record = letter(log)

    def broken(conversation_id):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.attempt_log().deletion, "forget_conversation", broken)
    text, events = forget(full_name="Erika")

    assert "nicht geklappt" in text and "nichts gelöscht" in text and "Erledigt" not in text
    assert outcome(events) == "failed"
    assert Restarted() not in events and SlotSet("full_name", None) not in events
    assert not log.reads.get(record.reference).forgotten


def test_delete_inside_the_interview_asks_without_promising_to_keep_and_no_says_how_to_go_on():
    from actions.navigation import ActionPauseInterview
    from actions.privacy import ActionAskDelete, ActionKeepData
    from cancellation.texts import catalogue

    def run(action, text, intent, **slots):
        tracker = Tracker(SENDER, slots, {"text": text, "intent": {"name": intent}}, [], False, None, {},
                          "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(action.run(dispatcher, tracker, {}))
        return [message["response"] for message in dispatcher.messages]

    def german(names):
        return " ".join(catalogue().text(name) for name in names)

    said = german(run(ActionPauseInterview(), "löschen Sie meine Daten", "delete_data")
                  + run(ActionAskDelete(), "löschen Sie meine Daten", "delete_data"))
    assert "bleiben gespeichert" not in said and said.startswith("Soll ich wirklich alle Ihre Daten löschen")
    assert "bleiben gespeichert" in german(run(ActionPauseInterview(), "Pause", "pause"))
    kept = german(run(ActionKeepData(), "nein", "deny", interview_paused=True))
    assert kept.startswith("In Ordnung, ich habe nichts gelöscht.") and "„weiter“" in kept
    assert german(run(ActionKeepData(), "nein", "deny")) == "In Ordnung, ich habe nichts gelöscht."

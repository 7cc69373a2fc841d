"""A letter is only written from complete answers: reached without them (a forged or unexpected
dialogue path), action_create_letter says what is missing and asks for it instead of writing a
letter with empty fields or failing with "technisches Problem"."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.letter import ActionCreateLetter
from tests.support.answers import COMPLETE_ANSWERS as COMPLETE

SENDER = "rest:letter-guard"


@pytest.fixture
def log(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'guard.db'}")
    monkeypatch.delenv("REDIS_URL", raising=False)
    for cached in (services.settings, services.attempt_log, services.rate_limits, services.rate_limiter):
        cached.cache_clear()
    yield services.attempt_log()
    services.attempt_log().dispose()
    for cached in (services.settings, services.attempt_log, services.rate_limits, services.rate_limiter):
        cached.cache_clear()


def create_letter(**slots):
    tracker = Tracker(SENDER, slots, {"text": "ja", "intent": {}}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCreateLetter().run(dispatcher, tracker, {}))
    return " ".join(message.get("text") or "" for message in dispatcher.messages), events


def test_without_any_answers_no_letter_but_the_missing_ones_are_named_and_asked(log):
    text, events = create_letter(summary_confirmed="yes")

    assert "fehlen noch" in text
    for label in ("Anbieter", "Name", "Straße und Hausnummer", "Postleitzahl", "Ort"):
        assert label in text
    assert "technisches Problem" not in text
    assert log.reads.attempts_for_conversation(SENDER) == []
    # The interview asks the missing questions, then the summary again.
    assert SlotSet("summary_confirmed", None) in events
    assert events[-1] == FollowupAction("cancellation_form")


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_one_empty_answer_is_named_alone_in_the_users_language(log, empty):
    text, events = create_letter(**dict(COMPLETE, full_name=empty, language="en"))

    assert "still missing" in text and "Name" in text
    assert "Provider" not in text and "Street" not in text
    assert log.reads.attempts_for_conversation(SENDER) == []
    # Cleared, so that the form asks for it again instead of taking the blank as an answer.
    assert SlotSet("full_name", None) in events and SlotSet("summary_confirmed", None) in events
    assert SlotSet("street", None) not in events
    assert events[-1] == FollowupAction("cancellation_form")


def test_without_a_confirmed_summary_nothing_is_missing_and_nothing_written(log):
    # The user left the interview ("doch nicht kündigen"): no letter and no question.
    text, events = create_letter(**dict(COMPLETE, full_name=None, summary_confirmed=None))

    assert text == "" and events == []
    assert log.reads.attempts_for_conversation(SENDER) == []


def test_complete_answers_still_make_the_letter(log):
    text, events = create_letter(**COMPLETE)

    [record] = log.reads.attempts_for_conversation(SENDER)
    assert record.reference in text
    assert "fehlen noch" not in text
    assert SlotSet("last_reference", record.reference) in events

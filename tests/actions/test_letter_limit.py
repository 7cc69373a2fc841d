"""Letters per day: checked where the letter is made, per conversation and per client address."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.letter import ActionCreateLetter, client_of, letter_allowed
from tests.support.answers import COMPLETE_ANSWERS


@pytest.fixture
def letters_per_day(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_LETTERS_PER_DAY", "2")
    monkeypatch.delenv("REDIS_URL", raising=False)
    services.rate_limits.cache_clear()
    services.rate_limiter.cache_clear()
    yield
    services.rate_limits.cache_clear()
    services.rate_limiter.cache_clear()


def tracker(sender: str, client: str | None = None, language: str | None = None) -> Tracker:
    metadata = {"client": client} if client else {}
    events = [{"event": "user", "text": "ja", "metadata": metadata}]
    return Tracker(sender, dict(COMPLETE_ANSWERS, language=language), {"text": "ja", "intent": {}}, events, False,
                   None, {}, "action_listen")


def test_a_conversation_gets_its_letters_a_day_then_a_polite_no(letters_per_day) -> None:
    results = [asyncio.run(letter_allowed(tracker("rest:many-letters"))) for _ in range(3)]
    assert results == [True, True, False]

    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCreateLetter().run(dispatcher, tracker("rest:many-letters"), {}))
    [message] = dispatcher.messages
    assert "kein weiteres erstellen" in message["text"]
    assert events == [SlotSet("summary_confirmed", None)]


def test_many_conversations_from_one_address_share_its_letters(letters_per_day) -> None:
    results = [
        asyncio.run(letter_allowed(tracker(f"web:{n}", client="c0ffee"))) for n in range(3)
    ]
    assert results == [True, True, False]
    # Without the channel's client stand-in only the conversation counts.
    assert asyncio.run(letter_allowed(tracker("web:other")))


def test_the_client_comes_only_from_the_latest_user_message() -> None:
    assert client_of(tracker("rest:a", client="abc")) == "abc"
    assert client_of(tracker("rest:a")) is None

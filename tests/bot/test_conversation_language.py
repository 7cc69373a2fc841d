"""The conversation's language follows the user's messages (the conversation_language patch)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, List

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.context_intents import SWITCH_INTENT
from tests.support.message_handling import FakeProcessor, converse, handle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


def test_an_english_message_switches_and_short_answers_do_not(domain) -> None:
    languages, _ = converse(
        domain,
        ["/greet", "I want to cancel my mobile contract", "Vodafone", "ok", "Erika Mustermann", "ja"],
    )
    assert languages == [None, "en", "en", "en", "en", "en"]


def test_explicit_requests_switch_and_become_the_switch_intent(domain) -> None:
    languages, intents = converse(domain, ["Ich will kündigen", "English please", "o2", "auf Deutsch bitte"])
    assert languages == ["de", "en", "en", "de"]
    assert intents == ["inform", SWITCH_INTENT, "inform", SWITCH_INTENT]


def test_the_channel_hint_is_only_a_first_hint(domain) -> None:
    languages, _ = converse(domain, ["/start", "o2", "Ich möchte meinen Vertrag kündigen"], {"language_hint": "en"})
    assert languages == ["en", "en", "de"]
    languages, _ = converse(domain, ["/greet", "hello, I would like to cancel my gym"], {"language": "de-DE"})
    assert languages == ["de", "en"]


def test_a_tapped_button_payload_is_no_language_sign(domain) -> None:
    # Button payloads are German sentences in both languages.
    languages, _ = converse(domain, ["I would like to cancel something", "Ich möchte einen Vertrag kündigen"])
    assert languages == ["en", "en"]


def test_the_patch_is_registered_on_the_method_that_logs_user_messages() -> None:
    names = [patch.name for patch in rasa_patches.PATCHES]
    assert "conversation_language" in names
    assert "conversation_language" in rasa_patches.install()
    assert getattr(MessageProcessor._handle_message_with_tracker, rasa_patches.MARK) == "conversation_language"


class ListeningChannel:
    """An output channel that follows the conversation's language (web chat, Telegram)."""

    def __init__(self) -> None:
        self.heard: List[tuple] = []

    async def follow_language(self, recipient_id: str, language: Any, changed: bool) -> None:
        self.heard.append((recipient_id, language.value, changed))


def test_the_channel_hears_the_conversation_language_every_turn_before_any_reply(domain) -> None:
    tracker = DialogueStateTracker("web:abc", domain.slots)
    processor = FakeProcessor(domain)
    channel = ListeningChannel()
    for text in ["/greet", "English please", "Vodafone", "auf Deutsch bitte"]:
        message = UserMessage(text, output_channel=channel, sender_id="web:abc", metadata={"language": "de"})
        asyncio.run(handle(processor, message, tracker))
    assert channel.heard == [
        ("web:abc", "de", True),
        ("web:abc", "en", True),
        ("web:abc", "en", False),
        ("web:abc", "de", True),
    ]


def test_a_channel_without_a_listener_or_a_failing_one_loses_no_message(domain) -> None:
    class Failing:
        async def follow_language(self, *args: Any) -> None:
            raise RuntimeError("socket gone")

    tracker = DialogueStateTracker("web:abc", domain.slots)
    asyncio.run(handle(FakeProcessor(domain), UserMessage("English please", output_channel=Failing()), tracker))
    assert tracker.get_slot("language") == "en" and tracker.latest_message.text == "English please"

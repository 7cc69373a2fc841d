"""Rasa's message handling as the registry patches it, without a trained model.

`FakeProcessor` has what the patched methods use of a `MessageProcessor`: its domain and a
classifier that reads every message as one fixed intent. Its `parse_message` carries the
context_intents patch (bot/context_intents.py) and `handle` is `_handle_message_with_tracker`
with the conversation_language patch (bot/conversation_language.py), as in a running server.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.context_intents import context_parser
from bot.conversation_language import language_following_handler


class FakeProcessor:
    def __init__(self, domain: Domain, nlu_intent: str = "inform") -> None:
        self.domain = domain
        self.nlu_intent = nlu_intent

    async def _classify(
        self, message: UserMessage, tracker: Any = None, only_output_properties: bool = True
    ) -> Dict[str, Any]:
        return {"text": message.text, "intent": {"name": self.nlu_intent, "confidence": 0.6}, "entities": []}

    parse_message = context_parser(_classify)


async def _stock(self: FakeProcessor, message: UserMessage, tracker: DialogueStateTracker) -> None:
    parse_data = message.parse_data or await self.parse_message(message, tracker)
    tracker.update(UserUttered(message.text, parse_data["intent"], [], parse_data), self.domain)


handle = language_following_handler(_stock)


def converse(domain: Domain, messages: List[str], metadata: Optional[dict] = None, nlu_intent: str = "inform"):
    """The language slot after each message, and the intents the tracker logged."""
    tracker = DialogueStateTracker("user", domain.slots)
    processor = FakeProcessor(domain, nlu_intent)
    languages, intents = [], []
    for text in messages:
        asyncio.run(handle(processor, UserMessage(text, metadata=metadata), tracker))
        languages.append(tracker.get_slot("language"))
        intents.append(tracker.latest_message.intent["name"])
    return languages, intents

"""The language of a Telegram conversation, for what the channel sends on its own.

Inside a turn Rasa tells the channel the conversation's language (`follow_language`,
bot/conversation_language.py). Everything else the channel sends (answers given before Rasa is
asked: too long, rate limited, not text; replies resumed after a crash; replies that arrive after
the turn ended, and messages Rasa sends through `get_output_channel()`, e.g. for
/conversations/<id>/trigger_intent) follows the same source of truth: the conversation's
`language` slot in the tracker store. Telegram's app language (`language_code`, the update's
language hint) counts only when the conversation has no language yet: a user whose app says
"de" but who switched the conversation to English reads English, and the other way round.

If the tracker store cannot be read (no Rasa agent in this process, the database down), the
language Rasa last reported to this channel (kept in the channel state) stands in for the slot.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from bot.channels.telegram.ledger import AsyncLedger
from cancellation.language import hint_of
from cancellation.texts import LANGUAGE_SLOT
from cancellation.vocabulary import DEFAULT_LANGUAGE, Language

logger = logging.getLogger(__name__)

# () -> Rasa's tracker store (anything with `async retrieve(sender_id)`), or None without one.
TrackerStoreLookup = Callable[[], Any]


def language_key(sender_id: str) -> str:
    """Channel-state key of a conversation's language (what Rasa last reported for it)."""
    return f"language:{sender_id}"


class _Unreadable(Exception):
    """The tracker store could not tell (none in this process, or it failed)."""


class ConversationLanguages:
    def __init__(self, ledger: AsyncLedger, tracker_store: TrackerStoreLookup = lambda: None) -> None:
        self._ledger = ledger
        self._tracker_store = tracker_store

    async def of(self, sender_id: str, hint: Any = None) -> Language:
        """The conversation's language; else `hint` (Telegram's app language, "en"/"de") or the
        hint of the conversation's latest message; else German."""
        try:
            slot, stored_hint = await self._from_tracker(sender_id)
        except _Unreadable:
            slot, stored_hint = await self._reported(sender_id), None
        found = slot or Language.parse(hint) or stored_hint
        return found or DEFAULT_LANGUAGE  # type: ignore[return-value]

    async def _from_tracker(self, sender_id: str) -> tuple[Optional[Language], Optional[Language]]:
        store = self._tracker_store()
        if store is None:
            raise _Unreadable()
        try:
            tracker = await store.retrieve(sender_id)
        except Exception:
            logger.exception("Telegram: could not read the conversation's language")
            raise _Unreadable() from None
        if tracker is None:
            return None, None
        latest = getattr(tracker, "latest_message", None)
        return Language.parse(tracker.get_slot(LANGUAGE_SLOT)), hint_of(getattr(latest, "metadata", None))

    async def _reported(self, sender_id: str) -> Optional[Language]:
        try:
            return Language.parse(await self._ledger.get_state(language_key(sender_id)))  # type: ignore[return-value]
        except Exception:
            logger.exception("Telegram: could not read the conversation's language")
            return None

    async def remember(self, sender_id: str, language: Language) -> None:
        """Keep what Rasa reported this turn, for when the tracker store cannot be read."""
        try:
            await self._ledger.set_state(language_key(sender_id), language.value)
        except Exception:
            logger.exception("Telegram: could not keep the conversation's language")

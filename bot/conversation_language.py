"""The conversation's language follows the user: applied to every user message before Rasa predicts.

Installed as the `conversation_language` patch (bot/rasa_patches.py) on
`MessageProcessor._handle_message_with_tracker`, the step that logs a user message on the tracker.
What a message means in its context (an explicit language request is the intent
`switch_language`, a typed button title is the button, ...) is decided before, while it is
parsed: bot/context_intents.py.

- Right after the user message, the `language` slot is set when `next_language` says the message
  (or, for a conversation without a language yet, the channel's hint: Telegram's
  `language_code`, the web page's language) changes it. A tapped button's payload (German in
  both languages) decides nothing. Every reply of this turn (responses
  uttered by rules and forms, texts rendered by the action server) is then in the new language.

- The message's output channel hears the conversation's language every turn, before any reply
  (`follow_language(recipient_id, language, changed)`, if the channel has it): the channel's own
  texts follow the conversation, not the hint it started with. The web chat tells the page, which
  switches the widget's texts (placeholder, title, button names); Telegram keeps it for its own
  sentences (letter captions, errors before Rasa is reached).

Why here and not in a rule or action: a language change can come with any message (an English
answer inside a form, a first message) and must be in effect before the first reply of the
same turn; a rule for every intent and form state could not do that. The slot does not
influence predictions (bot/domain/language.yml), so the extra event changes no rule or story.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.shared.core.events import SlotSet

from bot.context_intents import button_payloads
from cancellation.language import next_language
from cancellation.texts import LANGUAGE_SLOT, language_of
from cancellation.vocabulary import Language

logger = logging.getLogger(__name__)

# The output channel's method that hears the conversation's language (see the module docstring).
LANGUAGE_LISTENER = "follow_language"


def language_after(current: Any, text: Any, metadata: Any) -> Optional[Language]:
    """The new language after a user message, or None (see cancellation.language.next_language)."""
    if isinstance(text, str) and text.strip() in button_payloads():
        text = None
    return next_language(current, text, metadata)


def language_following_handler(
    original: Callable[..., Awaitable[None]]
) -> Callable[..., Awaitable[None]]:
    """MessageProcessor._handle_message_with_tracker that also sets the `language` slot."""

    @functools.wraps(original)
    async def _handle_message_with_tracker(self: Any, message: Any, tracker: Any) -> None:
        await original(self, message, tracker)
        try:
            language = language_after(tracker.get_slot(LANGUAGE_SLOT), message.text, message.metadata)
        except Exception:  # never lose a message over its language
            logger.exception("Detecting the language of a message failed")
            return
        if language is not None:
            tracker.update(SlotSet(LANGUAGE_SLOT, language.value), self.domain)
        await tell_channel(message, language_of(tracker.get_slot(LANGUAGE_SLOT)), language is not None)

    return _handle_message_with_tracker


async def tell_channel(message: Any, language: Language, changed: bool) -> None:
    """Let the message's output channel follow the conversation's language; never fails the turn."""
    listener = getattr(getattr(message, "output_channel", None), LANGUAGE_LISTENER, None)
    if not callable(listener):
        return
    try:
        await listener(message.sender_id, language, changed)
    except Exception:
        logger.exception("Telling the channel the conversation's language failed")

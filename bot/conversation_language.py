"""The conversation's language follows the user: applied to every user message before Rasa predicts.

Installed as the `conversation_language` patch (bot/rasa_patches.py) on
`MessageProcessor._handle_message_with_tracker`, the step that logs a user message on the tracker:

- An explicit request ("English please", "auf Deutsch bitte", cancellation/language.py) is
  classified as the intent `switch_language` whatever the NLU model thinks, so the rules in
  data/rules_language.yml acknowledge it and re-ask the open question instead of taking the
  words as an answer.
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

- Context decides meaning: inside any form (the letter interview, the special-termination,
  deadline, hotline and confirmation questions) a message that says the user does not want to
  cancel after all ("doch nicht kündigen", "I changed my mind"; cancellation/change_of_mind.py) is
  the intent `stop`, whatever the classifier read into its words ("kündigen" looks like a
  cancellation request), so each form's stop rule ends it and the answers are kept. Outside a form
  the classifier's intent stands.

- Inside the letter interview an unmistakable answer to the open question is the intent `inform`
  ("zum naechstmoeglichen zeitpunkt" without umlauts looked like a question about sending), and
  a lone "?" is `ask_why` (the open question is explained, then asked again)
  (cancellation/open_question.py).

- A button's title typed instead of tapped ("Ja, alles löschen") is the button: the message
  becomes the button's payload, exactly as if it had been tapped.

Why here and not in a rule or action: a language change can come with any message (an English
answer inside a form, a first message) and must be in effect before the first reply of the
same turn; a rule for every intent and form state could not do that. The slot does not
influence predictions (bot/domain/language.yml), so the extra event changes no rule or story.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Awaitable, Callable, FrozenSet, Optional

from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from cancellation.change_of_mind import change_of_mind
from cancellation.language import explicit_request, next_language
from cancellation.open_question import answers_open_question, only_question_marks
from cancellation.replies import fold
from cancellation.texts import LANGUAGE_SLOT, catalogue, language_of
from cancellation.vocabulary import ChangeOfMind, Language

logger = logging.getLogger(__name__)

SWITCH_INTENT = "switch_language"
STOP_INTENT = "stop"
ANSWER_INTENT = "inform"
WHY_INTENT = "ask_why"
INTERVIEW = "cancellation_form"
# The output channel's method that hears the conversation's language (see the module docstring).
LANGUAGE_LISTENER = "follow_language"


@functools.lru_cache(maxsize=1)
def button_payloads() -> FrozenSet[str]:
    """What a tapped button sends. Payloads are German in both languages ("Ich möchte einen
    Vertrag kündigen"): tapping a button is no sign of the language a user reads."""
    texts = catalogue()
    return frozenset(
        button["payload"].strip()
        for name in texts.names
        for language in texts.languages(name)
        for button in texts.buttons(name, language)
    )


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
        payload = None if message.parse_data else typed_button(message.text, tracker)
        if payload is not None:
            message.text = payload
        intent = None if message.parse_data else intent_in_context(message.text, tracker)
        if intent is not None:
            parse_data = await self.parse_message(message, tracker)
            parse_data["intent"] = {"name": intent, "confidence": 1.0}
            message.parse_data = parse_data
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


def intent_in_context(text: Any, tracker: Any) -> Optional[str]:
    """The intent a message has in this conversation whatever its words suggest, or None."""
    if explicit_request(text) is not None:
        return SWITCH_INTENT
    if isinstance(text, str) and tracker.active_loop_name:
        turn = change_of_mind(
            text, subject_kind=tracker.get_slot("subject_kind"), asked=tracker.get_slot("requested_slot")
        )
        if turn is ChangeOfMind.NO_CANCELLATION:
            return STOP_INTENT
        if turn is not None and tracker.active_loop_name == INTERVIEW:
            # Option <-> whole contract: the interview's validator switches the subject; a
            # classifier's `stop` or `deny` would halt the form or ask what to change instead.
            return ANSWER_INTENT
    if isinstance(text, str) and tracker.active_loop_name == INTERVIEW:
        if only_question_marks(text):
            return WHY_INTENT
        if answers_open_question(text, tracker.get_slot("requested_slot")):
            return ANSWER_INTENT
    return None


def _title_key(text: str) -> str:
    return " ".join(fold(text).replace("„", " ").replace("“", " ").strip(" .!\"'").split())


def typed_button(text: Any, tracker: Any) -> Optional[str]:
    """The payload of the button whose title the user typed (buttons of the bot's last turn)."""
    if not isinstance(text, str) or not text.strip():
        return None
    typed = _title_key(text)
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, BotUttered):
            for button in (event.data or {}).get("buttons") or []:
                title, payload = button.get("title"), button.get("payload")
                if isinstance(title, str) and isinstance(payload, str) and _title_key(title) == typed:
                    return payload
    return None


async def tell_channel(message: Any, language: Language, changed: bool) -> None:
    """Let the message's output channel follow the conversation's language; never fails the turn."""
    listener = getattr(getattr(message, "output_channel", None), LANGUAGE_LISTENER, None)
    if not callable(listener):
        return
    try:
        await listener(message.sender_id, language, changed)
    except Exception:
        logger.exception("Telling the channel the conversation's language failed")

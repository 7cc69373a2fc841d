"""Context decides what a message means where its words cannot: applied before Rasa predicts.

Installed as the `context_intents` patch (bot/rasa_patches.py) on `MessageProcessor.parse_message`.
Rasa calls that method with the conversation's tracker only from `_handle_message_with_tracker`,
the step that logs a user message (the HTTP parse endpoint, `rasa shell nlu` and `rasa test` pass
no tracker and get the classifier's reading unchanged). Each rule below looks at the message and
the conversation and either decides or leaves the classifier's intent standing; the first rule
that decides wins, in this order:

1. A typed button (`typed_button`): a button's title typed instead of tapped ("Ja, alles
   löschen") is that button. The message becomes the button's payload, exactly as if it had been
   tapped, so the rules see what they see for a tap. Only the buttons of the bot's latest turn
   count: an old button's title is just words now.
2. An explicit language request (`intent_in_context`; cancellation/language.py): "English
   please", "auf Deutsch bitte" is `switch_language` whatever the classifier thinks, so the
   rules in data/rules_language.yml acknowledge it and re-ask the open question instead of
   taking the words as an answer. The `language` slot itself is set by the
   conversation_language patch (bot/conversation_language.py).
3. Not cancelling after all, inside any form (the letter interview, the special-termination,
   deadline, hotline and confirmation questions; cancellation/change_of_mind.py): "doch nicht
   kündigen", "I changed my mind" is `stop`, whatever the classifier read into its words
   ("kündigen" looks like a cancellation request), so each form's stop rule ends it and the
   answers are kept. Outside a form the classifier's intent stands.
4. A change between option and whole contract inside the letter interview ("ach nein, doch
   den ganzen Vertrag") is `inform`: the interview's validator switches the subject, where a
   classifier's `stop` or `deny` would halt the form or ask what to change instead.
5. Inside the letter interview, a lone "?" is `ask_why` (the open question is explained, then
   asked again), and an unmistakable answer to the open question is `inform`
   ("zum naechstmoeglichen zeitpunkt" without umlauts looked like a question about sending;
   cancellation/open_question.py).

Why before the policies and not in a rule: these meanings depend on the form and the question
that are open, which the classifier does not see; a rule for every intent and form state could
not express them, and the policies must see the corrected intent in the same turn.
"""

from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable, Dict, FrozenSet, Optional

from rasa.shared.core.events import BotUttered, UserUttered

from cancellation.change_of_mind import change_of_mind
from cancellation.language import explicit_request
from cancellation.open_question import answers_open_question, only_question_marks
from cancellation.replies import fold
from cancellation.texts import catalogue
from cancellation.vocabulary import ChangeOfMind

SWITCH_INTENT = "switch_language"
STOP_INTENT = "stop"
ANSWER_INTENT = "inform"
WHY_INTENT = "ask_why"
INTERVIEW = "cancellation_form"


@functools.lru_cache(maxsize=1)
def button_payloads() -> FrozenSet[str]:
    """What a tapped button sends. Payloads are German in both languages ("Ich möchte einen
    Vertrag kündigen"): tapping a button is no sign of the language a user reads (used by
    bot/conversation_language.py)."""
    texts = catalogue()
    return frozenset(
        button["payload"].strip()
        for name in texts.names
        for language in texts.languages(name)
        for button in texts.buttons(name, language)
    )


def intent_in_context(text: Any, tracker: Any) -> Optional[str]:
    """The intent a message has in this conversation whatever its words suggest, or None
    (rules 2 to 5 of the module docstring)."""
    if explicit_request(text) is not None:
        return SWITCH_INTENT
    if isinstance(text, str) and tracker.active_loop_name:
        turn = change_of_mind(
            text,
            subject_kind=tracker.get_slot("subject_kind"),
            asked=tracker.get_slot("requested_slot"),
            contract_type=tracker.get_slot("contract_type"),
        )
        if turn is ChangeOfMind.NO_CANCELLATION:
            return STOP_INTENT
        if turn is not None and tracker.active_loop_name == INTERVIEW:
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
    """The payload of the button whose title the user typed (buttons of the bot's last turn;
    rule 1 of the module docstring)."""
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


def context_parser(original: Callable[..., Awaitable[Dict[str, Any]]]) -> Callable[..., Awaitable[Dict[str, Any]]]:
    """MessageProcessor.parse_message that lets the conversation decide a message's intent."""

    @functools.wraps(original)
    async def parse_message(
        self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True
    ) -> Dict[str, Any]:
        if tracker is None:
            return await original(self, message, tracker, only_output_properties)
        payload = typed_button(message.text, tracker)
        if payload is not None:
            # The caller logs `message.text` as the user's words: the tap they meant.
            message.text = payload
        intent = intent_in_context(message.text, tracker)
        parse_data = await original(self, message, tracker, only_output_properties)
        if intent is not None:
            parse_data["intent"] = {"name": intent, "confidence": 1.0}
        return parse_data

    return parse_message

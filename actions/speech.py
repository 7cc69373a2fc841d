"""Saying catalogue messages to a user in the conversation's language (the `language` slot)."""

from __future__ import annotations

import abc
import datetime as dt
from typing import Any, Dict, Iterable, List, Mapping, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from cancellation import clock

from cancellation.interview import field_label
from cancellation.texts import LANGUAGE_SLOT, Renderable, catalogue, language_of, render, say
from cancellation.vocabulary import Language


def language(tracker: Tracker) -> Language:
    return language_of(tracker.get_slot(LANGUAGE_SLOT))


def tell(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    what: Renderable,
    buttons: Optional[List[Dict[str, str]]] = None,
) -> None:
    """Render `what` (messages, plain text or a list of both) in the user's language and send it."""
    dispatcher.utter_message(text=render(what, language(tracker)), buttons=buttons or [])


def buttons_of(key: str, tracker: Tracker) -> List[Dict[str, str]]:
    """The buttons of response `key` with titles in the user's language."""
    return catalogue().buttons(key, language(tracker))


def field_names(tracker: Tracker, fields: Iterable[str]) -> str:
    """"Postleitzahl, Ort": the interview fields' names in the user's language."""
    return ", ".join(render(field_label(name), language(tracker)) for name in fields)


class AskWithExamples(Action, metaclass=abc.ABCMeta):
    """A form question (`utter_ask_<slot>`) whose example dates come from today: a fixed example
    goes stale (cancellation/examples.py). Rasa's form calls `action_ask_<slot>` instead of the
    response; abstract, so the action server registers only the concrete questions."""

    response: Text = ""

    def name(self) -> Text:
        return "action_ask_" + self.response[len("utter_ask_"):]

    @abc.abstractmethod
    def examples(self, today: dt.date) -> Mapping[str, Any]:
        """The response's example parameters."""

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        message = say(self.response, **self.examples(clock.today()))
        tell(dispatcher, tracker, message, buttons_of(self.response, tracker))
        return []

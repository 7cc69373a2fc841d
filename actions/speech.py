"""Saying catalogue messages to a user in the conversation's language (the `language` slot)."""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cancellation.interview import field_label
from cancellation.texts import LANGUAGE_SLOT, Renderable, catalogue, language_of, render
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

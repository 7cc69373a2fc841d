"""Show all answers before the letter is made."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from cancellation.summary import markdown_escape, provider_address_is_own, summary_text

from actions.answers import answers_of, channel_of, provider_of
from actions.speech import buttons_of, language


class ActionAskSummaryConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_summary_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answers = answers_of(tracker)
        # The web widget renders Markdown: what the user typed must stay plain text there.
        escape = markdown_escape if channel_of(tracker) == "web" else str
        provider = provider_of(answers)
        text = summary_text(answers, provider, escape=escape, language=language(tracker))
        # The own-address question replaces the usual one (cancellation.summary.summary_text).
        question = "utter_provider_address_is_own" if provider_address_is_own(answers, provider) else "utter_summary_question"
        dispatcher.utter_message(text=text, buttons=buttons_of(question, tracker))
        return []

"""Show all answers before the letter is made."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from cancellation.summary import markdown_escape, summary_text

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
        text = summary_text(answers, provider_of(answers), escape=escape, language=language(tracker))
        dispatcher.utter_message(text=text, buttons=buttons_of("utter_summary_question", tracker))
        return []

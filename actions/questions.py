"""Questions next to the cancellation itself: how to send it (the answer comes from cancellation.followup)."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action
from rasa_sdk.events import EventType

from cancellation import followup

from actions import services
from actions.speech import tell


class ActionHowToSend(Action):
    """ "reicht eine E-Mail?", "muss ich das per Einschreiben schicken?" """

    def name(self) -> Text:
        return "action_how_to_send"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        directory = services.directory()
        # The provider named in this question wins over the one of the letter being written.
        match = directory.match(tracker.latest_message.get("text") or "")
        provider = match.provider if match else directory.get(tracker.get_slot("provider_key") or "")
        tell(dispatcher, tracker, followup.how_to_send(
            provider, tracker.get_slot("contract_type"), bool(tracker.get_slot("country")),
        ))
        if tracker.active_loop_name is None:
            dispatcher.utter_message(response="utter_how_to_send_offer")
        return []

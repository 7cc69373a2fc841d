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
        letter = None
        if match is None and tracker.active_loop_name is None:
            # After the letter the question is about that letter: no offer to write one.
            records = services.attempt_log().reads.attempts_for_conversation(tracker.sender_id)
            letter = followup.latest_letter(records)
        if letter is not None:
            provider = directory.get(letter.provider_key or "") or directory.get(tracker.get_slot("provider_key") or "")
            contract_type = letter.contract_type or tracker.get_slot("contract_type")
        else:
            provider = match.provider if match else directory.get(tracker.get_slot("provider_key") or "")
            contract_type = tracker.get_slot("contract_type")
        tell(dispatcher, tracker, followup.how_to_send(
            provider, contract_type, bool(tracker.get_slot("country")), letter=letter
        ))
        if tracker.active_loop_name is None and letter is None:
            dispatcher.utter_message(response="utter_how_to_send_offer")
        return []

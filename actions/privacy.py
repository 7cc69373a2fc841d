"""Reference numbers, status, and deleting a user's data on request."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, Restarted, SlotSet

from cancellation.log.references import find_reference
from cancellation.summary import end_date_text

from actions import services

STATUS_TEXT = {
    "letter_created": "Brief erstellt",
    "sent": "verschickt",
    "confirmed": "vom Anbieter bestätigt",
    "no_confirmation": "keine Bestätigung erhalten",
    "reminder_sent": "Erinnerung verschickt",
    "call_failed": "Anruf erfolglos",
    "call_succeeded": "Anruf erfolgreich",
}


class ActionShowStatus(Action):
    """What was logged for this conversation (never for other people's references)."""

    def name(self) -> Text:
        return "action_show_status"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        records = services.attempt_log().reads.attempts_for_conversation(tracker.sender_id)
        asked = find_reference(tracker.latest_message.get("text") or "")
        if asked:
            records = [record for record in records if record.reference == asked]
            if not records:
                dispatcher.utter_message(
                    text="Diesen Vorgang finde ich in unserem Gespräch nicht. Aus Datenschutzgründen "
                    "nenne ich nur Vorgänge, die in diesem Gespräch entstanden sind."
                )
                return []
        if not records:
            dispatcher.utter_message(
                text="Für dieses Gespräch ist noch nichts protokolliert. Sobald ich einen Brief erstellt "
                "habe, bekommen Sie eine Vorgangsnummer."
            )
            return []
        lines = ["Das habe ich protokolliert:"]
        for record in records:
            end = end_date_text(record.requested_end)
            lines.append(
                f"• {record.reference} vom {record.created_at:%d.%m.%Y, %H:%M} Uhr (UTC): "
                f"{record.subject} bei {record.provider}, {end} – Status: "
                f"{STATUS_TEXT.get(record.status, record.status)}"
            )
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ActionAskDelete(Action):
    def name(self) -> Text:
        return "action_ask_delete"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        dispatcher.utter_message(response="utter_ask_delete")
        return [SlotSet("pending_confirmation", "delete_data")]


class ActionKeepData(Action):
    def name(self) -> Text:
        return "action_keep_data"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        dispatcher.utter_message(response="utter_kept_data")
        return [SlotSet("pending_confirmation", None)]


class ActionForgetMe(Action):
    """Deletes letters and personal data in the log; the tracker store drops the conversation
    (bot/stores/tracker.py purges everything up to and including this action)."""

    def name(self) -> Text:
        return "action_forget_me"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        count = len(services.attempt_log().deletion.forget_conversation(tracker.sender_id).references)
        letters = f" und {count} Vorgang/Vorgänge anonymisiert" if count else ""
        dispatcher.utter_message(
            text=f"Erledigt: Ich habe Ihre Angaben und den Gesprächsverlauf gelöscht{letters}. "
            "Im Protokoll bleibt nur ein anonymer Eintrag ohne Personenbezug."
        )
        return [AllSlotsReset(), Restarted()]

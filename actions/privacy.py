"""Reference numbers, status, and deleting a user's data on request."""

from __future__ import annotations

import datetime as dt
import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, Restarted, SlotSet

from cancellation.clock import local
from cancellation.forgetting import (
    FORGET_OUTCOME_SLOT,
    ForgetOutcome,
    forget_failed_message,
    forget_message,
)
from cancellation.log.references import find_reference
from cancellation.followthrough import dispatch_status
from cancellation.followup import letter_subject
from cancellation.summary import end_message
from cancellation.vocabulary import Status
from cancellation.texts import Message, render, say

from actions import services
from actions.answers import INTERVIEW_SLOTS
from actions.speech import language as language_of_tracker

logger = logging.getLogger(__name__)

# Slots whose value is something the user told us (a letter's reference counts too).
ANSWER_SLOTS = tuple(name for name in INTERVIEW_SLOTS if name != "summary_confirmed") + (
    "last_reference",
)



def status_label(status: str) -> "Message | str":
    """An attempt's status as the user reads it (catalogue: utter_status_*)."""
    return say(f"utter_status_{status}") if Status.parse(status) else status


def created_message(moment: dt.datetime) -> Message:
    """When a letter was made, in German local time: "02.12.2026, 16:12 Uhr" / "2 December 2026, 16:12"."""
    moment = local(moment)
    return say("utter_status_created", day=moment.date(), time=moment.strftime("%H:%M"))


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
                dispatcher.utter_message(response="utter_status_reference_not_found")
                return []
        if not records:
            dispatcher.utter_message(response="utter_status_nothing_logged")
            return []
        language = language_of_tracker(tracker)
        lines = [render(say("utter_status_heading"), language)]
        for record in records:
            line = say(
                "utter_status_line",
                reference=record.reference,
                created=created_message(record.created_at),
                subject=letter_subject(record, language),
                provider=record.provider,
                end=end_message(record.requested_end),
                status=status_label(record.status),
            )
            lines.append(render(line, language))
            dispatched = dispatch_status(record.details or {})
            if dispatched is not None:
                lines.append("  " + render(dispatched, language))
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
        paused = bool(tracker.get_slot("interview_paused"))
        dispatcher.utter_message(response="utter_kept_data_paused" if paused else "utter_kept_data")
        return [SlotSet("pending_confirmation", None)]


class ActionForgetMe(Action):
    """Forgets the conversation's attempts in the log and reports the outcome in the slot
    `forget_outcome`; the tracker store deletes the conversation only when that says
    "deleted" (bot/stores/tracker.py), so a failure here deletes nothing at all."""

    def name(self) -> Text:
        return "action_forget_me"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        language = tracker.get_slot("language")
        try:
            result = services.attempt_log().deletion.forget_conversation(tracker.sender_id)
        except Exception:  # the user must hear that nothing was deleted, not silence
            logger.exception("Forgetting a conversation failed; nothing was deleted")
            dispatcher.utter_message(text=render(forget_failed_message(), language))
            return [SlotSet(FORGET_OUTCOME_SLOT, ForgetOutcome.FAILED.value),
                    SlotSet("pending_confirmation", None)]
        had_answers = any(tracker.get_slot(name) for name in ANSWER_SLOTS)
        message = forget_message(len(result.references), had_answers)
        dispatcher.utter_message(text=render(message, language))
        return [SlotSet(FORGET_OUTCOME_SLOT, ForgetOutcome.DELETED.value), AllSlotsReset(),
                Restarted()]

"""Moving around in the interview: why, what is, back, change, pause, resume, restart."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from cancellation.interview import (
    answered_along,
    field_label,
    fields_named_in,
    previous_field,
    record_answer,
    term_named_in,
)
from cancellation.texts import say

from actions.answers import INTERVIEW_SLOTS, answers_of, clear, interview_fields
from actions.form import ValidateCancellationForm, change_fields, corrected_with_value, new_subject, turn_of
from actions.speech import tell


class ActionExplain(Action):
    """ "warum brauchen Sie das?" / "was ist eine Kundennummer?" """

    def name(self) -> Text:
        return "action_explain"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        term = term_named_in(tracker.latest_message.get("text") or "")
        requested = tracker.get_slot("requested_slot")
        if term:
            dispatcher.utter_message(response=f"utter_explain_{term}")
        elif intent == "ask_why" and requested:
            dispatcher.utter_message(response=f"utter_why_{requested}")
        elif intent == "ask_why":
            dispatcher.utter_message(response="utter_why_general")
        else:
            dispatcher.utter_message(response="utter_explain_general")
        return []


class ActionGoBack(Action):
    """ "zurück" and "das ist falsch": ask the previous question again."""

    def name(self) -> Text:
        return "action_go_back"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        changed = new_subject(turn_of(text, tracker), text, dispatcher, tracker)
        if changed is not None:  # "ach nein, den ganzen Vertrag" is no step back
            return [SlotSet(name, value) for name, value in changed.items()]
        requested = tracker.get_slot("requested_slot")
        if requested == "summary_confirmed":
            dispatcher.utter_message(response="utter_which_field")
            return []
        answers = answers_of(tracker)
        along = tracker.get_slot("answered_with") or {}
        previous = previous_field(interview_fields(answers), requested, answers, along)
        if previous is None:
            dispatcher.utter_message(response="utter_back_first_question")
            return []
        tell(dispatcher, tracker, say("utter_back_to_field", field=field_label(previous)))
        again = [previous, *answered_along(along, previous)]
        kept = {name: asked for name, asked in record_answer(along, previous, ()).items() if name not in again}
        return clear(again) + [SlotSet("answered_with", kept)]


class ActionChangeField(Action):
    """ "die Postleitzahl ist falsch", "Name ändern" """

    def name(self) -> Text:
        return "action_change_field"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        changed = new_subject(turn_of(text, tracker), text, dispatcher, tracker)
        if changed is not None:  # "doch lieber nur die Option" changes the subject, not a field
            return [SlotSet(name, value) for name, value in changed.items()]
        with_value = corrected_with_value(text, dispatcher, tracker)
        if with_value is not None:  # "die PLZ stimmt nicht, es ist 50677": taken, not asked again
            return with_value
        named = fields_named_in(text)
        requested = tracker.get_slot("requested_slot")
        if not named and requested not in (None, "summary_confirmed"):
            # "doch lieber zum 31.3." names no field: it answers the pending question, so the
            # form's own validator for that question parses it like any other answer.
            validate = getattr(ValidateCancellationForm(), f"validate_{requested}")
            slots = validate(text, dispatcher, tracker, domain)
            return [SlotSet(name, value) for name, value in slots.items()]
        if not named:
            dispatcher.utter_message(response="utter_which_field")
            return []
        return change_fields(list(named), dispatcher, tracker)


class ActionPauseInterview(Action):
    def name(self) -> Text:
        return "action_pause_interview"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "delete_data":
            # Before "löschen Sie meine Daten" the delete question is the whole reply: "your
            # answers stay saved" in the same breath would contradict it (action_keep_data
            # says how to go on when nothing is deleted).
            dispatcher.utter_message(response="utter_paused")
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("interview_paused", True)]


class ActionResumeInterview(Action):
    def name(self) -> Text:
        return "action_resume_interview"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        if not any(answers_of(tracker).values()):
            dispatcher.utter_message(response="utter_nothing_to_resume")
        else:
            dispatcher.utter_message(response="utter_resumed")
        return [SlotSet("interview_paused", False)]


class ActionRestartInterview(Action):
    def name(self) -> Text:
        return "action_restart_interview"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        dispatcher.utter_message(response="utter_restarted")
        return [SlotSet(name, None) for name in INTERVIEW_SLOTS] + [
            SlotSet("interview_paused", False),
            SlotSet("failed_answers", 0),
        ]

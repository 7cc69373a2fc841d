"""Sonderkündigung: ask the ground and its facts (`special_form`), assess, then the normal interview."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from cancellation.interview import ASAP
from cancellation.special import assess
from cancellation.special_interview import (
    GROUND_LABELS,
    as_slot,
    assessment_message,
    detect_ground,
    next_question,
    parse_fact,
    parse_ground,
)
from cancellation.validation import InvalidInput

Slots = Dict[Text, Any]
FACT_DONE = "done"
GROUND_BUTTONS = [{"title": label[0].upper() + label[1:], "payload": label} for label in GROUND_LABELS.values()]


def _today() -> dt.date:
    return dt.date.today()


def _facts(tracker: Tracker) -> Dict[str, Any]:
    return dict(tracker.get_slot("special_facts") or {})


class ActionStartSpecial(Action):
    """A new Sonderkündigung: forget earlier facts, take the ground from the message if it says it."""

    def name(self) -> Text:
        return "action_start_special"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        ground = detect_ground(tracker.latest_message.get("text") or "")
        return [
            SlotSet("special_ground", ground),
            SlotSet("special_facts", {}),
            SlotSet("special_fact", None),
            SlotSet("special_termination", None),
        ]


class ActionAskSpecialGround(Action):
    def name(self) -> Text:
        return "action_ask_special_ground"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        dispatcher.utter_message(
            text="Aus welchem Grund möchten Sie außerordentlich kündigen?", buttons=GROUND_BUTTONS
        )
        return []


class ActionAskSpecialFact(Action):
    """Asks the next fact `cancellation.special.required_facts` needs for the chosen ground."""

    def name(self) -> Text:
        return "action_ask_special_fact"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        question = next_question(tracker.get_slot("special_ground"), _facts(tracker))
        if question is not None:
            buttons = []
            if "„ja“, „nein“" in question.question_de:
                buttons = [{"title": title, "payload": title.lower()} for title in ("Ja", "Nein", "Weiß nicht")]
            dispatcher.utter_message(text=question.question_de, buttons=buttons)
        return []


class ValidateSpecialForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_special_form"

    def validate_special_ground(self, value, dispatcher, tracker, domain) -> Slots:
        try:
            ground = parse_ground(str(value or ""))
        except InvalidInput as error:
            dispatcher.utter_message(text=error.message, buttons=GROUND_BUTTONS)
            return {"special_ground": None}
        return {"special_ground": ground, "special_facts": {}}

    def validate_special_fact(self, value, dispatcher, tracker, domain) -> Slots:
        ground = tracker.get_slot("special_ground")
        facts = _facts(tracker)
        question = next_question(ground, facts)
        if question is None:
            return {"special_fact": FACT_DONE}
        try:
            facts[question.key] = parse_fact(question, str(value or ""), _today())
        except InvalidInput as error:
            dispatcher.utter_message(text=error.message)
            return {"special_fact": None}
        done = next_question(ground, facts) is None
        # None makes the form ask again, i.e. the next fact.
        return {"special_facts": facts, "special_fact": FACT_DONE if done else None}


class ActionAssessSpecial(Action):
    """Tell the user what the general rules say, and keep the result for the letter."""

    def name(self) -> Text:
        return "action_assess_special"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        ground = tracker.get_slot("special_ground")
        facts = _facts(tracker)
        assessment = assess(ground, facts, _today())
        dispatcher.utter_message(text=assessment_message(assessment))
        events: List[EventType] = [SlotSet("special_termination", as_slot(assessment, facts))]
        if not tracker.get_slot("end_date"):
            # "außerordentlich und fristlos, hilfsweise ordentlich zum nächstmöglichen Zeitpunkt"
            events.append(SlotSet("end_date", ASAP))
        if ground in ("price_change", "slow_internet", "relocation") and not tracker.get_slot("subject_kind"):
            # These grounds concern the whole contract, never a single option.
            events.append(SlotSet("subject_kind", "contract"))
        return events

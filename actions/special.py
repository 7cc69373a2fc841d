"""Sonderkündigung: offer it, ask the ground and its facts (`special_form`), assess, then the interview."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.forms import FormValidationAction

from cancellation import clock
from cancellation.interview import ASAP
from cancellation.special import Context, assess, latest_receipt, next_question
from cancellation.special.facts import provider_sector
from cancellation.special_interview import (
    InvalidAnswer,
    asks_why,
    assessment_messages,
    detect_ground,
    facts_from_message,
    facts_from_request,
    ground_label,
    parse_fact,
    parse_ground,
    why_asked,
)
from cancellation.texts import say
from cancellation.vocabulary import ContractType, Sector, SpecialGround, SubjectKind

from actions import services
from actions.speech import buttons_of, tell

Slots = Dict[Text, Any]
FACT_DONE = "done"
# These grounds concern the whole contract, never a single option.
WHOLE_CONTRACT_GROUNDS = (SpecialGround.PRICE_CHANGE, SpecialGround.SLOW_INTERNET, SpecialGround.RELOCATION)


def _today() -> dt.date:
    return clock.today()


def _facts(tracker: Tracker) -> Dict[str, Any]:
    return dict(tracker.get_slot("special_facts") or {})


def _provider_sector(tracker: Tracker) -> Optional[Sector]:
    key = tracker.get_slot("provider_key")
    provider = services.directory().get(key) if key else None
    return provider_sector(provider.categories) if provider else None


def context_of(tracker: Tracker) -> Context:
    today = _today()
    return Context(
        today=today,
        received=latest_receipt(today),
        contract_type=ContractType.parse(tracker.get_slot("contract_type")),  # type: ignore[arg-type]
        sector=_provider_sector(tracker),
    )


class ActionOfferSpecial(Action):
    """After a cancellation request: if it names a reason for a special right, offer that path."""

    def name(self) -> Text:
        return "action_offer_special"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        ground = detect_ground(text)
        if ground is None:
            return [SlotSet("special_offered", False), SlotSet("special_offer", None)]
        tell(dispatcher, tracker, say("utter_special_offer", ground=ground_label(ground)),
             buttons_of("utter_special_offer", tracker))
        offer = {"ground": ground.value, "facts": facts_from_request(ground, text, _today())}
        return [SlotSet("special_offered", True), SlotSet("special_offer", offer)]


class ActionDeclineSpecial(Action):
    """The user wants an ordinary cancellation after all."""

    def name(self) -> Text:
        return "action_decline_special"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        return [SlotSet("special_offered", False), SlotSet("special_offer", None)]


class ActionStartSpecial(Action):
    """A new Sonderkündigung: forget earlier facts; take over the ground and facts already named."""

    def name(self) -> Text:
        return "action_start_special"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        ground = detect_ground(text)
        facts = facts_from_request(ground, text, _today())
        offer = tracker.get_slot("special_offer") or {}
        if ground is None and offer:
            ground = SpecialGround.parse(offer.get("ground"))  # type: ignore[assignment]
            facts = dict(offer.get("facts") or {})
        events: List[EventType] = [
            SlotSet("special_ground", ground.value if ground else None),
            SlotSet("special_facts", facts),
            SlotSet("special_fact", None),
            SlotSet("special_termination", None),
            SlotSet("special_offered", False),
            SlotSet("special_offer", None),
        ]
        if ground is not None and next_question(ground, facts, context_of(tracker)) is None:
            # Nothing left to ask (a gym member's move: the contract type decides): the form must
            # find its slots filled at once and finish in this turn, or it asks nothing, listens and
            # the assessment comes one message late (hand-test item 1).
            events.append(SlotSet("special_fact", FACT_DONE))
        if ground is not None:
            # A date in the message that names the reason ("erhöht ab dem 1.4.") is when the change
            # or the move happens, not the end the user wants: action_take_over_facts must not make
            # it the letter's ordinary end date.
            events.append(SlotSet("end_date", None))
        return events


class ActionAskSpecialFact(Action):
    """Asks the next fact the rules need for the chosen ground (cancellation.special)."""

    def name(self) -> Text:
        return "action_ask_special_fact"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        missing = next_question(tracker.get_slot("special_ground"), _facts(tracker), context_of(tracker))
        if missing is not None:
            tell(dispatcher, tracker, missing.message(clock.today()), buttons_of(missing.question.response, tracker))
        return []


class ValidateSpecialForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_special_form"

    def validate_special_ground(self, value, dispatcher, tracker, domain) -> Slots:
        try:
            ground = parse_ground(str(value or ""))
        except InvalidAnswer as error:
            tell(dispatcher, tracker, error.message, buttons_of(error.message.key, tracker))
            return {"special_ground": None}
        slots: Slots = {"special_ground": ground.value}
        if tracker.get_slot("special_ground") != ground.value:
            slots["special_facts"] = {}  # a newly chosen ground starts from scratch
        if next_question(ground, slots.get("special_facts", _facts(tracker)), context_of(tracker)) is None:
            # Nothing to ask for this ground (a gym member's move): done now, not one message late.
            slots["special_fact"] = FACT_DONE
        return slots

    def validate_special_fact(self, value, dispatcher, tracker, domain) -> Slots:
        ground = tracker.get_slot("special_ground")
        facts = _facts(tracker)
        context = context_of(tracker)
        missing = next_question(ground, facts, context)
        if missing is None:
            return {"special_fact": FACT_DONE}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "ask_why" or asks_why(str(value or "")):
            # Explained, then the same question again (the form asks while the slot is empty).
            tell(dispatcher, tracker, why_asked(missing.question))
            return {"special_fact": None}
        # Whatever question it answers, a message's other facts are taken too ("mein Vater",
        # "dort gibt es kein Glasfaser"): they are not asked again.
        stated = facts_from_message(SpecialGround.parse(ground), str(value or ""))
        stated = {key: fact for key, fact in stated.items() if key not in facts}
        facts.update(stated)
        if missing.question.key not in stated:
            try:
                facts.update(parse_fact(missing.question, str(value or ""), context.today))
            except InvalidAnswer as error:
                if not stated:
                    tell(dispatcher, tracker, error.message, buttons_of(error.message.key, tracker))
                    return {"special_fact": None}
        done = next_question(ground, facts, context) is None
        # None makes the form ask again, i.e. the next fact.
        return {"special_facts": facts, "special_fact": FACT_DONE if done else None}


class ActionAssessSpecial(Action):
    """Tell the user what the general rules say, and keep the letter's part."""

    def name(self) -> Text:
        return "action_assess_special"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        ground = SpecialGround(tracker.get_slot("special_ground"))
        facts = _facts(tracker)
        assessment = assess(ground, facts, context_of(tracker))
        tell(dispatcher, tracker, assessment_messages(assessment))
        events: List[EventType] = [SlotSet("special_termination", assessment.as_slot())]
        if not tracker.get_slot("end_date"):
            # "…, hilfsweise ordentlich zum nächstmöglichen Zeitpunkt"
            events.append(SlotSet("end_date", ASAP))
        if ground in WHOLE_CONTRACT_GROUNDS and not tracker.get_slot("subject_kind"):
            events.append(SlotSet("subject_kind", SubjectKind.CONTRACT.value))
        if facts.get("contract_type") and not tracker.get_slot("contract_type"):
            events.append(SlotSet("contract_type", facts["contract_type"]))
        return events


class ActionAskFullName(Action):
    """The name question; when the holder died it asks for the writer's own name."""

    def name(self) -> Text:
        return "action_ask_full_name"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        special = tracker.get_slot("special_termination") or {}
        holder = special.get("holder_name")
        if special.get("ground") == SpecialGround.DEATH.value and holder:
            tell(dispatcher, tracker, say("utter_ask_full_name_writer", holder=holder))
        else:
            dispatcher.utter_message(response="utter_ask_full_name")
        return []

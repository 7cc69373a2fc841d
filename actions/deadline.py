"""The deadline question: a small form over `cancellation.deadline_interview`, then the answer."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from cancellation import clock, examples
from cancellation import deadline_answers as answers_of
from cancellation import deadline_interview as di
from cancellation.extraction import extract_facts
from cancellation.interview import ASAP
from cancellation.requested_end import deadline_answer, too_late
from cancellation.texts import LANGUAGE_SLOT, catalogue, render, say
from cancellation.validation import InvalidInput

from actions import services
from actions.speech import AskWithExamples, tell

Slots = Dict[Text, Any]
# Set by action_start_deadline: False when the first message already answered every question.
QUESTIONS_NEEDED = "deadline_questions_needed"


def _answers(tracker: Tracker) -> Dict[str, Any]:
    return {name: tracker.get_slot(name) for name in di.DEADLINE_SLOTS}


def _say(dispatcher: CollectingDispatcher, tracker: Tracker, what: Any, buttons_of: str = "") -> None:
    language = tracker.get_slot(LANGUAGE_SLOT)
    buttons = catalogue().buttons(buttons_of, language) if buttons_of else []
    dispatcher.utter_message(text=render(what, language), buttons=buttons)


def _error_text(error: InvalidInput, tracker: Tracker) -> str:
    # A catalogue message (or, from older parsers, a German sentence) in the user's language.
    return render(getattr(error, "said", error.message), tracker.get_slot(LANGUAGE_SLOT))


class ActionStartDeadline(Action):
    """Forget an earlier calculation; take over what the question already says.

    Start, term and notice from the text, the sector from the contract type or the provider it
    names (or the conversation already knows).
    """

    def name(self) -> Text:
        return "action_start_deadline"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        today = clock.today()
        text = tracker.latest_message.get("text") or ""
        facts = extract_facts(text, today)
        events: List[EventType] = []
        if facts.contract_type:
            events.append(SlotSet("contract_type", facts.contract_type))
        provider = services.directory().get(facts.provider) if facts.provider else None
        if provider is None and facts.provider_name:  # "bei der Lokalzeitung Nordkurier": not asked again
            events += [SlotSet("provider", facts.provider_name), SlotSet("provider_key", None)]
        elif provider is None and tracker.get_slot("provider_key"):
            provider = services.directory().get(tracker.get_slot("provider_key"))
        elif provider is not None:
            events += [SlotSet("provider", provider.name), SlotSet("provider_key", provider.key)]
        contract_type = facts.contract_type or tracker.get_slot("contract_type")
        opening = di.opening_answers(text, today, contract_type, provider.categories if provider else ())
        events += [SlotSet(name, opening.get(name)) for name in di.DEADLINE_SLOTS]
        events.append(SlotSet(QUESTIONS_NEEDED, di.questions_needed(opening, today)))
        return events


class ValidateDeadlineForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_deadline_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        # Only slots the running model's form knows (a model trained before a new question keeps working).
        return [name for name in di.deadline_fields(_answers(tracker), clock.today()) if name in domain_slots]

    @staticmethod
    def _parse(
        slot: Text, value: Any, parse: Callable[[str], Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots:
        text = str(value or "")
        # What the answer says besides ("Fitnessstudio" at the term question) is taken too.
        beside = di.facts_beside(text, slot, {**_answers(tracker), di.CONTRACT_TYPE: tracker.get_slot(di.CONTRACT_TYPE)},
                                 clock.today())
        try:
            return {**beside, slot: parse(text)}
        except InvalidInput as error:
            if not beside:  # else the question is simply asked again, with what was taken
                dispatcher.utter_message(text=_error_text(error, tracker))
            return {**beside, slot: None}

    def validate_deadline_start(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.START, value, lambda text: answers_of.parse_start(text, clock.today()), dispatcher, tracker)

    def validate_deadline_term_months(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.TERM, value, answers_of.parse_term_months, dispatcher, tracker)

    def validate_deadline_notice_months(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.NOTICE, value, answers_of.parse_notice_months, dispatcher, tracker)

    def validate_deadline_sector(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.SECTOR, value, answers_of.parse_sector, dispatcher, tracker)

    def validate_deadline_sending(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(
            di.SENDING, value, lambda text: answers_of.parse_sending(text, clock.today()), dispatcher, tracker
        )

    def validate_deadline_extension_months(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.EXTENSION, value, answers_of.parse_extension_months, dispatcher, tracker)

    def validate_deadline_basic_supply(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.BASIC_SUPPLY, value, answers_of.parse_basic_supply, dispatcher, tracker)

    def validate_deadline_concluded(self, value, dispatcher, tracker, domain) -> Slots:
        start = answers_of.start_of(tracker.get_slot(di.START))

        def parse(text: str) -> str:
            concluded = answers_of.parse_start(text, clock.today())
            if concluded == answers_of.UNKNOWN:
                return concluded
            concluded_on = answers_of.StartRange.from_stored(concluded).first
            if start is not None and concluded_on > start.last:
                raise InvalidInput(say("utter_deadline_concluded_after_start"))
            return concluded_on.isoformat()

        return self._parse(di.CONCLUDED, value, parse, dispatcher, tracker)


class ActionAskDeadlineTermMonths(Action):
    """The term question; its first button fits the kind of contract (di.term_question)."""

    def name(self) -> Text:
        return "action_ask_deadline_term_months"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        key = di.term_question(_answers(tracker))
        _say(dispatcher, tracker, say(key), buttons_of=key)
        return []


class ActionAskDeadlineStart(AskWithExamples):
    response = "utter_ask_deadline_start"

    def examples(self, today):
        return examples.start_examples(today)


class ActionAskDeadlineSending(AskWithExamples):
    """The example day of receipt is a week from today."""

    response = "utter_ask_deadline_sending"

    def examples(self, today):
        return {"example": examples.receipt_date(today)}


class ActionAnswerDeadline(Action):
    """Dates and the general rules; the earliest end (or "nächstmöglich") becomes the letter's end date."""

    def name(self) -> Text:
        return "action_answer_deadline"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        reply = di.deadline_reply(_answers(tracker), clock.today())
        _say(dispatcher, tracker, list(reply.messages), buttons_of=reply.offer)
        return [SlotSet(di.END_DATE, reply.end_date)]


class ActionDeadlineDuringInterview(Action):
    """ "Bis wann muss die Kündigung da sein?" inside the interview: for the end chosen, not a
    claim that the letter cancels "zum nächstmöglichen Zeitpunkt" anyway (hand-test item 5)."""

    def name(self) -> Text:
        return "action_deadline_during_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        end = tracker.get_slot("end_date")
        contract_type = tracker.get_slot("contract_type")
        tell(dispatcher, tracker, deadline_answer(end, contract_type, clock.today()))
        if end and end != ASAP and too_late(dt.date.fromisoformat(end), contract_type, clock.today()):
            return [SlotSet("end_date", ASAP)]  # as the warning says
        return []

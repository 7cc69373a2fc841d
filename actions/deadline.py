"""The deadline question: a small form over `cancellation.deadline_interview`, then the answer."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from cancellation import deadline_interview as di
from cancellation.extraction import extract_facts
from cancellation.validation import InvalidInput, parse_past_or_future_date

from actions import services

Slots = Dict[Text, Any]
NOW_BUTTON = [{"title": "Jetzt kündigen", "payload": "/cancel"}]


def _today() -> dt.date:
    return dt.date.today()


def _answers(tracker: Tracker) -> Dict[str, Any]:
    return {name: tracker.get_slot(name) for name in di.DEADLINE_SLOTS}


class ActionStartDeadline(Action):
    """Forget an earlier calculation; take over the contract type or provider the question names."""

    def name(self) -> Text:
        return "action_start_deadline"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        facts = extract_facts(tracker.latest_message.get("text") or "", _today())
        events: List[EventType] = [SlotSet(name, None) for name in di.DEADLINE_SLOTS]
        if facts.contract_type:
            events.append(SlotSet("contract_type", facts.contract_type))
        provider = services.directory().get(facts.provider) if facts.provider else None
        if provider is not None:
            events += [SlotSet("provider", provider.name), SlotSet("provider_key", provider.key)]
        categories = provider.categories if provider else ()
        contract_type = facts.contract_type or tracker.get_slot("contract_type")
        if provider is None and tracker.get_slot("provider_key"):
            known = services.directory().get(tracker.get_slot("provider_key"))
            categories = known.categories if known else ()
        telecom = di.telecom_from(contract_type, categories)
        if telecom is not None:
            events.append(SlotSet(di.TELECOM, telecom))
        return events


class ValidateDeadlineForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_deadline_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return list(di.deadline_fields(_answers(tracker), _today()))

    @staticmethod
    def _parse(slot: Text, value: Any, parse: Callable[[str], Any], dispatcher: CollectingDispatcher) -> Slots:
        try:
            return {slot: parse(str(value or ""))}
        except InvalidInput as error:
            dispatcher.utter_message(text=error.message)
            return {slot: None}

    def validate_deadline_start(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(
            di.START, value, lambda text: parse_past_or_future_date(text, _today()).isoformat(), dispatcher
        )

    def validate_deadline_term_months(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.TERM, value, di.parse_term_months, dispatcher)

    def validate_deadline_notice_months(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.NOTICE, value, di.parse_notice_months, dispatcher)

    def validate_deadline_telecom(self, value, dispatcher, tracker, domain) -> Slots:
        if isinstance(value, bool):
            return {di.TELECOM: value}
        return self._parse(di.TELECOM, value, di.parse_telecom, dispatcher)

    def validate_deadline_sending(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(di.SENDING, value, lambda text: di.parse_sending(text, _today()), dispatcher)

    def validate_deadline_concluded(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> str:
            concluded = parse_past_or_future_date(text, _today())
            if concluded > dt.date.fromisoformat(tracker.get_slot(di.START)):
                raise InvalidInput("Der Vertrag wird vor oder an seinem Beginn geschlossen. Bitte prüfen Sie das Datum.")
            return concluded.isoformat()

        return self._parse(di.CONCLUDED, value, parse, dispatcher)


class ActionAnswerDeadline(Action):
    """Dates and the general rules; the earliest end becomes the letter's end date."""

    def name(self) -> Text:
        return "action_answer_deadline"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        reply = di.deadline_reply(_answers(tracker), _today())
        dispatcher.utter_message(text=reply.text, buttons=NOW_BUTTON)
        return [SlotSet("end_date", reply.earliest_end.isoformat())]

"""Take over what the user already said in the message that started the cancellation."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from cancellation import clock
from cancellation.extraction import extract_facts
from cancellation.interview import ASAP
from cancellation.requested_end import too_late
from cancellation.special_interview import detect_ground

from actions import services
from actions.speech import tell


def facts_as_slots(text: str, today: dt.date) -> Dict[str, Any]:
    facts = extract_facts(text, today)
    slots: Dict[str, Any] = {
        "subject_kind": facts.subject_kind,
        "option_name": facts.option_name if facts.subject_kind == "option" else None,
        "contract_type": facts.contract_type,
        "customer_number": facts.customer_number,
        "phone_number": facts.phone_number,
        "contract_number": facts.contract_number,
        "contract_reference": facts.phone_number or facts.contract_number,
        "email": facts.email,
        "full_name": facts.full_name,
        "street": facts.street,
        "postcode": facts.postcode,
        "city": facts.city,
        "country": facts.country,  # a sender abroad: the letter prints it under the town
    }
    if facts.end_date is not None:
        slots["end_date"] = facts.end_date.isoformat()
    elif facts.end_asap:
        slots["end_date"] = ASAP
    provider = services.directory().get(facts.provider) if facts.provider else None
    if provider is not None:
        slots.update(provider=provider.name, provider_key=provider.key)
    known = {name: value for name, value in slots.items() if value is not None}
    if provider is None and facts.provider_name:
        # "bei der Lokalzeitung Nordkurier": not asked again; no directory entry (its address is asked).
        known.update(provider=facts.provider_name, provider_key=None)
    return known


class ActionTakeOverFacts(Action):
    """Runs before the interview starts: nothing the user already said is asked again."""

    def name(self) -> Text:
        return "action_take_over_facts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        slots = facts_as_slots(text, clock.today())
        other = services.directory().other_named(text, slots.get("provider_key"))
        slots["also_mentioned"] = other.key if other else None
        end = slots.get("end_date")
        if end not in (None, ASAP) and detect_ground(text) is None:
            # "Kfz-Versicherung zum Jahresende" after the notice ran out: said now, and the letter
            # takes the next possible end (hand-test item 5). A special reason's date is its own.
            warning = too_late(dt.date.fromisoformat(end), slots.get("contract_type"), clock.today())
            if warning is not None:
                tell(dispatcher, tracker, warning)
                slots["end_date"] = ASAP
        # A new request replaces the subject of an earlier letter, but keeps the person.
        return [SlotSet("summary_confirmed", None), SlotSet("interview_paused", False)] + [
            SlotSet(name, value) for name, value in slots.items()
        ]

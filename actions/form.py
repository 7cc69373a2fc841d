"""Validation of the cancellation interview: one thin method per question.

Each `validate_<slot>` hands the raw answer to a pure parser from `cancellation.validation`
and turns `InvalidInput` into a friendly re-ask. Which questions are asked comes from
`cancellation.interview.required_fields`.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Callable, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from cancellation import validation
from cancellation.recipient import parse_company_name, parse_recipient_address
from cancellation.subject import parse_contract_type, parse_option_name, parse_subject_kind
from cancellation.extraction import extract_facts, known_option_name
from cancellation import clock, examples
from cancellation.change_of_mind import change_of_mind, changed_contract_type
from cancellation.countries import is_foreign, split_country
from cancellation.extras import (
    extras_question,
    offered_extras,
    parse_customer_password,
    parse_date_of_birth,
    parse_extras,
)
from cancellation.interview import (
    ASAP,
    CONFIRMED,
    SKIPPED,
    corrected_value,
    correction_named_in,
    fields_named_in,
    is_confirmation,
    record_answer,
    reference_numbers,
)
from cancellation.requested_end import too_late
from cancellation.texts import render, say
from cancellation.validation import InvalidInput
from cancellation.vocabulary import ChangeOfMind, SubjectKind

from actions import services
from actions.answers import answers_of, clear, interview_fields, known_by_account_email, provider_of
from actions.speech import AskWithExamples, buttons_of, field_names, language, tell

Slots = Dict[Text, Any]

# After this many unusable answers to the same question the bot adds a way out.
PATIENCE = 2
ADDRESS_SLOTS = ("street", "postcode", "city", "country")


def _today() -> dt.date:
    return clock.today()


def _iso_or_skipped(day: dt.date | None) -> str:
    return day.isoformat() if day else SKIPPED


def new_subject(
    turn: ChangeOfMind, text: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> Optional[Slots]:
    """The answers after "doch lieber nur die Option" / "ach nein, den ganzen Vertrag", or None
    when the message changes no subject. Every other answer is kept; the form then asks what the
    new subject needs (the option's name, the kind of contract) and goes on where it was."""
    if turn is ChangeOfMind.CONTRACT_TYPE:
        kind = changed_contract_type(
            text, contract_type=tracker.get_slot("contract_type"), asked=tracker.get_slot("requested_slot")
        )
        tell(dispatcher, tracker, say("utter_contract_type_changed", kind=say(f"utter_summary_subject_{kind}")))
        return {"contract_type": kind, "summary_confirmed": None, "failed_answers": 0}
    if turn not in (ChangeOfMind.OPTION_ONLY, ChangeOfMind.WHOLE_CONTRACT):
        return None
    facts = extract_facts(text, _today())
    if turn is ChangeOfMind.OPTION_ONLY:
        slots: Slots = {"subject_kind": str(SubjectKind.OPTION), "option_name": facts.option_name}
    else:
        contract_type = facts.contract_type or tracker.get_slot("contract_type")
        slots = {"subject_kind": str(SubjectKind.CONTRACT), "option_name": None, "contract_type": contract_type}
    tell(dispatcher, tracker, say(f"utter_subject_changed_{turn.value}"))
    return {**slots, "summary_confirmed": None, "failed_answers": 0}


def _repeated(tracker: Tracker) -> bool:
    """The user's message is the same as their previous one (they insist on an answer)."""
    said = [str(event.get("text") or "") for event in tracker.events if event.get("event") == "user"]
    return len(said) >= 2 and said[-1].strip().casefold() == said[-2].strip().casefold()


def corrected(text: str, asked: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Slots]:
    """ "die PLZ ist falsch" / "the postcode is wrong" typed at another question: that answer is
    asked again first, then the open question; None when the message corrects nothing.
    With the new value ("…, es ist 50677") that value is taken instead of asking."""
    if asked == "summary_confirmed":
        return None
    with_value = corrected_with_value(text, dispatcher, tracker)
    if with_value is not None:
        return {event["name"]: event["value"] for event in with_value}
    named = [name for name in correction_named_in(text) if name != asked]
    if not named:
        return None
    return {event["name"]: event["value"] for event in change_fields(named, dispatcher, tracker)}


def corrected_with_value(text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[EventType]]:
    """ "die PLZ stimmt nicht, es ist 50677", "der Anbieter ist falsch, es ist der Nordkurier": the
    new value said with the correction is parsed by that question's own validator and taken; None
    when the message gives no value or an unusable one (then the question is asked again)."""
    found = corrected_value(text)
    if found is None:
        return None
    field, value = found
    validate = getattr(ValidateCancellationForm(), f"validate_{field}", None)
    if validate is None:
        return None
    as_typed = copy.copy(tracker)  # the validator parses what it takes for the typed message
    as_typed.latest_message = {**(tracker.latest_message or {}), "text": value}
    slots = validate(value, CollectingDispatcher(), as_typed, {})
    if slots.get(field) is None:
        return None
    tell(dispatcher, tracker, say("utter_correct_field"))
    return clear([field]) + [SlotSet(name, slot_value) for name, slot_value in slots.items()]


def change_fields(named: List[str], dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Say which answers will be asked again, and forget them."""
    tell(dispatcher, tracker, say("utter_changing_fields", fields=field_names(tracker, named)))
    return clear(named)


def turn_of(text: str, tracker: Tracker) -> Optional[ChangeOfMind]:
    return change_of_mind(
        text,
        subject_kind=tracker.get_slot("subject_kind"),
        asked=tracker.get_slot("requested_slot"),
        contract_type=tracker.get_slot("contract_type"),
    )


def date_for_number(slot: str, text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Slots]:
    """ "zum 31.01.2027" typed at a number question: a date is no number. A coming day says
    when to cancel, so it is taken as the end date and the number asked again; any other date
    is refused. None when the answer is no date."""
    if not validation.is_only_a_date(text):
        return None
    try:
        end = validation.find_end_date(text, _today())
    except InvalidInput:
        end = None
    if end is None:
        raise InvalidInput(say("utter_invalid_reference_date"))
    tell(dispatcher, tracker, say("utter_reference_date_taken_as_end", day=end))
    return {slot: None, "end_date": end.isoformat()}


def _address_slots(parts: validation.AddressParts, names: Tuple[str, ...] = ADDRESS_SLOTS) -> Slots:
    """The parts of an address answer that were found, as slots (the country only abroad)."""
    found = {"street": parts.street, "postcode": parts.postcode, "city": parts.city, "country": parts.country}
    return {name: found[name] for name in names if found[name]}


class ValidateCancellationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_cancellation_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        return list(interview_fields(answers_of(tracker)))

    # -- shared mechanics -------------------------------------------------------------------

    @staticmethod
    def _parse(
        slot: Text,
        value: Any,
        parse: Callable[[str], Slots],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> Slots:
        if value != tracker.latest_message.get("text"):
            # Set by an action (e.g. taken over from the first message), already normalised.
            return {slot: value}
        changed = new_subject(turn_of(str(value), tracker), str(value), dispatcher, tracker)
        if changed is None:
            changed = corrected(str(value), slot, dispatcher, tracker)
        if changed is not None:
            return {slot: None, **changed}
        try:
            slots = parse(str(value or ""))
        except InvalidInput as error:
            failures = int(tracker.get_slot("failed_answers") or 0) + 1
            message = render(error.message, language(tracker))
            if failures >= PATIENCE:
                message += " " + render(say("utter_way_out"), language(tracker))
            dispatcher.utter_message(text=message)
            return {slot: None, "failed_answers": failures}
        if slots.get(slot) is None:  # answered another question instead (a date at a number question)
            return {**slots, "failed_answers": 0}
        filled = [name for name, found in slots.items() if found is not None]
        along = record_answer(tracker.get_slot("answered_with"), slot, filled)
        return {**slots, "failed_answers": 0, "answered_with": along}

    # -- one method per question --------------------------------------------------------------

    def validate_subject_kind(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            facts = extract_facts(text, _today())
            kind = facts.subject_kind or parse_subject_kind(text)
            slots: Slots = {"subject_kind": kind}
            if kind == "option" and facts.option_name:
                slots["option_name"] = facts.option_name
            return slots

        return self._parse("subject_kind", value, parse, dispatcher, tracker)

    def validate_provider(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            match = services.directory().match(text)
            if match is not None:
                provider = match.provider
                slots: Slots = {"provider": provider.name, "provider_key": provider.key}
                if len(provider.categories) == 1 and not tracker.get_slot("contract_type"):
                    slots["contract_type"] = provider.categories[0]  # a gym contract is a gym contract
                return slots
            name = parse_company_name(text)
            return {"provider": name, "provider_key": None}

        return self._parse("provider", value, parse, dispatcher, tracker)

    def validate_provider_address(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            address = parse_recipient_address(text, company=tracker.get_slot("provider"))
            return {"provider_address": address}

        return self._parse("provider_address", value, parse, dispatcher, tracker)

    def validate_contract_type(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            contract_type = extract_facts(text, _today()).contract_type
            return {"contract_type": contract_type or parse_contract_type(text)}

        return self._parse("contract_type", value, parse, dispatcher, tracker)

    def validate_option_name(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(
            "option_name",
            value,
            lambda text: {"option_name": known_option_name(text) or parse_option_name(text)},
            dispatcher,
            tracker,
        )

    def validate_full_name(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            name = validation.parse_full_name(text)
            return {"full_name": validation.require_first_and_last_name(name, repeated=_repeated(tracker))}

        return self._parse("full_name", value, parse, dispatcher, tracker)

    def validate_street(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            try:
                parts = validation.parse_address(text)
            except InvalidInput:
                parts = None
            if parts is not None and parts.street:
                return _address_slots(parts)
            return {"street": validation.parse_street(text)}

        return self._parse("street", value, parse, dispatcher, tracker)

    def validate_postcode(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            try:
                parts = validation.parse_address(text)
            except InvalidInput:
                parts = None
            if parts is not None and parts.postcode and parts.city:
                return _address_slots(parts, ("postcode", "city", "country"))
            return {"postcode": validation.parse_postcode(text, tracker.get_slot("country"))}

        return self._parse("postcode", value, parse, dispatcher, tracker)

    def validate_city(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            # "Bozen, Italien": the city of an address abroad, with its country.
            city, country = split_country(text)
            found = {"city": validation.parse_city(city)}
            if validation.is_persons_name(found["city"], tracker.get_slot("full_name")):
                # "Eva Maria Roth" after "Eva Roth": the name typed again, no town.
                raise InvalidInput(say("utter_invalid_city_is_name"))
            return {**found, "country": country} if is_foreign(country) else found

        return self._parse("city", value, parse, dispatcher, tracker)

    def validate_customer_number(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            dated = date_for_number("customer_number", text, dispatcher, tracker)
            if dated is not None:
                return dated
            return {"customer_number": validation.parse_customer_number(text) or SKIPPED}

        return self._parse("customer_number", value, parse, dispatcher, tracker)

    def validate_contract_reference(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            dated = date_for_number("contract_reference", text, dispatcher, tracker)
            if dated is not None:
                return dated
            by_account = known_by_account_email(provider_of(answers_of(tracker)))
            needed = tracker.get_slot("customer_number") in (None, SKIPPED) and not by_account
            account = validation.find_email(text)
            if account is not None:
                # A streaming account has no number, only the e-mail it runs under: the letter
                # asks for the confirmation to that address, which identifies the account.
                return {"contract_reference": SKIPPED, "email": tracker.get_slot("email") or account}
            numbers, example = reference_numbers(tracker.get_slot("contract_type"))
            need = say("utter_need_contract_reference", numbers=numbers, example=example)
            try:
                reference = validation.parse_contract_reference(text)
            except InvalidInput:
                if needed:  # its message offers "weiß ich nicht", which is no answer here
                    raise InvalidInput(need)
                raise
            if reference is None:
                if needed and not int(tracker.get_slot("failed_answers") or 0):
                    raise InvalidInput(need)
                # Told that a number helps and still none (a Netflix account has no number):
                # no dead end, the letter identifies the contract by name and address.
                return {"contract_reference": SKIPPED}
            shown = reference.phone_number or reference.contract_number
            return {
                "contract_reference": shown,
                "phone_number": reference.phone_number,
                "contract_number": reference.contract_number,
            }

        return self._parse("contract_reference", value, parse, dispatcher, tracker)

    def validate_customer_password(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(
            "customer_password",
            value,
            lambda text: {"customer_password": parse_customer_password(text) or SKIPPED},
            dispatcher,
            tracker,
        )

    def validate_date_of_birth(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(
            "date_of_birth",
            value,
            lambda text: {"date_of_birth": _iso_or_skipped(parse_date_of_birth(text, _today()))},
            dispatcher,
            tracker,
        )

    def validate_extras(self, value, dispatcher, tracker, domain) -> Slots:
        offered = offered_extras(tracker.get_slot("subject_kind"), tracker.get_slot("contract_type"))
        return self._parse(
            "extras",
            value,
            lambda text: {"extras": [str(extra) for extra in parse_extras(text, offered)]},
            dispatcher,
            tracker,
        )

    def validate_end_date(self, value, dispatcher, tracker, domain) -> Slots:
        def parse(text: str) -> Slots:
            end = validation.parse_end_date(text, _today())
            warning = too_late(end, tracker.get_slot("contract_type"), _today()) if end else None
            if warning is not None:  # the notice has run out: said, and the next possible end
                tell(dispatcher, tracker, warning)
                return {"end_date": ASAP}
            return {"end_date": end.isoformat() if end else ASAP}

        return self._parse("end_date", value, parse, dispatcher, tracker)

    def validate_email(self, value, dispatcher, tracker, domain) -> Slots:
        return self._parse(
            "email",
            value,
            lambda text: {"email": validation.parse_email(text) or SKIPPED},
            dispatcher,
            tracker,
        )

    def validate_summary_confirmed(self, value, dispatcher, tracker, domain) -> Slots:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(value or "")
        changed = new_subject(turn_of(text, tracker), text, dispatcher, tracker)
        if changed is not None:  # "ach nein, doch den ganzen Vertrag": the subject, not a field
            return changed
        if intent == "affirm" or is_confirmation(text):
            return {"summary_confirmed": CONFIRMED}
        named = fields_named_in(text)
        if validation.says_end_date(text) and named in ((), ("end_date",)):
            # "ich möchte zum 31.01.2027 kündigen": the new end, taken at once.
            try:
                end = validation.find_end_date(text, _today())
            except InvalidInput as error:
                dispatcher.utter_message(text=render(error.message, language(tracker)))
                return {"summary_confirmed": None}
            if end is not None:
                warning = too_late(end, tracker.get_slot("contract_type"), _today())
                if warning is not None:  # notice run out: said, and the next possible end (item 5)
                    tell(dispatcher, tracker, warning)
                    return {"end_date": ASAP, "summary_confirmed": None, "failed_answers": 0}
                tell(dispatcher, tracker, say("utter_end_date_changed", day=end))
                return {"end_date": end.isoformat(), "summary_confirmed": None, "failed_answers": 0}
        with_value = corrected_with_value(text, dispatcher, tracker)
        if with_value is not None:
            return {event["name"]: event["value"] for event in with_value}
        if named:
            tell(dispatcher, tracker, say("utter_correct_field"))
            return {event["name"]: None for event in clear(named)} | {"failed_answers": 0}
        if intent in ("deny", "wrong"):
            dispatcher.utter_message(response="utter_which_field")
            return {"summary_confirmed": None}
        tell(dispatcher, tracker, say("utter_confirm_or_change"))
        return {"summary_confirmed": None}


class ActionAskExtras(Action):
    """The extras question offers only what fits the letter (cancellation.extras.offered_extras)."""

    def name(self) -> Text:
        return "action_ask_extras"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        question = extras_question(
            offered_extras(tracker.get_slot("subject_kind"), tracker.get_slot("contract_type"))
        )
        tell(dispatcher, tracker, question, buttons=buttons_of(question.key, tracker))
        return []


class ActionAskContractReference(Action):
    """Without a customer number a phone, contract or membership number is required
    (validate_contract_reference): then the question does not offer "keine"."""

    def name(self) -> Text:
        return "action_ask_contract_reference"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        provider = provider_of(answers_of(tracker))
        if known_by_account_email(provider):
            tell(dispatcher, tracker, say("utter_ask_account_email", provider=provider.name))
            return []
        numbers, _ = reference_numbers(tracker.get_slot("contract_type"))
        required = tracker.get_slot("customer_number") in (None, SKIPPED)
        key = "utter_ask_contract_reference_required" if required else "utter_ask_contract_reference"
        tell(dispatcher, tracker, say(key, numbers=numbers))
        return []


class ActionAskEndDate(AskWithExamples):
    """The example end date is a few months from today."""

    response = "utter_ask_end_date"

    def examples(self, today):
        return {"example": examples.end_date(today)}

"""After (or instead of) the letter: hotline calls, the provider's confirmation, reminders, evidence."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

import letters
from cancellation import followup
from cancellation.hotline import (
    OUTCOME_UNREACHABLE,
    CallReport,
    call_note,
    call_times,
    calls_summary,
    empathy_response,
    letter_to,
    parse_call_report,
    provider_of_the_letters,
)
from cancellation import clock, examples
from cancellation.log.references import find_reference
from cancellation.log.records import Document
from cancellation.recipient import parse_company_name
from cancellation.replies import is_unknown_answer
from cancellation.summary import subject_text
from cancellation.texts import render, say
from cancellation.validation import InvalidInput, parse_past_or_future_date
from cancellation.vocabulary import AttemptKind, ContractType, Status

from actions import services
from actions.answers import answers_of, channel_of
from actions.downloads import hand_out
from actions.facts import facts_as_slots
from actions.speech import buttons_of, language, tell

logger = logging.getLogger(__name__)
NO_LETTER = "utter_followup_no_letter"
# "steht nicht drin": the confirmation names no end date.
_NOT_STATED = re.compile(r"steht nicht|nicht (?:angegeben|genannt|drin)|kein datum|not stated|no date|none given",
                         re.IGNORECASE)


def _now() -> dt.datetime:
    return clock.now()


def _today() -> dt.date:
    return clock.today()


def _asked_reference(tracker: Tracker) -> Optional[str]:
    return find_reference(tracker.latest_message.get("text") or "")


def _conversation_letter(tracker: Tracker):
    records = services.attempt_log().reads.attempts_for_conversation(tracker.sender_id)
    return records, followup.latest_letter(records, _asked_reference(tracker))


def _provider_of_record(name: str):
    match = services.directory().match(name)
    return match.provider if match is not None else None


# --- hotline ------------------------------------------------------------------------------------


class ActionLogHotlineCalls(Action):
    """Log the calls the user reports; ask for the provider first when it is not known yet."""

    def name(self) -> Text:
        return "action_log_hotline_calls"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        pending = tracker.get_slot("hotline_calls")
        records = services.attempt_log().reads.attempts_for_conversation(tracker.sender_id)
        provider, provider_key = tracker.get_slot("provider"), tracker.get_slot("provider_key")
        contract_type = tracker.get_slot("contract_type")
        if not provider and not pending:
            # "bei der Hotline angerufen" after the letter: the calls to that letter's provider.
            letter = provider_of_the_letters(records)
            if letter is not None and letter.provider:
                provider, provider_key = letter.provider, letter.provider_key
                contract_type = letter.contract_type or contract_type
        # Said once: "no call needed" and whether this provider already has its letter.
        empathy = empathy_response(records, provider, provider_key, asked_provider=bool(pending))
        if empathy:
            dispatcher.utter_message(response=empathy)
        if pending:
            report = CallReport(**{**pending, "day": dt.date.fromisoformat(pending["day"])})
        else:
            report = parse_call_report(tracker.latest_message.get("text") or "", _today())
        if not provider:
            stored = {**report.__dict__, "day": report.day.isoformat()}
            # hotline_provider is emptied so that the form really asks (a filled slot would end it at once).
            return [
                SlotSet("hotline_calls", stored),
                SlotSet("hotline_provider", None),
                SlotSet("hotline_provider_needed", True),
                SlotSet("hotline_letter_exists", None),  # decided when the calls are logged
            ]
        # Only a letter to the provider that was called makes these calls "after the letter".
        letter_exists = letter_to(records, str(provider), provider_key) is not None
        log = services.attempt_log()
        references = []
        try:
            for number, moment in enumerate(call_times(report, _now()), 1):
                record = log.evidence.log_hotline_attempt(
                    channel=channel_of(tracker),
                    conversation_id=tracker.sender_id,
                    provider=str(provider),
                    provider_key=provider_key or None,
                    contract_type=ContractType.parse(contract_type),
                    subject=subject_text(answers_of(tracker)),
                    called_at=moment,
                    outcome=OUTCOME_UNREACHABLE,
                    note=call_note(report, number),
                )
                references.append(record.reference)
        except Exception:
            logger.exception("Logging hotline calls failed")
            dispatcher.utter_message(response="utter_technical_problem")
        if references:
            tell(dispatcher, tracker, calls_summary(report, str(provider), tuple(references)))
        return [
            SlotSet("hotline_calls", None),
            SlotSet("hotline_provider_needed", False),
            SlotSet("hotline_letter_exists", letter_exists),
        ]


class ValidateHotlineForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_hotline_form"

    def validate_hotline_provider(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "")
        match = services.directory().match(text)
        if match is not None:
            provider = match.provider
            return {"hotline_provider": provider.name, "provider": provider.name, "provider_key": provider.key}
        try:
            name = parse_company_name(text)
        except InvalidInput as error:
            tell(dispatcher, tracker, error.message)  # a catalogue message, in the user's language
            return {"hotline_provider": None}
        return {"hotline_provider": name, "provider": name, "provider_key": None}


# --- the provider's confirmation ---------------------------------------------------------------


class ActionConfirmationReceived(Action):
    """Status `confirmed`, with the confirmed end date when the user names it."""

    def name(self) -> Text:
        return "action_confirmation_received"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        done = [SlotSet("confirmed_end", None), SlotSet("confirmed_end_needed", False)]
        _, letter = _conversation_letter(tracker)
        if letter is None:
            dispatcher.utter_message(response=NO_LETTER)
            return done
        answer = tracker.get_slot("confirmed_end")
        confirmed_end: Optional[dt.date] = None
        if answer:
            confirmed_end = None if answer == "unknown" else dt.date.fromisoformat(answer)
        else:
            text = tracker.latest_message.get("text") or ""
            try:
                # Only a written date counts: "die Bestätigung kam heute" names no end date.
                if not re.search(r"\d", text):
                    raise InvalidInput("no date")
                confirmed_end = parse_past_or_future_date(text, _today())
            except InvalidInput:
                return [SlotSet("confirmed_end", None), SlotSet("confirmed_end_needed", True)]
        details = {"confirmed_end": confirmed_end.isoformat()} if confirmed_end else {}
        services.attempt_log().evidence.set_status(letter.reference, Status.CONFIRMED, details=details)
        tell(dispatcher, tracker, followup.confirmation_message(letter, confirmed_end, language(tracker)))
        return done


class ValidateConfirmationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_confirmation_form"

    def validate_confirmed_end(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = str(value or "")
        if is_unknown_answer(text) or _NOT_STATED.search(text):
            return {"confirmed_end": "unknown"}
        try:
            return {"confirmed_end": parse_past_or_future_date(text, _today()).isoformat()}
        except InvalidInput:
            # The example is an end date a few months from today (cancellation/examples.py).
            tell(dispatcher, tracker, say("utter_ask_confirmed_end_again", example=examples.end_date(_today())))
            return {"confirmed_end": None}


class ActionConfirmationMissing(Action):
    """After two weeks: a reminder letter and where to get help; before: until when to wait."""

    def name(self) -> Text:
        return "action_confirmation_missing"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        records, letter = _conversation_letter(tracker)
        if letter is None:
            # Cancelled elsewhere ("vor 3 Wochen bei 1&1 gekündigt"): the law and a letter; the
            # provider and other facts named are kept for it.
            tell(dispatcher, tracker, followup.help_for_a_cancellation_made_elsewhere(),
                 buttons_of(followup.ELSEWHERE_OFFER, tracker))
            text = tracker.latest_message.get("text") or ""
            slots = facts_as_slots(text, _today())
            # The letter refers to that cancellation when it goes to the same provider.
            slots["earlier_cancellation"] = followup.earlier_cancellation_slot(
                text, _today(), slots.get("provider_key"), slots.get("provider"))
            return [SlotSet(name, value) for name, value in slots.items()]
        today = _today()
        if today < followup.reminder_due_on(letter):
            tell(dispatcher, tracker, followup.waiting_message(letter))
            return []
        log = services.attempt_log()
        provider = _provider_of_record(letter.provider)
        personal = log.reads.personal_data(letter.reference) or {}
        try:
            reminder = followup.reminder_of(records, letter)
            if reminder is None:
                if letter.status != Status.NO_CONFIRMATION:
                    log.evidence.set_status(letter.reference, Status.NO_CONFIRMATION)
                reminder = log.evidence.create_letter_attempt(
                    channel=channel_of(tracker),
                    conversation_id=tracker.sender_id,
                    provider=letter.provider,
                    provider_key=letter.provider_key,
                    contract_type=letter.contract_type,
                    subject_kind=letter.subject_kind,
                    subject=letter.subject,
                    requested_end=None if letter.requested_end in (None, "asap") else dt.date.fromisoformat(letter.requested_end),
                    personal_data=personal,
                    render=lambda reference: letters.render(
                        followup.reminder_letter_data(letter, personal, provider, reference=reference, today=today)
                    ),
                    idempotency_key=f"reminder:{tracker.sender_id}:{letter.reference}",
                    kind=AttemptKind.REMINDER_LETTER,
                    related_reference=letter.reference,
                )
                log.evidence.set_status(
                    letter.reference, Status.REMINDER_SENT, details={"reminder_reference": reminder.reference}
                )
            ready = render(
                say("utter_followup_reminder_ready", reference=letter.reference, reminder=reminder.reference),
                language(tracker),
            )
            hand_out(dispatcher, tracker, reference=reminder.reference, ready=ready, filename_prefix="Erinnerung")
        except Exception:
            logger.exception("Creating the reminder failed")
            dispatcher.utter_message(response="utter_technical_problem")
            return []
        tell(dispatcher, tracker, followup.escalation_advice(followup.is_telecom(letter, provider)))
        return [SlotSet("last_reference", reminder.reference)]


# --- evidence ------------------------------------------------------------------------------------


class ActionOfferEvidence(Action):
    """A download link for the evidence report of this conversation's latest attempt."""

    def name(self) -> Text:
        return "action_offer_evidence"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        records = services.attempt_log().reads.attempts_for_conversation(tracker.sender_id)
        asked = _asked_reference(tracker)
        candidates = [r for r in records if not r.forgotten and (asked is None or r.reference == asked)]
        # The report of a letter includes its reminders and the calls; prefer the newest letter.
        letter = followup.latest_letter(candidates)
        record = letter or (max(candidates, key=lambda r: r.created_at) if candidates else None)
        if record is None:
            dispatcher.utter_message(response="utter_followup_nothing_logged")
            return []
        ready = render(say("utter_followup_evidence_ready", reference=record.reference), language(tracker))
        try:
            hand_out(dispatcher, tracker, reference=record.reference, ready=ready, document=Document.EVIDENCE)
        except Exception:
            logger.exception("Issuing the evidence link failed")
            dispatcher.utter_message(response="utter_technical_problem")
        return []

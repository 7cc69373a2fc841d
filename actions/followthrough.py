"""After the letter: calendar link, dispatch as Einwurf-Einschreiben, e-mail (thin adapters).

The decisions are in cancellation/followthrough.py and cancellation/dispatch/; this module reads
slots, does the I/O off the event loop and keeps the open offer in slots:
`followthrough_offered` (bool, the rules' condition), `followthrough_offer` (which),
`followthrough_reference` (the letter).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from cancellation import clock
from cancellation import deadline_answers
from cancellation.calendar_file import calendar_for
from cancellation.dispatch.eligibility import Concluded, Verdict, concluded_from, verdict
from cancellation.followthrough import (
    Context,
    Effect,
    Offer,
    Step,
    dispatch_result,
    first_step,
    reply_step,
)
from cancellation.followup import next_steps
from cancellation.letter_request import recipient_address
from cancellation.log.records import Document
from cancellation.mail import MailNotSent, letter_mail, send
from cancellation.provider_records import IdentificationRule
from cancellation.providers import Provider
from cancellation.replies import classify_reply, is_unknown_answer
from cancellation.texts import say
from cancellation.vocabulary import DispatchState, Reply

from actions import services
from actions.speech import buttons_of, language, tell

logger = logging.getLogger(__name__)

OFFERED_SLOT = "followthrough_offered"
OFFER_SLOT = "followthrough_offer"
REFERENCE_SLOT = "followthrough_reference"
SKIPPED = "none"


def calendar_url(reference: str, tracker: Tracker) -> str:
    days = services.settings().letter_link_ttl_days
    token = services.attempt_log().tokens.issue(reference, ttl=dt.timedelta(days=days),
                                                document=Document.CALENDAR)
    base = services.settings().public_base_url.rstrip("/")
    return f"{base}/calendar/{token}?lang={language(tracker).value}"


def _concluded(tracker: Tracker) -> Concluded:
    concluded = tracker.get_slot("deadline_concluded")
    if concluded and concluded != deadline_answers.UNKNOWN:
        try:
            day = dt.date.fromisoformat(str(concluded))
            return concluded_from(day, day)
        except ValueError:
            pass
    try:
        start = deadline_answers.start_of(tracker.get_slot("deadline_start"))
    except ValueError:
        start = None
    # A contract cannot start before it was concluded: a start before October 2016 means an
    # older contract; a later start says nothing about when it was concluded.
    if start is not None and start.last < dt.date(2016, 10, 1):
        return Concluded.BEFORE
    return Concluded.UNKNOWN


def _email(answers: Dict[str, Any]) -> Optional[str]:
    if services.smtp_settings() is None:
        return None
    email = answers.get("email")
    return None if not email or email == SKIPPED else str(email)


def letter_context(tracker: Tracker, answers: Dict[str, Any], provider: Optional[Provider]) -> Context:
    configured = services.dispatch_settings()
    judged: Optional[Verdict] = None
    if configured is not None:
        special = answers.get("special_termination") or {}
        judged = verdict(
            answers,
            identification=provider.identification if provider else IdentificationRule(),
            provider_name=str(answers.get("provider") or ""),
            concluded=_concluded(tracker),
            recipient_abroad=bool(recipient_address(answers, provider).country),
            enclosures=special.get("enclosures") or (),
        )
    return Context(judged, configured.price_text if configured else None, _email(answers))


def reply_context(tracker: Tracker) -> Context:
    """Later answers: everything but the conclusion date was checked before the first offer."""
    configured = services.dispatch_settings()
    email = _email({"email": tracker.get_slot("email")})
    return Context(Verdict(True) if configured else None,
                   configured.price_text if configured else None, email)


def _say(dispatcher: CollectingDispatcher, tracker: Tracker, messages, offer: Optional[Offer]) -> None:
    if not messages:
        return
    buttons = buttons_of(messages[-1].key, tracker) if offer is not None else []
    tell(dispatcher, tracker, messages, buttons=buttons)


def _slots(offer: Optional[Offer], reference: Optional[str]) -> List[EventType]:
    return [SlotSet(OFFERED_SLOT, offer is not None),
            SlotSet(OFFER_SLOT, offer.value if offer else None),
            SlotSet(REFERENCE_SLOT, reference if offer else None)]


def offer_after_letter(dispatcher: CollectingDispatcher, tracker: Tracker, reference: str,
                       answers: Dict[str, Any], provider: Optional[Provider]) -> List[EventType]:
    """The calendar link and the first offer after a new letter; never fails the letter."""
    try:
        tell(dispatcher, tracker, say("utter_calendar_link", url=calendar_url(reference, tracker)))
        step = first_step(letter_context(tracker, answers, provider))
    except Exception:
        logger.exception("Follow-through after %s failed", reference)
        return _slots(None, None)
    _say(dispatcher, tracker, step.before, step.offer)
    return _slots(step.offer, reference)


def _reply(tracker: Tracker) -> Reply:
    text = tracker.latest_message.get("text") or ""
    if is_unknown_answer(text):
        return Reply.UNKNOWN
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "affirm":
        return Reply.YES
    if intent == "deny":
        return Reply.NO
    return classify_reply(text) or Reply.UNKNOWN


def _dispatch(reference: str):
    worker = services.dispatch_worker()
    worker.enqueue(reference)
    job = worker.run_once(reference)
    return job or worker.job(reference)  # claimed by another worker meanwhile


def _mail(tracker: Tracker, reference: str, email: str) -> None:
    log = services.attempt_log()
    record = log.reads.get(reference)
    pdf = log.reads.letter_pdf(reference)
    if record is None or pdf is None:
        raise MailNotSent("letter_missing")
    lang = language(tracker)
    provider = services.directory().get(record.provider_key) if record.provider_key else None
    message = letter_mail(services.smtp_settings(), to=email, reference=reference, pdf=pdf,
                          next_steps=next_steps(provider, record.contract_type), language=lang,
                          calendar=calendar_for(record, lang))
    send(services.smtp_settings(), message, reference=reference)


class ActionFollowthroughReply(Action):
    """The user's yes or no to the open follow-through offer."""

    def name(self) -> Text:
        return "action_followthrough_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        offer = Offer.parse(tracker.get_slot(OFFER_SLOT))
        reference = tracker.get_slot(REFERENCE_SLOT)
        if offer is None or not reference:
            dispatcher.utter_message(response="utter_help")
            return _slots(None, None)
        context = reply_context(tracker)
        step: Step = reply_step(offer, _reply(tracker), context)
        _say(dispatcher, tracker, step.before, step.offer if not step.effect else None)
        try:
            if step.effect is Effect.DISPATCH and services.dispatch_worker() is not None:
                job = await asyncio.to_thread(_dispatch, reference)
                state = job.state if job is not None else DispatchState.QUEUED
                tell(dispatcher, tracker, dispatch_result(
                    state, mode=services.dispatch_settings().mode,
                    print_job_id=job.print_job_id if job else None, now=clock.local(clock.now())))
            elif step.effect is Effect.EMAIL and context.email:
                try:
                    await asyncio.to_thread(_mail, tracker, reference, context.email)
                    tell(dispatcher, tracker, say("utter_mail_sent", email=context.email))
                except MailNotSent:
                    tell(dispatcher, tracker, say("utter_mail_failed"))
        except Exception:  # the user gets an answer, never silence
            logger.exception("Follow-through %s for %s failed", step.effect, reference)
            dispatcher.utter_message(response="utter_technical_problem")
            return _slots(None, None)
        _say(dispatcher, tracker, step.after, step.offer)
        return _slots(step.offer, reference)

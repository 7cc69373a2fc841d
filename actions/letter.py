"""Create the letter once the user confirmed the summary: render, log, hand out a link."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

import letters
from cancellation import clock
from cancellation.earlier_cancellation import earlier_cancellation_details
from cancellation.followup import next_steps
from cancellation.interview import CONFIRMED
from cancellation.letter_explanation import explain_letter
from cancellation.letter_request import build_letter_data, missing_answers, personal_data, requested_end
from cancellation.ratelimit import letter_limits
from cancellation.summary import subject_text
from cancellation.texts import Message, render, say
from cancellation.vocabulary import ContractType, Language, SpecialGround

from actions import services
from bot import metrics
from actions.answers import (
    INTERVIEW_SLOTS,
    PERSONAL_SLOTS,
    answers_of,
    channel_of,
    clear,
    interview_fields,
    provider_of,
)
from actions.downloads import hand_out
from actions.followthrough import offer_after_letter
from actions.speech import field_names, language, tell

logger = logging.getLogger(__name__)


def idempotency_key(conversation_id: str, answers: dict) -> str:
    """Same conversation + same answers = the same letter (a double click logs nothing twice)."""
    canonical = json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{conversation_id}\n{canonical}".encode()).hexdigest()


def client_of(tracker: Tracker) -> Optional[str]:
    """The channel's stand-in for the client address of the latest message (metadata "client",
    set only by our channels: bot/channels/limits.py), None when not limited by address."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            client = (event.get("metadata") or {}).get("client")
            return client if isinstance(client, str) and client else None
    return None


async def letter_allowed(tracker: Tracker) -> bool:
    """RATE_LIMIT_LETTERS_PER_DAY per conversation and per client address (cancellation/ratelimit.py).
    A failing counter store does not stop a letter."""
    per_conversation, per_address = letter_limits(services.rate_limits().letters_per_day)
    try:
        decision = await services.rate_limiter().check(
            (per_conversation, tracker.sender_id), (per_address, client_of(tracker))
        )
    except Exception as error:
        logger.warning("Letter rate limit not checked: the counter store failed (%s)", error)
        return True
    if not decision.allowed and decision.limit:
        metrics.rate_limited(decision.limit)
        logger.info("A letter was refused by the rate limit %s", decision.limit)
    return decision.allowed


def _also_mentioned(tracker: Tracker, provider) -> Optional[Message]:
    """ "Sie hatten auch Vattenfall erwähnt …": a second provider of the first message (hand-test
    item 8), with what to write to begin its letter; for a death case the reason goes with it."""
    other = services.directory().get(tracker.get_slot("also_mentioned") or "")
    if other is None or (provider is not None and other.key == provider.key):
        return None
    special = tracker.get_slot("special_termination") or {}
    key = "utter_also_mentioned_death" if special.get("ground") == SpecialGround.DEATH.value else "utter_also_mentioned"
    return say(key, provider=other.name)


class ActionCreateLetter(Action):
    def name(self) -> Text:
        return "action_create_letter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if tracker.get_slot("summary_confirmed") != CONFIRMED:
            # A letter only ever follows a confirmed summary (the form's last question); a form
            # that ended any other way writes nothing.
            return []
        answers = answers_of(tracker)
        missing = missing_answers(answers, interview_fields(answers))
        if missing:
            # Rasa runs this only after the completed form (data/rules.yml); reached any other
            # way, no letter with empty fields: the form asks what is missing (cleared, so that a
            # blank answer is asked again too), then the summary.
            logger.warning("No letter: answers missing (%s)", ", ".join(missing))
            tell(dispatcher, tracker, say("utter_letter_missing_answers", fields=field_names(tracker, missing)))
            return clear(missing) + [FollowupAction("cancellation_form")]
        if not await letter_allowed(tracker):
            tell(dispatcher, tracker, say("utter_letter_limit_reached"))
            return [SlotSet("summary_confirmed", None)]
        provider = provider_of(answers)
        today = clock.today()
        log = services.attempt_log()
        try:
            record = log.evidence.create_letter_attempt(
                channel=channel_of(tracker),
                conversation_id=tracker.sender_id,
                provider=str(answers["provider"]),
                provider_key=provider.key if provider else None,
                contract_type=ContractType.parse(answers.get("contract_type")),
                subject_kind=answers.get("subject_kind") or "contract",
                subject=subject_text(answers),
                requested_end=requested_end(answers),
                personal_data=personal_data(answers),
                render=lambda reference: letters.render(
                    build_letter_data(answers, provider, reference=reference, today=today)
                ),
                idempotency_key=idempotency_key(tracker.sender_id, answers),
                details=earlier_cancellation_details(answers),
            )
            ready = render(say("utter_letter_ready", reference=record.reference), language(tracker))
            hand_out(dispatcher, tracker, reference=record.reference, ready=ready)
            metrics.letter_handed_out()
        except Exception:  # the user must get an answer, not silence
            logger.exception("Creating the letter failed")
            dispatcher.utter_message(response="utter_technical_problem")
            return [SlotSet("summary_confirmed", None)]

        if language(tracker) is not Language.DE:
            # The letter is German (it goes to a German company): say what it says.
            letter = build_letter_data(answers, provider, reference=record.reference, today=today)
            tell(dispatcher, tracker, explain_letter(letter))
        tell(dispatcher, tracker, next_steps(provider, answers.get("contract_type"), bool(answers.get("country"))))
        also = _also_mentioned(tracker, provider)
        if also is not None:
            tell(dispatcher, tracker, also)
        offers = offer_after_letter(dispatcher, tracker, record.reference, answers, provider)
        kept = set(PERSONAL_SLOTS)
        return [SlotSet("last_reference", record.reference), SlotSet("also_mentioned", None)] + offers + [
            SlotSet(name, None) for name in INTERVIEW_SLOTS if name not in kept
        ]

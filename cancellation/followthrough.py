"""After the letter: the offers that follow it, one question at a time, as a small state machine.

1. Dispatch as Einwurf-Einschreiben (only when the operator configured LetterXpress): if the
   conclusion date is not known, first "concluded before 1 October 2016?"; if the letter may not
   go without a signature, the user is told why and nothing is offered.
2. The letter by e-mail (only with SMTP configured and an e-mail address from the interview).

Only an explicit yes does anything. Pure: the action layer (actions/followthrough.py) keeps the
open offer in a slot and carries out the effect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional

from cancellation.deadlines import add_months
from cancellation.dispatch.eligibility import Verdict
from cancellation.posting import SendingMethod, assumed_receipt, first_business_day_from
from cancellation.texts import Message, say
from cancellation.vocabulary import DispatchMode, DispatchState, Reply, Vocabulary

# Deutsche Post keeps the delivery record (Auslieferungsbeleg) of an Einschreiben this long.
DELIVERY_RECORD_MONTHS = 15
# LetterXpress hands letters received on a working day by 16:00 to Deutsche Post the same day
# (LetterXpress FAQ, docs/DISPATCH.md); later ones the next working day.
HAND_OVER_CUT_OFF = dt.time(16, 0)


class Offer(Vocabulary):
    CONCLUDED = "dispatch_concluded"  # "concluded before 1 October 2016?"
    DISPATCH = "dispatch"
    EMAIL = "email"


class Effect(Vocabulary):
    DISPATCH = "dispatch"
    EMAIL = "email"


@dataclass(frozen=True)
class Context:
    dispatch_verdict: Optional[Verdict]  # None: dispatch is not configured
    price_text: Optional[str]
    email: Optional[str]  # None: no address, or e-mail not configured


@dataclass(frozen=True)
class Step:
    """Say `before`, carry out `effect`, then say `after` and leave `offer` open."""

    before: List[Message] = field(default_factory=list)
    effect: Optional[Effect] = None
    after: List[Message] = field(default_factory=list)
    offer: Optional[Offer] = None


def _dispatch_offer(context: Context) -> Message:
    if context.price_text:
        return say("utter_dispatch_offer_price", price=context.price_text)
    return say("utter_dispatch_offer")


def _email_step(context: Context, before: List[Message]) -> Step:
    if context.email:
        return Step(before=before + [say("utter_mail_offer", email=context.email)],
                    offer=Offer.EMAIL)
    return Step(before=before)


def first_step(context: Context) -> Step:
    verdict = context.dispatch_verdict
    if verdict is None:
        return _email_step(context, [])
    if verdict.allowed:
        return Step(before=[_dispatch_offer(context)], offer=Offer.DISPATCH)
    if verdict.ask_concluded:
        return Step(before=[say("utter_dispatch_ask_concluded")], offer=Offer.CONCLUDED)
    return _email_step(context, [verdict.reason] if verdict.reason else [])


def reply_step(offer: Offer, reply: Reply, context: Context) -> Step:
    if offer is Offer.CONCLUDED:
        if reply is Reply.NO:
            return Step(before=[_dispatch_offer(context)], offer=Offer.DISPATCH)
        key = ("utter_dispatch_not_offered_old_contract" if reply is Reply.YES
               else "utter_dispatch_not_offered_unknown_age")
        return _email_step(context, [say(key)])
    if offer is Offer.DISPATCH:
        if reply is Reply.YES:
            after = _email_step(context, [])
            return Step(effect=Effect.DISPATCH, after=after.before, offer=after.offer)
        return _email_step(context, [say("utter_dispatch_declined")])
    if reply is Reply.YES:
        return Step(effect=Effect.EMAIL)
    return Step(before=[say("utter_mail_declined")])


def delivery_record_until(posted_on: dt.date) -> dt.date:
    return add_months(posted_on, DELIVERY_RECORD_MONTHS)


def posting_day(handed_over: dt.datetime) -> dt.date:
    """The day the service gives the letter to Deutsche Post (`handed_over` in German time)."""
    day = handed_over.date()
    if handed_over.time() >= HAND_OVER_CUT_OFF:
        day += dt.timedelta(days=1)
    return first_business_day_from(day)


def dispatch_result(state: DispatchState, *, mode: str, print_job_id: Optional[int],
                    now: dt.datetime) -> List[Message]:
    """What the user hears right after saying yes (`now` in German time)."""
    messages: List[Message] = []
    if state in (DispatchState.SUBMITTED, DispatchState.POSTED):
        posted = posting_day(now)
        messages.append(say("utter_dispatch_handed_over", job=print_job_id, posted=posted,
                            received=assumed_receipt(posted, SendingMethod.REGISTERED)))
        messages.append(say("utter_dispatch_delivery_record", until=delivery_record_until(posted)))
    elif state is DispatchState.QUEUED:
        messages.append(say("utter_dispatch_queued"))
    else:
        messages.append(say("utter_dispatch_failed"))
    if mode == DispatchMode.TEST:
        messages.append(say("utter_dispatch_test_mode"))
    return messages


def dispatch_status(details: Mapping[str, Any]) -> Optional[Message]:
    """The dispatch line of a status answer, from the chained details of a letter."""
    state = DispatchState.parse(details.get("dispatch_state"))
    if state is None:
        return None
    if state is DispatchState.POSTED:
        handed = str(details.get("handed_over_at") or "")[:10]
        try:
            posted_on = dt.date.fromisoformat(handed)
        except ValueError:
            posted_on = None
        return say("utter_dispatch_status_posted", tracking=details.get("tracking_number"),
                   until=delivery_record_until(posted_on) if posted_on else "-")
    if state is DispatchState.SUBMITTED:
        return say("utter_dispatch_status_submitted", job=details.get("print_job_id"))
    return say(f"utter_dispatch_status_{state.value}")

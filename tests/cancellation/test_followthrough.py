"""The follow-through offers after the letter: one question at a time, only a yes does anything."""

from __future__ import annotations

import datetime as dt

from cancellation.dispatch.eligibility import Verdict
from cancellation.followthrough import (
    Context,
    Effect,
    Offer,
    delivery_record_until,
    dispatch_status,
    first_step,
    reply_step,
)
from cancellation.texts import catalogue, render, say
from cancellation.vocabulary import Language, Reply

ALLOWED = Verdict(True)
ASK = Verdict(False, ask_concluded=True)
OLD = Verdict(False, say("utter_dispatch_not_offered_old_contract"))


def keys(messages):
    return [message.key for message in messages]


def test_dispatch_offer_names_the_price():
    step = first_step(Context(ALLOWED, "4,49 €", None))
    assert step.offer is Offer.DISPATCH
    text = render(step.before, Language.DE)
    assert "Soll ich den Brief als Einwurf-Einschreiben für Sie verschicken?" in text
    assert "4,49 €" in text


def test_only_yes_dispatches_then_email_is_offered():
    context = Context(ALLOWED, None, "erika@example.org")
    yes = reply_step(Offer.DISPATCH, Reply.YES, context)
    assert yes.effect is Effect.DISPATCH and yes.offer is Offer.EMAIL
    no = reply_step(Offer.DISPATCH, Reply.NO, context)
    assert no.effect is None and keys(no.before) == ["utter_dispatch_declined", "utter_mail_offer"]
    assert reply_step(Offer.EMAIL, Reply.YES, context).effect is Effect.EMAIL
    assert reply_step(Offer.EMAIL, Reply.NO, context).effect is None


def test_unknown_age_asks_first_and_only_no_leads_to_the_offer():
    context = Context(ASK, None, None)
    assert first_step(context).offer is Offer.CONCLUDED
    assert reply_step(Offer.CONCLUDED, Reply.NO, context).offer is Offer.DISPATCH
    before = reply_step(Offer.CONCLUDED, Reply.YES, context)
    assert before.offer is None and keys(before.before) == ["utter_dispatch_not_offered_old_contract"]
    unknown = reply_step(Offer.CONCLUDED, Reply.UNKNOWN, context)
    assert unknown.offer is None and unknown.effect is None


def test_not_offered_says_why_and_goes_on_with_email():
    step = first_step(Context(OLD, None, "erika@example.org"))
    assert keys(step.before) == ["utter_dispatch_not_offered_old_contract", "utter_mail_offer"]
    assert "eigenhändige Unterschrift" in render(step.before, Language.DE)


def test_nothing_configured_offers_nothing():
    assert first_step(Context(None, None, None)).offer is None


def test_delivery_record_for_fifteen_months_and_status_line():
    assert delivery_record_until(dt.date(2026, 12, 2)) == dt.date(2028, 3, 2)
    message = dispatch_status({"dispatch_state": "posted", "tracking_number": "RR123456789DE",
                               "handed_over_at": "2026-12-02T09:00:00.000000+00:00"})
    assert "RR123456789DE" in render(message, Language.DE)
    assert "02.03.2028" in render(message, Language.DE)
    assert dispatch_status({}) is None
    for state in ("queued", "submitted", "cancelled", "rejected", "failed"):
        assert dispatch_status({"dispatch_state": state}).key in catalogue().names


def test_posting_day_and_receipt_follow_the_services_cut_off():
    from cancellation.followthrough import dispatch_result, posting_day
    from cancellation.clock import GERMAN_TIME
    from cancellation.vocabulary import DispatchState

    wednesday_morning = dt.datetime(2026, 12, 2, 10, 0, tzinfo=GERMAN_TIME)
    friday_evening = dt.datetime(2026, 12, 4, 17, 0, tzinfo=GERMAN_TIME)
    assert posting_day(wednesday_morning) == dt.date(2026, 12, 2)
    assert posting_day(friday_evening) == dt.date(2026, 12, 7)  # Monday
    text = render(dispatch_result(DispatchState.SUBMITTED, mode="live", print_job_id=7,
                                  now=wednesday_morning), Language.DE)
    # Posted Wednesday: four postal working days (Saturday counts) -> Monday 07.12.
    assert "am 02.12.2026 als Einwurf-Einschreiben" in text and "am 07.12.2026 als zugegangen" in text
    assert "Testmodus" not in text

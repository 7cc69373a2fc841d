"""Actions take "today" from the one clock (cancellation/clock.py: the date in Germany), never
from the server's local date: on a UTC host the hour after midnight in Germany is still
"yesterday", and a year-less date or the letter's date would come out a day or a year wrong."""

from __future__ import annotations

import asyncio
import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.facts import ActionTakeOverFacts
from cancellation import clock

# 00:30 on 1 April 2027 in Germany (CEST), still 31 March in UTC.
AFTER_MIDNIGHT_IN_GERMANY = dt.datetime(2027, 3, 31, 22, 30, tzinfo=dt.timezone.utc)


def test_a_year_less_end_date_counts_from_todays_german_date(monkeypatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: AFTER_MIDNIGHT_IN_GERMANY)
    text = "Ich will meinen Handyvertrag bei Vodafone zum 31.03. kündigen"
    tracker = Tracker("rest:clock", {}, {"text": text, "intent": {}}, [], False, None, {}, "action_listen")
    events = asyncio.run(ActionTakeOverFacts().run(CollectingDispatcher(), tracker, {}))
    # 31 March 2027 is yesterday in Germany: the next 31 March is in 2028.
    assert SlotSet("end_date", "2028-03-31") in events


def test_a_pasted_letters_signature_is_taken_as_the_name() -> None:
    # Hand-test: address and numbers of a pasted letter were taken, the name signed under it asked.
    text = "Hiermit kündige ich meinen Vertrag bei Vodafone zum nächstmöglichen Termin. Mit freundlichen Grüßen, Klaus Peters"
    tracker = Tracker("rest:letter", {}, {"text": text, "intent": {}}, [], False, None, {}, "action_listen")
    events = asyncio.run(ActionTakeOverFacts().run(CollectingDispatcher(), tracker, {}))
    assert SlotSet("full_name", "Klaus Peters") in events

"""Example dates in the questions come from today (cancellation/clock.py): with a frozen clock they
are exactly these, in both languages, and they never lie on the wrong side of today."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cancellation import clock, examples
from cancellation.deadline_answers import parse_sending, parse_start
from cancellation.texts import MonthOfYear, format_date, render
from cancellation.validation import InvalidInput, parse_end_date

# 10:00 on Wednesday 2 December 2026 in Germany.
FROZEN = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone.utc)
TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "today, end, receipt, past, start, month",
    [
        (dt.date(2026, 12, 2), dt.date(2027, 3, 31), dt.date(2026, 12, 9), dt.date(2026, 12, 1), dt.date(2024, 12, 15),
         MonthOfYear(2024, 12)),
        (dt.date(2027, 11, 30), dt.date(2028, 2, 29), dt.date(2027, 12, 7), dt.date(2027, 11, 1), dt.date(2025, 11, 15),
         MonthOfYear(2025, 11)),
        (dt.date(2027, 1, 31), dt.date(2027, 4, 30), dt.date(2027, 2, 7), dt.date(2027, 1, 1), dt.date(2025, 1, 15),
         MonthOfYear(2025, 1)),
    ],
)
def test_examples_follow_today(today, end, receipt, past, start, month):
    assert examples.end_date(today) == end  # the last day of the month three months ahead
    assert examples.receipt_date(today) == receipt
    assert examples.past_date(today) == past and examples.coming_date(today) > today
    assert examples.start_date(today) == start and examples.start_month(today) == month


def test_an_example_date_is_accepted_by_the_parser_that_shows_it():
    for today in (dt.date(2026, 12, 2), dt.date(2027, 12, 31), dt.date(2028, 2, 29)):
        for language in ("de", "en"):
            end, start = examples.end_date(today), examples.start_date(today)
            assert parse_end_date(format_date(end, language), today) == end
            assert parse_start(format_date(start, language), today) == start.isoformat()


def test_refusals_show_todays_examples_in_both_languages():
    with pytest.raises(InvalidInput) as end:
        parse_end_date("irgendwann", TODAY)
    assert "31.03.2027 oder „nächstmöglich“" in render(end.value.message, "de")
    assert "31 March 2027 or \"earliest possible\"" in render(end.value.message, "en")
    with pytest.raises(InvalidInput) as start:
        parse_start("irgendwann", TODAY)
    assert "ein Datum (15.12.2024), einen Monat (Dezember 2024 oder 12/2024) oder ein Jahr (2023)" in \
        render(start.value.message, "de")
    assert "a date (15 December 2024), a month (December 2024 or 12/2024) or a year (2023)" in \
        render(start.value.message, "en")
    with pytest.raises(InvalidInput) as sending:
        parse_sending("irgendwie", TODAY)
    assert "zum Beispiel 09.12.2026" in render(sending.value.message, "de")


def ask(action, **slots):
    dispatcher = CollectingDispatcher()
    tracker = Tracker("c", slots, {"text": "", "intent": {}}, [], False, None, {}, "action_listen")
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages[0]


def test_the_questions_show_todays_examples(monkeypatch):
    from actions.deadline import ActionAskDeadlineSending, ActionAskDeadlineStart
    from actions.form import ActionAskEndDate
    from actions.special import ActionAskSpecialFact

    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    end = ask(ActionAskEndDate())
    assert "zum Beispiel 31.03.2027." in end["text"] and end["buttons"][0]["payload"] == "nächstmöglich"
    assert "for example 31 March 2027." in ask(ActionAskEndDate(), language="en")["text"]
    start = ask(ActionAskDeadlineStart())
    assert "zum Beispiel 15.12.2024" in start["text"] and "„Dezember 2024“" in start["text"]
    assert start["buttons"] == [{"title": "Weiß nicht", "payload": "weiß nicht"}]
    assert "\"December 2024\"" in ask(ActionAskDeadlineStart(), language="en")["text"]
    sending = ask(ActionAskDeadlineSending())
    assert "(zum Beispiel 09.12.2026)" in sending["text"] and len(sending["buttons"]) == 4
    notice = ask(ActionAskSpecialFact(), special_ground="price_change", special_facts={"sector": "telecom"})
    assert "(zum Beispiel 01.12.2026)" in notice["text"]


def test_an_unreadable_confirmed_end_shows_an_end_date_ahead(monkeypatch):
    from actions.followup import ValidateConfirmationForm

    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    dispatcher = CollectingDispatcher()
    tracker = Tracker("c", {"language": "en"}, {"text": "hm", "intent": {}}, [], False, None, {}, "action_listen")
    assert ValidateConfirmationForm().validate_confirmed_end("hm", dispatcher, tracker, {}) == {"confirmed_end": None}
    assert "for example 31 March 2027." in dispatcher.messages[0]["text"]


def test_a_special_date_refusal_shows_the_same_kind_of_example():
    from cancellation.special.facts import CHANGE_EFFECTIVE, NOTICE_RECEIVED
    from cancellation.special_interview import InvalidAnswer, parse_fact

    for question, example in ((NOTICE_RECEIVED, "01.12.2026"), (CHANGE_EFFECTIVE, "01.01.2027")):
        with pytest.raises(InvalidAnswer) as refused:
            parse_fact(question, "irgendwann", TODAY)
        assert example in render(refused.value.message, "de")

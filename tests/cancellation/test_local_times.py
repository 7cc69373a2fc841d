"""Times shown to users are German local time (Europe/Berlin, with daylight saving), never UTC.

The log stores UTC; the status list in the chat, the evidence report (PDF) and the CLI show what a
clock in Germany showed at that moment.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import cancellation.log.evidence_writes as evidence_writes
from actions import services
from actions.privacy import ActionShowStatus
from cancellation.clock import local_time_text
from cancellation.evidence import evidence_report_for
from letters.evidence import render_evidence_report
from tests.e2e.pdftext import pdf_text

UTC = dt.timezone.utc
# moment stored (UTC), as shown in Germany
TIMES = [
    pytest.param(dt.datetime(2027, 1, 15, 23, 30, tzinfo=UTC), "16.01.2027, 00:30 Uhr", id="winter-CET"),
    pytest.param(dt.datetime(2027, 7, 15, 22, 30, tzinfo=UTC), "16.07.2027, 00:30 Uhr", id="summer-CEST"),
    pytest.param(dt.datetime(2027, 3, 28, 0, 59, tzinfo=UTC), "28.03.2027, 01:59 Uhr", id="before-spring-change"),
    pytest.param(dt.datetime(2027, 3, 28, 1, 0, tzinfo=UTC), "28.03.2027, 03:00 Uhr", id="after-spring-change"),
    pytest.param(dt.datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "31.10.2027, 02:30 Uhr", id="autumn-first-2:30"),
    pytest.param(dt.datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "31.10.2027, 02:30 Uhr", id="autumn-second-2:30"),
]
SENDER = "conversation-times"


@pytest.mark.parametrize("moment, shown", TIMES)
def test_local_time_text(moment, shown):
    assert local_time_text(moment) == shown


@pytest.fixture
def log(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'times.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://bot.example")
    services.settings.cache_clear()
    services.attempt_log.cache_clear()
    yield services.attempt_log()
    services.attempt_log().dispose()
    services.settings.cache_clear()
    services.attempt_log.cache_clear()


def letter_at(log, monkeypatch, moment: dt.datetime):
    monkeypatch.setattr(evidence_writes, "utc_now", lambda: moment)
    return log.evidence.create_letter_attempt(
        channel="rest", conversation_id=SENDER, provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Erika Muster"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    )


@pytest.mark.parametrize("moment, shown", TIMES[:2])
def test_the_status_list_shows_german_local_time(log, monkeypatch, moment, shown):
    record = letter_at(log, monkeypatch, moment)
    tracker = Tracker(SENDER, {}, {"text": "Status", "intent": {}}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionShowStatus().run(dispatcher, tracker, {}))
    text = "\n".join(message["text"] for message in dispatcher.messages)
    assert record.reference in text
    assert shown in text
    assert "UTC" not in text


@pytest.mark.parametrize("moment, shown", TIMES[:2])
def test_the_evidence_report_shows_german_local_time(log, monkeypatch, moment, shown):
    record = letter_at(log, monkeypatch, moment)
    report = evidence_report_for(log, record.reference, now=moment + dt.timedelta(minutes=5))
    text = pdf_text(render_evidence_report(report))
    assert shown in text  # the letter's log entry
    generated = local_time_text(moment + dt.timedelta(minutes=5))
    assert generated in text and "UTC" not in text


def test_the_status_list_follows_the_conversations_language(log, monkeypatch):
    record = letter_at(log, monkeypatch, dt.datetime(2027, 1, 15, 10, 0, tzinfo=UTC))
    lists = {}
    for language in ("de", "en"):
        tracker = Tracker(
            SENDER, {"language": language}, {"text": "status", "intent": {}}, [], False, None, {},
            "action_listen",
        )
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionShowStatus().run(dispatcher, tracker, {}))
        lists[language] = "\n".join(message["text"] for message in dispatcher.messages)
    assert "Das habe ich protokolliert" in lists["de"] and "Brief erstellt" in lists["de"]
    assert "This is what I have logged" in lists["en"] and "letter created" in lists["en"]
    assert record.reference in lists["en"]

"""The calendar download and the dispatch worker, mounted the way Rasa mounts channels."""

from __future__ import annotations

import datetime as dt
import time

from icalendar import Calendar

from bot.channels.followthrough import FollowThroughInput
from bot.channels.web import WebPageInput
from cancellation.dispatch.queue import DispatchQueue
from cancellation.log import AttemptLog
from cancellation.log.records import Document
from cancellation.vocabulary import DispatchState
from tests.bot.channels.web_support import serving
from tests.support.fake_letterxpress import API_KEY, USERNAME, FakeLetterXpress


def _letter(log: AttemptLog) -> str:
    return log.evidence.create_letter_attempt(
        channel="web", conversation_id="c-1", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=dt.date(2027, 5, 31),
        personal_data={"full_name": "Erika Mustermann"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    ).reference


def test_calendar_download_next_to_the_web_page(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ft.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("LETTERXPRESS_USER", raising=False)
    log = AttemptLog.from_url(url, upgrade_schema=True)
    reference = _letter(log)
    token = log.tokens.issue(reference, ttl=dt.timedelta(days=7), document=Document.CALENDAR)
    letter_token = log.tokens.issue(reference, ttl=dt.timedelta(days=7))
    with serving(WebPageInput(attempt_log_factory=lambda: log), FollowThroughInput()) as server:
        reply = server.get(f"/calendar/{token}?lang=en")
        assert reply.status == 200
        assert reply.headers["content-type"].startswith("text/calendar")
        assert f'filename="Termine-{reference}.ics"' in reply.headers["content-disposition"]
        calendar = Calendar.from_ical(reply.body)
        summaries = {str(event["summary"]) for event in calendar.walk("VEVENT")}
        assert f"Contract end (cancellation {reference})" in summaries
        assert server.get(f"/calendar/{letter_token}").status == 404  # a letter token is no calendar
        assert server.get("/calendar/not-a-token!").status == 404
        assert server.get(f"/letters/{letter_token}").status == 200  # the web page's route still works
    log.dispose()


def test_worker_runs_with_the_server_and_dispatches_queued_letters(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ft.db'}"
    log = AttemptLog.from_url(url, upgrade_schema=True)
    reference = _letter(log)
    DispatchQueue(log.store).enqueue(reference, mode="test")
    with FakeLetterXpress() as fake:
        for name, value in {"DATABASE_URL": url, "LETTERXPRESS_USER": USERNAME,
                            "LETTERXPRESS_API_KEY": API_KEY, "LETTERXPRESS_BASE_URL": fake.base_url,
                            "DISPATCH_INTERVAL_SECONDS": "0.2", "DISPATCH_POLL_SECONDS": "0.2"}.items():
            monkeypatch.setenv(name, value)
        channel = FollowThroughInput()
        try:
            with serving(channel):
                deadline = time.monotonic() + 30
                while DispatchQueue(log.store).get(reference).state is not DispatchState.POSTED:
                    assert time.monotonic() < deadline, "the worker did not post the letter"
                    time.sleep(0.1)
        finally:
            channel.stop_worker()
    assert len(fake.jobs) == 1
    assert log.reads.get(reference).details["tracking_number"].startswith("RR")
    log.dispose()

"""Send it for me, over REST against the real servers: the letter goes to the fake LetterXpress
(test mode) as Einwurf-Einschreiben, its Sendungsnummer lands in `attempts show` and the evidence
report, the chain verifies; with the service down the user keeps the link and a later try posts
exactly one print job; the e-mail reaches a real SMTP server; the calendar file downloads."""

from __future__ import annotations

import re
import subprocess
import time
from typing import Iterator

import pytest
from icalendar import Calendar

from tests.e2e.conftest import Chat
from tests.e2e.pdftext import pdf_text
from tests.support.fake_letterxpress import API_KEY, USERNAME, FakeLetterXpress
from tests.support.smtp_server import SmtpServer
from tests.support.stack import ROOT, VENV_BIN, Stack, running_stack

CALENDAR = re.compile(r"\((http://127\.0\.0\.1:\d+/calendar/[A-Za-z0-9_-]+\?lang=de)\)")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLetterXpress]:
    with FakeLetterXpress() as server:
        yield server


@pytest.fixture(scope="module")
def smtp(tmp_path_factory) -> Iterator[SmtpServer]:
    with SmtpServer(tmp_path_factory.mktemp("smtp")) as server:
        yield server


@pytest.fixture(scope="module")
def dispatch_stack(tmp_path_factory, fake, smtp) -> Iterator[Stack]:
    env = {
        "LETTERXPRESS_USER": USERNAME, "LETTERXPRESS_API_KEY": API_KEY,
        "LETTERXPRESS_BASE_URL": fake.base_url, "LETTERXPRESS_PRICE_TEXT": "4,49 €",
        "DISPATCH_INTERVAL_SECONDS": "0.5", "DISPATCH_RETRY_SECONDS": "1",
        "DISPATCH_POLL_SECONDS": "1",
        "SMTP_URL": smtp.url, "SMTP_FROM": "hilfe@verbraucher.example",
        "SMTP_CA_FILE": str(smtp.cert),
    }
    with running_stack(tmp_path_factory.mktemp("dispatch-stack"), env=env) as running:
        yield running


def cli(stack: Stack, *args: str) -> str:
    return subprocess.run([str(VENV_BIN / "python"), "-m", "bot", *args], cwd=ROOT, env=stack.env,
                          check=True, capture_output=True, text=True).stdout


def letter_conversation(chat: Chat, email: str) -> str:
    chat.say("Ich möchte meinen DSL Vertrag bei der Telekom kündigen")
    chat.say("Anna Schmidt")
    chat.say("Lindenweg 3, 12345 Musterstadt")
    chat.say("K-998877")
    chat.say("keine")
    chat.say("nächstmöglich")
    chat.say("nein")
    chat.say(email)
    done = chat.say("ja")
    match = re.search(r"KB-\d{4}-[0-9A-Z]{6}", done)
    assert match, done
    return match.group(0)


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


def test_dispatch_tracking_number_in_log_and_report_then_email_and_calendar(
        dispatch_stack, fake, smtp, tmp_path):
    chat = Chat(dispatch_stack, "dispatch-e2e-1")
    reference = letter_conversation(chat, "anna.schmidt@example.org")
    assert "Kalenderdatei" in chat.text
    assert "1. Oktober 2016" in chat.text  # the conclusion date is not known: asked first
    offer = chat.say("nein")
    assert "Soll ich den Brief als Einwurf-Einschreiben für Sie verschicken?" in offer
    assert "4,49 €" in offer
    before = len(fake.jobs)
    handed = chat.say("ja")
    assert "Druckauftrag Nr." in handed and "Auslieferungsbeleg" in handed
    assert "anna.schmidt@example.org" in handed  # the e-mail offer follows
    assert len(fake.jobs) == before + 1
    job = max(fake.jobs.values(), key=lambda printed: printed.id)
    assert job.notice == reference and job.registered == "r1" and job.mode == "test"

    mailed = chat.say("ja")
    assert "unterwegs" in mailed
    mail = next(message for message in smtp.inbox.messages if reference in message["Subject"])
    assert mail["Subject"] == f"Ihr Kündigungsschreiben {reference}"
    assert {part.get_content_type() for part in mail.iter_attachments()} == {
        "application/pdf", "text/calendar"}

    wait_for(lambda: "RR" in cli(dispatch_stack, "attempts", "show", reference))
    shown = cli(dispatch_stack, "attempts", "show", reference)
    tracking = f"RR{job.id:09d}DE"
    assert tracking in shown
    assert tracking in chat.say("Status")
    report = tmp_path / "nachweis.pdf"
    cli(dispatch_stack, "evidence", reference, "-o", str(report))
    assert f"Sendungsnummer {tracking}" in pdf_text(report.read_bytes())
    cli(dispatch_stack, "attempts", "verify")  # exits non-zero on any mismatch


def test_calendar_download_and_another_message_closes_the_offer(dispatch_stack, fake):
    chat = Chat(dispatch_stack, "dispatch-e2e-cal")
    letter_conversation(chat, "nein")
    match = CALENDAR.search(chat.text)
    assert match, chat.text
    status, headers, body = dispatch_stack.get(match.group(1))
    assert status == 200
    assert headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(body)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert any(event.walk("VALARM") for event in calendar.walk("VEVENT"))

    assert "Soll ich den Brief" in chat.say("nein")  # not before October 2016: the offer
    chat.say("Status")  # any other message closes it: a later "ja" sends nothing
    jobs = len(fake.jobs)
    assert "Druckauftrag" not in chat.say("ja")
    assert len(fake.jobs) == jobs


def test_service_down_keeps_the_link_and_a_later_try_posts_one_job(dispatch_stack, fake):
    chat = Chat(dispatch_stack, "dispatch-e2e-2")
    reference = letter_conversation(chat, "nein")
    assert "/letters/" in chat.text  # the download link, which stays valid
    chat.say("nein")
    fake.down()
    try:
        queued = chat.say("ja")
        assert "nicht erreichbar" in queued and "Download-Link" in queued
    finally:
        fake.up()
    wait_for(lambda: any(job.notice == reference for job in fake.jobs.values()))
    wait_for(lambda: "RR" in cli(dispatch_stack, "attempts", "show", reference))
    assert len([job for job in fake.jobs.values() if job.notice == reference]) == 1
    cli(dispatch_stack, "attempts", "verify")

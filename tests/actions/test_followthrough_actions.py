"""Follow-through actions against a real attempt log, the fake LetterXpress and a real SMTP
server: the offer after the letter, only a yes dispatches, status shows the Sendungsnummer."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.followthrough import ActionFollowthroughReply, offer_after_letter
from actions.privacy import ActionShowStatus
from tests.support.fake_letterxpress import API_KEY, USERNAME, FakeLetterXpress
from tests.support.smtp_server import SmtpServer

SENDER = "conversation-ft"
ANSWERS = {"provider": "Beispiel Fitness GmbH", "provider_address": {"lines": ["Beispiel Fitness GmbH"], "street": "Hauptstr. 1", "postcode": "10115", "city": "Berlin"},
           "contract_type": "gym", "full_name": "Erika Muster", "street": "Musterstraße 5",
           "postcode": "10115", "city": "Berlin", "email": "erika@example.org"}


def clear_services():
    for cached in (services.settings, services.attempt_log, services.dispatch_settings,
                   services.smtp_settings, services.dispatch_worker):
        cached.cache_clear()


@pytest.fixture
def fake():
    with FakeLetterXpress() as server:
        yield server


@pytest.fixture
def log(tmp_path, monkeypatch, fake):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'actions.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://bot.example")
    monkeypatch.setenv("LETTERXPRESS_USER", USERNAME)
    monkeypatch.setenv("LETTERXPRESS_API_KEY", API_KEY)
    monkeypatch.setenv("LETTERXPRESS_BASE_URL", fake.base_url)
    monkeypatch.setenv("LETTERXPRESS_PRICE_TEXT", "4,49 €")
    clear_services()
    yield services.attempt_log()
    services.attempt_log().dispose()
    clear_services()


def letter(log):
    return log.evidence.create_letter_attempt(
        channel="rest", conversation_id=SENDER, provider="Beispiel Fitness GmbH",
        subject_kind="contract", subject="Fitnessstudiovertrag", requested_end=None,
        personal_data={"full_name": "Erika Muster"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    )


def tracker(text: str, intent: str | None = None, **slots) -> Tracker:
    return Tracker(SENDER, slots, {"text": text, "intent": {"name": intent} if intent else {}},
                   [], False, None, {}, "action_listen")


def texts(dispatcher) -> str:
    return "\n".join(message.get("text") or "" for message in dispatcher.messages)


def slots(events) -> dict:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def offer(log, **extra_slots):
    record = letter(log)
    dispatcher = CollectingDispatcher()
    events = offer_after_letter(dispatcher, tracker("ja", **extra_slots), record.reference,
                                ANSWERS, None)
    return record, dispatcher, slots(events)


def reply(text: str, intent: str | None, state: dict, **extra):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFollowthroughReply().run(
        dispatcher, tracker(text, intent, **state, **extra), {}))
    return dispatcher, slots(events)


def test_unknown_age_is_asked_then_yes_dispatches_exactly_once(log, fake):
    record, dispatcher, state = offer(log)
    assert "/calendar/" in texts(dispatcher)
    assert "vor dem 1. Oktober 2016" in texts(dispatcher)
    assert state["followthrough_offer"] == "dispatch_concluded"
    dispatcher, state = reply("nein", "deny", state)
    assert "Soll ich den Brief als Einwurf-Einschreiben für Sie verschicken?" in texts(dispatcher)
    assert "4,49 €" in texts(dispatcher)
    assert fake.jobs == {}
    dispatcher, after = reply("ja", "affirm", state)
    assert "Druckauftrag Nr." in texts(dispatcher) and "Testmodus" in texts(dispatcher)
    assert "Auslieferungsbeleg" in texts(dispatcher)
    assert after["followthrough_offered"] is False
    assert len(fake.jobs) == 1
    reply("ja", "affirm", state)  # the same yes again: still one print job
    assert len(fake.jobs) == 1
    assert log.reads.verify().ok


def test_an_old_contract_is_never_offered_and_says_why(log, fake):
    _, dispatcher, state = offer(log, deadline_start="2015-03-01")
    assert "eigenhändige Unterschrift" in texts(dispatcher)
    assert state["followthrough_offered"] is False


def test_a_no_sends_nothing(log, fake):
    _, _, state = offer(log, deadline_concluded="2020-01-01")
    assert state["followthrough_offer"] == "dispatch"
    dispatcher, state = reply("nein danke", "deny", state)
    assert "verschicken Sie den Brief selbst" in texts(dispatcher)
    assert fake.jobs == {}


def test_service_down_keeps_the_order_and_status_shows_it(log, fake):
    record, _, state = offer(log, deadline_concluded="2020-01-01")
    fake.down()
    dispatcher, _ = reply("ja", "affirm", state)
    assert "nicht erreichbar" in texts(dispatcher)
    status = CollectingDispatcher()
    asyncio.run(ActionShowStatus().run(status, tracker("status"), {}))
    assert "Versand: beauftragt" in texts(status)


def test_status_shows_the_tracking_number(log, fake):
    record, _, state = offer(log, deadline_concluded="2020-01-01")
    reply("ja", "affirm", state)
    job = services.dispatch_worker().job(record.reference)
    log.evidence.record_dispatch(record.reference, {"dispatch_state": "posted",
                                                    "tracking_number": "RR123456789DE"})
    status = CollectingDispatcher()
    asyncio.run(ActionShowStatus().run(status, tracker("status"), {}))
    assert "Sendungsnummer RR123456789DE" in texts(status)
    assert job.print_job_id in fake.jobs


def test_email_offer_and_sending(log, fake, tmp_path, monkeypatch):
    monkeypatch.delenv("LETTERXPRESS_USER")
    monkeypatch.delenv("LETTERXPRESS_API_KEY")
    with SmtpServer(tmp_path) as server:
        monkeypatch.setenv("SMTP_URL", server.url)
        monkeypatch.setenv("SMTP_FROM", "hilfe@verbraucher.example")
        monkeypatch.setenv("SMTP_CA_FILE", str(server.cert))
        clear_services()
        _, dispatcher, state = offer(log)
        assert "erika@example.org" in texts(dispatcher)
        assert state["followthrough_offer"] == "email"
        dispatcher, _ = reply("ja", "affirm", state, email="erika@example.org")
    assert "unterwegs" in texts(dispatcher)
    [mail] = server.inbox.messages
    assert mail["To"] == "erika@example.org"


def test_status_in_english_has_no_german_dates_or_wording(log):
    letter(log)
    status = CollectingDispatcher()
    asyncio.run(ActionShowStatus().run(status, tracker("what is my reference number?", language="en"), {}))
    shown = texts(status)
    assert "This is what I have logged" in shown and "at the earliest possible date" in shown
    assert "Uhr" not in shown and "nächstmöglichen" not in shown
    german = CollectingDispatcher()
    asyncio.run(ActionShowStatus().run(german, tracker("Vorgangsnummer?"), {}))
    assert "Uhr" in texts(german) and "zum nächstmöglichen Zeitpunkt" in texts(german)


def test_status_in_english_describes_the_letters_german_subject(log):
    letter(log)
    status = CollectingDispatcher()
    asyncio.run(ActionShowStatus().run(status, tracker("what is the status of my cancellation", language="en"), {}))
    assert "“Fitnessstudiovertrag” (the subject line of the German letter) with Beispiel Fitness GmbH" in texts(status)
    german = CollectingDispatcher()
    asyncio.run(ActionShowStatus().run(german, tracker("Status?"), {}))
    assert ": Fitnessstudiovertrag bei Beispiel Fitness GmbH," in texts(german)

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cancellation.log import AttemptLog, AttemptRecord, UnknownReference
from cancellation.log.models import Attempt, LogEntryRow, Person

PERSON = {
    "name": "Erika Mustermann",
    "street": "Heidestraße 17",
    "postcode": "51147",
    "city": "Köln",
    "email": "erika@example.org",
    "customer_number": "K-123456",
    "phone_number": "0171 2345678",
    "date_of_birth": date(1964, 8, 12),
}


def fake_pdf(reference: str) -> bytes:
    return b"%PDF-1.4 letter " + reference.encode()


def create_letter(log: AttemptLog, **overrides) -> AttemptRecord:
    arguments = dict(
        channel="web",
        conversation_id="conv-1",
        provider="o2",
        subject_kind="contract",
        subject="Mobilfunkvertrag",
        requested_end=date(2026, 3, 31),
        personal_data=PERSON,
        render=fake_pdf,
    )
    arguments.update(overrides)
    return log.evidence.create_letter_attempt(**arguments)


def count(log: AttemptLog, model) -> int:
    with Session(log.engine, future=True) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_letter_attempt_is_stored_with_pdf_personal_data_and_chain_entry(attempt_log):
    rendered = []

    def render(reference: str) -> bytes:
        rendered.append(reference)
        return fake_pdf(reference)

    record = create_letter(attempt_log, render=render)

    assert re.fullmatch(rf"KB-{datetime.now(timezone.utc).year}-[0-9A-HJKMNP-TV-Z]{{6}}", record.reference)
    assert rendered == [record.reference]
    assert record.created_at.tzinfo is not None
    assert (record.kind, record.channel, record.status) == ("letter", "web", "letter_created")
    assert record.requested_end == "2026-03-31"
    assert attempt_log.reads.letter_pdf(record.reference) == fake_pdf(record.reference)
    assert attempt_log.reads.personal_data(record.reference)["date_of_birth"] == "1964-08-12"
    assert attempt_log.reads.get(record.reference) == record
    [entry] = attempt_log.reads.entries(record.reference)
    assert entry.event == "letter_created"
    assert entry.payload["letter_sha256"] == record.letter_sha256
    assert attempt_log.reads.verify().ok


def test_chain_payloads_hold_no_personal_data(attempt_log):
    record = create_letter(attempt_log)
    attempt_log.evidence.set_status(record.reference, "sent", details={"sent_on": date(2026, 1, 5)})
    text = repr([entry.payload for entry in attempt_log.reads.entries(record.reference)])
    for value in ("Mustermann", "Heidestraße", "51147", "erika@", "K-123456", "2345678", "1964"):
        assert value not in text


def test_reference_lookup_forgives_case_and_spaces(attempt_log):
    record = create_letter(attempt_log)
    sloppy = " " + record.reference.lower().replace("-", " - ", 1) + " "
    assert attempt_log.reads.get(sloppy).reference == record.reference
    assert attempt_log.reads.get("KB-2026-XXXXXX") is None
    assert attempt_log.reads.get("nonsense") is None


def test_asap_when_no_end_date_is_requested(attempt_log):
    assert create_letter(attempt_log, requested_end=None).requested_end == "asap"


def test_same_idempotency_key_logs_and_renders_only_once(attempt_log):
    first = create_letter(attempt_log, idempotency_key="conv-1:msg-7")

    def must_not_render(reference: str) -> bytes:
        raise AssertionError("rendered twice")

    second = create_letter(attempt_log, idempotency_key="conv-1:msg-7", render=must_not_render)

    assert second.reference == first.reference
    assert count(attempt_log, Attempt) == 1
    assert len(attempt_log.reads.entries(first.reference)) == 1


def test_concurrent_double_click_with_one_key_creates_one_attempt(attempt_log):
    barrier = threading.Barrier(6)

    def click(_: int) -> str:
        barrier.wait()
        return create_letter(attempt_log, idempotency_key="double-click").reference

    with ThreadPoolExecutor(max_workers=6) as pool:
        references = set(pool.map(click, range(6)))

    assert len(references) == 1
    assert count(attempt_log, Attempt) == 1
    assert attempt_log.reads.verify().entries == 1


def test_twenty_concurrent_letters_get_distinct_references_and_one_unforked_chain(attempt_log):
    barrier = threading.Barrier(20)

    def create(index: int) -> str:
        barrier.wait()
        return create_letter(attempt_log, conversation_id=f"conv-{index}").reference

    with ThreadPoolExecutor(max_workers=20) as pool:
        references = list(pool.map(create, range(20)))

    assert len(set(references)) == 20
    assert count(attempt_log, Attempt) == 20
    assert count(attempt_log, LogEntryRow) == 20
    verification = attempt_log.reads.verify()
    assert verification.ok, verification
    assert verification.entries == 20


def test_hotline_calls_are_logged_without_letter(attempt_log):
    called_at = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
    failed = attempt_log.evidence.log_hotline_attempt(
        channel="telegram",
        conversation_id="conv-2",
        provider="Vodafone",
        subject="DSL-Vertrag",
        called_at=called_at,
        outcome="not_reached",
        note="45 Minuten Warteschleife",
    )
    succeeded = attempt_log.evidence.log_hotline_attempt(
        channel="telegram",
        conversation_id="conv-2",
        provider="Vodafone",
        subject="DSL-Vertrag",
        called_at=called_at,
        outcome="succeeded",
        note=None,
    )

    assert (failed.kind, failed.status, failed.letter_sha256) == ("hotline_call", "call_failed", None)
    assert failed.details["called_at"] == "2026-01-05T09:30:00.000000+00:00"
    assert succeeded.status == "call_succeeded"
    assert attempt_log.reads.letter_pdf(failed.reference) is None
    assert [r.reference for r in attempt_log.reads.attempts_for_conversation("conv-2")] == [
        failed.reference,
        succeeded.reference,
    ]
    assert attempt_log.reads.entries(failed.reference)[0].payload["outcome"] == "not_reached"
    assert "note" not in attempt_log.reads.entries(failed.reference)[0].payload


def test_status_changes_are_chained_and_validated(attempt_log):
    record = create_letter(attempt_log)
    attempt_log.evidence.set_status(record.reference, "sent")
    updated = attempt_log.evidence.set_status(
        record.reference, "confirmed", details={"end_date_confirmed": date(2026, 3, 31)}
    )

    assert updated.status == "confirmed"
    assert updated.details == {"end_date_confirmed": "2026-03-31"}
    events = [(e.event, e.payload.get("status")) for e in attempt_log.reads.entries(record.reference)]
    assert events == [
        ("letter_created", "letter_created"),
        ("status_changed", "sent"),
        ("status_changed", "confirmed"),
    ]
    with pytest.raises(ValueError):
        attempt_log.evidence.set_status(record.reference, "call_succeeded")
    with pytest.raises(UnknownReference):
        attempt_log.evidence.set_status("KB-2026-000000", "sent")
    assert attempt_log.reads.verify().entries == 3


def test_reminder_points_to_first_letter_and_shares_its_person(attempt_log):
    first = create_letter(attempt_log)
    reminder = create_letter(
        attempt_log, kind="reminder_letter", related_reference=first.reference.lower()
    )

    assert reminder.related_reference == first.reference
    assert attempt_log.reads.entries(reminder.reference)[0].event == "reminder_created"
    assert count(attempt_log, Person) == 1
    with pytest.raises(UnknownReference):
        create_letter(attempt_log, kind="reminder_letter", related_reference="KB-2026-000000")


def test_invalid_arguments_are_rejected_before_anything_is_stored(attempt_log):
    with pytest.raises(ValueError):
        create_letter(attempt_log, channel="fax")
    with pytest.raises(ValueError):
        create_letter(attempt_log, subject_kind="house")
    with pytest.raises(ValueError):
        create_letter(attempt_log, render=lambda reference: b"")
    assert count(attempt_log, Attempt) == 0
    assert attempt_log.reads.verify().ok


def test_list_attempts_newest_first_with_limit(attempt_log):
    references = [create_letter(attempt_log).reference for _ in range(3)]
    assert [r.reference for r in attempt_log.reads.list_attempts()] == references[::-1]
    assert [r.reference for r in attempt_log.reads.list_attempts(limit=2)] == references[:0:-1]


def test_a_database_error_that_is_no_reference_collision_is_not_hidden_by_retries(make_letter, monkeypatch):
    """A letter insert that fails for another reason (here: a person id already taken, as after
    a bulk import that did not advance PostgreSQL's sequences) raises that error at once; retrying
    with new references hid it behind 'no free attempt reference found'."""
    from sqlalchemy.exc import IntegrityError

    from cancellation.log import evidence_writes

    rendered = []

    def person_id_taken(*args, **kwargs):
        raise IntegrityError("INSERT INTO persons", {}, Exception("duplicate key value (id)=(1)"))

    monkeypatch.setattr(evidence_writes, "_person_for", person_id_taken)
    with pytest.raises(IntegrityError):
        make_letter(render=lambda reference: rendered.append(reference) or b"%PDF-1.4 x")
    assert len(rendered) == 1

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cancellation.log.models import Attempt, Letter, Person


def rows(attempt_log, model) -> int:
    with Session(attempt_log.engine, future=True) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_forget_deletes_personal_data_but_keeps_anonymised_attempt(attempt_log, make_letter):
    record = make_letter(idempotency_key="chat-4711:msg-1")
    kept = make_letter(conversation_id="someone-else")

    assert attempt_log.deletion.forget(record.reference.lower()) is True

    forgotten = attempt_log.reads.get(record.reference)
    assert forgotten.forgotten and forgotten.forgotten_at is not None
    assert forgotten.conversation_id is None
    assert forgotten.letter_sha256 == record.letter_sha256  # the evidence anchor stays
    assert attempt_log.reads.personal_data(record.reference) is None
    assert attempt_log.reads.letter_pdf(record.reference) is None
    assert len(attempt_log.reads.list_attempts()) == 2
    assert (rows(attempt_log, Person), rows(attempt_log, Letter)) == (1, 1)
    assert attempt_log.reads.personal_data(kept.reference) is not None
    assert [e.event for e in attempt_log.reads.entries(record.reference)] == ["letter_created", "forgotten"]
    verification = attempt_log.reads.verify()
    assert verification.ok and verification.entries == 3


def test_forgetting_twice_or_unknown_reports_nothing_done(attempt_log, make_letter):
    record = make_letter()
    assert attempt_log.deletion.forget(record.reference)
    assert attempt_log.deletion.forget(record.reference) is False
    assert attempt_log.deletion.forget("KB-2026-000000") is False
    assert len(attempt_log.reads.entries(record.reference)) == 2


def test_forget_conversation_forgets_all_its_attempts(attempt_log, make_letter):
    make_letter(conversation_id="conv-9")
    make_letter(conversation_id="conv-9")
    attempt_log.evidence.log_hotline_attempt(
        channel="web",
        conversation_id="conv-9",
        provider="o2",
        subject="Mobilfunkvertrag",
        called_at=datetime(2026, 1, 5, tzinfo=timezone.utc),
        outcome="failed",
        note="Herr Meier von der Hotline sagte nein",
    )
    other = make_letter(conversation_id="conv-10")

    assert len(attempt_log.deletion.forget_conversation("conv-9").references) == 3

    assert attempt_log.reads.attempts_for_conversation("conv-9") == []
    assert rows(attempt_log, Attempt) == 4
    assert rows(attempt_log, Person) == 1
    call = [r for r in attempt_log.reads.list_attempts() if r.kind == "hotline_call"][0]
    assert "note" not in call.details and call.details["outcome"] == "failed"
    assert attempt_log.reads.personal_data(other.reference) is not None
    assert attempt_log.reads.verify().ok
    assert not attempt_log.deletion.forget_conversation("conv-9").changed


def test_forgetting_a_letter_also_forgets_the_reminder_showing_the_same_person(
    attempt_log, make_letter
):
    first = make_letter()
    reminder = make_letter(kind="reminder_letter", related_reference=first.reference)

    result = attempt_log.deletion.forget_attempt(first.reference)

    assert set(result.references) == {first.reference, reminder.reference}
    assert (result.persons_deleted, result.letters_deleted) == (1, 2)
    assert attempt_log.reads.letter_pdf(reminder.reference) is None
    assert attempt_log.reads.get(reminder.reference).forgotten
    assert attempt_log.reads.verify().ok

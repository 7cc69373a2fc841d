"""Verification proves the whole log: the chain, every attempt row, private values, letters.

Each test alters the database the way someone with database access could and expects
`verify()` to fail naming the reference (or entry) and what differs, and verified reads to
refuse instead of handing out altered data.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cancellation.log.appends import append, lock_head
from cancellation.log.models import Attempt, Letter, LogEntryRow, Person, PrivateText
from cancellation.log.records import TamperedEvidence


def change(attempt_log, statement) -> None:
    with Session(attempt_log.engine, future=True) as session, session.begin():
        session.execute(statement)


def attempt_id(attempt_log, reference: str) -> int:
    with Session(attempt_log.engine, future=True) as session:
        return session.execute(
            select(Attempt.id).where(Attempt.reference == reference)
        ).scalar_one()


def assert_named(attempt_log, reference: str | None, *words: str, entry_id: int | None = None):
    verification = attempt_log.reads.verify()
    assert not verification.ok
    first = verification.first
    if reference is not None:
        assert first.reference == reference, first
    if entry_id is not None:
        assert first.entry_id == entry_id, first
    for word in words:
        assert word in first.text, first.text
    return verification


def test_intact_log_verifies_everything(attempt_log, make_letter):
    verification = attempt_log.reads.verify()
    assert (verification.ok, verification.entries, verification.first) == (True, 0, None)
    for _ in range(3):
        record = make_letter()
    attempt_log.evidence.set_status(record.reference, "sent")
    attempt_log.evidence.log_hotline_attempt(
        channel="web", conversation_id="conv-1", provider="o2", subject="Vertrag",
        called_at=datetime(2026, 1, 5, tzinfo=timezone.utc), outcome="unreachable", note="eins",
    )
    attempt_log.deletion.forget(record.reference)

    verification = attempt_log.reads.verify()

    assert verification.ok, verification.first
    assert (verification.entries, verification.attempts, verification.letters) == (6, 4, 2)


def test_changed_payload_is_named_as_first_broken_entry(attempt_log, make_letter):
    records = [make_letter() for _ in range(4)]
    target = attempt_log.reads.entries(records[1].reference)[0]
    forged = {**target.payload, "requested_end": "2030-01-31"}
    change(attempt_log, update(LogEntryRow).where(LogEntryRow.id == target.id).values(payload=forged))

    assert_named(attempt_log, None, "Hash", entry_id=2)
    with pytest.raises(TamperedEvidence, match="Eintrag #2"):
        attempt_log.reads.entries(records[1].reference)


@pytest.mark.parametrize(
    ("column", "value", "label"),
    [
        ("status", "confirmed", "Status"),
        ("requested_end", "2030-12-31", "gewünschtes Ende"),
        ("provider_key", "telekom", "Anbieter-Schlüssel"),
        ("contract_type", "energy", "Vertragsart"),
        ("channel", "telegram", "Kanal"),
    ],
)
def test_altered_attempt_row_is_named(attempt_log, make_letter, column, value, label):
    make_letter()
    target = make_letter(provider_key="o2", contract_type="mobile")
    make_letter()
    change(attempt_log, update(Attempt).where(Attempt.reference == target.reference)
           .values(**{column: value}))

    verification = assert_named(attempt_log, target.reference, label, repr(value))
    assert verification.mismatch_count == 1
    with pytest.raises(TamperedEvidence, match=target.reference):
        attempt_log.reads.get(target.reference)
    with pytest.raises(TamperedEvidence):
        attempt_log.reads.attempts_for_conversation("conv-1")


def test_altered_provider_name_is_named(attempt_log, make_letter):
    target = make_letter(provider="Studio Zoë Beispiel")
    change(attempt_log, update(PrivateText).where(PrivateText.attempt_id == attempt_id(
        attempt_log, target.reference)).values(provider="Studio Anders"))

    assert_named(attempt_log, target.reference, "private Angaben verändert")
    with pytest.raises(TamperedEvidence):
        attempt_log.reads.get(target.reference)


def test_altered_personal_data_is_named_and_never_handed_out(attempt_log, make_letter):
    target = make_letter()
    change(attempt_log, update(Person).values(data={"name": "Jemand Anderes"}))

    assert_named(attempt_log, target.reference, "Personendaten")
    with pytest.raises(TamperedEvidence):
        attempt_log.reads.personal_data(target.reference)


def test_altered_letter_byte_is_named_and_the_letter_refused(attempt_log, make_letter):
    target = make_letter()
    pdf = attempt_log.reads.letter_pdf(target.reference)
    altered = pdf[:-1] + bytes([pdf[-1] ^ 0x01])
    change(attempt_log, update(Letter).where(Letter.attempt_id == attempt_id(
        attempt_log, target.reference)).values(pdf=altered))

    assert_named(attempt_log, target.reference, "Brief-PDF verändert", target.letter_sha256)
    with pytest.raises(TamperedEvidence):
        attempt_log.reads.letter_pdf(target.reference)


def test_deleted_letter_of_a_live_attempt_is_named(attempt_log, make_letter):
    target = make_letter()
    change(attempt_log, delete(Letter))
    assert_named(attempt_log, target.reference, "Brief-PDF fehlt")


def test_deleted_entries_are_noticed(attempt_log, make_letter):
    records = [make_letter() for _ in range(3)]
    change(attempt_log, delete(LogEntryRow).where(LogEntryRow.id == 2))

    assert_named(attempt_log, None, "Eintrag 2 fehlt", entry_id=2)
    with pytest.raises(TamperedEvidence):
        attempt_log.reads.get(records[2].reference)  # its predecessor is gone


def test_deleted_status_change_is_named(attempt_log, make_letter):
    target = make_letter()
    attempt_log.evidence.set_status(target.reference, "sent")
    make_letter()
    # Remove the status entry and relink the rest, as a careful forger would without a key.
    with Session(attempt_log.engine, future=True) as session, session.begin():
        session.execute(delete(LogEntryRow).where(LogEntryRow.id >= 2))
        head = lock_head(session)
        head.last_entry_id, head.last_hash = 1, attempt_log.reads.entries(target.reference)[0].entry_hash

    assert_named(attempt_log, target.reference, "Status", "'sent'")


def test_cut_off_end_is_noticed(attempt_log, make_letter):
    for _ in range(3):
        make_letter()
    change(attempt_log, delete(LogEntryRow).where(LogEntryRow.id == 3))
    verification = attempt_log.reads.verify()
    assert not verification.ok and verification.first.entry_id == 3


def test_forged_entry_appended_at_the_end_is_named(attempt_log, make_letter):
    target = make_letter()
    # Appended behind the recorded head, without moving it.
    with Session(attempt_log.engine, future=True) as session, session.begin():
        last = session.execute(select(LogEntryRow).order_by(LogEntryRow.id.desc())).scalars().first()
        session.add(LogEntryRow(
            id=last.id + 1, created_at=last.created_at, reference=target.reference,
            event="status_changed", payload={"status": "confirmed"}, prev_hash=last.entry_hash,
            entry_hash="f" * 64,
        ))
    assert_named(attempt_log, None, entry_id=2)


def test_forged_status_change_appended_properly_does_not_match_the_row(attempt_log, make_letter):
    target = make_letter()
    with Session(attempt_log.engine, future=True) as session, session.begin():
        head = lock_head(session)
        payload = {"reference": target.reference, "kind": "letter", "status": "confirmed",
                   "previous_status": "letter_created", "details": {}}
        append(session, head, target.reference, "status_changed", payload,
               datetime.now(timezone.utc), None)

    assert_named(attempt_log, target.reference, "Status", "'letter_created'", "'confirmed'")


def test_attempt_inserted_without_chain_entry_is_named(attempt_log, make_letter):
    make_letter()
    with Session(attempt_log.engine, future=True) as session, session.begin():
        session.add(Attempt(
            reference="KB-2026-FAKE00".replace("O", "0"), created_at=datetime.now(timezone.utc),
            kind="letter", channel="web", subject_kind="contract", requested_end="asap",
            status="confirmed", details={},
        ))
    assert_named(attempt_log, "KB-2026-FAKE00", "ohne Eintrag")


def test_deleted_attempt_row_is_named(attempt_log, make_letter):
    target = make_letter(requested_end=date(2027, 1, 31))
    change(attempt_log, delete(Attempt).where(Attempt.reference == target.reference))
    assert_named(attempt_log, target.reference, "fehlt in der Tabelle attempts")

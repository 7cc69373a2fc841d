from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cancellation.log.models import LogEntryRow


def test_intact_chain_verifies(attempt_log, make_letter):
    assert attempt_log.reads.verify_chain().ok  # empty chain
    for _ in range(3):
        record = make_letter()
    attempt_log.evidence.set_status(record.reference, "sent")
    verification = attempt_log.reads.verify_chain()
    assert (verification.ok, verification.entries, verification.first_broken_id) == (True, 4, None)


def test_changed_payload_is_named_as_first_broken_entry(attempt_log, make_letter):
    records = [make_letter() for _ in range(4)]
    target = attempt_log.reads.entries(records[1].reference)[0]
    forged = {**target.payload, "provider": "Telekom"}
    with Session(attempt_log.engine, future=True) as session, session.begin():
        session.execute(update(LogEntryRow).where(LogEntryRow.id == target.id).values(payload=forged))

    verification = attempt_log.reads.verify_chain()

    assert not verification.ok
    assert verification.first_broken_id == target.id == 2
    assert "Hash" in verification.reason


def test_deleted_entries_are_noticed(attempt_log, make_letter):
    for _ in range(3):
        make_letter()
    with Session(attempt_log.engine, future=True) as session, session.begin():
        session.execute(delete(LogEntryRow).where(LogEntryRow.id == 2))
    assert attempt_log.reads.verify_chain().first_broken_id == 2


def test_cut_off_end_is_noticed(attempt_log, make_letter):
    for _ in range(3):
        make_letter()
    with Session(attempt_log.engine, future=True) as session, session.begin():
        last = session.execute(select(LogEntryRow.id).order_by(LogEntryRow.id.desc())).scalars().first()
        session.execute(delete(LogEntryRow).where(LogEntryRow.id == last))
    verification = attempt_log.reads.verify_chain()
    assert not verification.ok and verification.first_broken_id == 3

"""Download links must not re-verify the whole chain each time: the verified head is cached per
process and later entries are verified incrementally."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from cancellation.log.models import LogEntryRow
from cancellation.log.records import TamperedEvidence


@pytest.fixture
def statements(attempt_log):
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(attempt_log.engine, "before_cursor_execute", record)
    yield seen
    event.remove(attempt_log.engine, "before_cursor_execute", record)


def entry_scans(statements: list[str]) -> list[str]:
    return [s for s in statements if "FROM log_entries" in s and "ORDER BY log_entries.id" in s]


def test_second_check_reads_only_the_head_and_appends_are_verified_incrementally(
    attempt_log, make_letter, statements
):
    records = [make_letter() for _ in range(5)]
    first = attempt_log.reads.chain_state()
    assert (first.entry_id, len(entry_scans(statements))) == (5, 1)
    assert "WHERE log_entries.id >" not in entry_scans(statements)[0]  # cold: everything

    statements.clear()
    assert attempt_log.reads.chain_state().entry_id == 5
    assert entry_scans(statements) == []  # warm: head unchanged, nothing re-read

    attempt_log.evidence.set_status(records[0].reference, "sent")
    statements.clear()
    assert attempt_log.reads.chain_state().entry_id == 6
    [scan] = entry_scans(statements)
    assert "WHERE log_entries.id >" in scan  # only what came after the cached head


def test_a_rewritten_cached_head_forces_a_full_check(attempt_log, make_letter):
    records = [make_letter() for _ in range(3)]
    attempt_log.reads.chain_state()
    last = attempt_log.reads.entries(records[-1].reference)[-1]
    with Session(attempt_log.engine, future=True) as session, session.begin():
        session.execute(update(LogEntryRow).where(LogEntryRow.id == last.id)
                        .values(entry_hash="e" * 64))
    make_letter()

    with pytest.raises(TamperedEvidence):
        attempt_log.reads.chain_state()

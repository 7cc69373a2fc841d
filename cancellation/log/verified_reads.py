"""Reading the log: attempts, their entries, personal data and letter PDFs, and the chain check."""

from __future__ import annotations

from typing import Any, Iterator

from sqlalchemy import select

from cancellation.log.chain import ChainVerification, LogEntry, verify_entries
from cancellation.log.models import CHAIN_HEAD_ID, Attempt, ChainHead, Letter, LogEntryRow, Person
from cancellation.log.records import AttemptRecord
from cancellation.log.references import normalise_reference
from cancellation.log.rows import attempt_row, to_log_entry, to_record
from cancellation.log.store import LogStore


class VerifiedReads:
    def __init__(self, store: LogStore) -> None:
        self._store = store

    def get(self, reference: str) -> AttemptRecord | None:
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        with self._store.read() as session:
            attempt = attempt_row(session, canonical)
            return None if attempt is None else to_record(attempt)

    def list_attempts(self, limit: int | None = None) -> list[AttemptRecord]:
        """Newest first."""
        query = select(Attempt).order_by(Attempt.created_at.desc(), Attempt.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._store.read() as session:
            return [to_record(attempt) for attempt in session.execute(query).scalars()]

    def attempts_for_conversation(self, conversation_id: str) -> list[AttemptRecord]:
        """Oldest first."""
        query = (
            select(Attempt)
            .where(Attempt.conversation_id == conversation_id)
            .order_by(Attempt.created_at, Attempt.id)
        )
        with self._store.read() as session:
            return [to_record(attempt) for attempt in session.execute(query).scalars()]

    def personal_data(self, reference: str) -> dict[str, Any] | None:
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        query = (
            select(Person.data)
            .join(Attempt, Attempt.person_id == Person.id)
            .where(Attempt.reference == canonical)
        )
        with self._store.read() as session:
            data = session.execute(query).scalar_one_or_none()
            return None if data is None else dict(data)

    def letter_pdf(self, reference: str) -> bytes | None:
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        query = (
            select(Letter.pdf)
            .join(Attempt, Attempt.id == Letter.attempt_id)
            .where(Attempt.reference == canonical)
        )
        with self._store.read() as session:
            pdf = session.execute(query).scalar_one_or_none()
            return None if pdf is None else bytes(pdf)

    def entries(self, reference: str) -> list[LogEntry]:
        canonical = normalise_reference(reference)
        if canonical is None:
            return []
        query = (
            select(LogEntryRow)
            .where(LogEntryRow.reference == canonical)
            .order_by(LogEntryRow.id)
        )
        with self._store.read() as session:
            return [to_log_entry(row) for row in session.execute(query).scalars()]

    def verify_chain(self) -> ChainVerification:
        with self._store.snapshot() as session:
            # Both reads come from one snapshot, so concurrent appends cannot look like damage.
            head = session.get(ChainHead, CHAIN_HEAD_ID)
            if head is None:
                return ChainVerification(ok=False, entries=0, reason="chain_head fehlt")
            rows = session.execute(
                select(LogEntryRow).order_by(LogEntryRow.id).execution_options(yield_per=1000)
            ).scalars()
            entries: Iterator[LogEntry] = (to_log_entry(row) for row in rows)
            return verify_entries(entries, head_id=head.last_entry_id, head_hash=head.last_hash)

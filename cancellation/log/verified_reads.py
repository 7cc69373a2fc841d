"""Reads that prove themselves: every attempt, entry, personal data set and letter PDF handed out
was checked against the hash chain first; a difference raises `TamperedEvidence`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cancellation.log.chain import LogEntry
from cancellation.log.models import Attempt, Letter
from cancellation.log.records import AttemptRecord
from cancellation.log.references import normalise_reference
from cancellation.log.replay import StoredAttempt
from cancellation.log.rows import stored_attempts, to_record
from cancellation.log.store import LogStore
from cancellation.log.verification import (
    Anchor,
    ChainState,
    LogVerification,
    entries_of,
    chain_state,
    check_attempts,
    check_entries,
    check_letter,
    verify_log,
)


class VerifiedReads:
    def __init__(self, store: LogStore) -> None:
        self._store = store

    def get(self, reference: str) -> AttemptRecord | None:
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        records = self._records(stored_attempts().where(Attempt.reference == canonical))
        return records[0] if records else None

    def list_attempts(self, limit: int | None = None) -> list[AttemptRecord]:
        """Newest first."""
        query = stored_attempts().order_by(Attempt.created_at.desc(), Attempt.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return self._records(query)

    def attempts_for_conversation(self, conversation_id: str) -> list[AttemptRecord]:
        """Oldest first."""
        query = (
            stored_attempts()
            .where(Attempt.conversation_id == conversation_id)
            .order_by(Attempt.created_at, Attempt.id)
        )
        return self._records(query)

    def personal_data(self, reference: str) -> dict[str, Any] | None:
        """The person's data, proven by the attempt's chained hash; None once forgotten."""
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        with self._store.read() as session:
            stored = self._stored(session, stored_attempts().where(Attempt.reference == canonical))
            check_attempts(session, stored, self._store.signing_key)
        if not stored or stored[0].person is None:
            return None
        return dict(stored[0].person)

    def letter_pdf(self, reference: str) -> bytes | None:
        """The stored PDF, only if its SHA-256 is the chained one; None for calls and forgotten."""
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        with self._store.read() as session:
            stored = self._stored(session, stored_attempts().where(Attempt.reference == canonical))
            chained = check_attempts(session, stored, self._store.signing_key)
            if not stored:
                return None
            pdf = session.execute(
                select(Letter.pdf).where(Letter.attempt_id == stored[0].attempt.id)
            ).scalar_one_or_none()
            pdf = None if pdf is None else bytes(pdf)
            check_letter(chained[canonical], pdf)
            return pdf

    def entries(self, reference: str) -> list[LogEntry]:
        """The entries of one attempt, each intact and linked to its neighbours."""
        canonical = normalise_reference(reference)
        if canonical is None:
            return []
        with self._store.read() as session:
            entries = entries_of(session, [canonical])
            check_entries(session, entries, self._store.signing_key)
            return entries

    def chain_state(self) -> ChainState:
        """The chain up to its head, verified (cached per process, then incremental)."""
        return chain_state(self._store)

    def verify(self, anchor: Anchor | None = None, *, signatures: bool = True) -> LogVerification:
        """Everything: chain, signatures, anchor, every attempt row, private values, letter."""
        return verify_log(self._store, anchor, signatures=signatures)

    def _records(self, query: Any) -> list[AttemptRecord]:
        with self._store.read() as session:
            stored = self._stored(session, query)
            check_attempts(session, stored, self._store.signing_key)
        return [to_record(item.attempt, item.private) for item in stored]

    @staticmethod
    def _stored(session: Session, query: Any) -> list[StoredAttempt]:
        return [
            StoredAttempt(attempt, private, person)
            for attempt, private, person in session.execute(query)
        ]

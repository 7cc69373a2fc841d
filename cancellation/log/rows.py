"""Row-level helpers shared by the repositories: look-ups inside a session, row -> record."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql import Select
from sqlalchemy.orm import Session

from cancellation.log.chain import LogEntry
from cancellation.log.models import Attempt, LogEntryRow, Person, PrivateText
from cancellation.log.records import AttemptRecord, UnknownReference
from cancellation.log.references import normalise_reference
from cancellation.vocabulary import AttemptKind, Channel, ContractType, Status, SubjectKind


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def attempt_row(session: Session, reference: str) -> Attempt | None:
    return session.execute(
        select(Attempt).where(Attempt.reference == reference)
    ).scalar_one_or_none()


def require_attempt(session: Session, reference: str) -> Attempt:
    canonical = normalise_reference(reference)
    attempt = None if canonical is None else attempt_row(session, canonical)
    if attempt is None:
        raise UnknownReference(reference)
    return attempt


def stored_attempts() -> Select:
    """Attempts with their private values and person data (outer joins: both may be deleted)."""
    return (
        select(Attempt, PrivateText, Person.data)
        .outerjoin(PrivateText, PrivateText.attempt_id == Attempt.id)
        .outerjoin(Person, Person.id == Attempt.person_id)
    )


def to_record(attempt: Attempt, private: PrivateText | None) -> AttemptRecord:
    return AttemptRecord(
        reference=attempt.reference,
        created_at=attempt.created_at,
        kind=AttemptKind(attempt.kind),
        channel=Channel(attempt.channel),
        provider=None if private is None else private.provider,
        subject_kind=SubjectKind(attempt.subject_kind),
        subject=None if private is None else private.subject,
        requested_end=attempt.requested_end,
        status=Status(attempt.status),
        letter_sha256=attempt.letter_sha256,
        related_reference=attempt.related_reference,
        details=dict(attempt.details or {}),
        forgotten=attempt.forgotten_at is not None,
        forgotten_at=attempt.forgotten_at,
        conversation_id=attempt.conversation_id,
        provider_key=attempt.provider_key,
        contract_type=ContractType.parse(attempt.contract_type),
        note=None if private is None else private.note,
    )


def entry_columns() -> Select:
    """Log entries as plain rows: streaming the chain needs no ORM objects (much faster)."""
    return select(
        LogEntryRow.id,
        LogEntryRow.created_at,
        LogEntryRow.reference,
        LogEntryRow.event,
        LogEntryRow.payload,
        LogEntryRow.prev_hash,
        LogEntryRow.entry_hash,
        LogEntryRow.entry_hmac,
    )


def to_log_entry(row: Any) -> LogEntry:
    """A LogEntry from a LogEntryRow or a row of `entry_columns()`."""
    return LogEntry(
        id=row.id,
        created_at=row.created_at,
        reference=row.reference,
        event=row.event,
        payload=dict(row.payload),
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
        entry_hmac=row.entry_hmac,
    )

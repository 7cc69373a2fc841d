"""Row-level helpers shared by the repositories: look-ups inside a session, row -> record."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from cancellation.log.chain import LogEntry
from cancellation.log.models import Attempt, LogEntryRow
from cancellation.log.records import AttemptRecord, UnknownReference
from cancellation.log.references import normalise_reference
from cancellation.vocabulary import AttemptKind, Channel, Status, SubjectKind


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


def to_record(attempt: Attempt) -> AttemptRecord:
    return AttemptRecord(
        reference=attempt.reference,
        created_at=attempt.created_at,
        kind=AttemptKind(attempt.kind),
        channel=Channel(attempt.channel),
        provider=attempt.provider,
        subject_kind=SubjectKind(attempt.subject_kind),
        subject=attempt.subject,
        requested_end=attempt.requested_end,
        status=Status(attempt.status),
        letter_sha256=attempt.letter_sha256,
        related_reference=attempt.related_reference,
        details=dict(attempt.details or {}),
        forgotten=attempt.forgotten_at is not None,
        forgotten_at=attempt.forgotten_at,
        conversation_id=attempt.conversation_id,
    )


def to_log_entry(row: LogEntryRow) -> LogEntry:
    return LogEntry(
        id=row.id,
        created_at=row.created_at,
        reference=row.reference,
        event=row.event,
        payload=dict(row.payload),
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
    )

"""Plain records handed out by the attempt log, and the log's own small vocabulary.

Kinds, channels, subject kinds and statuses are the shared enums of `cancellation.vocabulary`;
their values are what the database and the chain store, so they never change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from cancellation.vocabulary import (
    AttemptKind,
    Channel,
    ContractType,
    Status,
    SubjectKind,
    Vocabulary,
)

LETTER_KINDS = frozenset({AttemptKind.LETTER, AttemptKind.REMINDER_LETTER})
LETTER_STATUSES = frozenset(
    {Status.LETTER_CREATED, Status.SENT, Status.CONFIRMED, Status.NO_CONFIRMATION,
     Status.REMINDER_SENT}
)
CALL_STATUSES = frozenset({Status.CALL_FAILED, Status.CALL_SUCCEEDED})

# The hotline outcome that counts as success; every other outcome code is a failed call.
OUTCOME_SUCCEEDED = "succeeded"

# Stored as the requested end when the user wants to cancel as soon as possible.
REQUESTED_END_ASAP = "asap"


class Event(Vocabulary):
    """What a chain entry records."""

    LETTER_CREATED = "letter_created"
    REMINDER_CREATED = "reminder_created"
    HOTLINE_CALL = "hotline_call"
    STATUS_CHANGED = "status_changed"
    # A letter sent for the user by the print-and-mail service: queued, handed over, posted...
    DISPATCH = "dispatch"
    FORGOTTEN = "forgotten"


class Document(Vocabulary):
    """What a download token unlocks."""

    LETTER = "letter"  # the stored PDF
    EVIDENCE = "evidence"  # the evidence report, rendered when downloaded
    CALENDAR = "calendar"  # the calendar file (.ics), rendered when downloaded


class UnknownReference(LookupError):
    """No attempt has this reference."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"Unbekannte Referenz: {reference}")
        self.reference = reference


class TamperedEvidence(RuntimeError):
    """A read found stored data that does not match the hash chain; nothing is handed out."""

    def __init__(self, mismatch: "Mismatch") -> None:
        super().__init__(f"Das Protokoll passt nicht zur Hash-Kette: {mismatch.text}")
        self.mismatch = mismatch


@dataclass(frozen=True)
class Mismatch:
    """One place where the stored data and the chain disagree (German, for operators)."""

    what: str
    reference: str | None = None
    entry_id: int | None = None

    @property
    def text(self) -> str:
        where = []
        if self.reference:
            where.append(self.reference)
        if self.entry_id is not None:
            where.append(f"Eintrag #{self.entry_id}")
        return f"{', '.join(where)}: {self.what}" if where else self.what


@dataclass(frozen=True)
class AttemptRecord:
    """An attempt as read from the log. `provider`, `subject`, `note` and `conversation_id` are
    None once the person was forgotten; `provider_key` and `contract_type` stay."""

    reference: str
    created_at: datetime
    kind: AttemptKind
    channel: Channel
    provider: str | None
    subject_kind: SubjectKind
    subject: str | None
    requested_end: str | None
    status: Status
    letter_sha256: str | None
    related_reference: str | None
    details: Mapping[str, Any] = field(default_factory=dict)
    forgotten: bool = False
    forgotten_at: datetime | None = None
    conversation_id: str | None = None
    provider_key: str | None = None
    contract_type: ContractType | None = None
    note: str | None = None


@dataclass(frozen=True)
class ForgetResult:
    """What one forget request deleted; `references` are all attempts that lost personal data."""

    references: tuple[str, ...]
    persons_deleted: int
    letters_deleted: int
    tokens_deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.references)

"""Plain records handed out by the attempt log, and the vocabulary it accepts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from cancellation.log.chain import ChainVerification, LogEntry

KIND_LETTER = "letter"
KIND_REMINDER_LETTER = "reminder_letter"
KIND_HOTLINE_CALL = "hotline_call"
LETTER_KINDS = frozenset({KIND_LETTER, KIND_REMINDER_LETTER})
KINDS = LETTER_KINDS | {KIND_HOTLINE_CALL}

CHANNELS = frozenset({"web", "telegram", "rest", "cli"})
SUBJECT_KINDS = frozenset({"contract", "option"})

STATUS_LETTER_CREATED = "letter_created"
STATUS_CALL_FAILED = "call_failed"
STATUS_CALL_SUCCEEDED = "call_succeeded"
LETTER_STATUSES = frozenset(
    {STATUS_LETTER_CREATED, "sent", "confirmed", "no_confirmation", "reminder_sent"}
)
CALL_STATUSES = frozenset({STATUS_CALL_FAILED, STATUS_CALL_SUCCEEDED})
STATUSES = LETTER_STATUSES | CALL_STATUSES

# The hotline outcome that counts as success; every other outcome code is a failed call.
OUTCOME_SUCCEEDED = "succeeded"

EVENT_LETTER_CREATED = "letter_created"
EVENT_REMINDER_CREATED = "reminder_created"
EVENT_HOTLINE_CALL = "hotline_call"
EVENT_STATUS_CHANGED = "status_changed"
EVENT_FORGOTTEN = "forgotten"

REQUESTED_END_ASAP = "asap"

DOCUMENT_LETTER = "letter"
DOCUMENT_EVIDENCE = "evidence"
DOCUMENTS = frozenset({DOCUMENT_LETTER, DOCUMENT_EVIDENCE})



class UnknownReference(LookupError):
    """No attempt has this reference."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"Unbekannte Referenz: {reference}")
        self.reference = reference


@dataclass(frozen=True)
class AttemptRecord:
    reference: str
    created_at: datetime
    kind: str
    channel: str
    provider: str
    subject_kind: str
    subject: str
    requested_end: str | None
    status: str
    letter_sha256: str | None
    related_reference: str | None
    details: Mapping[str, Any] = field(default_factory=dict)
    forgotten: bool = False
    forgotten_at: datetime | None = None
    conversation_id: str | None = None


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

"""Writing evidence: letters, reminder letters, hotline calls and status changes.

Every write appends its chain entry in the same transaction as the rows it describes. What a
user typed (provider name, subject, note) goes to `attempt_private`, never into the chain: the
entry carries a salted hash of it (cancellation/log/private.py), so a forget can delete it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cancellation.log.appends import append, lock_head
from cancellation.log.arguments import (
    jsonable,
    optional_text,
    require_choice,
    require_text,
    requested_end_value,
)
from cancellation.log.chain import timestamp
from cancellation.log.models import PROVIDER_KEY_LENGTH, Attempt, Letter, Person, PrivateText
from cancellation.log.private import new_salt, private_sha256
from cancellation.log.records import (
    CALL_STATUSES,
    LETTER_KINDS,
    LETTER_STATUSES,
    OUTCOME_SUCCEEDED,
    AttemptRecord,
    Event,
    UnknownReference,
)
from cancellation.log.references import new_reference, normalise_reference
from cancellation.log.rows import attempt_row, require_attempt, to_record, utc_now
from cancellation.log.store import LogStore
from cancellation.vocabulary import (
    AttemptKind,
    Channel,
    ContractType,
    DispatchMode,
    DispatchState,
    Status,
    SubjectKind,
)

# A clash among 32**6 references per year is rare; a handful of retries makes it impossible.
MAX_REFERENCE_TRIES = 8
MAX_NOTE_LENGTH = 2000
# Directory keys are code-made identifiers ("o2", "telekom_mobil"), never typed names.
PROVIDER_KEY_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9_.-]{{0,{PROVIDER_KEY_LENGTH - 1}}}$")
# Status details are chained: dates, references and flags only, never text a person typed.
STATUS_DETAIL_VALUE = re.compile(r"^(\d{4}-\d{2}-\d{2}|KB-\d{4}-[0-9A-Z]{6})$")
# What a dispatch entry may chain: the service's ids and states, never a name or an address.
DISPATCH_DETAIL_CHECKS: dict[str, Callable[[Any], bool]] = {
    "dispatch_state": lambda value: value in {str(state) for state in DispatchState},
    "dispatch_mode": lambda value: value in {str(mode) for mode in DispatchMode},
    "dispatch_service": lambda value: value == "letterxpress",
    "print_job_id": lambda value: isinstance(value, int) and not isinstance(value, bool) and value > 0,
    "handed_over_at": lambda value: isinstance(value, str) and bool(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)", value)),
    # Deutsche Post's Sendungsnummer: letters and digits only (spaces are removed first).
    "tracking_number": lambda value: isinstance(value, str) and bool(
        re.fullmatch(r"[A-Z0-9]{8,40}", value)),
    "dispatch_error": lambda value: isinstance(value, str) and bool(
        re.fullmatch(r"[a-z_]{1,40}", value)),
}

Renderer = Callable[[str], bytes]


class EvidenceWrites:
    def __init__(self, store: LogStore) -> None:
        self._store = store

    def create_letter_attempt(
        self,
        *,
        channel: str,
        conversation_id: str | None,
        provider: str,
        subject_kind: str,
        subject: str,
        requested_end: date | None,
        personal_data: Mapping[str, Any],
        render: Renderer,
        idempotency_key: str | None = None,
        kind: str = AttemptKind.LETTER,
        related_reference: str | None = None,
        provider_key: str | None = None,
        contract_type: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> AttemptRecord:
        """Render and store a letter with its personal data and a chain entry, all or nothing.

        `details`: facts the letter states, chained like status details (dates, references,
        flags), e.g. `earlier_cancellation` (letter_request.earlier_cancellation_details).
        With an `idempotency_key` that was used before, the earlier record is returned and
        nothing is rendered or logged again.
        """
        kind = require_choice("kind", kind, LETTER_KINDS)
        about = _Subject.checked(channel, conversation_id, provider, provider_key, contract_type,
                                 subject_kind, subject)
        facts = _status_details(details or {})
        idempotency_key = optional_text("idempotency_key", idempotency_key, 200)
        personal = jsonable(dict(personal_data))
        if related_reference is not None:
            related_reference = self._existing_reference(related_reference)

        if idempotency_key is not None:
            existing = self._by_idempotency_key(idempotency_key)
            if existing is not None:
                return existing

        for _ in range(MAX_REFERENCE_TRIES):
            reference = new_reference(utc_now())
            if self._exists(reference):
                continue
            pdf = render(reference)
            if not isinstance(pdf, (bytes, bytearray)) or not pdf:
                raise ValueError("render() must return the PDF as non-empty bytes")
            try:
                with self._store.write() as session:
                    head = lock_head(session)
                    if idempotency_key is not None:
                        earlier = session.execute(
                            select(Attempt).where(Attempt.idempotency_key == idempotency_key)
                        ).scalar_one_or_none()
                        if earlier is not None:
                            return to_record(earlier, session.get(PrivateText, earlier.id))
                    if attempt_row(session, reference) is not None:
                        continue
                    now = utc_now()
                    attempt = about.row(
                        reference, now, kind=kind, status=Status.LETTER_CREATED,
                        requested_end=requested_end_value(requested_end),
                        letter_sha256=hashlib.sha256(pdf).hexdigest(),
                        person_id=_person_for(session, personal, related_reference, now),
                        related_reference=related_reference, idempotency_key=idempotency_key,
                        details=facts,
                    )
                    event = Event.LETTER_CREATED
                    if kind == AttemptKind.REMINDER_LETTER:
                        event = Event.REMINDER_CREATED
                    return self._insert(session, head, attempt, about, event, personal, pdf=pdf,
                                        extra_payload={"details": facts} if facts else None)
            except IntegrityError:
                # A concurrent writer that slipped past the checks above: it took this
                # idempotency key (its record is the answer) or this reference (try another).
                if idempotency_key is not None:
                    existing = self._by_idempotency_key(idempotency_key)
                    if existing is not None:
                        return existing
                if not self._exists(reference):
                    raise  # any other constraint: a real error, not hidden behind new references
        raise RuntimeError("no free attempt reference found; retry later")

    def log_hotline_attempt(
        self,
        *,
        channel: str,
        conversation_id: str | None,
        provider: str,
        subject: str,
        called_at: datetime,
        outcome: str,
        note: str | None = None,
        subject_kind: str = SubjectKind.CONTRACT,
        provider_key: str | None = None,
        contract_type: str | None = None,
    ) -> AttemptRecord:
        """Log a call to the provider's hotline; `outcome` "succeeded" counts as success."""
        about = _Subject.checked(channel, conversation_id, provider, provider_key, contract_type,
                                 subject_kind, subject, note)
        outcome = require_text("outcome", outcome, 64)
        if called_at.tzinfo is None:
            raise ValueError("called_at must be timezone-aware")
        details: dict[str, Any] = {"outcome": outcome, "called_at": timestamp(called_at)}
        status = Status.CALL_SUCCEEDED if outcome == OUTCOME_SUCCEEDED else Status.CALL_FAILED

        for _ in range(MAX_REFERENCE_TRIES):
            reference = new_reference(utc_now())
            try:
                with self._store.write() as session:
                    head = lock_head(session)
                    if attempt_row(session, reference) is not None:
                        continue
                    attempt = about.row(
                        reference, utc_now(), kind=AttemptKind.HOTLINE_CALL, status=status,
                        details=details,
                    )
                    return self._insert(session, head, attempt, about, Event.HOTLINE_CALL, None,
                                        extra_payload=details)
            except IntegrityError:
                if not self._exists(reference):
                    raise  # not a reference taken meanwhile: a real error
        raise RuntimeError("no free attempt reference found; retry later")

    def set_status(
        self, reference: str, status: str, *, details: Mapping[str, Any] | None = None
    ) -> AttemptRecord:
        """Record a new status (e.g. "sent", "confirmed") with optional details: dates,
        references or flags, which are chained."""
        extra = _status_details(details or {})
        with self._store.write() as session:
            head = lock_head(session)
            attempt = require_attempt(session, reference)
            allowed = CALL_STATUSES if attempt.kind == AttemptKind.HOTLINE_CALL else LETTER_STATUSES
            status = require_choice("status", status, allowed)
            previous = attempt.status
            attempt.status = status
            attempt.details = {**(attempt.details or {}), **extra}
            payload = {
                "reference": attempt.reference,
                "kind": attempt.kind,
                "status": status,
                "previous_status": previous,
                "details": extra,
            }
            append(
                session, head, attempt.reference, Event.STATUS_CHANGED, payload, utc_now(),
                self._store.signing_key,
            )
            return to_record(attempt, session.get(PrivateText, attempt.id))

    def record_dispatch(
        self,
        reference: str,
        details: Mapping[str, Any],
        *,
        status: str | None = None,
    ) -> AttemptRecord:
        """Chain a step of the letter's dispatch by the print-and-mail service (its state, print
        job id, hand-over time, tracking number), optionally with a new status of the letter."""
        checked = _dispatch_details(details)
        with self._store.write() as session:
            head = lock_head(session)
            attempt = require_attempt(session, reference)
            if attempt.kind not in LETTER_KINDS:
                raise ValueError(f"{attempt.reference} is not a letter")
            if attempt.forgotten_at is not None:
                raise ValueError(f"{attempt.reference} was forgotten")
            payload: dict[str, Any] = {
                "reference": attempt.reference,
                "kind": attempt.kind,
                "details": checked,
            }
            if status is not None and status != attempt.status:
                payload["status"] = require_choice("status", status, LETTER_STATUSES)
                payload["previous_status"] = attempt.status
                attempt.status = payload["status"]
            attempt.details = {**(attempt.details or {}), **checked}
            append(
                session, head, attempt.reference, Event.DISPATCH, payload, utc_now(),
                self._store.signing_key,
            )
            return to_record(attempt, session.get(PrivateText, attempt.id))

    def _insert(
        self,
        session: Session,
        head: Any,
        attempt: Attempt,
        about: "_Subject",
        event: Event,
        person: Mapping[str, Any] | None,
        *,
        pdf: bytes | None = None,
        extra_payload: Mapping[str, Any] | None = None,
    ) -> AttemptRecord:
        """Store a new attempt with its private values (and letter) and chain it."""
        session.add(attempt)
        session.flush()
        if pdf is not None:
            session.add(Letter(attempt_id=attempt.id, pdf=bytes(pdf)))
        private = PrivateText(attempt_id=attempt.id, salt=new_salt(), provider=about.provider,
                              subject=about.subject, note=about.note)
        session.add(private)
        payload = {**public_payload(attempt, private, person), **(extra_payload or {})}
        append(session, head, attempt.reference, event, payload, attempt.created_at,
               self._store.signing_key)
        return to_record(attempt, private)

    def _exists(self, reference: str) -> bool:
        with self._store.read() as session:
            return attempt_row(session, reference) is not None

    def _by_idempotency_key(self, key: str) -> AttemptRecord | None:
        with self._store.read() as session:
            attempt = session.execute(
                select(Attempt).where(Attempt.idempotency_key == key)
            ).scalar_one_or_none()
            if attempt is None:
                return None
            return to_record(attempt, session.get(PrivateText, attempt.id))

    def _existing_reference(self, reference: str) -> str:
        canonical = normalise_reference(reference)
        if canonical is None or not self._exists(canonical):
            raise UnknownReference(reference)
        return canonical


def _person_for(
    session: Session, personal: dict[str, Any], related_reference: str | None, now: datetime
) -> int:
    """Reuse the person of the related letter when the data is unchanged: stored only once."""
    if related_reference is not None:
        related = attempt_row(session, related_reference)
        if related is not None and related.person_id is not None:
            person = session.get(Person, related.person_id)
            if person is not None and person.data == personal:
                return person.id
    person = Person(created_at=now, data=personal)
    session.add(person)
    session.flush()
    return person.id


def public_payload(
    attempt: Attempt, private: PrivateText, person: Mapping[str, Any] | None
) -> dict[str, Any]:
    """What goes into the chain: never anything that identifies the person or that they typed;
    the deletable values are represented by their salted hash."""
    return {
        "reference": attempt.reference,
        "kind": attempt.kind,
        "channel": attempt.channel,
        "provider_key": attempt.provider_key,
        "contract_type": attempt.contract_type,
        "subject_kind": attempt.subject_kind,
        "requested_end": attempt.requested_end,
        "status": attempt.status,
        "letter_sha256": attempt.letter_sha256,
        "related_reference": attempt.related_reference,
        "created_at": timestamp(attempt.created_at),
        "private_sha256": private_sha256(
            salt=private.salt,
            conversation_id=attempt.conversation_id,
            provider=private.provider,
            subject=private.subject,
            note=private.note,
            person=person,
        ),
    }


@dataclass(frozen=True)
class _Subject:
    """What an attempt is about, checked: where it came from, which provider, which contract."""

    channel: str
    conversation_id: str | None
    provider: str
    provider_key: str | None
    contract_type: str | None
    subject_kind: str
    subject: str
    note: str | None = None

    @classmethod
    def checked(
        cls,
        channel: str,
        conversation_id: str | None,
        provider: str,
        provider_key: str | None,
        contract_type: str | None,
        subject_kind: str,
        subject: str,
        note: str | None = None,
    ) -> "_Subject":
        return cls(
            channel=require_choice("channel", channel, Channel),
            conversation_id=optional_text("conversation_id", conversation_id, 255),
            provider=require_text("provider", provider, 200),
            provider_key=_provider_key(provider_key),
            contract_type=_contract_type(contract_type),
            subject_kind=require_choice("subject_kind", subject_kind, SubjectKind),
            subject=require_text("subject", subject, 200),
            note=note.strip()[:MAX_NOTE_LENGTH] if note is not None and note.strip() else None,
        )

    def row(self, reference: str, now: datetime, *, kind: str, status: str,
            **columns: Any) -> Attempt:
        return Attempt(
            reference=reference, created_at=now, kind=str(kind), channel=self.channel,
            conversation_id=self.conversation_id, provider_key=self.provider_key,
            contract_type=self.contract_type, subject_kind=self.subject_kind, status=str(status),
            details=columns.pop("details", {}), **columns,
        )


def _provider_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not PROVIDER_KEY_PATTERN.match(value):
        raise ValueError(f"provider_key must be a directory key, not {value!r}")
    return value


def _contract_type(value: str | None) -> str | None:
    return None if value is None else require_choice("contract_type", value, ContractType)


def _status_details(details: Mapping[str, Any]) -> dict[str, Any]:
    checked = jsonable(dict(details))
    for key, value in checked.items():
        if not re.fullmatch(r"[a-z_]{1,40}", key):
            raise ValueError(f"status detail key {key!r} is not an identifier")
        if isinstance(value, str) and not STATUS_DETAIL_VALUE.match(value):
            raise ValueError(f"status detail {key} must be a date or a reference, not free text")
        if isinstance(value, (dict, list, float)):
            raise ValueError(f"status detail {key} must be a date, reference, number or flag")
    return checked


def _dispatch_details(details: Mapping[str, Any]) -> dict[str, Any]:
    checked = jsonable(dict(details))
    if not checked:
        raise ValueError("a dispatch entry needs at least one detail")
    for key, value in checked.items():
        check = DISPATCH_DETAIL_CHECKS.get(key)
        if check is None:
            raise ValueError(f"dispatch detail {key!r} is not chained")
        if not check(value):
            raise ValueError(f"dispatch detail {key} has an invalid value")
    return checked

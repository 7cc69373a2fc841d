"""`AttemptLog`: the evidence store for generated letters and logged hotline calls.

Every write that changes evidence appends one entry to the hash chain in the same transaction.
Chain appends lock the single `chain_head` row first (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite every write transaction starts with BEGIN IMMEDIATE, see engine.py), so writers in
different processes take turns and can never fork the chain.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterator, Mapping

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cancellation.log import migrate
from cancellation.log.chain import (
    ChainVerification,
    LogEntry,
    entry_hash,
    timestamp,
    verify_entries,
)
from cancellation.log.engine import SQLITE_DEFERRED, create_log_engine, is_postgresql, is_sqlite
from cancellation.log.models import (
    CHAIN_HEAD_ID,
    Attempt,
    ChainHead,
    ChannelState,
    DownloadToken,
    Letter,
    LogEntryRow,
    Person,
    TelegramUpdate,
)
from cancellation.log.records import (
    CALL_STATUSES,
    CHANNELS,
    DOCUMENT_EVIDENCE,
    DOCUMENT_LETTER,
    DOCUMENTS,
    EVENT_FORGOTTEN,
    EVENT_HOTLINE_CALL,
    EVENT_LETTER_CREATED,
    EVENT_REMINDER_CREATED,
    EVENT_STATUS_CHANGED,
    KIND_HOTLINE_CALL,
    KIND_LETTER,
    KIND_REMINDER_LETTER,
    LETTER_KINDS,
    LETTER_STATUSES,
    OUTCOME_SUCCEEDED,
    REQUESTED_END_ASAP,
    STATUS_CALL_FAILED,
    STATUS_CALL_SUCCEEDED,
    STATUS_LETTER_CREATED,
    SUBJECT_KINDS,
    AttemptRecord,
    ForgetResult,
    UnknownReference,
)
from cancellation.log.references import new_reference, normalise_reference
from cancellation.settings import Settings

# A clash among 32**6 references per year is rare; a handful of retries makes it impossible.
MAX_REFERENCE_TRIES = 8
# Keys in `details` that may hold something a person typed; dropped when the person is forgotten.
FREE_TEXT_DETAIL_KEYS = ("note",)

Renderer = Callable[[str], bytes]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class AttemptLog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._read_engine = (
            engine.execution_options(**{SQLITE_DEFERRED: True}) if is_sqlite(engine) else engine
        )
        # A consistent snapshot of head and entries, even while others append.
        self._snapshot_engine = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if is_postgresql(engine)
            else self._read_engine
        )

    @classmethod
    def from_url(cls, url: str, *, upgrade_schema: bool = False) -> "AttemptLog":
        if upgrade_schema:
            migrate.upgrade(url)
        return cls(create_log_engine(url))

    @classmethod
    def from_settings(cls, settings: Settings, *, upgrade_schema: bool = False) -> "AttemptLog":
        return cls.from_url(settings.database_url, upgrade_schema=upgrade_schema)

    @property
    def engine(self) -> Engine:
        return self._engine

    def dispose(self) -> None:
        self._engine.dispose()

    # --- writing evidence -------------------------------------------------------------------

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
        kind: str = KIND_LETTER,
        related_reference: str | None = None,
    ) -> AttemptRecord:
        """Render and store a letter with its personal data and a chain entry, all or nothing.

        With an `idempotency_key` that was used before, the earlier record is returned and
        nothing is rendered or logged again.
        """
        _require_choice("kind", kind, LETTER_KINDS)
        _require_choice("channel", channel, CHANNELS)
        _require_choice("subject_kind", subject_kind, SUBJECT_KINDS)
        provider = _require_text("provider", provider, 200)
        subject = _require_text("subject", subject, 200)
        conversation_id = _optional_text("conversation_id", conversation_id, 255)
        idempotency_key = _optional_text("idempotency_key", idempotency_key, 200)
        personal = _jsonable(dict(personal_data))
        if related_reference is not None:
            related_reference = self._existing_reference(related_reference)

        if idempotency_key is not None:
            existing = self._by_idempotency_key(idempotency_key)
            if existing is not None:
                return existing

        for _ in range(MAX_REFERENCE_TRIES):
            reference = new_reference(utc_now())
            if self.get(reference) is not None:
                continue
            pdf = render(reference)
            if not isinstance(pdf, (bytes, bytearray)) or not pdf:
                raise ValueError("render() must return the PDF as non-empty bytes")
            try:
                with self._write() as session:
                    head = _lock_chain(session)
                    if idempotency_key is not None:
                        earlier = session.execute(
                            select(Attempt).where(Attempt.idempotency_key == idempotency_key)
                        ).scalar_one_or_none()
                        if earlier is not None:
                            return _record(earlier)
                    if _attempt_row(session, reference) is not None:
                        continue
                    now = utc_now()
                    attempt = Attempt(
                        reference=reference,
                        created_at=now,
                        kind=kind,
                        channel=channel,
                        conversation_id=conversation_id,
                        provider=provider,
                        subject_kind=subject_kind,
                        subject=subject,
                        requested_end=_requested_end(requested_end),
                        status=STATUS_LETTER_CREATED,
                        letter_sha256=hashlib.sha256(pdf).hexdigest(),
                        person_id=_person_for(session, personal, related_reference, now),
                        related_reference=related_reference,
                        idempotency_key=idempotency_key,
                        details={},
                    )
                    session.add(attempt)
                    session.flush()
                    session.add(Letter(attempt_id=attempt.id, pdf=bytes(pdf)))
                    event = EVENT_LETTER_CREATED
                    if kind == KIND_REMINDER_LETTER:
                        event = EVENT_REMINDER_CREATED
                    _append(session, head, reference, event, _public_payload(attempt), now)
                    return _record(attempt)
            except IntegrityError:
                # Only a concurrent writer that slipped past the checks above gets here.
                if idempotency_key is not None:
                    existing = self._by_idempotency_key(idempotency_key)
                    if existing is not None:
                        return existing
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
        subject_kind: str = "contract",
    ) -> AttemptRecord:
        """Log a call to the provider's hotline; `outcome` "succeeded" counts as success."""
        _require_choice("channel", channel, CHANNELS)
        _require_choice("subject_kind", subject_kind, SUBJECT_KINDS)
        provider = _require_text("provider", provider, 200)
        subject = _require_text("subject", subject, 200)
        outcome = _require_text("outcome", outcome, 64)
        conversation_id = _optional_text("conversation_id", conversation_id, 255)
        if called_at.tzinfo is None:
            raise ValueError("called_at must be timezone-aware")
        details: dict[str, Any] = {"outcome": outcome, "called_at": timestamp(called_at)}
        if note is not None and note.strip():
            details["note"] = note.strip()[:2000]
        status = STATUS_CALL_SUCCEEDED if outcome == OUTCOME_SUCCEEDED else STATUS_CALL_FAILED

        for _ in range(MAX_REFERENCE_TRIES):
            reference = new_reference(utc_now())
            try:
                with self._write() as session:
                    head = _lock_chain(session)
                    if _attempt_row(session, reference) is not None:
                        continue
                    now = utc_now()
                    attempt = Attempt(
                        reference=reference,
                        created_at=now,
                        kind=KIND_HOTLINE_CALL,
                        channel=channel,
                        conversation_id=conversation_id,
                        provider=provider,
                        subject_kind=subject_kind,
                        subject=subject,
                        requested_end=None,
                        status=status,
                        letter_sha256=None,
                        details=details,
                    )
                    session.add(attempt)
                    session.flush()
                    payload = _public_payload(attempt)
                    payload.update(outcome=outcome, called_at=details["called_at"])
                    _append(session, head, reference, EVENT_HOTLINE_CALL, payload, now)
                    return _record(attempt)
            except IntegrityError:
                continue
        raise RuntimeError("no free attempt reference found; retry later")

    def set_status(
        self, reference: str, status: str, *, details: Mapping[str, Any] | None = None
    ) -> AttemptRecord:
        """Record a new status (e.g. "sent", "confirmed") with optional non-personal details."""
        extra = _jsonable(dict(details or {}))
        with self._write() as session:
            head = _lock_chain(session)
            attempt = _require_attempt(session, reference)
            allowed = CALL_STATUSES if attempt.kind == KIND_HOTLINE_CALL else LETTER_STATUSES
            _require_choice("status", status, allowed)
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
            _append(session, head, attempt.reference, EVENT_STATUS_CHANGED, payload, utc_now())
            return _record(attempt)

    # --- reading ----------------------------------------------------------------------------

    def get(self, reference: str) -> AttemptRecord | None:
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        with self._read() as session:
            attempt = _attempt_row(session, canonical)
            return None if attempt is None else _record(attempt)

    def list_attempts(self, limit: int | None = None) -> list[AttemptRecord]:
        """Newest first."""
        query = select(Attempt).order_by(Attempt.created_at.desc(), Attempt.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._read() as session:
            return [_record(attempt) for attempt in session.execute(query).scalars()]

    def attempts_for_conversation(self, conversation_id: str) -> list[AttemptRecord]:
        """Oldest first."""
        query = (
            select(Attempt)
            .where(Attempt.conversation_id == conversation_id)
            .order_by(Attempt.created_at, Attempt.id)
        )
        with self._read() as session:
            return [_record(attempt) for attempt in session.execute(query).scalars()]

    def personal_data(self, reference: str) -> dict[str, Any] | None:
        canonical = normalise_reference(reference)
        if canonical is None:
            return None
        query = (
            select(Person.data)
            .join(Attempt, Attempt.person_id == Person.id)
            .where(Attempt.reference == canonical)
        )
        with self._read() as session:
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
        with self._read() as session:
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
        with self._read() as session:
            return [_log_entry(row) for row in session.execute(query).scalars()]

    def verify_chain(self) -> ChainVerification:
        with Session(self._snapshot_engine, future=True) as session, session.begin():
            # Both reads come from one snapshot, so concurrent appends cannot look like damage.
            head = session.get(ChainHead, CHAIN_HEAD_ID)
            if head is None:
                return ChainVerification(ok=False, entries=0, reason="chain_head fehlt")
            rows = session.execute(
                select(LogEntryRow).order_by(LogEntryRow.id).execution_options(yield_per=1000)
            ).scalars()
            entries: Iterator[LogEntry] = (_log_entry(row) for row in rows)
            return verify_entries(entries, head_id=head.last_entry_id, head_hash=head.last_hash)

    # --- download links ---------------------------------------------------------------------

    def issue_download_token(
        self,
        reference: str,
        *,
        ttl: timedelta,
        now: datetime | None = None,
        document: str = DOCUMENT_LETTER,
    ) -> str:
        """A new secret link token for the stored letter (or the evidence report); only its
        SHA-256 is kept."""
        if ttl <= timedelta(0):
            raise ValueError("ttl must be positive")
        _require_choice("document", document, DOCUMENTS)
        now = now or utc_now()
        token = secrets.token_urlsafe(32)
        with self._write() as session:
            attempt = _require_attempt(session, reference)
            if document == DOCUMENT_LETTER and session.get(Letter, attempt.id) is None:
                raise ValueError(f"{attempt.reference} has no stored letter")
            session.execute(delete(DownloadToken).where(DownloadToken.expires_at <= now))
            session.add(
                DownloadToken(
                    token_sha256=_token_hash(token),
                    reference=attempt.reference,
                    created_at=now,
                    expires_at=now + ttl,
                    document=document,
                )
            )
        return token

    def resolve_download_token(
        self, token: str, *, now: datetime | None = None
    ) -> tuple[str, bytes] | None:
        """Reference and PDF of a valid letter token (evidence tokens are not letters)."""
        now = now or utc_now()
        query = (
            select(DownloadToken.reference, DownloadToken.expires_at, Letter.pdf)
            .join(Attempt, Attempt.reference == DownloadToken.reference)
            .join(Letter, Letter.attempt_id == Attempt.id)
            .where(DownloadToken.token_sha256 == _token_hash(token))
            .where(DownloadToken.document == DOCUMENT_LETTER)
        )
        with self._read() as session:
            row = session.execute(query).one_or_none()
        if row is None or row.expires_at <= now:
            return None
        return row.reference, bytes(row.pdf)

    def resolve_evidence_token(self, token: str, *, now: datetime | None = None) -> str | None:
        """The reference of a valid evidence-report token; the report is rendered by the caller."""
        now = now or utc_now()
        query = select(DownloadToken.reference, DownloadToken.expires_at).where(
            DownloadToken.token_sha256 == _token_hash(token),
            DownloadToken.document == DOCUMENT_EVIDENCE,
        )
        with self._read() as session:
            row = session.execute(query).one_or_none()
        if row is None or row.expires_at <= now:
            return None
        return row.reference

    # --- forgetting -------------------------------------------------------------------------

    def forget(self, reference: str) -> bool:
        """Delete the personal data behind `reference`; False if unknown or already forgotten."""
        try:
            return self.forget_attempt(reference).changed
        except UnknownReference:
            return False

    def forget_attempt(self, reference: str) -> ForgetResult:
        """Like `forget`, reporting what was deleted; raises UnknownReference."""
        with self._write() as session:
            head = _lock_chain(session)
            attempt = _require_attempt(session, reference)
            return _forget(session, head, [attempt])

    def forget_conversation(self, conversation_id: str) -> int:
        """Forget every attempt of a conversation; returns how many attempts lost personal data."""
        with self._write() as session:
            head = _lock_chain(session)
            attempts = list(
                session.execute(
                    select(Attempt).where(Attempt.conversation_id == conversation_id)
                ).scalars()
            )
            return len(_forget(session, head, attempts).references)

    # --- channel bookkeeping ----------------------------------------------------------------

    def claim_telegram_update(self, bot: str, update_id: int) -> bool:
        """True for the first caller only, across processes: the primary key decides."""
        try:
            with self._write() as session:
                session.add(TelegramUpdate(bot=bot, update_id=update_id, processed_at=utc_now()))
        except IntegrityError:
            return False
        return True

    def get_channel_state(self, key: str) -> str | None:
        with self._read() as session:
            row = session.get(ChannelState, key)
            return None if row is None else row.value

    def set_channel_state(self, key: str, value: str) -> None:
        for _ in range(2):
            try:
                with self._write() as session:
                    row = session.get(ChannelState, key)
                    if row is None:
                        session.add(ChannelState(key=key, value=value, updated_at=utc_now()))
                    else:
                        row.value = value
                        row.updated_at = utc_now()
                return
            except IntegrityError:
                continue  # another process inserted the key first; now it is an update
        raise RuntimeError(f"channel state {key!r} could not be written")

    # --- sessions ---------------------------------------------------------------------------

    def _write(self) -> "_SessionScope":
        return _SessionScope(self._engine)

    def _read(self) -> "_SessionScope":
        return _SessionScope(self._read_engine)

    def _by_idempotency_key(self, key: str) -> AttemptRecord | None:
        with self._read() as session:
            attempt = session.execute(
                select(Attempt).where(Attempt.idempotency_key == key)
            ).scalar_one_or_none()
            return None if attempt is None else _record(attempt)

    def _existing_reference(self, reference: str) -> str:
        record = self.get(reference)
        if record is None:
            raise UnknownReference(reference)
        return record.reference


class _SessionScope:
    """A session with one transaction: committed on success, rolled back on any exception."""

    def __init__(self, engine: Engine) -> None:
        self._session = Session(engine, future=True, expire_on_commit=False)

    def __enter__(self) -> Session:
        self._transaction = self._session.begin()
        return self._session

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        try:
            if exc_type is None:
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            self._session.close()


# --- helpers (module-private, operate inside a session) ----------------------------------------


def _lock_chain(session: Session) -> ChainHead:
    head = session.execute(
        select(ChainHead).where(ChainHead.id == CHAIN_HEAD_ID).with_for_update()
    ).scalar_one()
    return head


def _append(
    session: Session,
    head: ChainHead,
    reference: str,
    event: str,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    entry_id = (head.last_entry_id or 0) + 1
    digest = entry_hash(
        id=entry_id,
        created_at=now,
        reference=reference,
        event=event,
        payload=payload,
        prev_hash=head.last_hash,
    )
    session.add(
        LogEntryRow(
            id=entry_id,
            created_at=now,
            reference=reference,
            event=event,
            payload=payload,
            prev_hash=head.last_hash,
            entry_hash=digest,
        )
    )
    head.last_entry_id = entry_id
    head.last_hash = digest
    session.flush()


def _forget(session: Session, head: ChainHead, attempts: list[Attempt]) -> ForgetResult:
    person_ids = {attempt.person_id for attempt in attempts if attempt.person_id is not None}
    affected = {attempt.id: attempt for attempt in attempts}
    if person_ids:
        # A reminder shares the person of its first letter: that letter shows the same data.
        for attempt in session.execute(
            select(Attempt).where(Attempt.person_id.in_(person_ids))
        ).scalars():
            affected[attempt.id] = attempt
    pending = sorted(
        (attempt for attempt in affected.values() if attempt.forgotten_at is None),
        key=lambda attempt: attempt.id,
    )
    if not pending:
        return ForgetResult(references=(), persons_deleted=0, letters_deleted=0, tokens_deleted=0)
    now = utc_now()
    ids = [attempt.id for attempt in pending]
    references = [attempt.reference for attempt in pending]
    tokens_deleted = session.execute(
        delete(DownloadToken).where(DownloadToken.reference.in_(references))
    ).rowcount
    letters_deleted = session.execute(delete(Letter).where(Letter.attempt_id.in_(ids))).rowcount
    for attempt in pending:
        attempt.person_id = None
        attempt.conversation_id = None
        # Keys such as "<chat id>:<message id>" can identify a person too.
        attempt.idempotency_key = None
        attempt.details = {
            key: value
            for key, value in (attempt.details or {}).items()
            if key not in FREE_TEXT_DETAIL_KEYS
        }
        attempt.forgotten_at = now
    session.flush()
    persons_deleted = 0
    if person_ids:
        persons_deleted = session.execute(delete(Person).where(Person.id.in_(person_ids))).rowcount
    for attempt in pending:
        payload = {
            "reference": attempt.reference,
            "kind": attempt.kind,
            "forgotten_at": timestamp(now),
        }
        _append(session, head, attempt.reference, EVENT_FORGOTTEN, payload, now)
    return ForgetResult(
        references=tuple(references),
        persons_deleted=persons_deleted,
        letters_deleted=letters_deleted,
        tokens_deleted=tokens_deleted,
    )


def _person_for(
    session: Session, personal: dict[str, Any], related_reference: str | None, now: datetime
) -> int:
    """Reuse the person of the related letter when the data is unchanged: stored only once."""
    if related_reference is not None:
        related = _attempt_row(session, related_reference)
        if related is not None and related.person_id is not None:
            person = session.get(Person, related.person_id)
            if person is not None and person.data == personal:
                return person.id
    person = Person(created_at=now, data=personal)
    session.add(person)
    session.flush()
    return person.id


def _attempt_row(session: Session, reference: str) -> Attempt | None:
    return session.execute(
        select(Attempt).where(Attempt.reference == reference)
    ).scalar_one_or_none()


def _require_attempt(session: Session, reference: str) -> Attempt:
    canonical = normalise_reference(reference)
    attempt = None if canonical is None else _attempt_row(session, canonical)
    if attempt is None:
        raise UnknownReference(reference)
    return attempt


def _public_payload(attempt: Attempt) -> dict[str, Any]:
    """What goes into the chain: never anything that identifies the person."""
    return {
        "reference": attempt.reference,
        "kind": attempt.kind,
        "channel": attempt.channel,
        "provider": attempt.provider,
        "subject_kind": attempt.subject_kind,
        "subject": attempt.subject,
        "requested_end": attempt.requested_end,
        "status": attempt.status,
        "letter_sha256": attempt.letter_sha256,
        "related_reference": attempt.related_reference,
        "created_at": timestamp(attempt.created_at),
    }


def _record(attempt: Attempt) -> AttemptRecord:
    return AttemptRecord(
        reference=attempt.reference,
        created_at=attempt.created_at,
        kind=attempt.kind,
        channel=attempt.channel,
        provider=attempt.provider,
        subject_kind=attempt.subject_kind,
        subject=attempt.subject,
        requested_end=attempt.requested_end,
        status=attempt.status,
        letter_sha256=attempt.letter_sha256,
        related_reference=attempt.related_reference,
        details=dict(attempt.details or {}),
        forgotten=attempt.forgotten_at is not None,
        forgotten_at=attempt.forgotten_at,
        conversation_id=attempt.conversation_id,
    )


def _log_entry(row: LogEntryRow) -> LogEntry:
    return LogEntry(
        id=row.id,
        created_at=row.created_at,
        reference=row.reference,
        event=row.event,
        payload=dict(row.payload),
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
    )


def _requested_end(requested_end: date | None) -> str:
    if requested_end is None:
        return REQUESTED_END_ASAP
    if isinstance(requested_end, datetime) or not isinstance(requested_end, date):
        raise ValueError("requested_end must be a date or None (as soon as possible)")
    return requested_end.isoformat()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> Any:
    """Dates become ISO strings so personal data and details survive a JSON column unchanged."""
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return timestamp(value) if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ValueError(f"value of type {type(value).__name__} cannot be stored as JSON")


def _require_choice(name: str, value: str, allowed: frozenset[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, not {value!r}")


def _require_text(name: str, value: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    value = value.strip()
    if len(value) > max_length:
        raise ValueError(f"{name} is longer than {max_length} characters")
    return value


def _optional_text(name: str, value: str | None, max_length: int) -> str | None:
    if value is None:
        return None
    return _require_text(name, value, max_length)

"""Forgetting: delete the personal data behind attempts; the anonymised attempts stay chained."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cancellation.log.appends import append, lock_head
from cancellation.log.chain import timestamp
from cancellation.log.models import (
    Attempt,
    ChainHead,
    DownloadToken,
    Letter,
    Person,
    PrivateText,
)
from cancellation.log.records import Event, ForgetResult, UnknownReference
from cancellation.log.rows import require_attempt, utc_now
from cancellation.log.store import LogStore


class Deletion:
    def __init__(self, store: LogStore) -> None:
        self._store = store

    def forget(self, reference: str) -> bool:
        """Delete the personal data behind `reference`; False if unknown or already forgotten."""
        try:
            return self.forget_attempt(reference).changed
        except UnknownReference:
            return False

    def forget_attempt(self, reference: str) -> ForgetResult:
        """Like `forget`, reporting what was deleted; raises UnknownReference."""
        with self._store.write() as session:
            head = lock_head(session)
            attempt = require_attempt(session, reference)
            return _forget(session, head, [attempt], self._store.signing_key)

    def forget_conversation(self, conversation_id: str) -> ForgetResult:
        """Forget every attempt of a conversation."""
        with self._store.write() as session:
            head = lock_head(session)
            attempts = list(
                session.execute(
                    select(Attempt).where(Attempt.conversation_id == conversation_id)
                ).scalars()
            )
            return _forget(session, head, attempts, self._store.signing_key)


def _forget(
    session: Session, head: ChainHead, attempts: list[Attempt], signing_key: bytes | None
) -> ForgetResult:
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
    # Provider names, subjects and notes as typed, and the salts that made their hashes checkable.
    session.execute(delete(PrivateText).where(PrivateText.attempt_id.in_(ids)))
    for attempt in pending:
        attempt.person_id = None
        attempt.conversation_id = None
        # Keys such as "<chat id>:<message id>" can identify a person too.
        attempt.idempotency_key = None
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
        append(session, head, attempt.reference, Event.FORGOTTEN, payload, now, signing_key)
    return ForgetResult(
        references=tuple(references),
        persons_deleted=persons_deleted,
        letters_deleted=letters_deleted,
        tokens_deleted=tokens_deleted,
    )

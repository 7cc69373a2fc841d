"""Secret download links for a stored letter or an evidence report; only token hashes are kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from cancellation.log.arguments import require_choice
from cancellation.log.models import DownloadToken, Letter
from cancellation.log.records import Document
from cancellation.log.rows import require_attempt, utc_now
from cancellation.log.store import LogStore
from cancellation.log.verified_reads import VerifiedReads


class DownloadTokens:
    def __init__(self, store: LogStore, reads: VerifiedReads) -> None:
        self._store = store
        self._reads = reads

    def issue(
        self,
        reference: str,
        *,
        ttl: timedelta,
        now: datetime | None = None,
        document: str = Document.LETTER,
    ) -> str:
        """A new secret link token for the stored letter (or the evidence report)."""
        if ttl <= timedelta(0):
            raise ValueError("ttl must be positive")
        document = require_choice("document", document, Document)
        now = now or utc_now()
        token = secrets.token_urlsafe(32)
        with self._store.write() as session:
            attempt = require_attempt(session, reference)
            if document == Document.LETTER and session.get(Letter, attempt.id) is None:
                raise ValueError(f"{attempt.reference} has no stored letter")
            session.execute(delete(DownloadToken).where(DownloadToken.expires_at <= now))
            session.add(
                DownloadToken(
                    token_sha256=token_hash(token),
                    reference=attempt.reference,
                    created_at=now,
                    expires_at=now + ttl,
                    document=document,
                )
            )
        return token

    def resolve_letter(
        self, token: str, *, now: datetime | None = None
    ) -> tuple[str, bytes] | None:
        """Reference and PDF of a valid letter token (evidence tokens are not letters).

        The PDF is a verified read: a letter that does not match the chain raises
        `TamperedEvidence` instead of being handed out."""
        reference = self._valid(token, Document.LETTER, now)
        if reference is None:
            return None
        pdf = self._reads.letter_pdf(reference)
        return None if pdf is None else (reference, pdf)

    def resolve_evidence(self, token: str, *, now: datetime | None = None) -> str | None:
        """The reference of a valid evidence-report token; the report is rendered by the caller."""
        return self._valid(token, Document.EVIDENCE, now)

    def resolve_calendar(self, token: str, *, now: datetime | None = None) -> str | None:
        """The reference of a valid calendar-file token; the file is rendered by the caller."""
        return self._valid(token, Document.CALENDAR, now)

    def _valid(self, token: str, document: Document, now: datetime | None) -> str | None:
        now = now or utc_now()
        query = select(DownloadToken.reference, DownloadToken.expires_at).where(
            DownloadToken.token_sha256 == token_hash(token),
            DownloadToken.document == document.value,
        )
        with self._store.read() as session:
            row = session.execute(query).one_or_none()
        if row is None or row.expires_at <= now:
            return None
        return row.reference


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

"""`AttemptLog`: the attempt log's repositories over one engine (one connection pool).

Each repository has one job; callers use the one they need:

    log.evidence   EvidenceWrites   letters, reminders, hotline calls, status changes
    log.reads      VerifiedReads    attempts, entries, personal data, letter PDFs, verification
    log.tokens     DownloadTokens   secret download links
    log.deletion   Deletion         forgetting a person's data
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from cancellation.log.deletion import Deletion
from cancellation.log.download_tokens import DownloadTokens
from cancellation.log.evidence_writes import EvidenceWrites
from cancellation.log.store import LogStore
from cancellation.log.verified_reads import VerifiedReads
from cancellation.settings import Settings


class AttemptLog:
    def __init__(self, store: LogStore) -> None:
        self._store = store
        self.evidence = EvidenceWrites(store)
        self.reads = VerifiedReads(store)
        self.tokens = DownloadTokens(store, self.reads)
        self.deletion = Deletion(store)

    @classmethod
    def from_url(
        cls, url: str, *, upgrade_schema: bool = False, signing_key: bytes | None = None
    ) -> "AttemptLog":
        return cls(LogStore.from_url(url, upgrade_schema=upgrade_schema, signing_key=signing_key))

    @classmethod
    def from_settings(cls, settings: Settings, *, upgrade_schema: bool = False) -> "AttemptLog":
        return cls.from_url(
            settings.database_url,
            upgrade_schema=upgrade_schema,
            signing_key=settings.log_signing_key,
        )

    @property
    def engine(self) -> Engine:
        return self._store.engine

    @property
    def store(self) -> LogStore:
        return self._store

    @property
    def signing_key(self) -> bytes | None:
        return self._store.signing_key

    def dispose(self) -> None:
        self._store.dispose()

"""One engine and its transactions, shared by the attempt log's repositories.

Writers take SQLite's write lock with their first statement (BEGIN IMMEDIATE, see engine.py);
readers use a deferred BEGIN so they never wait for it. A snapshot reads head and entries from
one consistent state even while others append (REPEATABLE READ on PostgreSQL).
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cancellation.log import migrate
from cancellation.log.engine import SQLITE_DEFERRED, create_log_engine, is_postgresql, is_sqlite


class LogStore:
    """`signing_key` (LOG_SIGNING_KEY) signs new chain entries and is required when verifying."""

    def __init__(self, engine: Engine, *, signing_key: bytes | None = None) -> None:
        self._engine = engine
        self.signing_key = signing_key
        # (entry id, hash) of the head this process last verified, and when (see verification.py).
        self.verified_head: tuple[int, str] | None = None
        self.verified_at: datetime | None = None
        self.verified_lock = threading.Lock()
        self._read_engine = (
            engine.execution_options(**{SQLITE_DEFERRED: True}) if is_sqlite(engine) else engine
        )
        self._snapshot_engine = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if is_postgresql(engine)
            else self._read_engine
        )

    @classmethod
    def from_url(
        cls, url: str, *, upgrade_schema: bool = False, signing_key: bytes | None = None
    ) -> "LogStore":
        if upgrade_schema:
            migrate.upgrade(url)
        return cls(create_log_engine(url), signing_key=signing_key)

    @property
    def engine(self) -> Engine:
        return self._engine

    def dispose(self) -> None:
        self._engine.dispose()

    def write(self) -> "SessionScope":
        return SessionScope(self._engine)

    def read(self) -> "SessionScope":
        return SessionScope(self._read_engine)

    def snapshot(self) -> "SessionScope":
        return SessionScope(self._snapshot_engine)


class SessionScope:
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

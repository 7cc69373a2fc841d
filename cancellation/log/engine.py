"""The one factory for attempt-log engines (never created at import time)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

# Seconds a SQLite writer waits for another process's write transaction before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 30
# Execution option for read-only work on SQLite: a deferred BEGIN does not take the write lock.
SQLITE_DEFERRED = "cancellation_sqlite_deferred"
# The database holds letters and personal data: readable by the service's own user only.
PRIVATE_FILE_MODE = 0o600
SQLITE_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def create_log_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        private_sqlite_file(parsed.database)
        engine = create_engine(
            parsed, future=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(parsed, future=True, pool_pre_ping=True, pool_size=5, max_overflow=10)


def private_sqlite_file(database: str | None) -> None:
    """Create the SQLite file with mode 0600 before SQLite does (SQLite gives its -wal and -shm
    files the mode of the database file), and tighten files an older version created."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
        except FileExistsError:
            pass  # another process created it first, with the same mode
        except FileNotFoundError:
            return  # no such directory: SQLite reports that itself
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANION_SUFFIXES)):
        try:
            if candidate.stat().st_uid == os.getuid() and candidate.stat().st_mode & 0o077:
                candidate.chmod(PRIVATE_FILE_MODE)
        except FileNotFoundError:
            continue


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # pysqlite starts transactions lazily, only before the first INSERT/UPDATE, so a chain writer
    # would read the chain head outside any transaction and two processes could fork the chain.
    # Taking over BEGIN (see _sqlite_on_begin) makes each write transaction hold SQLite's write
    # lock from its first statement on.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        # Forgotten data is overwritten in the file, not just marked free.
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    deferred = connection.get_execution_options().get(SQLITE_DEFERRED, False)
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

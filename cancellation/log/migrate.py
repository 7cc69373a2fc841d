"""Bring an attempt-log database to the newest schema (`alembic upgrade head`, programmatically).

Safe to call from several processes at once: the migration environment serialises them with a
PostgreSQL advisory lock or SQLite's write lock (see migrations/env.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from cancellation.log.engine import create_log_engine, is_sqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "cancellation_alembic_version"
# Arbitrary constant shared by every process that migrates this schema ("KB" in ASCII, twice).
ADVISORY_LOCK_KEY = 0x4B42_4B42


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not an ini option: ini interpolation would mangle "%" in URLs.
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    _prefer_wal(url)
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = create_log_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"version_table": VERSION_TABLE}
            )
            return context.get_current_revision()
    finally:
        engine.dispose()


def _prefer_wal(url: str) -> None:
    """Switch a SQLite file to WAL so readers (Rasa, CLI) do not block the writer.

    The mode is stored in the file, so this is done once here rather than on every connection.
    """
    engine = create_log_engine(url)
    try:
        if not is_sqlite(engine) or engine.url.database in (None, "", ":memory:"):
            return
        with engine.connect() as connection:
            # journal_mode cannot change inside a transaction, so talk to the driver directly.
            dbapi_connection = connection.connection
            try:
                dbapi_connection.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:  # busy: another process switches it instead
                pass
    finally:
        engine.dispose()

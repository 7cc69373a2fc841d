"""Alembic environment of the attempt log.

Runs every migration of one `upgrade` in a single transaction that first takes a lock, so several
processes starting at once (Rasa replicas, action server, CLI) migrate exactly once:
PostgreSQL waits on a transaction-level advisory lock; SQLite's BEGIN IMMEDIATE (see
cancellation/log/engine.py) holds the database write lock, and SQLite's DDL is transactional.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from cancellation.log.engine import create_log_engine
from cancellation.log.migrate import ADVISORY_LOCK_KEY, VERSION_TABLE
from cancellation.log.models import Base


def _database_url() -> str:
    url = context.config.attributes.get("database_url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if url:
        return url
    from cancellation.settings import Settings

    return Settings.from_env().database_url


def _run(connection: Connection) -> None:
    with connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            version_table=VERSION_TABLE,
            render_as_batch=True,
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_online() -> None:
    engine = create_log_engine(_database_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

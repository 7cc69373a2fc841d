"""Every attempt-log test runs against SQLite (a temp file) and the real PostgreSQL.

Each PostgreSQL test gets its own freshly created schema, selected through the connection's
search_path, and dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from cancellation.log import AttemptLog
from cancellation.log.migrate import upgrade

POSTGRES_URLS = (
    os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"),
    "postgresql+psycopg2://root@127.0.0.1:5432/test",
)


def _postgres_admin_url() -> str:
    errors = []
    for url in POSTGRES_URLS:
        engine = create_engine(url, future=True)
        try:
            with engine.connect():
                return url
        except OperationalError as error:
            errors.append(f"{url}: {error.orig}")
        finally:
            engine.dispose()
    raise RuntimeError("PostgreSQL for tests not reachable: " + "; ".join(errors))


def _scratch_postgres(tag: str) -> Iterator[str]:
    admin_url = _postgres_admin_url()
    schema = f"t_{tag}_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, future=True)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield f"{admin_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'attempts.db'}"
    else:
        yield from _scratch_postgres("log")


@pytest.fixture
def attempt_log(database_url: str) -> Iterator[AttemptLog]:
    upgrade(database_url)
    log = AttemptLog.from_url(database_url)
    try:
        yield log
    finally:
        log.dispose()


PERSON = {
    "name": "Erika Mustermann",
    "street": "Heidestraße 17",
    "postcode": "51147",
    "city": "Köln",
    "email": "erika@example.org",
    "customer_number": "K-123456",
    "phone_number": "0171 2345678",
}


def fake_pdf(reference: str) -> bytes:
    return b"%PDF-1.4 letter " + reference.encode()


@pytest.fixture
def make_letter(attempt_log: AttemptLog):
    """Create a letter attempt with sensible defaults; keyword arguments override them."""

    def make(**overrides):
        arguments = dict(
            channel="web",
            conversation_id="conv-1",
            provider="o2",
            subject_kind="contract",
            subject="Mobilfunkvertrag",
            requested_end=None,
            personal_data=PERSON,
            render=fake_pdf,
        )
        arguments.update(overrides)
        return attempt_log.create_letter_attempt(**arguments)

    return make

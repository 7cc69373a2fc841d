"""Every attempt-log test runs against SQLite (a temp file) and the real PostgreSQL.

Each PostgreSQL test gets its own freshly created schema, selected through the connection's
search_path, and dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from cancellation.log import AttemptLog
from cancellation.log.migrate import upgrade
from tests.support.databases import scratch_postgres

@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'attempts.db'}"
    else:
        yield from scratch_postgres("log")


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
        return attempt_log.evidence.create_letter_attempt(**arguments)

    return make

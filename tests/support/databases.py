"""Scratch databases for tests: a fresh PostgreSQL schema per test, dropped afterwards."""

from __future__ import annotations

import os
import secrets
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES_URLS = (
    os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"),
    "postgresql+psycopg2://root@127.0.0.1:5432/test",
)


def postgres_admin_url() -> str:
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


def scratch_postgres(tag: str) -> Iterator[str]:
    admin_url = postgres_admin_url()
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

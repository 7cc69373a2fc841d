"""Declarative models of the attempt log (the schema itself is created by Alembic migrations)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

REFERENCE_LENGTH = 20
HASH_LENGTH = 64
CHAIN_HEAD_ID = 1
PROVIDER_KEY_LENGTH = 64
SALT_LENGTH = 32

Base = declarative_base()


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite drops the offset when it stores a datetime, so values are normalised to UTC before
    they are written and marked as UTC again when they are read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the attempt log stores UTC only")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Person(Base):
    __tablename__ = "persons"

    id = Column(Integer, primary_key=True)
    created_at = Column(UTCDateTime, nullable=False)
    data = Column(JSON, nullable=False)


class Attempt(Base):
    """One letter, reminder or hotline call: only what may stay after the person is forgotten,
    plus the keys (conversation, person, idempotency) that a forget clears."""

    __tablename__ = "attempts"

    id = Column(Integer, primary_key=True)
    reference = Column(String(REFERENCE_LENGTH), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False, index=True)
    kind = Column(String(20), nullable=False)
    channel = Column(String(16), nullable=False)
    conversation_id = Column(String(255), nullable=True, index=True)
    # The provider directory's key ("o2"), never a name the user typed; None for unknown ones.
    provider_key = Column(String(PROVIDER_KEY_LENGTH), nullable=True)
    # cancellation.vocabulary.ContractType; None for attempts logged before it was stored.
    contract_type = Column(String(16), nullable=True)
    subject_kind = Column(String(16), nullable=False)
    requested_end = Column(String(10), nullable=True)
    status = Column(String(32), nullable=False)
    letter_sha256 = Column(String(HASH_LENGTH), nullable=True)
    person_id = Column(
        Integer, ForeignKey("persons.id", ondelete="SET NULL"), nullable=True, index=True
    )
    related_reference = Column(String(REFERENCE_LENGTH), nullable=True, index=True)
    idempotency_key = Column(String(200), nullable=True, unique=True)
    details = Column(JSON, nullable=False)
    forgotten_at = Column(UTCDateTime, nullable=True)


class PrivateText(Base):
    """What a user typed or what names them, per attempt: deleted when the person is forgotten.

    The chain holds only a salted SHA-256 over these values (see cancellation/log/private.py);
    without the salt, which is deleted with them, that hash reveals nothing.
    """

    __tablename__ = "attempt_private"

    attempt_id = Column(Integer, ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    # None for attempts written before migration 0003: their chain entries hold the text itself.
    salt = Column(String(SALT_LENGTH), nullable=True)
    provider = Column(String(200), nullable=False)
    subject = Column(String(200), nullable=False)
    note = Column(Text, nullable=True)


class Letter(Base):
    __tablename__ = "letters"

    attempt_id = Column(Integer, ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    pdf = Column(LargeBinary, nullable=False)


class LogEntryRow(Base):
    __tablename__ = "log_entries"

    # Assigned by the writer that holds the chain lock, so ids are gapless and follow chain order.
    id = Column(Integer, primary_key=True, autoincrement=False)
    created_at = Column(UTCDateTime, nullable=False)
    reference = Column(String(REFERENCE_LENGTH), nullable=False, index=True)
    event = Column(String(32), nullable=False)
    payload = Column(JSON, nullable=False)
    prev_hash = Column(String(HASH_LENGTH), nullable=False)
    entry_hash = Column(String(HASH_LENGTH), nullable=False, unique=True)
    # HMAC-SHA256 of entry_hash under LOG_SIGNING_KEY; None when written without a key.
    entry_hmac = Column(String(HASH_LENGTH), nullable=True)


class ChainHead(Base):
    """The single row every chain writer locks, so appends are serialised across processes."""

    __tablename__ = "chain_head"
    __table_args__ = (CheckConstraint(f"id = {CHAIN_HEAD_ID}", name="ck_chain_head_single_row"),)

    id = Column(Integer, primary_key=True, autoincrement=False)
    last_entry_id = Column(Integer, nullable=True)
    last_hash = Column(String(HASH_LENGTH), nullable=False)


class DownloadToken(Base):
    __tablename__ = "download_tokens"

    token_sha256 = Column(String(HASH_LENGTH), primary_key=True)
    reference = Column(String(REFERENCE_LENGTH), nullable=False, index=True)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False, index=True)
    # "letter" (the stored PDF) or "evidence" (the report, rendered when downloaded).
    document = Column(String(16), nullable=False, server_default="letter")


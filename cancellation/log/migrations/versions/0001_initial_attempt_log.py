"""Initial attempt log: persons, attempts, letters, hash chain, download tokens, channel state.

Revision ID: 0001_initial
Revises:
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def _utc() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=True),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("requested_end", sa.String(10), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("letter_sha256", sa.String(64), nullable=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("persons.id", ondelete="SET NULL", name="fk_attempts_person_id"),
            nullable=True,
        ),
        sa.Column("related_reference", sa.String(20), nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("forgotten_at", _utc(), nullable=True),
        sa.UniqueConstraint("reference", name="uq_attempts_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_attempts_idempotency_key"),
    )
    op.create_index("ix_attempts_conversation_id", "attempts", ["conversation_id"])
    op.create_index("ix_attempts_person_id", "attempts", ["person_id"])
    op.create_index("ix_attempts_created_at", "attempts", ["created_at"])
    op.create_table(
        "letters",
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("attempts.id", ondelete="CASCADE", name="fk_letters_attempt_id"),
            primary_key=True,
        ),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "log_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("entry_hash", name="uq_log_entries_entry_hash"),
    )
    op.create_index("ix_log_entries_reference", "log_entries", ["reference"])
    chain_head = op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_entry_id", sa.Integer, nullable=True),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_chain_head_single_row"),
    )
    op.bulk_insert(chain_head, [{"id": 1, "last_entry_id": None, "last_hash": GENESIS_HASH}])
    op.create_table(
        "download_tokens",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
    )
    op.create_index("ix_download_tokens_reference", "download_tokens", ["reference"])
    op.create_index("ix_download_tokens_expires_at", "download_tokens", ["expires_at"])
    op.create_table(
        "telegram_updates",
        sa.Column("bot", sa.String(100), primary_key=True),
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("processed_at", _utc(), nullable=False),
    )
    op.create_table(
        "channel_state",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "channel_state",
        "telegram_updates",
        "download_tokens",
        "chain_head",
        "log_entries",
        "letters",
        "attempts",
        "persons",
    ):
        op.drop_table(table)

"""Telegram's update ledger becomes claim -> answer -> finish with leases; the poller's lease.

The models are bot/channels/telegram/ledger.py. Rows that exist already were processed
completely by the old code (claimed = done), so they become `done`.

Revision ID: 0004_telegram_ledger
Revises: 0003_private_texts
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_telegram_ledger"
down_revision = "0003_private_texts"
branch_labels = None
depends_on = None


def _utc() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("telegram_updates") as batch:
        batch.alter_column("processed_at", new_column_name="received_at")
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="done"))
        batch.add_column(sa.Column("owner", sa.String(64), nullable=True))
        batch.add_column(sa.Column("lease_until", _utc(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("outbox", sa.JSON, nullable=True))
        batch.add_column(sa.Column("delivered", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("finished_at", _utc(), nullable=True))
    op.create_index("ix_telegram_updates_received_at", "telegram_updates", ["received_at"])
    op.create_table(
        "telegram_leases",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("telegram_leases")
    op.drop_index("ix_telegram_updates_received_at", table_name="telegram_updates")
    # Unfinished claims would look finished to the old code: drop them, Telegram re-delivers.
    op.execute("DELETE FROM telegram_updates WHERE status <> 'done'")
    with op.batch_alter_table("telegram_updates") as batch:
        for column in ("finished_at", "delivered", "outbox", "attempts", "lease_until", "owner",
                       "status"):
            batch.drop_column(column)
        batch.alter_column("received_at", new_column_name="processed_at")

"""The dispatch queue: one job per letter sent for the user by the print-and-mail service.

The model is cancellation/dispatch/queue.py. `reference` is unique, so a letter is dispatched at
most once however often the user (or a retry) asks; jobs are claimed with a lease.

Revision ID: 0005_dispatch_jobs
Revises: 0004_telegram_ledger
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_dispatch_jobs"
down_revision = "0004_telegram_ledger"
branch_labels = None
depends_on = None


def _utc() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dispatch_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("service", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("next_attempt_at", _utc(), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", _utc(), nullable=True),
        # A submission whose answer never came: look the job up before submitting again.
        sa.Column("uncertain", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("print_job_id", sa.Integer, nullable=True),
        sa.Column("remote_status", sa.String(32), nullable=True),
        sa.Column("tracking_number", sa.String(40), nullable=True),
        sa.Column("submitted_at", _utc(), nullable=True),
        sa.Column("last_error", sa.String(40), nullable=True),
        sa.UniqueConstraint("reference", name="uq_dispatch_jobs_reference"),
    )
    op.create_index("ix_dispatch_jobs_due", "dispatch_jobs", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_dispatch_jobs_due", table_name="dispatch_jobs")
    op.drop_table("dispatch_jobs")

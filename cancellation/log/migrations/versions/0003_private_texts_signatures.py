"""Free text out of the attempts (and out of new chain entries), contract type, entry signatures.

- `attempt_private` holds per attempt what a user typed or what names them (provider name as
  typed, subject with an option name, hotline note) and the salt of its chained commitment; a
  forget deletes the row. Existing attempts move their provider/subject/note there (salt NULL:
  their old chain entries carry the text itself, which a chain cannot take back).
- `attempts.provider_key` (directory key) and `attempts.contract_type` (ContractType value),
  NULL for old rows.
- `log_entries.entry_hmac`: HMAC-SHA256 of the entry hash under LOG_SIGNING_KEY.
- an index for reminders looked up by the letter they remind of.

Revision ID: 0003_private_texts
Revises: 0002_token_document
Create Date: 2026-12-03 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_private_texts"
down_revision = "0002_token_document"
branch_labels = None
depends_on = None

FREE_TEXT_DETAIL_KEYS = ("note",)


def upgrade() -> None:
    op.create_table(
        "attempt_private",
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("attempts.id", ondelete="CASCADE", name="fk_attempt_private_attempt_id"),
            primary_key=True,
        ),
        sa.Column("salt", sa.String(32), nullable=True),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    connection = op.get_bind()
    attempts = sa.table(
        "attempts",
        sa.column("id", sa.Integer),
        sa.column("provider", sa.String),
        sa.column("subject", sa.String),
        sa.column("details", sa.JSON),
        sa.column("forgotten_at", sa.DateTime(timezone=True)),
    )
    private = sa.table(
        "attempt_private",
        sa.column("attempt_id", sa.Integer),
        sa.column("salt", sa.String),
        sa.column("provider", sa.String),
        sa.column("subject", sa.String),
        sa.column("note", sa.Text),
    )
    rows = connection.execute(
        sa.select(attempts.c.id, attempts.c.provider, attempts.c.subject, attempts.c.details,
                  attempts.c.forgotten_at)
    ).all()
    for row in rows:
        details = dict(row.details or {})
        note = details.pop("note", None)
        if row.forgotten_at is None:
            connection.execute(
                private.insert().values(
                    attempt_id=row.id, salt=None, provider=row.provider, subject=row.subject,
                    note=note,
                )
            )
        if any(key in (row.details or {}) for key in FREE_TEXT_DETAIL_KEYS):
            connection.execute(
                attempts.update().where(attempts.c.id == row.id).values(details=details)
            )
    _drop_columns("attempts", "provider", "subject")
    op.add_column("attempts", sa.Column("provider_key", sa.String(64), nullable=True))
    op.add_column("attempts", sa.Column("contract_type", sa.String(16), nullable=True))
    op.create_index("ix_attempts_related_reference", "attempts", ["related_reference"])
    op.add_column("log_entries", sa.Column("entry_hmac", sa.String(64), nullable=True))


def downgrade() -> None:
    _drop_columns("log_entries", "entry_hmac")
    op.drop_index("ix_attempts_related_reference", table_name="attempts")
    op.add_column(
        "attempts", sa.Column("provider", sa.String(200), nullable=False, server_default="–")
    )
    op.add_column(
        "attempts", sa.Column("subject", sa.String(200), nullable=False, server_default="–")
    )
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE attempts SET provider = (SELECT p.provider FROM attempt_private p "
            "WHERE p.attempt_id = attempts.id), subject = (SELECT p.subject FROM attempt_private p "
            "WHERE p.attempt_id = attempts.id) "
            "WHERE id IN (SELECT attempt_id FROM attempt_private)"
        )
    )
    _drop_columns("attempts", "provider_key", "contract_type")
    op.drop_table("attempt_private")


def _drop_columns(table: str, *columns: str) -> None:
    """Drop columns in place. Alembic's batch mode would copy and drop the whole table on
    SQLite, and with foreign keys on, dropping `attempts` cascades into `letters`; SQLite
    3.35+ drops a plain column natively instead."""
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        version = tuple(int(part) for part in connection.dialect.dbapi.sqlite_version.split("."))
        if version < (3, 35):
            raise RuntimeError("SQLite 3.35 or newer is required (ALTER TABLE DROP COLUMN)")
        for column in columns:
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        return
    for column in columns:
        op.drop_column(table, column)

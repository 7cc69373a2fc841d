"""Download tokens name the document they unlock: the stored letter or the evidence report.

Revision ID: 0002_token_document
Revises: 0001_initial
Create Date: 2026-11-27 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_token_document"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing tokens were all issued for letters.
    with op.batch_alter_table("download_tokens") as batch:
        batch.add_column(
            sa.Column("document", sa.String(16), nullable=False, server_default="letter")
        )


def downgrade() -> None:
    op.execute("DELETE FROM download_tokens WHERE document <> 'letter'")
    with op.batch_alter_table("download_tokens") as batch:
        batch.drop_column("document")

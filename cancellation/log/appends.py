"""Appending to the hash chain inside a writer's transaction.

Every append first locks the single `chain_head` row (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite the write transaction already holds the database lock), so writers in different processes
take turns and can never fork the chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cancellation.log.chain import entry_hash, entry_signature
from cancellation.log.models import CHAIN_HEAD_ID, ChainHead, LogEntryRow


def lock_head(session: Session) -> ChainHead:
    return session.execute(
        select(ChainHead).where(ChainHead.id == CHAIN_HEAD_ID).with_for_update()
    ).scalar_one()


def append(
    session: Session,
    head: ChainHead,
    reference: str,
    event: str,
    payload: dict[str, Any],
    now: datetime,
    signing_key: bytes | None,
) -> None:
    """Append one entry; with a signing key it also carries the HMAC of its hash."""
    entry_id = (head.last_entry_id or 0) + 1
    fields = dict(id=entry_id, created_at=now, reference=reference, event=str(event),
                  payload=payload, prev_hash=head.last_hash)
    digest = entry_hash(**fields)
    hmac = None if signing_key is None else entry_signature(signing_key, digest)
    session.add(LogEntryRow(**fields, entry_hash=digest, entry_hmac=hmac))
    head.last_entry_id = entry_id
    head.last_hash = digest
    session.flush()

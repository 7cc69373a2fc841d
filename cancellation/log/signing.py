"""Signing entries written before LOG_SIGNING_KEY was set (operator's `attempts sign`).

Once a key is set, verification requires a valid signature on every entry. Older entries get
theirs here, after the caller verified the whole log without signatures; the chain is checked
again under the head lock, so nothing can slip in between.
"""

from __future__ import annotations

from sqlalchemy import select

from cancellation.log.appends import lock_head
from cancellation.log.chain import entry_signature, verify_entries
from cancellation.log.models import LogEntryRow
from cancellation.log.records import Mismatch, TamperedEvidence
from cancellation.log.rows import to_log_entry
from cancellation.log.store import LogStore


def sign_unsigned_entries(store: LogStore) -> int:
    key = store.signing_key
    if key is None:
        raise ValueError("no signing key")
    with store.write() as session:
        head = lock_head(session)
        rows = list(session.execute(select(LogEntryRow).order_by(LogEntryRow.id)).scalars())
        chain = verify_entries(
            (to_log_entry(row) for row in rows), head_id=head.last_entry_id, head_hash=head.last_hash
        )
        if not chain.ok:
            raise TamperedEvidence(Mismatch(chain.reason or "Kette beschädigt", None,
                                            chain.first_broken_id))
        signed = 0
        for row in rows:
            if row.entry_hmac is None:
                row.entry_hmac = entry_signature(key, row.entry_hash)
                signed += 1
        return signed

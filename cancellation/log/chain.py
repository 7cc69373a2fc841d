"""The tamper-evident hash chain over log entries (pure functions, no database)."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class LogEntry:
    id: int
    created_at: datetime
    reference: str
    event: str
    payload: Mapping[str, Any]
    prev_hash: str
    entry_hash: str
    # HMAC-SHA256 of entry_hash under the log's signing key; None when written without one.
    entry_hmac: str | None = None


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str | None = None
    # Hash of the last entry: an operator can note it elsewhere to detect a rewritten chain.
    last_hash: str | None = None


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(
    *,
    id: int,
    created_at: datetime,
    reference: str,
    event: str,
    payload: Mapping[str, Any],
    prev_hash: str,
) -> str:
    document = {
        "id": id,
        "created_at": timestamp(created_at),
        "reference": reference,
        "event": event,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(document)).hexdigest()


def entry_signature(key: bytes, digest: str) -> str:
    """HMAC-SHA256 over an entry hash: only a holder of the key can make a valid one."""
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


def entry_problem(entry: LogEntry, signing_key: bytes | None) -> str | None:
    """What is wrong with one entry on its own (hash, signature), or None."""
    recomputed = entry_hash(
        id=entry.id,
        created_at=entry.created_at,
        reference=entry.reference,
        event=entry.event,
        payload=entry.payload,
        prev_hash=entry.prev_hash,
    )
    if recomputed != entry.entry_hash:
        return "Inhalt verändert (Hash passt nicht)"
    if signing_key is not None:
        if not entry.entry_hmac:
            return "nicht signiert (LOG_SIGNING_KEY ist gesetzt)"
        if not hmac.compare_digest(entry.entry_hmac, entry_signature(signing_key, entry.entry_hash)):
            return "Signatur ungültig (HMAC passt nicht zum Schlüssel)"
    return None


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds, the one spelling that goes into hashes."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime cannot be hashed unambiguously")
    return moment.isoformat(timespec="microseconds")


def verify_entries(
    entries: Iterable[LogEntry],
    *,
    head_id: int | None,
    head_hash: str,
    signing_key: bytes | None = None,
    after: tuple[int, str] | None = None,
) -> ChainVerification:
    """Check links, hashes, signatures and gapless ids; `head_*` is what the writers recorded as
    the end. Comparing with the recorded head is what reveals entries cut off at the end.

    `after` = (id, hash) of an entry verified earlier: `entries` then start right after it.
    """
    last_id, previous_hash = after if after is not None else (0, GENESIS_HASH)
    expected_id = last_id + 1
    count = last_id
    for entry in entries:
        if entry.id != expected_id:
            reason = f"Eintrag {expected_id} fehlt (nächster ist {entry.id})"
            return _broken(count, expected_id, reason)
        if entry.prev_hash != previous_hash:
            return _broken(count, entry.id, "Verkettung unterbrochen (prev_hash passt nicht)")
        problem = entry_problem(entry, signing_key)
        if problem is not None:
            return _broken(count, entry.id, problem)
        previous_hash = entry.entry_hash
        expected_id += 1
        count += 1
    last_id = count
    recorded_last_id = head_id or 0
    if last_id < recorded_last_id:
        return _broken(
            count, last_id + 1, f"Ende der Kette fehlt (vermerkt bis Eintrag {recorded_last_id})"
        )
    if last_id > recorded_last_id:
        return _broken(count, recorded_last_id + 1, "Eintrag nach dem vermerkten Kettenende")
    if previous_hash != head_hash:
        reason = "letzter Eintrag passt nicht zum vermerkten Kettenende"
        return _broken(count, max(last_id, 1), reason)
    return ChainVerification(ok=True, entries=count, last_hash=previous_hash if count else None)


def _broken(count: int, entry_id: int, reason: str) -> ChainVerification:
    return ChainVerification(ok=False, entries=count, first_broken_id=entry_id, reason=reason)

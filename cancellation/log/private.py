"""The chain's view of what must be deletable: a salted commitment, never the values themselves.

Per attempt, what a user typed (provider name, subject with an option name, hotline note), the
conversation id and the person's data are stored outside the chain (tables `attempt_private` and
`persons`, both deleted by a forget). The chain entry carries `private_sha256`, a SHA-256 over
those values and a random 128-bit salt kept next to them. While the values exist, anyone can
recompute the hash and so prove that they were not changed; once a forget deletes values and
salt, the hash can no longer be linked to anything (a guessed name cannot be confirmed without
the salt).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, Mapping

from cancellation.log.chain import canonical_json

SALT_BYTES = 16


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def person_sha256(person: Mapping[str, Any] | None) -> str | None:
    return None if person is None else hashlib.sha256(canonical_json(dict(person))).hexdigest()


def private_sha256(
    *,
    salt: str,
    conversation_id: str | None,
    provider: str,
    subject: str,
    note: str | None,
    person: Mapping[str, Any] | None,
) -> str:
    document = {
        "salt": salt,
        "conversation_id": conversation_id,
        "provider": provider,
        "subject": subject,
        "note": note,
        "person_sha256": person_sha256(person),
    }
    return hashlib.sha256(canonical_json(document)).hexdigest()

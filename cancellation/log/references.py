"""Human-readable attempt references such as "KB-2026-7F3K9Q"."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

PREFIX = "KB"
# Crockford's base32: no I, L, O or U, so a reference read out on the phone is unambiguous.
CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 6

# Letters people type for digits they misread; Crockford decoding folds them back.
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_REFERENCE_PATTERN = re.compile(r"^KB-?(\d{4})-?([0-9A-Z]{6})$")


def new_reference(now: datetime) -> str:
    """A fresh reference for the UTC year of `now` (collisions are handled by the caller)."""
    random_part = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{PREFIX}-{now.year:04d}-{random_part}"


def normalise_reference(text: str) -> str | None:
    """The canonical spelling of a reference typed by a person, or None if it cannot be one.

    Case, whitespace and the Crockford look-alikes O/I/L are forgiven.
    """
    compact = re.sub(r"\s+", "", text).upper()
    match = _REFERENCE_PATTERN.match(compact)
    if match is None:
        return None
    year, random_part = match.groups()
    random_part = random_part.translate(_CONFUSABLES)
    if any(char not in CROCKFORD_ALPHABET for char in random_part):
        return None
    return f"{PREFIX}-{year}-{random_part}"


_REFERENCE_IN_TEXT = re.compile(r"\bKB\s*-?\s*\d{4}\s*-?\s*[0-9A-Z]{6}\b", re.IGNORECASE)


def find_reference(text: str) -> str | None:
    """The first reference mentioned in a message ("wie ist der Stand bei kb-2026-7f3k9q?")."""
    match = _REFERENCE_IN_TEXT.search(text)
    return normalise_reference(match.group(0)) if match else None

"""Checks on what callers hand to the attempt log, before anything is stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable, Mapping

from cancellation.log.chain import timestamp
from cancellation.log.records import REQUESTED_END_ASAP


def require_choice(name: str, value: str, allowed: Iterable[str]) -> str:
    allowed = frozenset(str(item) for item in allowed)
    if str(value) not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, not {value!r}")
    return str(value)


def require_text(name: str, value: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    value = value.strip()
    if len(value) > max_length:
        raise ValueError(f"{name} is longer than {max_length} characters")
    return value


def optional_text(name: str, value: str | None, max_length: int) -> str | None:
    if value is None:
        return None
    return require_text(name, value, max_length)


def requested_end_value(requested_end: date | None) -> str:
    if requested_end is None:
        return REQUESTED_END_ASAP
    if isinstance(requested_end, datetime) or not isinstance(requested_end, date):
        raise ValueError("requested_end must be a date or None (as soon as possible)")
    return requested_end.isoformat()


def jsonable(value: Any) -> Any:
    """Dates become ISO strings so personal data and details survive a JSON column unchanged."""
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime):
        return timestamp(value) if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return str(value) if isinstance(value, str) else value
    raise ValueError(f"value of type {type(value).__name__} cannot be stored as JSON")

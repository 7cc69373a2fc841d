"""A dispatch job's life, without I/O: back-off, and what the service's print job says.

    queued --submit--> submitted --tracking number--> posted
      |  \\                |  \\
      |   rejected (PDF)   |   cancelled (by the service)
      failed (letter deleted, retries exhausted)

While the service is unreachable a queued job waits with exponential back-off (capped); the user
keeps the download link meanwhile. A submitted job is looked up now and then until the service
reports the Sendungsnummer, or until it has been quiet for too long.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from cancellation.vocabulary import DispatchState

FIRST_RETRY = dt.timedelta(seconds=30)
MAX_RETRY = dt.timedelta(hours=1)
# After this many failed submissions the job is given up and the user is told on the next status
# question (about 2 days of hourly tries).
MAX_SUBMIT_ATTEMPTS = 60
# How long a claim holds: longer than one HTTP call with its timeout.
LEASE = dt.timedelta(minutes=2)
# A submitted job is asked for its tracking number this often, for at most this long.
POLL_INTERVAL = dt.timedelta(minutes=30)
POLL_FOR = dt.timedelta(days=21)

OPEN_STATES = frozenset({DispatchState.QUEUED, DispatchState.SUBMITTED})
FINAL_STATES = frozenset(
    {DispatchState.POSTED, DispatchState.CANCELLED, DispatchState.REJECTED, DispatchState.FAILED}
)


def retry_delay(attempts: int, *, first: dt.timedelta = FIRST_RETRY,
                cap: dt.timedelta = MAX_RETRY) -> dt.timedelta:
    """Exponential back-off after `attempts` failed tries (1 -> first, 2 -> 2*first, ...)."""
    if attempts < 1:
        return dt.timedelta(0)
    return min(cap, first * (2 ** min(attempts - 1, 20)))


@dataclass(frozen=True)
class RemoteJob:
    """What LetterXpress says about one print job (GET /printjobs/{id})."""

    job_id: int
    status: str  # queue, hold, done, canceled, draft
    item_status: Optional[str] = None  # queue, sent
    tracking_number: Optional[str] = None
    notice: Optional[str] = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "RemoteJob":
        items = data.get("items") or []
        item = items[0] if items and isinstance(items[0], Mapping) else {}
        return cls(
            job_id=int(data["id"]),
            status=str(data.get("status") or ""),
            item_status=str(item["status"]) if item.get("status") else None,
            tracking_number=normalise_tracking_number(item.get("tracking_code")),
            notice=str(data["notice"]) if data.get("notice") else None,
        )


def normalise_tracking_number(raw: Any) -> Optional[str]:
    """Deutsche Post's Sendungsnummer without spaces, upper case; None if it is not one."""
    if raw is None:
        return None
    text = "".join(str(raw).split()).upper()
    if not text.isalnum() or not 8 <= len(text) <= 40:
        return None
    return text


def state_after_lookup(remote: RemoteJob) -> DispatchState:
    """Our state for a submitted job after the service's answer."""
    if remote.status in ("canceled", "cancelled"):
        return DispatchState.CANCELLED
    if remote.tracking_number:
        return DispatchState.POSTED
    return DispatchState.SUBMITTED

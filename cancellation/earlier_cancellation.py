"""A cancellation the user made elsewhere (by phone, online, by their own letter) and never got
confirmed: whether the new letter refers to it, and what the attempt log records of that.

The slot `earlier_cancellation` is set when the user reports it (actions/followup.py,
`followup.earlier_cancellation_slot`). The letter (letter_request.build_letter_data), the summary
before it (summary.summary_text) and the attempt log (actions/letter.py) all decide by
`earlier_cancellation`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from letters import EarlierCancellation

from cancellation.replies import fold

def earlier_cancellation(answers: Mapping[str, Any]) -> Optional[EarlierCancellation]:
    """A cancellation made elsewhere and never confirmed (slot `earlier_cancellation`, set when the
    user reports it), when this letter goes to the provider it was made with (or none was named)."""
    earlier = answers.get("earlier_cancellation") or {}
    if not earlier:
        return None
    key, name = earlier.get("provider_key"), earlier.get("provider")
    if key and key != answers.get("provider_key"):
        return None
    if not key and name and fold(str(name)) != fold(str(answers.get("provider") or "")):
        return None
    on = earlier.get("on")
    return EarlierCancellation(on=dt.date.fromisoformat(on) if on else None)


# The attempt-log detail that records a letter's reference to a cancellation made elsewhere: its
# day (ISO) or True when the user did not say when (shown in the evidence report).
EARLIER_CANCELLATION_DETAIL = "earlier_cancellation"


def earlier_cancellation_details(answers: Mapping[str, Any]) -> dict:
    """What the attempt log records of the letter's reference to a cancellation made elsewhere
    (the same decision as `earlier_cancellation`, so the log says what the letter says)."""
    earlier = earlier_cancellation(answers)
    if earlier is None:
        return {}
    return {EARLIER_CANCELLATION_DETAIL: earlier.on.isoformat() if earlier.on else True}

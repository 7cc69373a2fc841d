"""Special termination (Sonderkündigung): which facts to ask, and what the general rules say.

One module per ground applies fixed rules (periods, yes/no facts) with the rule each rests on
named next to it (LEGAL.md "Special termination", "Added 2026-12-02"). Whether a reason is
important enough stays with the user. When the special right is doubtful or not given, the letter
cancels ordinarily and claims nothing; it never states a fact the user did not confirm.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Dict, Mapping, Optional

from cancellation.posting import SendingMethod, assumed_receipt

from cancellation.special import death, important_reason, price_change, relocation, slow_internet
from cancellation.special.assessment import LetterMode, SpecialAssessment, from_slot
from cancellation.special.facts import QUESTIONS, Context, Facts, MissingFact, Question
from cancellation.vocabulary import SpecialGround

Assessor = Callable[[Facts, Context], SpecialAssessment]

ASSESSORS: Dict[SpecialGround, Assessor] = {
    SpecialGround.PRICE_CHANGE: price_change.assess,
    SpecialGround.SLOW_INTERNET: slow_internet.assess,
    SpecialGround.RELOCATION: relocation.assess,
    SpecialGround.DEATH: death.assess,
    SpecialGround.IMPORTANT_REASON: important_reason.assess,
}


def latest_receipt(posted_on: dt.date) -> dt.date:
    """When an Einwurf-Einschreiben posted on `posted_on` is safely received (cancellation.posting:
    up to four postal working days, counted on a business day)."""
    return assumed_receipt(posted_on, SendingMethod.REGISTERED)


def _assessor(ground: Any) -> Assessor:
    parsed = SpecialGround.parse(ground)
    if parsed is None:
        raise ValueError(f"unknown ground {ground!r}")
    return ASSESSORS[parsed]  # type: ignore[index]


def next_question(ground: Any, facts: Mapping[str, Any], context: Context) -> Optional[MissingFact]:
    """The next fact the rules need (the question and its parameters); None when all are known."""
    try:
        _assessor(ground)(Facts(facts), context)
    except MissingFact as missing:
        return missing
    return None


def assess(ground: Any, facts: Mapping[str, Any], context: Context) -> SpecialAssessment:
    """Apply the general rules for `ground` to the answers. Raises MissingFact while one is open."""
    return _assessor(ground)(Facts(facts), context)


__all__ = [
    "ASSESSORS", "QUESTIONS", "Context", "Facts", "LetterMode", "MissingFact", "Question",
    "SpecialAssessment", "assess", "from_slot", "latest_receipt", "next_question",
]

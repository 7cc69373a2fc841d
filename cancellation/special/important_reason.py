"""Any continuing contract, for an important reason (§ 314 BGB; LEGAL.md "Special termination").

Whether the reason is important enough is the user's judgement, never the assistant's: the letter
states the reason as the user gave it and cancels without notice, with the ordinary fallback.
"""

from __future__ import annotations

from typing import List

from cancellation.special.assessment import LetterMode, SpecialAssessment, statement
from cancellation.special.facts import KNOWN_SINCE, REASON, Context, Facts
from cancellation.texts import Message, say
from cancellation.vocabulary import SpecialGround

BASIS = "§ 314 BGB"
GROUND = SpecialGround.IMPORTANT_REASON
# § 314 Abs. 3 BGB only says "angemessen"; beyond two months the risk of being too late is high.
WARN_AFTER_DAYS = 60


def assess(facts: Facts, context: Context) -> SpecialAssessment:
    reason = facts.text(REASON)
    known_since = facts.date(KNOWN_SINCE)
    warnings: List[Message] = [say("utter_special_important_reason_judgement")]
    if (context.today - known_since).days > WARN_AFTER_DAYS:
        warnings.append(say("utter_special_important_reason_late", known_since=known_since))
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, legal_basis=BASIS, terms="without_notice",
        statements=(statement("important_reason", reason=_sentence(reason), known_since=known_since),),
        warnings=tuple(warnings), explanation=(say("utter_special_important_reason_rule"),),
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."

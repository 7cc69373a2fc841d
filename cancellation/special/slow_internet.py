"""Slow fixed-line internet (§ 57 Abs. 4 TKG; LEGAL.md "Special termination").

The right rests on the Bundesnetzagentur's measurement (Vfg. 99/2021): the letter states a
deviation only when the user confirmed that the protocol of a completed measurement shows one.
Mobile: no such rule in force (unconfirmed), so nothing is claimed.
"""

from __future__ import annotations

from cancellation.special.assessment import LetterMode, SpecialAssessment, statement
from cancellation.special.facts import (
    CONTRACTED_SPEED,
    DEVIATION_CONFIRMED,
    FIXED_LINE,
    MEASURED,
    MEASUREMENT_COMPLETED,
    Context,
    Facts,
)
from cancellation.texts import Message, say
from cancellation.vocabulary import Reply, SpecialGround

BASIS = "§ 57 Abs. 4 TKG"
GROUND = SpecialGround.SLOW_INTERNET


def measurement_steps() -> Message:
    """The Bundesnetzagentur's measurement procedure, step by step."""
    return say("utter_special_measurement_steps")


def _fixed_line(facts: Facts, context: Context) -> Reply:
    if context.contract_type is not None:
        return Reply.YES if context.contract_type.is_fixed_line_internet else Reply.NO
    return facts.reply(FIXED_LINE)


def assess(facts: Facts, context: Context) -> SpecialAssessment:
    explanation = (say("utter_special_slow_internet_rule"), measurement_steps())

    def ordinary(key: str) -> SpecialAssessment:
        return SpecialAssessment(
            ground=GROUND, mode=LetterMode.ORDINARY, legal_basis=BASIS,
            warnings=(say(key),), explanation=explanation,
        )

    fixed_line = _fixed_line(facts, context)
    if fixed_line is Reply.NO:
        return ordinary("utter_special_slow_internet_not_fixed_line")
    if fixed_line is Reply.UNKNOWN:
        return ordinary("utter_special_slow_internet_fixed_line_unknown")
    if facts.reply(MEASURED) is not Reply.YES:
        return ordinary("utter_special_slow_internet_measure_first")
    completed = facts.date(MEASUREMENT_COMPLETED)
    deviation = facts.reply(DEVIATION_CONFIRMED)
    if deviation is Reply.NO:
        return ordinary("utter_special_slow_internet_no_deviation")
    if deviation is Reply.UNKNOWN:
        return ordinary("utter_special_slow_internet_deviation_unknown")
    speed = facts.text(CONTRACTED_SPEED)
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, legal_basis=BASIS, terms="without_notice",
        statements=(statement("slow_internet", speed=speed, completed=completed),),
        # The user read the protocol's result: it exists and goes with the letter.
        enclosures=("measurement_protocol",),
        explanation=explanation,
    )

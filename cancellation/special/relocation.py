"""Relocation (§ 60 TKG, consumers; LEGAL.md "Special termination").

The provider must continue the service at the new address where it offers it there. Where it does
not (always when the user moves abroad), the consumer may cancel with one month's notice,
effective at the move or later: the end is the move date or one month after receipt, whichever is
later (§ 187 Abs. 1, § 188 Abs. 2 BGB), with receipt after the posting time of up to four working
days. § 60 TKG is for telecom contracts only.
"""

from __future__ import annotations

from typing import List

from cancellation.deadlines import add_months
from cancellation.special.assessment import LetterMode, SpecialAssessment, statement
from cancellation.special.facts import (
    ABROAD,
    AVAILABLE_AT_NEW_ADDRESS,
    HAS_REGISTRATION,
    MOVE_DATE,
    NEW_ADDRESS,
    Context,
    Facts,
    sector_of,
)
from cancellation.texts import Message, say
from cancellation.vocabulary import Reply, Sector, SpecialGround

BASIS = "§ 60 Abs. 2 TKG"
NOTICE_MONTHS = 1
GROUND = SpecialGround.RELOCATION


def intended_end(move_date, received):
    """The move date or one month after receipt, whichever is later (§ 60 Abs. 2 TKG)."""
    return max(move_date, add_months(received, NOTICE_MONTHS))


def assess(facts: Facts, context: Context) -> SpecialAssessment:
    rule = say("utter_special_relocation_rule")
    if sector_of(facts, context) is not Sector.TELECOM:
        return SpecialAssessment(
            ground=GROUND, mode=LetterMode.ORDINARY,
            warnings=(say("utter_special_relocation_not_telecom"),), explanation=(rule,),
        )
    move = facts.date(MOVE_DATE)
    address = facts.text(NEW_ADDRESS)
    abroad = facts.values.get(ABROAD) == Reply.YES.value
    if not abroad:
        available = facts.reply(AVAILABLE_AT_NEW_ADDRESS)
        if available is not Reply.NO:
            key = (
                "utter_special_relocation_offered" if available is Reply.YES
                else "utter_special_relocation_availability_unknown"
            )
            return SpecialAssessment(
                ground=GROUND, mode=LetterMode.ORDINARY, legal_basis=BASIS,
                warnings=(say(key),), explanation=(rule,),
            )
    end = intended_end(move, context.received)
    moved = move <= context.today
    statements = [
        statement("relocation_past" if moved else "relocation_future", move=move, address=address),
        statement("relocation_abroad" if abroad else "relocation_not_offered"),
    ]
    warnings: List[Message] = []
    enclosures: tuple = ()
    if moved and facts.reply(HAS_REGISTRATION) is Reply.YES:
        enclosures = ("registration",)
    else:
        statements.append(statement("registration_follows"))
        warnings.append(say("utter_special_relocation_registration_later"))
    explanation = (rule, say("utter_special_relocation_dates", move=move, received=context.received, end=end))
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, legal_basis=BASIS, terms="relocation", end=end,
        statements=tuple(statements), enclosures=enclosures,
        warnings=tuple(warnings), explanation=explanation,
    )

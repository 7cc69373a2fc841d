"""Relocation: the rule depends on the kind of contract.

- Telecom (§ 60 TKG, consumers; LEGAL.md "Special termination"): the provider must continue the
  service at the new address where it offers it there. Where it does not (always when the user
  moves abroad), the consumer may cancel with one month's notice, effective at the move or later:
  the end is the move date or one month after receipt, whichever is later (§ 187 Abs. 1, § 188
  Abs. 2 BGB), with receipt after the posting time of up to four working days.
- Energy outside the basic supply (§ 41b Abs. 5 EnWG): a household customer who moves may cancel
  with six weeks' notice, effective at the move or later; the supplier can keep the contract only by
  offering, within two weeks of receipt, supply at the new home on the same terms (never abroad).
  In the basic supply the ordinary notice is two weeks anyway (§ 20 Abs. 1 StromGVV / GasGVV): the
  letter cancels ordinarily.
- Gyms and other contracts: no statutory right. A move is as a rule the member's own risk and no
  important reason under § 314 BGB (BGH, 4 May 2016, XII ZR 62/15); a move abroad or to a place
  without a studio of the chain is judged case by case. The letter cancels ordinarily and claims
  nothing; the dialogue says so and names the way forward.
"""

from __future__ import annotations

import datetime as dt
from typing import List, Tuple

from cancellation.deadlines import add_months
from cancellation.special.assessment import LetterMode, SpecialAssessment, statement
from cancellation.special.facts import (
    ABROAD,
    AVAILABLE_AT_NEW_ADDRESS,
    BASIC_SUPPLY,
    HAS_REGISTRATION,
    MOVE_DATE,
    NEW_ADDRESS,
    Context,
    Facts,
    sector_of,
)
from cancellation.texts import Message, say
from letters.model import Statement
from cancellation.vocabulary import ContractType, Reply, Sector, SpecialGround

BASIS = "§ 60 Abs. 2 TKG"
NOTICE_MONTHS = 1
ENERGY_BASIS = "§ 41b Abs. 5 EnWG"
ENERGY_NOTICE = dt.timedelta(weeks=6)  # § 41b Abs. 5 S. 1 EnWG; § 188 Abs. 2 BGB: same weekday
GROUND = SpecialGround.RELOCATION


def intended_end(move_date, received):
    """The move date or one month after receipt, whichever is later (§ 60 Abs. 2 TKG)."""
    return max(move_date, add_months(received, NOTICE_MONTHS))


def energy_end(move_date, received):
    """The move date or six weeks after receipt, whichever is later (§ 41b Abs. 5 S. 1, 2 EnWG)."""
    return max(move_date, received + ENERGY_NOTICE)


def assess(facts: Facts, context: Context) -> SpecialAssessment:
    sector = sector_of(facts, context)
    if sector is Sector.ENERGY:
        return _energy(facts, context)
    if sector is not Sector.TELECOM:
        return _no_statutory_right(facts, context)
    rule = say("utter_special_relocation_rule")
    move = facts.date(MOVE_DATE)
    facts.text(NEW_ADDRESS)  # asked before availability: the order of the questions
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
    moved, moving = _the_move(facts, context)
    statements = [moving, statement("relocation_abroad" if abroad else "relocation_not_offered")]
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


def _the_move(facts: Facts, context: Context) -> Tuple[bool, Statement]:
    """Whether the move is done, and the letter's sentence naming its day and the new address."""
    move = facts.date(MOVE_DATE)
    address = facts.text(NEW_ADDRESS)
    moved = move <= context.today
    return moved, statement("relocation_past" if moved else "relocation_future", move=move, address=address)


def _energy(facts: Facts, context: Context) -> SpecialAssessment:
    """§ 41b Abs. 5 EnWG outside the basic supply; in it, the two weeks of § 20 StromGVV/GasGVV."""
    if facts.reply(BASIC_SUPPLY) is Reply.YES:
        return SpecialAssessment(
            ground=GROUND, mode=LetterMode.ORDINARY,
            explanation=(say("utter_special_relocation_energy_basic_supply"),),
        )
    move = facts.date(MOVE_DATE)
    statements = [_the_move(facts, context)[1]]
    abroad = facts.values.get(ABROAD) == Reply.YES.value
    if abroad:
        statements.append(statement("relocation_abroad"))
    end = energy_end(move, context.received)
    explanation = (
        say("utter_special_relocation_energy_rule"),
        say("utter_special_relocation_energy_dates", move=move, received=context.received, end=end),
    )
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, legal_basis=ENERGY_BASIS, terms="relocation_energy",
        end=end, statements=tuple(statements), explanation=explanation,
    )


def _no_statutory_right(facts: Facts, context: Context) -> SpecialAssessment:
    """Gyms and the rest: an ordinary letter; what the case law says and what the user can do."""
    abroad = facts.values.get(ABROAD) == Reply.YES.value
    if context.contract_type is ContractType.GYM:
        key = "utter_special_relocation_gym_abroad" if abroad else "utter_special_relocation_gym"
    else:
        key = "utter_special_relocation_not_telecom"
    return SpecialAssessment(ground=GROUND, mode=LetterMode.ORDINARY, explanation=(say(key),))

"""A price rise or other unilateral change: the rule depends on the kind of contract.

Sources (LEGAL.md "Special termination" and "Added 2026-12-02"):
- telecom: § 57 Abs. 1 TKG, three months after a notice that meets Abs. 2; ends at the earliest
  when the change takes effect;
- energy: § 41 Abs. 5 EnWG, in basic supply § 5 Abs. 3 StromGVV / GasGVV: without notice to the
  day the change takes effect;
- insurance: § 40 VVG, one month after the notice, effective when the increase takes effect,
  only if the premium rises without a matching change in cover ("check the notice");
- anything else: no statutory right; the contract terms or the notice itself may grant one,
  otherwise § 314 BGB in exceptional cases. § 57 TKG is never cited outside telecom.
"""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

from cancellation.deadlines import add_months
from cancellation.posting import Urgency, posting_plan
from cancellation.special.assessment import LetterMode, SpecialAssessment, statement
from cancellation.special.facts import (
    BASIC_SUPPLY,
    CHANGE_DESCRIPTION,
    CHANGE_EFFECTIVE,
    COVER_UNCHANGED,
    HAS_NOTICE_COPY,
    NOTICE_COMPLIANT,
    NOTICE_GRANTS_RIGHT,
    NOTICE_RECEIVED,
    Context,
    Facts,
    sector_of,
)
from cancellation.texts import Message, say
from cancellation.vocabulary import ContractType, Reply, Sector, SpecialGround

TELECOM_BASIS = "§ 57 Abs. 1 TKG"
TELECOM_WINDOW_MONTHS = 3  # § 57 Abs. 1 S. 2 TKG
ENERGY_BASIS = "§ 41 Abs. 5 EnWG"
BASIC_SUPPLY_BASIS = {
    ContractType.ENERGY: "§ 5 Abs. 3 StromGVV",
    ContractType.GAS: "§ 5 Abs. 3 GasGVV",
    None: "§ 5 Abs. 3 StromGVV bzw. GasGVV",
}
INSURANCE_BASIS = "§ 40 VVG"
INSURANCE_WINDOW_MONTHS = 1  # § 40 Abs. 1 VVG

GROUND = SpecialGround.PRICE_CHANGE


def assess(facts: Facts, context: Context) -> SpecialAssessment:
    sector = sector_of(facts, context)
    if sector is Sector.TELECOM:
        return _telecom(facts, context)
    if sector is Sector.ENERGY:
        return _energy(facts, context)
    if sector is Sector.INSURANCE:
        return _insurance(facts, context)
    return _other(facts, context)


class _Notice:
    """The provider's notice of the change, as the user described it."""

    def __init__(self, facts: Facts) -> None:
        self.received = facts.date(NOTICE_RECEIVED)
        self.effective = facts.date(CHANGE_EFFECTIVE)
        self.description = facts.text(CHANGE_DESCRIPTION)

    def statement(self):
        return statement(
            "change_notice", received=self.received, effective=self.effective, description=self.description
        )


def _enclosures(facts: Facts) -> tuple:
    return ("change_notice",) if facts.reply(HAS_NOTICE_COPY) is Reply.YES else ()


def _timing_warnings(deadline: dt.date, context: Context) -> List[Message]:
    """A letter posted today must arrive within the window (cancellation.posting)."""
    plan = posting_plan(deadline, context.today)
    if plan.urgency is Urgency.TOO_LATE_BY_POST:
        return [say("utter_special_too_late_by_post", deadline=deadline, received=context.received)]
    if plan.urgency is Urgency.URGENT:
        return [say("utter_special_deadline_soon", deadline=deadline, last_day=plan.last_day)]
    return []


def _ordinary(basis: str, warnings: List[Message], explanation: List[Message]) -> SpecialAssessment:
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.ORDINARY, legal_basis=basis,
        warnings=tuple(warnings), explanation=tuple(explanation),
    )


def _to_change_day(notice: _Notice, context: Context) -> tuple:
    """Terms and end: to the day the change takes effect, or at once when that day has passed."""
    if notice.effective > context.received:
        return "at_change", notice.effective
    return "without_notice", None


def _telecom(facts: Facts, context: Context) -> SpecialAssessment:
    notice = _Notice(facts)
    deadline = add_months(notice.received, TELECOM_WINDOW_MONTHS)
    explanation = [
        say("utter_special_price_telecom_rule", deadline=deadline, effective=notice.effective),
        say("utter_special_price_telecom_window"),
    ]
    statements = [notice.statement()]
    warnings: List[Message] = []
    if context.today > deadline:
        # § 57 Abs. 2 TKG: only a notice on a durable medium that names the right to cancel starts
        # the window. Ask before declaring the right expired.
        compliant = facts.reply(NOTICE_COMPLIANT, received=notice.received)
        if compliant is Reply.YES:
            warnings.append(say("utter_special_price_telecom_expired", received=notice.received, deadline=deadline))
            return _ordinary(TELECOM_BASIS, warnings, explanation)
        if compliant is Reply.UNKNOWN:
            warnings.append(say("utter_special_price_telecom_check_notice", received=notice.received, deadline=deadline))
            return _ordinary(TELECOM_BASIS, warnings, explanation)
        warnings.append(say("utter_special_price_telecom_not_started", received=notice.received))
        statements.append(statement("change_notice_not_compliant"))
    else:
        warnings.extend(_timing_warnings(deadline, context))
    terms, end = _to_change_day(notice, context)
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, legal_basis=TELECOM_BASIS, terms=terms, end=end,
        statements=tuple(statements), enclosures=_enclosures(facts),
        warnings=tuple(warnings), explanation=tuple(explanation),
    )


def _energy_type(facts: Facts, context: Context) -> Optional[ContractType]:
    if context.contract_type in (ContractType.ENERGY, ContractType.GAS):
        return context.contract_type
    return ContractType.parse(facts.optional_text("contract_type"))  # type: ignore[return-value]


def _energy(facts: Facts, context: Context) -> SpecialAssessment:
    notice = _Notice(facts)
    basic = facts.reply(BASIC_SUPPLY)
    basic_basis = BASIC_SUPPLY_BASIS.get(_energy_type(facts, context), BASIC_SUPPLY_BASIS[None])
    basis = {
        Reply.YES: basic_basis,
        Reply.NO: ENERGY_BASIS,
        Reply.UNKNOWN: f"{ENERGY_BASIS} bzw. {basic_basis}",
    }[basic]
    explanation = [say("utter_special_price_energy_rule", effective=notice.effective)]
    if basic is not Reply.NO:
        explanation.append(say("utter_special_price_energy_basic_supply"))
    if notice.effective <= context.today:
        warnings = [say("utter_special_price_energy_in_effect", effective=notice.effective)]
        return _ordinary(basis, warnings, explanation)
    warnings = []
    # The cancellation must be received before the change takes effect.
    if posting_plan(notice.effective - dt.timedelta(days=1), context.today).urgency is Urgency.TOO_LATE_BY_POST:
        warnings.append(
            say("utter_special_price_energy_receipt_late", effective=notice.effective, received=context.received)
        )
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, legal_basis=basis, terms="at_change",
        end=notice.effective, statements=(notice.statement(),), enclosures=_enclosures(facts),
        warnings=tuple(warnings), explanation=tuple(explanation),
    )


def _insurance(facts: Facts, context: Context) -> SpecialAssessment:
    notice = _Notice(facts)
    deadline = add_months(notice.received, INSURANCE_WINDOW_MONTHS)
    explanation = [say("utter_special_price_insurance_rule", deadline=deadline, effective=notice.effective)]
    cover = facts.reply(COVER_UNCHANGED)
    if cover is Reply.NO:
        return _ordinary(INSURANCE_BASIS, [say("utter_special_price_insurance_cover_changed")], explanation)
    if cover is Reply.UNKNOWN:
        return _ordinary(INSURANCE_BASIS, [say("utter_special_price_insurance_cover_unknown")], explanation)
    if context.today > deadline:
        warning = say("utter_special_price_insurance_expired", received=notice.received, deadline=deadline)
        return _ordinary(INSURANCE_BASIS, [warning], explanation)
    if notice.effective > context.received:
        terms, end = "at_change", notice.effective
    else:
        terms, end = "immediately", None
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, legal_basis=INSURANCE_BASIS, terms=terms, end=end,
        statements=(notice.statement(), statement("premium_increase")), enclosures=_enclosures(facts),
        warnings=tuple(_timing_warnings(deadline, context)), explanation=tuple(explanation),
    )


def _other(facts: Facts, context: Context) -> SpecialAssessment:
    explanation = [say("utter_special_price_other_rule")]
    grants = facts.reply(NOTICE_GRANTS_RIGHT)
    if grants is not Reply.YES:
        key = "utter_special_price_other_no_right" if grants is Reply.NO else "utter_special_price_other_check"
        return _ordinary("", [say(key)], explanation)
    notice = _Notice(facts)
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.EXTRAORDINARY, terms="earliest",
        statements=(notice.statement(), statement("change_notice_grants_right")),
        enclosures=_enclosures(facts), explanation=tuple(explanation),
    )

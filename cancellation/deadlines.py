"""Deadline engine: when does a contract end if the cancellation reaches the provider on a given day?

The sector of the contract (`cancellation.vocabulary.Sector`) and its conclusion date pick the
rule set (/work/shared/LEGAL.md):
- TELECOM: § 56 TKG ("Telecom deadlines"): initial term at most 24 months (Abs. 1), after a tacit
  extension any time with one month's notice (Abs. 3); notice before the end of the initial term at
  most one month for contracts concluded from 01.03.2022 (§ 309 Nr. 9 c BGB).
- ENERGY, OTHER from 01.03.2022: § 309 Nr. 9 BGB ("Other consumer contracts"): the same limits.
- ENERGY, OTHER before 01.03.2022: § 309 Nr. 9 BGB old version ("Added 2026-12-02", old non-telecom
  contracts): tacit extensions of up to one year and notice of up to three months were allowed.
- INSURANCE: § 11 VVG ("Added 2026-12-02", insurance): extensions of up to one year at a time
  (Abs. 1), an indefinite contract ends with the insurance period (Abs. 2, § 12 VVG: one year),
  notice one to three months (Abs. 3), a contract for more than three years can be ended at the end
  of the third or any later year with three months' notice (Abs. 4).

Periods follow §§ 187, 188 BGB: a term of N months from the start day ends the day before the day
with the same number (§ 187 Abs. 2, § 188 Abs. 2 BGB); a notice period triggered by receipt ends on
the day with the receipt day's number, or the month's last day (§ 187 Abs. 1, § 188 Abs. 2, 3 BGB).
The last day of receipt for an end is the LATEST day whose notice period still ends on or before that
end: end 30.06., one month -> 31.05. (31.05. + 1 month = 30.06. by § 188 Abs. 3 BGB).

Pure code: the explanation is a tuple of catalogue messages (`cancellation.texts`), worded as
general information ("in der Regel"), never as a promise.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Tuple

from cancellation.posting import assumed_receipt as suggest_receipt_date  # noqa: F401  (kept for callers)
from cancellation.posting import is_business_day, last_business_day_until
from cancellation.texts import Message, format_date, render, say  # noqa: F401  (format_date kept for callers)
from cancellation.vocabulary import Sector, Vocabulary

# § 309 Nr. 9 BGB in its current wording applies to contracts concluded from this day
# (Art. 229 § 60 EGBGB).
NEW_CONSUMER_RULES_FROM = dt.date(2022, 3, 1)
# § 56 TKG (TKG 2021) is in force from this day.
TKG_2021_FROM = dt.date(2021, 12, 1)

MAX_INITIAL_TERM_MONTHS = 24  # § 56 Abs. 1 TKG, § 309 Nr. 9 a BGB
# BGH 08.01.2026, III ZR 8/25 (continuing III ZR 61/24 of 10.07.2025): the 24 months of § 56 Abs. 1
# TKG and § 309 Nr. 9 a BGB count from the conclusion of the contract, not from activation. When the
# conclusion day is not known, a term this close to 24 months may already bind for longer.
CONCLUSION_GAP_HINT_MONTHS = 6
NOTICE_MONTHS_DEFAULT_NEW = 1  # § 309 Nr. 9 c BGB: at most one month
NOTICE_MONTHS_DEFAULT_OLD = 3  # contracts before 01.03.2022: usually three months
MAX_NOTICE_MONTHS_OLD = 3  # § 309 Nr. 9 c BGB old version
EXTENDED_NOTICE_MONTHS = 1  # § 56 Abs. 3 TKG, § 309 Nr. 9 b BGB
MAX_EXTENSION_MONTHS = 12  # § 309 Nr. 9 b BGB old version, § 11 Abs. 1 VVG
INSURANCE_PERIOD_MONTHS = 12  # § 12 VVG
INSURANCE_NOTICE_MONTHS_MAX = 3  # § 11 Abs. 3 VVG: one to three months
INSURANCE_LONG_TERM_YEARS = 3  # § 11 Abs. 4 VVG
INSURANCE_LONG_TERM_NOTICE_MONTHS = 3  # § 11 Abs. 4 VVG

RULE_BEGIN_PERIOD = "§ 187 Abs. 2 BGB"
RULE_EVENT_PERIOD = "§ 187 Abs. 1 BGB"
RULE_PERIOD_END = "§ 188 Abs. 2 BGB"
RULE_MONTH_END = "§ 188 Abs. 3 BGB"
RULE_TKG_MAX_TERM = "§ 56 Abs. 1 TKG"
RULE_TKG_EXTENDED = "§ 56 Abs. 3 TKG"
RULE_BGB_MAX_TERM = "§ 309 Nr. 9 a BGB"
RULE_BGB_EXTENDED = "§ 309 Nr. 9 b BGB"
RULE_NOTICE_CAP = "§ 309 Nr. 9 c BGB"
RULE_BGB_OLD = "§ 309 Nr. 9 BGB a. F."
RULE_VVG_EXTENSION = "§ 11 Abs. 1 VVG"
RULE_VVG_INDEFINITE = "§ 11 Abs. 2 VVG"
RULE_VVG_NOTICE = "§ 11 Abs. 3 VVG"
RULE_VVG_LONG_TERM = "§ 11 Abs. 4 VVG"
RULE_VVG_PERIOD = "§ 12 VVG"
RULE_BASIC_SUPPLY = "§ 20 Abs. 1 StromGVV/GasGVV"
BASIC_SUPPLY_NOTICE_WEEKS = 2  # § 20 Abs. 1 S. 1 StromGVV / GasGVV (since 29.07.2022)
RULE_GAP_FILLING = "§ 306 Abs. 2 BGB"

# A cancellation is never received centuries after the start: bounds the walk over extension ends.
_MAX_PERIODS = 2400


class RuleSet(Vocabulary):
    """Which body of law computes the dates (chosen from the sector and the conclusion date)."""

    TKG = "tkg"  # § 56 TKG
    BGB = "bgb"  # § 309 Nr. 9 BGB, contracts concluded from 01.03.2022
    BGB_OLD = "bgb_old"  # § 309 Nr. 9 BGB old version, contracts concluded before 01.03.2022
    VVG = "vvg"  # § 11 VVG
    BASIC_SUPPLY = "basic_supply"  # § 20 Abs. 1 StromGVV / GasGVV (energy basic supply)


class Phase(Vocabulary):
    """Which kind of end the earliest end is."""

    INITIAL_TERM = "initial_term"  # the end of the initial (minimum) term
    INSURANCE_YEAR = "insurance_year"  # the end of an insurance year (§ 11 Abs. 2 and 4 VVG)
    EXTENSION_PERIOD = "extension_period"  # the end of a fixed tacit extension
    EXTENDED = "extended"  # extended indefinitely (or no term): any time with one month's notice


@dataclass(frozen=True)
class ContractTerms:
    start: dt.date  # contract start or service start
    initial_term_months: int  # 0 = no initial (minimum) term
    notice_months: Optional[int] = None  # None = not known: a default is assumed and said
    concluded: Optional[dt.date] = None  # None = same as `start`
    sector: Sector = Sector.TELECOM
    # Length of each tacit extension where the law lets it be fixed (old non-telecom contracts,
    # insurance): None = not known (one year assumed and said), 0 = extended indefinitely and
    # cancellable with one month's notice ("monatlich kündbar").
    extension_months: Optional[int] = None
    # Energy in basic supply (Grundversorgung): no minimum term, two weeks' notice at any time.
    # True = basic supply, False = a special contract, None = not known (a note says what applies).
    basic_supply: Optional[bool] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sector", Sector(self.sector))  # "telecom" -> Sector.TELECOM

    @property
    def conclusion_date(self) -> dt.date:
        return self.concluded if self.concluded is not None else self.start

    @property
    def rule_set(self) -> RuleSet:
        return rule_set_for(self.sector, self.conclusion_date, bool(self.basic_supply))


def rule_set_for(sector: Sector, concluded: dt.date, basic_supply: bool = False) -> RuleSet:
    if sector is Sector.ENERGY and basic_supply:
        return RuleSet.BASIC_SUPPLY
    if sector is Sector.TELECOM:
        return RuleSet.TKG
    if sector is Sector.INSURANCE:
        return RuleSet.VVG
    return RuleSet.BGB if concluded >= NEW_CONSUMER_RULES_FROM else RuleSet.BGB_OLD


@dataclass(frozen=True)
class DeadlineResult:
    received: dt.date
    earliest_end: dt.date
    latest_receipt: Optional[dt.date]  # last day of receipt for `earliest_end`; None once any day will do
    phase: Phase
    initial_term_end: Optional[dt.date]  # None when there is no initial term
    notice_months_applied: int
    notice_assumed: bool  # True when notice_months was not given and a default was used
    extension_months_applied: Optional[int]  # the extension that decided the end, if one did
    extension_assumed: bool  # True when an unknown extension period decided the end
    certain: bool  # False where the rule is contested or an assumption decides the result
    recommend_asap: bool  # the letter should say only "zum nächstmöglichen Zeitpunkt"
    term_too_long: bool  # initial term over 24 months (§ 56 Abs. 1 TKG, § 309 Nr. 9 a BGB)
    rule_set: RuleSet
    rules_applied: Tuple[str, ...]
    explanation: Tuple[Message, ...]
    # The end follows from a clause that is void as a rule (a term over 24 months, an extension over
    # a year in old standard terms): it is the latest end, and the contract may end earlier.
    end_is_latest: bool = False


# --- month arithmetic (§§ 187, 188 BGB) ---------------------------------------------------------


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, months: int) -> Tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def is_month_end(day: dt.date) -> bool:
    return day.day == _days_in_month(day.year, day.month)


def add_months(day: dt.date, months: int) -> dt.date:
    """The day `months` months later (or earlier) with the same number, else that month's last day.

    This is the end of a period triggered by an event on `day` (§ 187 Abs. 1, § 188 Abs. 2 and 3
    BGB): received 25.11. + 1 month -> 25.12.; received 31.01. + 1 month -> 28./29.02.
    """
    year, month = _shift_month(day.year, day.month, months)
    return dt.date(year, month, min(day.day, _days_in_month(year, month)))


def month_end_rule_needed(day: dt.date, months: int) -> bool:
    """True when the target month lacks the day's number, so § 188 Abs. 3 BGB decides."""
    year, month = _shift_month(day.year, day.month, months)
    return day.day > _days_in_month(year, month)


def notice_period_end(received: dt.date, months: int) -> dt.date:
    """The last day of a notice period of `months` months triggered by receipt on `received`."""
    return add_months(received, months)


def latest_receipt_day(end: dt.date, months: int) -> dt.date:
    """The latest day of receipt whose notice period of `months` months ends on or before `end`.

    Counting back must mirror counting forward (§ 187 Abs. 1, § 188 Abs. 2 and 3 BGB): for an end
    on a month's last day every day of the month `months` earlier is in time, its last day
    included (end 30.06., one month -> 31.05.; end 28.02. -> 31.01.); otherwise it is the day with
    the end's number, or that month's last day (end 14.03. -> 14.02.; end 30.03. -> 28.02.).
    """
    day = add_months(end, -months)
    if is_month_end(end):
        return dt.date(day.year, day.month, _days_in_month(day.year, day.month))
    return day


def term_end(start: dt.date, months: int) -> dt.date:
    """Last day of a term of `months` months that begins with the whole day `start`.

    § 187 Abs. 2, § 188 Abs. 2 BGB: the term ends with the day before the day whose number matches
    the start day (15.03.2024 + 24 months -> 14.03.2026). If the final month lacks the start day's
    number, the term ends with that month's last day (§ 188 Abs. 3 BGB: 31.01. + 1 month -> 28./29.02.).
    """
    if months < 1:
        raise ValueError("a term needs at least one month")
    year, month = _shift_month(start.year, start.month, months)
    if start.day > _days_in_month(year, month):
        return dt.date(year, month, _days_in_month(year, month))
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def default_notice_months(concluded: dt.date) -> int:
    return NOTICE_MONTHS_DEFAULT_NEW if concluded >= NEW_CONSUMER_RULES_FROM else NOTICE_MONTHS_DEFAULT_OLD


def _cite(*rules: str) -> str:
    """Rules as cited in a sentence: "§ 187 Abs. 2 BGB, § 188 Abs. 2 BGB" (the same in every language)."""
    return ", ".join(dict.fromkeys(rules))


def _period_rules(first: str, day: dt.date, months: int) -> Tuple[str, ...]:
    rules = (first, RULE_PERIOD_END)
    return rules + (RULE_MONTH_END,) if month_end_rule_needed(day, months) else rules


def months_text(months: int, dative: bool = False) -> Message:
    """ "ein Monat" / "3 Monate" (dative: "einem Monat" / "3 Monaten"); "one month" / "3 months"."""
    if months == 1:
        return say("utter_deadline_months_one_dative" if dative else "utter_deadline_months_one")
    return say("utter_deadline_months_many_dative" if dative else "utter_deadline_months_many", count=months)


# --- the plan: which ends are possible, with which notice ---------------------------------------


@dataclass(frozen=True)
class _End:
    day: dt.date
    notice_months: int
    phase: Phase


@dataclass
class _Plan:
    """What the rule set says about one contract, before the day of receipt is known."""

    terms: ContractTerms
    ends: Iterator[_End]  # possible fixed ends, ascending; endless where extensions go on
    open_notice: Optional[int] = None  # after the last fixed end: any time with this notice
    open_rule: Optional[str] = None
    initial_end: Optional[dt.date] = None
    initial_notice: Optional[int] = None
    notice_assumed: bool = False
    agreed_notice_over_cap: Optional[int] = None  # an agreed notice longer than the law allows
    extension_months: Optional[int] = None
    extension_assumed: bool = False
    extension_clause_void: bool = False  # § 309 Nr. 9 b BGB a. F.: an extension over a year is void as a whole
    certain: bool = True
    term_too_long: bool = False
    rules: List[str] = field(default_factory=list)
    before: List[Message] = field(default_factory=list)  # said before the result
    extension_note: Optional[Message] = None  # said when an extension end decides
    conclusion_hint: Optional[Message] = None  # said when the initial term's end decides
    after: List[Message] = field(default_factory=list)  # said after the result


def compute_deadline(terms: ContractTerms, received: dt.date) -> DeadlineResult:
    """When a cancellation that reaches the provider on `received` ends the contract, in general."""
    if terms.initial_term_months < 0:
        raise ValueError("initial_term_months must not be negative")
    if terms.notice_months is not None and terms.notice_months < 0:
        raise ValueError("notice_months must not be negative")
    if terms.extension_months is not None and terms.extension_months < 0:
        raise ValueError("extension_months must not be negative")
    if terms.basic_supply and terms.sector is not Sector.ENERGY:
        raise ValueError("basic supply exists for energy contracts only")
    rule_set = terms.rule_set
    if rule_set is RuleSet.BASIC_SUPPLY:
        return _basic_supply(terms, received)
    plan = _PLANNERS[rule_set](terms)
    return _resolve(plan, rule_set, received)


def _flag_long_term(plan: _Plan, rule: str) -> None:
    """An initial term that binds the consumer for more than 24 months from the conclusion.

    LEGAL.md "Telecom deadlines": initial minimum term at most 24 months (§ 56 Abs. 1 TKG), § 309
    Nr. 9 a BGB. Counted from the conclusion, not from activation (BGH 08.01.2026, III ZR 8/25). Such
    a clause is void as a whole, not cut down to 24 months; the statutory rules take its place
    (§ 306 Abs. 2 BGB). Where it applies is not settled case by case, so the engine computes the
    latest end (the agreed term), says so, and recommends "zum nächstmöglichen Zeitpunkt".
    """
    terms = plan.terms
    if terms.initial_term_months == 0:
        return
    binding_end = term_end(terms.start, terms.initial_term_months)
    limit = term_end(terms.conclusion_date, MAX_INITIAL_TERM_MONTHS)
    if terms.initial_term_months > MAX_INITIAL_TERM_MONTHS:
        message = say("utter_deadline_term_too_long", term=months_text(terms.initial_term_months), rule=rule)
    elif binding_end > limit:
        message = say("utter_deadline_term_too_long_from_conclusion", concluded=terms.conclusion_date,
                      term=months_text(terms.initial_term_months, dative=True), end=binding_end, rule=rule)
    else:
        if terms.concluded is None and terms.initial_term_months > MAX_INITIAL_TERM_MONTHS - CONCLUSION_GAP_HINT_MONTHS:
            plan.conclusion_hint = say("utter_deadline_term_counts_from_conclusion", start=terms.start)
        return
    plan.term_too_long = True
    plan.certain = False
    plan.rules += [rule, RULE_GAP_FILLING]
    plan.before.append(message)


def _initial_term(plan: _Plan, key: str = "utter_deadline_initial_term") -> dt.date:
    terms = plan.terms
    end = term_end(terms.start, terms.initial_term_months)
    rules = _period_rules(RULE_BEGIN_PERIOD, terms.start, terms.initial_term_months)
    plan.rules += rules
    plan.before.append(
        say(key, term=months_text(terms.initial_term_months, dative=True), start=terms.start, end=end,
            rules=_cite(*rules))
    )
    plan.initial_end = end
    return end


def _consumer_notice(plan: _Plan) -> int:
    """Notice before the end of the initial term under § 56 TKG / § 309 Nr. 9 BGB."""
    terms = plan.terms
    new_rules = terms.conclusion_date >= NEW_CONSUMER_RULES_FROM
    if terms.notice_months is None:
        plan.notice_assumed = True
        if new_rules:
            plan.rules.append(RULE_NOTICE_CAP)
            plan.before.append(say("utter_deadline_notice_assumed_new", rule=RULE_NOTICE_CAP))
            return NOTICE_MONTHS_DEFAULT_NEW
        plan.certain = False
        plan.before.append(say("utter_deadline_notice_assumed_old"))
        return NOTICE_MONTHS_DEFAULT_OLD
    cap, rule, key = (
        (NOTICE_MONTHS_DEFAULT_NEW, RULE_NOTICE_CAP, "utter_deadline_notice_capped_new")
        if new_rules
        else (MAX_NOTICE_MONTHS_OLD, RULE_BGB_OLD, "utter_deadline_notice_capped_old")
    )
    # § 309 Nr. 9 c BGB a. F. capped the notice at three months for telecom contracts too: § 56 TKG
    # does not displace § 309 Nr. 9 BGB (BGH 08.01.2026, III ZR 8/25).
    return _capped_notice(plan, terms.notice_months, cap, rule, key)


def _capped_notice(plan: _Plan, agreed: int, cap: int, rule: str, key: str) -> int:
    if agreed <= cap:
        return agreed
    plan.certain = False
    plan.agreed_notice_over_cap = agreed
    plan.rules.append(rule)
    plan.before.append(say(key, agreed=months_text(agreed, dative=True), applied=months_text(cap, dative=True), rule=rule))
    return cap


def _plan_tkg(terms: ContractTerms) -> _Plan:
    plan = _Plan(terms, iter(()), open_notice=EXTENDED_NOTICE_MONTHS, open_rule=RULE_TKG_EXTENDED)
    concluded = terms.conclusion_date
    if terms.initial_term_months == 0:
        if concluded < TKG_2021_FROM:
            plan.certain = False
            plan.after.append(say("utter_deadline_tkg_old_no_term", rule=RULE_TKG_EXTENDED))
        return plan
    _flag_long_term(plan, RULE_TKG_MAX_TERM)
    notice = _consumer_notice(plan)
    end = _initial_term(plan)
    plan.initial_notice = notice
    plan.ends = iter((_End(end, notice, Phase.INITIAL_TERM),))
    if concluded < TKG_2021_FROM:
        plan.after.append(say("utter_deadline_tkg_old_contract", rule=RULE_TKG_EXTENDED))
    return plan


def _plan_bgb(terms: ContractTerms) -> _Plan:
    plan = _Plan(terms, iter(()), open_notice=EXTENDED_NOTICE_MONTHS, open_rule=RULE_BGB_EXTENDED)
    if terms.initial_term_months:
        _flag_long_term(plan, RULE_BGB_MAX_TERM)
        notice = _consumer_notice(plan)
        end = _initial_term(plan)
        plan.initial_notice = notice
        plan.ends = iter((_End(end, notice, Phase.INITIAL_TERM),))
    _energy_note(plan)
    return plan


def _plan_bgb_old(terms: ContractTerms) -> _Plan:
    """Old non-telecom contracts: extensions of up to a year, notice of up to three months."""
    plan = _Plan(terms, iter(()))
    plan.rules.append(RULE_BGB_OLD)
    plan.before.append(say("utter_deadline_old_contract", rule=RULE_BGB_OLD))
    if terms.initial_term_months == 0:
        plan.open_notice, plan.open_rule = EXTENDED_NOTICE_MONTHS, RULE_BGB_OLD
        plan.certain = False
        plan.after.append(say("utter_deadline_old_no_term"))
        _energy_note(plan)
        return plan
    _flag_long_term(plan, RULE_BGB_MAX_TERM)
    notice = _consumer_notice(plan)
    end = _initial_term(plan)
    plan.initial_notice = notice
    extension = _extension(plan, RULE_BGB_OLD, uncertain_if_assumed=True)
    if extension == 0:  # "monatlich kündbar": indefinite, one month's notice
        plan.open_notice, plan.open_rule = EXTENDED_NOTICE_MONTHS, RULE_BGB_OLD
        plan.ends = iter((_End(end, notice, Phase.INITIAL_TERM),))
        plan.extension_note = say("utter_deadline_extension_indefinite", notice=months_text(EXTENDED_NOTICE_MONTHS, dative=True))
    else:
        plan.ends = itertools.chain(
            (_End(end, notice, Phase.INITIAL_TERM),),
            _extension_ends(terms.start, terms.initial_term_months, extension, notice),
        )
    _energy_note(plan)
    return plan


def _extension(plan: _Plan, rule: str, uncertain_if_assumed: bool) -> int:
    """The length of each tacit extension: as given (at most a year), else one year, said so."""
    given = plan.terms.extension_months
    if given is None:
        plan.extension_assumed = uncertain_if_assumed
        plan.extension_months = MAX_EXTENSION_MONTHS
        key = "utter_deadline_extension_assumed" if uncertain_if_assumed else "utter_deadline_extension_usual"
        plan.extension_note = say(key, rule=rule)
        return MAX_EXTENSION_MONTHS
    if given > MAX_EXTENSION_MONTHS:
        # § 11 Abs. 1 VVG: void only "insoweit" (beyond one year), so one year is the rule, not an
        # assumption. § 309 Nr. 9 b BGB a. F.: the clause is void as a whole; one year is cautious.
        plan.certain = plan.certain and rule == RULE_VVG_EXTENSION
        plan.extension_clause_void = rule != RULE_VVG_EXTENSION
        plan.extension_months = MAX_EXTENSION_MONTHS
        key = "utter_deadline_extension_capped_insurance" if rule == RULE_VVG_EXTENSION else "utter_deadline_extension_capped"
        plan.extension_note = say(key, extension=months_text(given), rule=rule)
        return MAX_EXTENSION_MONTHS
    plan.extension_months = given
    if given:
        plan.extension_note = say("utter_deadline_extension_given", extension=months_text(given), rule=rule)
    return given


def _extension_ends(start: dt.date, term: int, extension: int, notice: int) -> Iterator[_End]:
    for count in range(1, _MAX_PERIODS):
        yield _End(term_end(start, term + count * extension), notice, Phase.EXTENSION_PERIOD)


def _plan_vvg(terms: ContractTerms) -> _Plan:
    """§ 11 VVG: insurance periods and extensions of a year, notice one to three months."""
    plan = _Plan(terms, iter(()))
    plan.rules += [RULE_VVG_NOTICE]
    plan.before.append(say("utter_deadline_insurance_rules", rule=RULE_VVG_NOTICE, extension_rule=RULE_VVG_EXTENSION))
    if terms.notice_months is None:
        plan.notice_assumed = True
        plan.certain = False
        plan.before.append(say("utter_deadline_notice_assumed_insurance", rule=RULE_VVG_NOTICE))
        notice = INSURANCE_NOTICE_MONTHS_MAX
    else:
        notice = _capped_notice(
            plan, terms.notice_months, INSURANCE_NOTICE_MONTHS_MAX, RULE_VVG_NOTICE, "utter_deadline_notice_capped_insurance"
        )
    plan.initial_notice = notice
    if terms.initial_term_months == 0:
        plan.rules += [RULE_VVG_INDEFINITE, RULE_VVG_PERIOD]
        plan.before.append(
            say("utter_deadline_insurance_indefinite", start=terms.start, rule=RULE_VVG_INDEFINITE, period_rule=RULE_VVG_PERIOD)
        )
        plan.ends = (
            _End(term_end(terms.start, count * INSURANCE_PERIOD_MONTHS), notice, Phase.INSURANCE_YEAR)
            for count in range(1, _MAX_PERIODS)
        )
        plan.after.append(say("utter_deadline_insurance_special_kinds"))
        return plan
    end = _initial_term(plan, "utter_deadline_insurance_term")
    early: Tuple[_End, ...] = ()
    long_term_from = INSURANCE_LONG_TERM_YEARS * INSURANCE_PERIOD_MONTHS
    if terms.initial_term_months > long_term_from:
        plan.rules.append(RULE_VVG_LONG_TERM)
        plan.before.append(
            say("utter_deadline_insurance_long_term", rule=RULE_VVG_LONG_TERM,
                notice=months_text(INSURANCE_LONG_TERM_NOTICE_MONTHS, dative=True))
        )
        early = tuple(
            _End(term_end(terms.start, months), INSURANCE_LONG_TERM_NOTICE_MONTHS, Phase.INSURANCE_YEAR)
            for months in range(long_term_from, terms.initial_term_months, INSURANCE_PERIOD_MONTHS)
        )
    extension = _extension(plan, RULE_VVG_EXTENSION, uncertain_if_assumed=False)
    plan.rules.append(RULE_VVG_EXTENSION)
    if extension == 0:
        # An indefinite extension is an indefinite contract: it ends with an insurance period.
        extension = INSURANCE_PERIOD_MONTHS
    plan.ends = itertools.chain(
        early,
        (_End(end, notice, Phase.INITIAL_TERM),),
        _extension_ends(terms.start, terms.initial_term_months, extension, notice),
    )
    plan.after.append(say("utter_deadline_insurance_special_kinds"))
    return plan


def _energy_note(plan: _Plan) -> None:
    # LEGAL.md "Added 2026-12-02", energy: basic supply can be left with two weeks' notice (check).
    if plan.terms.sector is Sector.ENERGY and plan.terms.basic_supply is None:
        plan.after.append(say("utter_deadline_basic_supply", rule=RULE_BASIC_SUPPLY))


def _basic_supply(terms: ContractTerms, received: dt.date) -> DeadlineResult:
    """Basic supply: any time with two weeks' notice (§ 20 Abs. 1 StromGVV / GasGVV).

    A period of weeks triggered by receipt ends on the same weekday two weeks later (§ 187 Abs. 1,
    § 188 Abs. 2 BGB): received Monday 01.12. -> ends Monday 15.12.
    """
    end = received + dt.timedelta(weeks=BASIC_SUPPLY_NOTICE_WEEKS)
    period_rules = (RULE_EVENT_PERIOD, RULE_PERIOD_END)
    said = [say("utter_deadline_basic_supply_rule", rule=RULE_BASIC_SUPPLY)]
    if terms.initial_term_months:
        said.append(say("utter_deadline_basic_supply_no_term"))
    said.append(say("utter_deadline_open_end", received=received, end=end, rules=_cite(*period_rules)))
    return DeadlineResult(
        received=received, earliest_end=end, latest_receipt=None, phase=Phase.EXTENDED,
        initial_term_end=None, notice_months_applied=0, notice_assumed=False,
        extension_months_applied=None, extension_assumed=False, certain=True, recommend_asap=False,
        term_too_long=False, rule_set=RuleSet.BASIC_SUPPLY,
        rules_applied=(RULE_BASIC_SUPPLY, *period_rules), explanation=tuple(said),
    )


_PLANNERS = {RuleSet.TKG: _plan_tkg, RuleSet.BGB: _plan_bgb, RuleSet.BGB_OLD: _plan_bgb_old, RuleSet.VVG: _plan_vvg}


# --- the result for one day of receipt -----------------------------------------------------------


def _resolve(plan: _Plan, rule_set: RuleSet, received: dt.date) -> DeadlineResult:
    rules = list(plan.rules)
    said = list(plan.before)
    certain = plan.certain
    last_fixed: Optional[_End] = None
    chosen: Optional[_End] = None
    for end in plan.ends:
        if received <= latest_receipt_day(end.day, end.notice_months):
            chosen = end
            break
        last_fixed = end
    initial_missed = plan.initial_end is not None and (chosen is None or chosen.day > plan.initial_end)
    if initial_missed:
        said.append(_missed_initial_term(plan, received))

    extension_assumed = False
    extension_applied = None
    end_is_latest = False
    if chosen is not None:
        latest = latest_receipt_day(chosen.day, chosen.notice_months)
        period_rules = _period_rules(RULE_EVENT_PERIOD, latest, chosen.notice_months)
        rules += period_rules
        if chosen.phase is Phase.EXTENSION_PERIOD:
            extension_applied = plan.extension_months
            extension_assumed = plan.extension_assumed
            certain = certain and not plan.extension_assumed
            if plan.extension_note is not None:
                said.append(plan.extension_note)
        if _missed_current_period(plan, last_fixed, received):
            said.append(say(_key(plan, "utter_deadline_missed_period"), end=last_fixed.day,
                            latest=latest_receipt_day(last_fixed.day, last_fixed.notice_months)))
        in_time_key = _IN_TIME_KEYS[chosen.phase]
        if plan.term_too_long and chosen.phase is Phase.INITIAL_TERM:
            in_time_key = "utter_deadline_in_time_initial_term_at_latest"
        elif plan.extension_clause_void and chosen.phase is Phase.EXTENSION_PERIOD:
            # The renewal the void clause names is the latest end, not the usual one.
            in_time_key = "utter_deadline_in_time_extension_at_latest"
        end_is_latest = in_time_key.endswith("_at_latest")
        said.append(
            say(_key(plan, in_time_key), latest=latest, end=chosen.day,
                notice=months_text(chosen.notice_months, dative=True), rules=_cite(*period_rules))
        )
        if not is_business_day(latest):
            # § 193 BGB does not extend notice periods (BGH 17.02.2005, III ZR 172/04; LEGAL.md
            # "Added 2026-12-02"): the cancellation must arrive on the business day before.
            said.append(say("utter_deadline_receipt_day_not_business_day", latest=latest,
                            business_day=last_business_day_until(latest)))
        if chosen.phase is Phase.INITIAL_TERM and plan.conclusion_hint is not None:
            said.append(plan.conclusion_hint)
        if plan.agreed_notice_over_cap and chosen.notice_months < plan.agreed_notice_over_cap:
            cautious = latest_receipt_day(chosen.day, plan.agreed_notice_over_cap)
            if received <= cautious:
                said.append(say("utter_deadline_cautious_receipt", date=cautious,
                                agreed=months_text(plan.agreed_notice_over_cap, dative=True)))
        earliest_end, notice_applied, phase = chosen.day, chosen.notice_months, chosen.phase
    else:
        if plan.extension_note is not None and plan.initial_end is not None:
            said.append(plan.extension_note)
        earliest_end, more_rules, sentences, sure = _open_ended(plan, received, last_fixed)
        rules += more_rules
        said += sentences
        certain = certain and sure
        latest, notice_applied, phase = None, plan.open_notice, Phase.EXTENDED
    said += plan.after
    return DeadlineResult(
        received=received,
        earliest_end=earliest_end,
        latest_receipt=latest,
        phase=phase,
        initial_term_end=plan.initial_end,
        notice_months_applied=int(notice_applied),
        notice_assumed=plan.notice_assumed,
        extension_months_applied=extension_applied,
        extension_assumed=extension_assumed,
        certain=certain,
        recommend_asap=not certain or plan.term_too_long,
        term_too_long=plan.term_too_long,
        rule_set=rule_set,
        rules_applied=tuple(dict.fromkeys(rules)),
        explanation=tuple(said),
        end_is_latest=end_is_latest,
    )


_IN_TIME_KEYS = {
    Phase.INITIAL_TERM: "utter_deadline_in_time_initial_term",
    Phase.INSURANCE_YEAR: "utter_deadline_in_time_insurance_year",
    Phase.EXTENSION_PERIOD: "utter_deadline_in_time_extension",
}
# Insurance has an agreed term and an insurer, not a minimum term and a provider.
_INSURANCE_KEYS = {
    "utter_deadline_in_time_initial_term": "utter_deadline_in_time_insurance_term",
    "utter_deadline_in_time_extension": "utter_deadline_in_time_insurance_extension",
    "utter_deadline_term_over": "utter_deadline_insurance_term_over",
    "utter_deadline_missed_initial_term": "utter_deadline_missed_insurance_term",
    "utter_deadline_missed_period": "utter_deadline_missed_insurance_period",
}


def _key(plan: _Plan, key: str) -> str:
    return _INSURANCE_KEYS.get(key, key) if plan.terms.sector is Sector.INSURANCE else key


def _missed_current_period(plan: _Plan, last_fixed: Optional[_End], received: dt.date) -> bool:
    """A renewal period (not the initial term) whose end is still ahead but whose last day of receipt has passed."""
    return (
        last_fixed is not None
        and last_fixed.phase is not Phase.INITIAL_TERM
        and (plan.initial_end is None or last_fixed.day > plan.initial_end)
        and received <= last_fixed.day
    )


def _missed_initial_term(plan: _Plan, received: dt.date) -> Message:
    end = plan.initial_end
    if received > end:
        return say(_key(plan, "utter_deadline_term_over"), end=end)
    latest = latest_receipt_day(end, plan.initial_notice)
    return say(_key(plan, "utter_deadline_missed_initial_term"), end=end, latest=latest)


def _open_ended(
    plan: _Plan, received: dt.date, last_fixed: Optional[_End]
) -> Tuple[dt.date, List[str], List[Message], bool]:
    """Any time with `open_notice` months' notice, after the last fixed end (or from the start)."""
    notice, rule = plan.open_notice, plan.open_rule
    period_rules = _period_rules(RULE_EVENT_PERIOD, received, notice)
    rules = [rule, *period_rules]
    after_notice = notice_period_end(received, notice)
    cited = _cite(*period_rules)
    if plan.initial_end is None:
        said = [say("utter_deadline_no_term", notice=months_text(notice, dative=True), rule=rule)]
    else:
        said = [say("utter_deadline_open_ended", notice=months_text(notice, dative=True), rule=rule)]
    if last_fixed is not None and after_notice <= last_fixed.day:
        # Only with a longer notice before the fixed end: the period after receipt ends inside the
        # term. Whether the extension then ends on its first day is not settled.
        earliest = last_fixed.day + dt.timedelta(days=1)
        said.append(say("utter_deadline_open_end_inside_term", received=received, notice_end=after_notice,
                        end=earliest, rules=cited))
        return earliest, rules, said, False
    said.append(say("utter_deadline_open_end", received=received, end=after_notice, rules=cited))
    return after_notice, rules, said, True


def explanation_text(result: DeadlineResult, language: Optional[str] = None) -> str:
    """The explanation as one paragraph in `language` (German by default), e.g. for the CLI."""
    return " ".join(render(message, language) for message in result.explanation)

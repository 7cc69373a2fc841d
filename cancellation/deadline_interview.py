"""The deadline question ("bis wann muss ich kündigen?"): what to ask, and what to answer.

Pure functions over a plain mapping of answers (slot name -> stored value, see
`cancellation.deadline_answers`). The rules live in `cancellation.deadlines`, postal working days in
`cancellation.posting`; this module decides which inputs are still missing and turns the results
into catalogue messages. A vague start is computed for every possible day and both the earliest and
the latest possible end are shown; an unknown start or term leads to "zum nächstmöglichen
Zeitpunkt" with a short explanation. Never a promise: general information, "in der Regel".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from cancellation.deadline_answers import (
    RECEIPT_PREFIX,
    UNKNOWN,
    basic_supply_from,
    months_or_unknown,
    question_facts,
    sector_from,
    start_of,
)
from cancellation.deadlines import (
    NEW_CONSUMER_RULES_FROM,
    TKG_2021_FROM,
    ContractTerms,
    DeadlineResult,
    RuleSet,
    compute_deadline,
    rule_set_for,
)
from cancellation.extraction import extract_facts
from cancellation.posting import (
    SendingMethod,
    Urgency,
    assumed_receipt,
    first_business_day_from,
    last_day_to_post,
    posting_plan,
)
from cancellation.texts import Message, format_date, say
from cancellation.vocabulary import Language, Marker, Sector

# Slot names, in the order the questions are asked.
START = "deadline_start"
TERM = "deadline_term_months"
NOTICE = "deadline_notice_months"
SECTOR = "deadline_sector"
SENDING = "deadline_sending"
CONCLUDED = "deadline_concluded"
EXTENSION = "deadline_extension_months"
BASIC_SUPPLY = "deadline_basic_supply"  # energy: basic supply (§ 20 StromGVV / GasGVV) or not
DEADLINE_SLOTS = (START, TERM, NOTICE, SECTOR, SENDING, CONCLUDED, EXTENSION, BASIC_SUPPLY)
END_DATE = "end_date"  # the letter's end date (the letter interview's slot)
CONTRACT_TYPE = "contract_type"  # the letter interview's kind of contract

# A contract is usually concluded at most a few months before it starts.
CONCLUSION_LOOKBACK_DAYS = 183
# The sending method assumed when the first message already gives start and term.
ASSUMED_SENDING = SendingMethod.REGISTERED


# --- which questions --------------------------------------------------------------------------


def telecom_from(contract_type: Optional[str], provider_categories: Iterable[str] = ()) -> Optional[bool]:
    """Telecom or not, from what is already known; None when it has to be asked."""
    sector = sector_from(contract_type, provider_categories)
    return None if sector is None else sector is Sector.TELECOM


def deadline_fields(answers: Mapping[str, Any], today: dt.date) -> Tuple[str, ...]:
    """The questions to ask, in order, given what is known so far."""
    if answers.get(START) == UNKNOWN:
        return (START, SECTOR)
    if answers.get(TERM) == UNKNOWN:
        return (START, TERM, SECTOR)
    fields = [START, TERM]
    if answers.get(TERM) != 0:
        fields.append(NOTICE)
    fields.append(SECTOR)
    if answers.get(SECTOR) == Sector.ENERGY.value:
        fields.append(BASIC_SUPPLY)  # basic supply: two weeks at any time, whatever the term
    fields.append(SENDING)
    if not all(answers.get(name) is not None for name in fields):
        return tuple(fields)
    # The form asks for its slot list before it validates the latest raw answer too.
    if _safely(conclusion_matters, answers, today):
        fields.append(CONCLUDED)
        if answers.get(CONCLUDED) is None:
            return tuple(fields)
    if _safely(extension_matters, answers, today):
        fields.append(EXTENSION)
    return tuple(fields)


def questions_needed(answers: Mapping[str, Any], today: dt.date) -> bool:
    return any(answers.get(name) is None for name in deadline_fields(answers, today))


def _safely(check, answers: Mapping[str, Any], today: dt.date) -> bool:
    try:
        return check(answers, today)
    except (ValueError, TypeError, KeyError):
        return False


def conclusion_matters(answers: Mapping[str, Any], today: dt.date) -> bool:
    """True when a plausible earlier conclusion date would change the result.

    The rules change for contracts concluded before 01.12.2021 (§ 56 TKG) and before 01.03.2022
    (§ 309 Nr. 9 BGB); only a start shortly after such a day makes the conclusion date decide.
    """
    start = start_of(answers[START]).first
    terms = terms_for(answers, start)
    received = receipt_from(answers, today)
    baseline = compute_deadline(terms, received)
    for threshold in (TKG_2021_FROM, NEW_CONSUMER_RULES_FROM):
        if threshold <= start < threshold + dt.timedelta(days=CONCLUSION_LOOKBACK_DAYS):
            earlier = terms_for({**answers, CONCLUDED: (threshold - dt.timedelta(days=1)).isoformat()}, start)
            if _differs(baseline, compute_deadline(earlier, received)):
                return True
    return False


def _differs(first: DeadlineResult, second: DeadlineResult) -> bool:
    keys = ("earliest_end", "latest_receipt", "notice_months_applied", "certain")
    return any(getattr(first, key) != getattr(second, key) for key in keys)


def extension_matters(answers: Mapping[str, Any], today: dt.date) -> bool:
    """True when an unknown extension period of an old non-telecom contract decides the end."""
    if answers.get(EXTENSION) is not None:
        return True  # asked already: keep it in the list
    start = start_of(answers[START])
    concluded = answers.get(CONCLUDED)
    oldest = start.first if concluded in (None, UNKNOWN) else dt.date.fromisoformat(str(concluded))
    basic_supply = basic_supply_from(answers.get(BASIC_SUPPLY)) is True
    if rule_set_for(Sector(answers[SECTOR]), oldest, basic_supply) is not RuleSet.BGB_OLD:
        return False
    received = receipt_from(answers, today)
    return any(compute_deadline(terms_for(answers, day), received).extension_assumed for day in start.days())


# --- from answers to the engine ----------------------------------------------------------------


def terms_for(answers: Mapping[str, Any], start: dt.date) -> ContractTerms:
    concluded = answers.get(CONCLUDED)
    concluded_on = None if concluded in (None, UNKNOWN) else min(dt.date.fromisoformat(str(concluded)), start)
    return ContractTerms(
        start=start,
        initial_term_months=int(answers[TERM]),
        notice_months=months_or_unknown(answers.get(NOTICE)),
        concluded=concluded_on,
        sector=Sector(answers[SECTOR]),
        extension_months=months_or_unknown(answers.get(EXTENSION)),
        basic_supply=basic_supply_from(answers.get(BASIC_SUPPLY)) if answers[SECTOR] == Sector.ENERGY.value else None,
    )


def receipt_from(answers: Mapping[str, Any], today: dt.date) -> dt.date:
    sending = str(answers[SENDING])
    if sending.startswith(RECEIPT_PREFIX):
        return dt.date.fromisoformat(sending[len(RECEIPT_PREFIX):])
    return assumed_receipt(today, sending)


def results_for(answers: Mapping[str, Any], today: dt.date) -> List[Tuple[dt.date, DeadlineResult]]:
    """The result for every possible start day (one day when the start is exact)."""
    received = receipt_from(answers, today)
    return [(day, compute_deadline(terms_for(answers, day), received)) for day in start_of(answers[START]).days()]


# --- the facts of the first message ------------------------------------------------------------


def opening_answers(
    text: str, today: dt.date, contract_type: Optional[str] = None, provider_categories: Iterable[str] = ()
) -> Dict[str, Any]:
    """The answers a deadline question already gives: start, term, notice, sector.

    With start and term known the user gets the answer at once: an unknown notice period is
    assumed (and said so) and a letter by Einwurf-Einschreiben posted today is assumed (said too).
    """
    facts = question_facts(text, today)
    answers: Dict[str, Any] = {START: facts.get("start"), TERM: facts.get("term"), NOTICE: facts.get("notice"),
                               EXTENSION: facts.get("extension")}
    sector = sector_from(contract_type, provider_categories)
    answers[SECTOR] = sector.value if sector is not None else None
    if answers[START] is not None and answers[TERM] is not None:
        if answers[TERM] != 0 and answers[NOTICE] is None:
            answers[NOTICE] = UNKNOWN
        if answers[SECTOR] == Sector.ENERGY.value:
            answers[BASIC_SUPPLY] = UNKNOWN  # answered at once: the note on basic supply says what applies
        answers[SENDING] = ASSUMED_SENDING.value
    return {name: value for name, value in answers.items() if value is not None}


def facts_beside(text: str, asked: str, answers: Mapping[str, Any], today: dt.date) -> Dict[str, Any]:
    """What an answer says besides the asked question's answer, for questions not answered yet:
    "Fitnessstudio" at the minimum-term question is the kind of contract (a hand-test saw it
    ignored and asked later), "seit März 2025, 24 Monate" at another question the start and term.
    Amounts said at the term or notice question stay with that question: which of the two an
    amount is can only be told from the question asked."""
    facts = question_facts(text, today)
    found: Dict[str, Any] = {START: facts.get("start")}
    if asked not in (TERM, NOTICE, EXTENSION):
        found.update({TERM: facts.get("term"), NOTICE: facts.get("notice"), EXTENSION: facts.get("extension")})
    contract_type = extract_facts(text, today).contract_type
    sector = sector_from(contract_type)
    if sector is not None:
        found.update({SECTOR: sector.value, CONTRACT_TYPE: contract_type})
    return {name: value for name, value in found.items() if value is not None and name != asked and answers.get(name) is None}


def term_question(answers: Mapping[str, Any]) -> str:
    """The term question's response: insurance contracts usually run a year, so 12 months first."""
    insurance = answers.get(SECTOR) == Sector.INSURANCE.value
    return "utter_ask_deadline_term_months_insurance" if insurance else "utter_ask_deadline_term_months"


# --- the answer --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineReply:
    messages: Tuple[Message, ...]
    end_date: str  # for the letter: "YYYY-MM-DD", or Marker.ASAP ("zum nächstmöglichen Zeitpunkt")
    offer: str  # the response whose buttons offer to cancel now

    @property
    def asap(self) -> bool:
        return self.end_date == Marker.ASAP.value


def deadline_reply(answers: Mapping[str, Any], today: dt.date) -> DeadlineReply:
    """The chat answer: dates first, then what to do by post, the rules, the assumptions."""
    if answers.get(START) == UNKNOWN or answers.get(TERM) == UNKNOWN:
        return _without_dates(answers)
    results = results_for(answers, today)
    start = start_of(answers[START])
    earliest = min(results, key=lambda item: (item[1].earliest_end, item[0]))
    latest = max(results, key=lambda item: (item[1].earliest_end, -item[0].toordinal()))
    shown_start, shown = earliest
    messages: List[Message] = []
    same_end = earliest[1].earliest_end == latest[1].earliest_end
    if not start.exact:
        messages.append(say("utter_deadline_start_range", first=start.first, last=start.last))
        if same_end:
            messages.append(say("utter_deadline_range_same_end"))
        else:
            messages += [
                say("utter_deadline_range_earliest", start=earliest[0], end=earliest[1].earliest_end),
                say("utter_deadline_range_latest", start=latest[0], end=latest[1].earliest_end),
            ]
    explanation = list(shown.explanation)
    if same_end:  # else the earliest and the latest possible end above say it
        if shown.latest_receipt is not None:
            messages.append(say("utter_deadline_latest_receipt", end=shown.earliest_end, latest=shown.latest_receipt))
        # A void term or extension clause: the end it gives is the latest, not the usual end.
        result_key = "utter_deadline_result_at_latest" if shown.end_is_latest else "utter_deadline_result"
        result = say(result_key, received=shown.received, end=shown.earliest_end)
        # The explanation of an open-ended contract ends with the same sentence and its rules:
        # say it once, first, with the rules (a hand-test read the answer twice).
        restated = [
            message for message in explanation
            if message.key == "utter_deadline_open_end" and result_key == "utter_deadline_result"
            and (message.params.get("received"), message.params.get("end")) == (shown.received, shown.earliest_end)
        ]
        if restated:
            result = restated[0]
            explanation.remove(result)
        messages.append(result)
    messages += _posting_advice(answers, today, shown, terms_for(answers, shown_start))
    if not start.exact:
        messages.append(say("utter_deadline_range_example", start=shown_start))
    messages += explanation
    messages.append(_receipt_assumption(answers, today, shown.received))
    certain = all(result.certain and not result.recommend_asap for _, result in results)
    if not certain:
        messages.append(say("utter_deadline_uncertain"))
    messages.append(say("utter_deadline_disclaimer"))
    if certain and same_end:
        # The letter is German: its date is written the German way in every language.
        messages.append(say("utter_deadline_letter_date", letter_date=format_date(shown.earliest_end, Language.DE)))
        return DeadlineReply(tuple(messages), shown.earliest_end.isoformat(), "utter_deadline_letter_date")
    reason = "utter_deadline_asap_range" if not same_end else "utter_deadline_asap_uncertain"
    messages += [say(reason), say("utter_deadline_letter_asap")]
    return DeadlineReply(tuple(messages), Marker.ASAP.value, "utter_deadline_letter_asap")


def _without_dates(answers: Mapping[str, Any]) -> DeadlineReply:
    missing = "utter_deadline_start_unknown" if answers.get(START) == UNKNOWN else "utter_deadline_term_unknown"
    sector = Sector.parse(answers.get(SECTOR))
    messages = [say(missing)]
    if sector is not None:
        messages.append(say(_GENERAL_RULES[sector]))
    messages += [say("utter_deadline_disclaimer"), say("utter_deadline_letter_asap")]
    return DeadlineReply(tuple(messages), Marker.ASAP.value, "utter_deadline_letter_asap")


_GENERAL_RULES = {
    Sector.TELECOM: "utter_deadline_general_telecom",
    Sector.ENERGY: "utter_deadline_general_consumer",
    Sector.OTHER: "utter_deadline_general_consumer",
    Sector.INSURANCE: "utter_deadline_general_insurance",
}


def _posting_advice(
    answers: Mapping[str, Any], today: dt.date, result: DeadlineResult, terms: ContractTerms
) -> List[Message]:
    """When to post a letter (four postal working days, a week's margin), and when post is too late."""
    sending = str(answers[SENDING])
    if sending.startswith(RECEIPT_PREFIX) or not SendingMethod(sending).is_letter:
        return []
    advice: List[Message] = []
    electronic = compute_deadline(terms, first_business_day_from(today))
    if electronic.latest_receipt is not None and electronic.earliest_end < result.earliest_end:
        receipt_by = electronic.latest_receipt
        advice.append(say("utter_deadline_post_too_late", end=electronic.earliest_end, receipt_by=receipt_by,
                          last_day=last_day_to_post(receipt_by)))
    if result.latest_receipt is not None:
        plan = posting_plan(result.latest_receipt, today)
        key = "utter_deadline_post_urgent" if plan.urgency is Urgency.URGENT else "utter_deadline_post_in_good_time"
        if plan.urgency is not Urgency.TOO_LATE_BY_POST:
            advice.append(say(key, receipt_by=plan.receipt_by, recommended=plan.recommended, last_day=plan.last_day))
    return advice


_RECEIPT_KEYS = {
    SendingMethod.POST: "utter_deadline_receipt_letter",
    SendingMethod.REGISTERED: "utter_deadline_receipt_registered",
    SendingMethod.FAX: "utter_deadline_receipt_fax",
    SendingMethod.EMAIL: "utter_deadline_receipt_email",
}


def _receipt_assumption(answers: Mapping[str, Any], today: dt.date, received: dt.date) -> Message:
    sending = str(answers[SENDING])
    if sending.startswith(RECEIPT_PREFIX):
        return say("utter_deadline_receipt_given", received=received)
    return say(_RECEIPT_KEYS[SendingMethod(sending)], sent=today, received=received)

"""The deadline question ("bis wann muss ich kündigen?"): what to ask, how to read it, what to answer.

Pure functions over a plain mapping of answers (slot name -> value). The rules themselves live in
`cancellation.deadlines`; this module only decides which of its inputs are still missing and turns
the result into the chat answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Tuple

from cancellation.deadlines import (
    NEW_CONSUMER_RULES_FROM,
    TKG_2021_FROM,
    ContractTerms,
    compute_deadline,
    format_date,
    receipt_assumption_text,
    suggest_receipt_date,
)
from cancellation.validation import InvalidInput, fold, is_skip_answer, parse_past_or_future_date

# Slot names, in the order the questions are asked.
START = "deadline_start"
TERM = "deadline_term_months"
NOTICE = "deadline_notice_months"
TELECOM = "deadline_telecom"
SENDING = "deadline_sending"
CONCLUDED = "deadline_concluded"
DEADLINE_SLOTS = (START, TERM, NOTICE, TELECOM, SENDING, CONCLUDED)

NOTICE_UNKNOWN = "unknown"
# How the letter goes out; a user-given day of receipt is stored as "receipt:YYYY-MM-DD".
RECEIPT_PREFIX = "receipt:"
TELECOM_CONTRACT_TYPES = frozenset({"mobile", "dsl", "cable", "fibre", "landline"})
# Contract types that are never telecom services (§ 309 Nr. 9 BGB applies).
OTHER_CONTRACT_TYPES = frozenset({"energy", "gas", "gym", "streaming", "press", "insurance"})
# A contract is usually concluded at most a few months before it starts.
CONCLUSION_LOOKBACK_DAYS = 183
MAX_TERM_MONTHS = 120

DISCLAIMER = (
    "Das ist eine allgemeine Berechnung nach den gesetzlichen Regeln, keine Rechtsberatung; "
    "maßgeblich sind Ihr Vertrag und der tatsächliche Zugang beim Anbieter."
)


# --- which questions --------------------------------------------------------------------------


def telecom_from(contract_type: Optional[str], provider_categories: Iterable[str] = ()) -> Optional[bool]:
    """Telecom or not, from what is already known; None when it has to be asked."""
    if contract_type in TELECOM_CONTRACT_TYPES:
        return True
    if contract_type in OTHER_CONTRACT_TYPES:
        return False
    categories = set(provider_categories)
    if categories and categories <= TELECOM_CONTRACT_TYPES | {"tv"} and categories & TELECOM_CONTRACT_TYPES:
        return True
    if categories and not categories & (TELECOM_CONTRACT_TYPES | {"tv"}):
        return False
    return None


def deadline_fields(answers: Mapping[str, Any], today: dt.date) -> Tuple[str, ...]:
    """The questions to ask, in order, given what is known so far."""
    fields = [START, TERM]
    if answers.get(TERM) != 0:
        fields.append(NOTICE)
    fields += [TELECOM, SENDING]
    known = all(answers.get(name) is not None for name in fields)
    if known and _conclusion_matters_if_valid(answers, today):
        fields.append(CONCLUDED)
    return tuple(fields)


def _conclusion_matters_if_valid(answers: Mapping[str, Any], today: dt.date) -> bool:
    # The form asks for its slot list before it validates the latest raw answer too.
    try:
        return conclusion_matters(answers, today)
    except (ValueError, TypeError, KeyError):
        return False


def conclusion_matters(answers: Mapping[str, Any], today: dt.date) -> bool:
    """True when a plausible earlier conclusion date would change the result.

    The rules change for contracts concluded before 01.12.2021 (§ 56 TKG) and before 01.03.2022
    (§ 309 Nr. 9 BGB); only a start shortly after such a day makes the conclusion date decide.
    """
    terms = terms_from(answers)
    received = receipt_from(answers, today)
    baseline = compute_deadline(terms, received)
    for threshold in (TKG_2021_FROM, NEW_CONSUMER_RULES_FROM):
        if threshold <= terms.start < threshold + dt.timedelta(days=CONCLUSION_LOOKBACK_DAYS):
            earlier = ContractTerms(
                start=terms.start,
                initial_term_months=terms.initial_term_months,
                notice_months=terms.notice_months,
                concluded=threshold - dt.timedelta(days=1),
                telecom=terms.telecom,
            )
            if _differs(baseline, compute_deadline(earlier, received)):
                return True
    return False


def _differs(first: Any, second: Any) -> bool:
    keys = ("earliest_end", "latest_receipt_for_initial_term_end", "notice_months_applied", "certain")
    return any(getattr(first, key) != getattr(second, key) for key in keys)


# --- reading answers -------------------------------------------------------------------------

_NUMBER_WORDS = {
    "null": 0, "kein": 0, "keine": 0, "ein": 1, "einen": 1, "eine": 1, "einem": 1, "zwei": 2,
    "drei": 3, "vier": 4, "sechs": 6, "zwoelf": 12, "achtzehn": 18, "vierundzwanzig": 24,
}
_AMOUNT = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_MONTHS_RE = re.compile(r"\b" + _AMOUNT + r"\s*-?\s*(?P<unit>monat\w*|jahr\w*|woche\w*)")
_BARE_NUMBER_RE = re.compile(r"^\s*(\d{1,3})\s*$")
_NO_TERM_RE = re.compile(r"\b(keine|ohne|nein|monatlich kuendbar|jederzeit|flex\w*)\b")


def _amount(match: re.Match) -> int:
    text = match.group("n")
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def _months(text: str) -> Optional[int]:
    folded = fold(text)
    match = _MONTHS_RE.search(folded)
    if match:
        amount, unit = _amount(match), match.group("unit")
        if unit.startswith("jahr"):
            return amount * 12
        if unit.startswith("woche"):
            return -amount  # weeks are reported separately by the callers
        return amount
    bare = _BARE_NUMBER_RE.match(folded)
    return int(bare.group(1)) if bare else None


def parse_term_months(text: str) -> int:
    """Initial (minimum) term in months; 0 = none. "24 Monate", "2 Jahre", "keine"."""
    months = _months(text)
    if months is None and _NO_TERM_RE.search(fold(text)):
        return 0
    if months is None or months < 0:
        raise InvalidInput(
            "Bitte nennen Sie die Mindestlaufzeit in Monaten, zum Beispiel „24 Monate“, "
            "„12 Monate“ oder „keine“."
        )
    if months > MAX_TERM_MONTHS:
        raise InvalidInput("Eine so lange Mindestlaufzeit ist ungewöhnlich. Bitte prüfen Sie die Angabe.")
    return months


def parse_notice_months(text: str) -> Any:
    """Notice period in months, or NOTICE_UNKNOWN for "weiß nicht" (the engine then assumes one)."""
    if is_skip_answer(text) or re.search(r"\b(weiss|keine ahnung|unbekannt|unsicher)\b", fold(text)):
        return NOTICE_UNKNOWN
    months = _months(text)
    if months is not None and months < 0:
        raise InvalidInput(
            "Kündigungsfristen werden meist in Monaten angegeben. Bitte rechnen Sie die Frist in Monate "
            "um, zum Beispiel „1 Monat“ oder „3 Monate“ – oder schreiben Sie „weiß nicht“."
        )
    if months is None or months > 24:
        raise InvalidInput(
            "Bitte nennen Sie die Kündigungsfrist in Monaten, zum Beispiel „1 Monat“ oder „3 Monate“, "
            "oder schreiben Sie „weiß nicht“."
        )
    return months


_YES_RE = re.compile(r"^(ja|jo|genau|stimmt|richtig|ja\b.*|telekommunikation.*|handy.*|mobilfunk.*|internet.*|dsl.*|festnetz.*|kabel.*|glasfaser.*)$")
_NO_RE = re.compile(r"^(nein|ne|nee|nein\b.*|anderer? .*|sonstig.*|strom.*|gas.*|fitness.*|streaming.*|abo.*|versicherung.*)$")


def parse_telecom(text: str) -> bool:
    folded = fold(text).strip(" .!")
    if _YES_RE.match(folded):
        return True
    if _NO_RE.match(folded):
        return False
    raise InvalidInput(
        "Bitte antworten Sie mit „ja“ (Handy, Internet, Festnetz) oder „nein“ (zum Beispiel Strom, "
        "Fitnessstudio, Streaming)."
    )


_SENDING_PATTERNS = (
    (r"einschreiben", "einschreiben"),
    (r"\bfax", "fax"),
    (r"e-?\s*mail|\bmail\b", "email"),
    (r"\bbrief\b|\bpost\b|normal", "post"),
    (r"button|online|portal", "email"),  # arrives at once, like an e-mail
)


def parse_sending(text: str, today: dt.date) -> str:
    """"einschreiben" | "post" | "fax" | "email", or "receipt:YYYY-MM-DD" for a known day of receipt."""
    folded = fold(text)
    for pattern, method in _SENDING_PATTERNS:
        if re.search(pattern, folded):
            return method
    try:
        received = parse_past_or_future_date(text, today)
    except InvalidInput:
        raise InvalidInput(
            "Wie schicken Sie die Kündigung? Bitte wählen Sie „Einwurf-Einschreiben“, „Brief“, „Fax“ "
            "oder „E-Mail“ – oder nennen Sie den Tag, an dem sie beim Anbieter eingeht, zum Beispiel "
            "28.11.2026."
        ) from None
    return RECEIPT_PREFIX + received.isoformat()


# --- the answer --------------------------------------------------------------------------------


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def terms_from(answers: Mapping[str, Any]) -> ContractTerms:
    notice = answers.get(NOTICE)
    concluded = answers.get(CONCLUDED)
    return ContractTerms(
        start=_date(answers[START]),
        initial_term_months=int(answers[TERM]),
        notice_months=None if notice in (None, NOTICE_UNKNOWN) else int(notice),
        concluded=None if concluded is None else _date(concluded),
        telecom=bool(answers[TELECOM]),
    )


def receipt_from(answers: Mapping[str, Any], today: dt.date) -> dt.date:
    sending = str(answers[SENDING])
    if sending.startswith(RECEIPT_PREFIX):
        return _date(sending[len(RECEIPT_PREFIX):])
    return suggest_receipt_date(today, sending)


@dataclass(frozen=True)
class DeadlineReply:
    text: str
    earliest_end: dt.date


def deadline_reply(answers: Mapping[str, Any], today: dt.date) -> DeadlineReply:
    """The chat answer: dates first, then the engine's explanation and the receipt assumption."""
    result = compute_deadline(terms_from(answers), receipt_from(answers, today))
    lines = []
    if result.latest_receipt_for_initial_term_end is not None:
        lines.append(
            f"Spätester Zugang beim Anbieter für das Ende der Mindestlaufzeit: "
            f"{format_date(result.latest_receipt_for_initial_term_end)}."
        )
    lines.append(
        f"Geht Ihre Kündigung am {format_date(result.received)} ein, endet der Vertrag in der Regel am "
        f"{format_date(result.earliest_end)}."
    )
    lines.append(result.explanation)
    sending = str(answers[SENDING])
    if sending.startswith(RECEIPT_PREFIX):
        lines.append(f"Gerechnet ist mit dem von Ihnen genannten Zugang am {format_date(result.received)}.")
    else:
        lines.append(receipt_assumption_text(sending, today))
    if not result.certain:
        lines.append("Die Berechnung steht unter Vorbehalt: Bitte prüfen Sie Ihren Vertrag.")
    lines.append(DISCLAIMER)
    lines.append(
        f"Wenn Sie jetzt kündigen, schreibe ich in den Brief „zum {format_date(result.earliest_end)}, "
        "hilfsweise zum nächstmöglichen Zeitpunkt“."
    )
    return DeadlineReply(text="\n".join(lines), earliest_end=result.earliest_end)

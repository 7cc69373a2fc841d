"""Deadline engine: when does a contract end if the cancellation reaches the provider on a given day?

Rules (see /work/shared/LEGAL.md, "Telecom deadlines" and "Other consumer contracts"):
- an initial term of N months counted from the start day ends per § 187 Abs. 2, § 188 Abs. 2 BGB
  (start 15.03.2024, 24 months -> 14.03.2026), on the last day of the month where that month lacks
  the day (§ 188 Abs. 3 BGB);
- a notice period triggered by receipt starts the next day (§ 187 Abs. 1 BGB) and ends on the day with
  the same number (§ 188 Abs. 2 BGB) or the month's last day (§ 188 Abs. 3 BGB);
- after a tacit extension the contract can be cancelled at any time with one month's notice
  (§ 56 Abs. 3 TKG for telecom, § 309 Nr. 9 BGB for other contracts concluded from 01.03.2022).

The texts say "in der Regel": the assistant explains general rules and never promises a result.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal, Optional, Tuple

# § 309 Nr. 9 BGB in its current wording applies to contracts concluded from this day
# (Art. 229 § 60 EGBGB).
NEW_CONSUMER_RULES_FROM = dt.date(2022, 3, 1)
# § 56 TKG (TKG 2021) is in force from this day.
TKG_2021_FROM = dt.date(2021, 12, 1)

NOTICE_MONTHS_DEFAULT_NEW = 1
NOTICE_MONTHS_DEFAULT_OLD = 3
EXTENDED_NOTICE_MONTHS = 1

Phase = Literal["initial_term", "extended"]

RULE_BEGIN_PERIOD = "§ 187 Abs. 2 BGB"
RULE_EVENT_PERIOD = "§ 187 Abs. 1 BGB"
RULE_PERIOD_END = "§ 188 Abs. 2 BGB"
RULE_MONTH_END = "§ 188 Abs. 3 BGB"
RULE_TKG_EXTENDED = "§ 56 Abs. 3 TKG"
RULE_BGB_EXTENDED = "§ 309 Nr. 9 BGB"
RULE_NOTICE_CAP = "§ 309 Nr. 9 c BGB"


@dataclass(frozen=True)
class ContractTerms:
    start: dt.date  # contract start or service start
    initial_term_months: int  # 0 = no initial (minimum) term
    notice_months: Optional[int] = None  # None = not known: assumed from `concluded`
    concluded: Optional[dt.date] = None  # None = same as `start`
    telecom: bool = True

    @property
    def conclusion_date(self) -> dt.date:
        return self.concluded if self.concluded is not None else self.start


@dataclass(frozen=True)
class DeadlineResult:
    received: dt.date
    earliest_end: dt.date
    latest_receipt_for_initial_term_end: Optional[dt.date]  # None once that day is past (or no term)
    phase: Phase
    initial_term_end: Optional[dt.date]  # None when there is no initial term
    notice_months_applied: int
    notice_assumed: bool  # True when notice_months was not given and a default was used
    certain: bool  # False where the rule is contested or an assumption decides the result
    rules_applied: Tuple[str, ...]
    explanation: str


def format_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, months: int) -> Tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


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


def _unique(items: list) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def compute_deadline(terms: ContractTerms, received: dt.date) -> DeadlineResult:
    """When a cancellation that reaches the provider on `received` ends the contract, in general."""
    if terms.initial_term_months < 0:
        raise ValueError("initial_term_months must not be negative")
    if terms.notice_months is not None and terms.notice_months < 0:
        raise ValueError("notice_months must not be negative")

    concluded = terms.conclusion_date
    new_rules = concluded >= NEW_CONSUMER_RULES_FROM
    extended_rule = RULE_TKG_EXTENDED if terms.telecom else RULE_BGB_EXTENDED
    if terms.initial_term_months == 0:
        return _without_initial_term(terms, received, extended_rule)

    rules: list = []
    sentences: list = []
    certain = True
    notice_assumed = terms.notice_months is None
    agreed_notice = default_notice_months(concluded) if notice_assumed else terms.notice_months
    initial_notice = agreed_notice
    if notice_assumed:
        if new_rules:
            rules.append(RULE_NOTICE_CAP)
            sentences.append(
                "Da keine Kündigungsfrist angegeben wurde, ist angenommen, dass sie einen Monat beträgt "
                f"(Höchstfrist für Verträge ab dem 01.03.2022, {RULE_NOTICE_CAP})."
            )
        else:
            certain = False
            sentences.append(
                "Da keine Kündigungsfrist angegeben wurde, ist angenommen, dass sie drei Monate "
                "zum Ende der Mindestlaufzeit beträgt (bei Verträgen vor dem 01.03.2022 üblich). "
                "Bitte prüfen Sie Ihren Vertrag."
            )
    elif new_rules and agreed_notice > 1:
        initial_notice = 1
        cautious_receipt = add_months(term_end(terms.start, terms.initial_term_months), -agreed_notice)
        certain = False
        rules.append(RULE_NOTICE_CAP)
        sentences.append(
            f"Eine Kündigungsfrist von {agreed_notice} Monaten ist in Allgemeinen Geschäftsbedingungen "
            f"für Verträge ab dem 01.03.2022 in der Regel unwirksam ({RULE_NOTICE_CAP}); "
            "gerechnet wird deshalb mit einem Monat. Wer ganz vorsichtig sein will, sorgt für Zugang "
            f"bis zum {format_date(cautious_receipt)}."
        )

    initial_end = term_end(terms.start, terms.initial_term_months)
    rules += [RULE_BEGIN_PERIOD, RULE_PERIOD_END]
    term_month_end = month_end_rule_needed(terms.start, terms.initial_term_months)
    if term_month_end:
        rules.append(RULE_MONTH_END)
    sentences.append(
        f"Die Mindestlaufzeit von {_months_text(terms.initial_term_months, dative=True)} ab dem "
        f"{format_date(terms.start)} endet in der Regel am {format_date(initial_end)} "
        f"({_cite(RULE_BEGIN_PERIOD, RULE_PERIOD_END, term_month_end)})."
    )
    latest_receipt = add_months(initial_end, -initial_notice)

    if received <= latest_receipt:
        sentences.append(
            f"Geht die Kündigung bis zum {format_date(latest_receipt)} beim Anbieter ein "
            f"(Kündigungsfrist {_months_text(initial_notice)}), endet der Vertrag in der Regel "
            f"zum Ende der Mindestlaufzeit am {format_date(initial_end)}."
        )
        if not new_rules and not terms.telecom:
            certain = False
            sentences.append(_old_contract_note())
        return DeadlineResult(
            received=received,
            earliest_end=initial_end,
            latest_receipt_for_initial_term_end=latest_receipt,
            phase="initial_term",
            initial_term_end=initial_end,
            notice_months_applied=initial_notice,
            notice_assumed=notice_assumed,
            certain=certain,
            rules_applied=_unique(rules),
            explanation=" ".join(sentences),
        )

    # Too late for the end of the initial term: the contract is (or will be) extended for an
    # indefinite period and can then be ended at any time with one month's notice.
    one_month_after = add_months(received, EXTENDED_NOTICE_MONTHS)
    rules += [extended_rule, RULE_EVENT_PERIOD, RULE_PERIOD_END]
    notice_month_end = month_end_rule_needed(received, EXTENDED_NOTICE_MONTHS)
    if notice_month_end:
        rules.append(RULE_MONTH_END)
    if received <= initial_end:
        sentences.append(
            f"Für das Ende der Mindestlaufzeit hätte die Kündigung bis zum {format_date(latest_receipt)} "
            "eingehen müssen. Der Vertrag verlängert sich deshalb auf unbestimmte Zeit; danach kann er "
            f"in der Regel jederzeit mit einer Frist von einem Monat gekündigt werden ({extended_rule})."
        )
    else:
        sentences.append(
            f"Die Mindestlaufzeit ist am {format_date(initial_end)} abgelaufen und der Vertrag hat sich "
            "verlängert. Er kann in der Regel jederzeit mit einer Frist von einem Monat gekündigt werden "
            f"({extended_rule})."
        )
    earliest_end = one_month_after
    if one_month_after <= initial_end:
        # Only with a notice period above one month: the month after receipt ends inside the
        # initial term. Whether the extension then ends on its first day is not settled.
        earliest_end = initial_end + dt.timedelta(days=1)
        certain = False
        cited = _cite(RULE_EVENT_PERIOD, RULE_PERIOD_END, notice_month_end)
        sentences.append(
            f"Die Monatsfrist ab Zugang ({format_date(received)}) liefe schon am "
            f"{format_date(one_month_after)} ab ({cited}), "
            "also vor dem Ende der Mindestlaufzeit. Gerechnet ist deshalb mit dem ersten Tag nach der "
            f"Mindestlaufzeit, dem {format_date(earliest_end)}; ob der Anbieter das so sieht, ist nicht "
            "abschließend geklärt."
        )
    else:
        sentences.append(
            f"Geht die Kündigung am {format_date(received)} ein, endet der Vertrag in der Regel am "
            f"{format_date(earliest_end)} ({_cite(RULE_EVENT_PERIOD, RULE_PERIOD_END, notice_month_end)})."
        )
    if not terms.telecom and not new_rules:
        certain = False
        sentences.append(_old_contract_note())
    elif terms.telecom and concluded < TKG_2021_FROM:
        sentences.append(
            f"{RULE_TKG_EXTENDED} gilt in der Regel auch für Verträge, die vor dem 01.12.2021 "
            "geschlossen wurden."
        )
    return DeadlineResult(
        received=received,
        earliest_end=earliest_end,
        latest_receipt_for_initial_term_end=None,
        phase="extended",
        initial_term_end=initial_end,
        notice_months_applied=EXTENDED_NOTICE_MONTHS,
        notice_assumed=notice_assumed,
        certain=certain,
        rules_applied=_unique(rules),
        explanation=" ".join(sentences),
    )


def _without_initial_term(terms: ContractTerms, received: dt.date, extended_rule: str) -> DeadlineResult:
    concluded = terms.conclusion_date
    certain = True
    earliest_end = add_months(received, EXTENDED_NOTICE_MONTHS)
    rules = [extended_rule, RULE_EVENT_PERIOD, RULE_PERIOD_END]
    notice_month_end = month_end_rule_needed(received, EXTENDED_NOTICE_MONTHS)
    if notice_month_end:
        rules.append(RULE_MONTH_END)
    sentences = [
        "Der Vertrag hat keine Mindestlaufzeit. Er kann in der Regel jederzeit mit einer Frist von "
        f"einem Monat gekündigt werden ({extended_rule}). Geht die Kündigung am "
        f"{format_date(received)} ein, endet er in der Regel am {format_date(earliest_end)} "
        f"({_cite(RULE_EVENT_PERIOD, RULE_PERIOD_END, notice_month_end)})."
    ]
    if terms.telecom and concluded < TKG_2021_FROM:
        certain = False
        sentences.append(
            "Bei älteren Verträgen ohne Mindestlaufzeit hat ein Anbieter die Anwendung von "
            f"{RULE_TKG_EXTENDED} bestritten; bitte prüfen Sie die im Vertrag genannte Frist."
        )
    elif not terms.telecom and concluded < NEW_CONSUMER_RULES_FROM:
        certain = False
        sentences.append(_old_contract_note())
    return DeadlineResult(
        received=received,
        earliest_end=earliest_end,
        latest_receipt_for_initial_term_end=None,
        phase="extended",
        initial_term_end=None,
        notice_months_applied=EXTENDED_NOTICE_MONTHS,
        notice_assumed=False,
        certain=certain,
        rules_applied=_unique(rules),
        explanation=" ".join(sentences),
    )


def _cite(first: str, second: str, month_end: bool) -> str:
    """Cite a pair of rules, adding § 188 Abs. 3 BGB when it decided the date."""
    cited = f"{first}, {second}"
    if month_end:
        cited += f" und {RULE_MONTH_END}"
    return cited


def _months_text(months: int, dative: bool = False) -> str:
    if months == 0:
        return "keine"
    if dative:
        return "einem Monat" if months == 1 else f"{months} Monaten"
    return "ein Monat" if months == 1 else f"{months} Monate"


def _old_contract_note() -> str:
    return (
        "Für Verträge außerhalb der Telekommunikation, die vor dem 01.03.2022 geschlossen wurden, "
        f"gilt {RULE_BGB_EXTENDED} in der heutigen Fassung noch nicht; dort können längere Fristen "
        "und Verlängerungen wirksam vereinbart sein. Die Berechnung steht deshalb unter Vorbehalt: bitte prüfen "
        "Sie Ihren Vertrag. Der Brief kündigt vorsorglich zum nächstmöglichen Zeitpunkt."
    )


# --- receipt ---------------------------------------------------------------------------------

RECEIPT_METHODS = ("post", "einschreiben", "fax", "email")
_SUNDAY = 6


def _next_delivery_day(day: dt.date) -> dt.date:
    following = day + dt.timedelta(days=1)
    return following + dt.timedelta(days=1) if following.weekday() == _SUNDAY else following


def suggest_receipt_date(sent_on: dt.date, method: str) -> dt.date:
    """The day a cancellation sent on `sent_on` usually reaches the provider (§ 130 Abs. 1 BGB).

    Letters ("post", "einschreiben") arrive on the next delivery day after posting; Deutsche Post
    delivers Monday to Saturday. A letter posted on a Sunday is collected on Monday and arrives on
    Tuesday. Public holidays are ignored, so around holidays the real day can be later; the user is
    told to leave a buffer. Fax and e-mail sent during business hours arrive the same day.
    """
    method = method.lower()
    if method in ("fax", "email"):
        return sent_on
    if method in ("post", "einschreiben"):
        collected = sent_on + dt.timedelta(days=1) if sent_on.weekday() == _SUNDAY else sent_on
        return _next_delivery_day(collected)
    raise ValueError(f"unknown sending method {method!r}; expected one of {', '.join(RECEIPT_METHODS)}")


def receipt_assumption_text(method: str, sent_on: Optional[dt.date] = None) -> str:
    """German sentence naming the assumption behind `suggest_receipt_date`."""
    method = method.lower()
    if method not in RECEIPT_METHODS:
        raise ValueError(f"unknown sending method {method!r}")
    if method in ("fax", "email"):
        kind = "ein Fax" if method == "fax" else "eine E-Mail"
        text = (
            f"Angenommen ist, dass {kind} während der üblichen Geschäftszeiten am selben Tag zugeht "
            "(§ 130 Abs. 1 BGB). Nach Geschäftsschluss gilt in der Regel erst der nächste Werktag."
        )
    else:
        kind = "ein Einwurf-Einschreiben" if method == "einschreiben" else "ein Brief"
        text = (
            f"Angenommen ist, dass {kind} am nächsten Zustelltag nach dem Einwurf in den Briefkasten "
            "zugeht (Zustellung montags bis samstags, § 130 Abs. 1 BGB). Feiertage und Verzögerungen "
            "der Post sind nicht berücksichtigt: Planen Sie einige Tage Puffer ein."
        )
    if sent_on is not None:
        received = suggest_receipt_date(sent_on, method)
        text += f" Versand am {format_date(sent_on)} – voraussichtlicher Zugang am {format_date(received)}."
    return text

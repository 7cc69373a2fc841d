"""Reading "ich habe heute zweimal vergeblich angerufen": how many calls, on which day.

The attempt log stores every call as its own entry; what the user said about the time is kept
as a note, because the exact minute of a call is usually unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from cancellation.clock import GERMAN_TIME
from cancellation.followup import latest_letter
from cancellation.log.records import AttemptRecord
from cancellation.replies import fold
from cancellation.texts import Message, render, say
from cancellation.validation import InvalidInput, parse_past_or_future_date
from cancellation.vocabulary import Language

MAX_CALLS = 20
# A call on an earlier day without a time is logged at noon, local time.
DEFAULT_CALL_HOUR = 12
OUTCOME_UNREACHABLE = "unreachable"

_COUNT_WORDS = {
    "einmal": 1, "zweimal": 2, "dreimal": 3, "viermal": 4, "fuenfmal": 5, "sechsmal": 6,
    "siebenmal": 7, "achtmal": 8, "neunmal": 9, "zehnmal": 10, "zwanzigmal": 20,
    "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10,
}
_COUNT_RE = re.compile(
    r"\b(?P<n>\d{1,4}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + r")\s*(?:-\s*)?(?:x\b|mal\b)"
)
_SEVERAL_RE = re.compile(r"\b(mehrmals|mehrfach|oefter|oft|x-mal|zigmal|staendig|dauernd|immer wieder)\b")
_DAYS_AGO = {"heute": 0, "gestern": 1, "vorgestern": 2}
_WEEKDAYS = {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonntag": 6}
_DAY_RE = re.compile(r"\b(" + "|".join(_DAYS_AGO) + r")\b")
_WEEKDAY_RE = re.compile(r"\b(?:am\s+|letzten\s+)?(" + "|".join(_WEEKDAYS) + r")\b")
SEVERAL = 2  # "mehrmals": at least two calls, and no more is claimed


@dataclass(frozen=True)
class CallReport:
    count: int
    day: dt.date
    day_stated: bool  # False: the user named no day, "today" is assumed
    count_stated: bool  # False: no number given ("mehrmals" counts as two)


def parse_call_report(text: str, today: dt.date) -> CallReport:
    """Count and day of unsuccessful calls; defaults: one call, today. Never a future day."""
    folded = fold(text or "")
    count, count_stated = 1, False
    match = _COUNT_RE.search(folded)
    if match:
        number = match.group("n")
        count = int(number) if number.isdigit() else _COUNT_WORDS[number]
        count_stated = True
    else:
        for word, value in _COUNT_WORDS.items():
            if word.endswith("mal") and re.search(rf"\b{word}\b", folded):
                count, count_stated = value, True
                break
        else:
            if _SEVERAL_RE.search(folded):
                count = SEVERAL
    count = max(1, min(count, MAX_CALLS))

    day, day_stated = today, False
    relative = _DAY_RE.search(folded)
    weekday = _WEEKDAY_RE.search(folded)
    if relative:
        day, day_stated = today - dt.timedelta(days=_DAYS_AGO[relative.group(1)]), True
    elif weekday:
        back = (today.weekday() - _WEEKDAYS[weekday.group(1)]) % 7
        day, day_stated = today - dt.timedelta(days=back), True
    else:
        try:
            stated = parse_past_or_future_date(text, today)
        except InvalidInput:
            stated = None
        if stated is not None and stated <= today:
            day, day_stated = stated, True
    return CallReport(count=count, day=day, day_stated=day_stated, count_stated=count_stated)


def call_times(report: CallReport, now: dt.datetime) -> Tuple[dt.datetime, ...]:
    """One UTC timestamp per call: now for calls today, noon Berlin time for earlier days."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(GERMAN_TIME)
    if report.day >= local_now.date():
        moment = now.astimezone(dt.timezone.utc)
    else:
        noon = dt.datetime.combine(report.day, dt.time(DEFAULT_CALL_HOUR), tzinfo=GERMAN_TIME)
        moment = noon.astimezone(dt.timezone.utc)
    return tuple(moment for _ in range(report.count))


def call_note(report: CallReport, number: int) -> str:
    """The note logged with call `number` (1-based): what the user said, in plain words.

    It is part of the German evidence report, so it is German whatever language the chat uses.
    """
    if report.count_stated:
        how_many = say("utter_hotline_note_count", count=report.count)
    else:
        how_many = say("utter_hotline_note_several" if report.count > 1 else "utter_hotline_note_one")
    note = say("utter_hotline_call_note", number=number, count=report.count, how_many=how_many, day=report.day)
    return render(note, Language.DE)


def calls_summary(report: CallReport, provider: str, references: Tuple[str, ...]) -> Message:
    key = "utter_hotline_calls_logged_one" if report.count == 1 else "utter_hotline_calls_logged"
    return say(key, count=report.count, provider=provider, day=report.day, references=", ".join(references))


# --- calls after a letter ------------------------------------------------------------------------


def _same_provider(record: AttemptRecord, provider: str, provider_key: Optional[str]) -> bool:
    if provider_key and record.provider_key:
        return record.provider_key == provider_key  # "O2", "o2 Telefónica": one directory entry
    compact = "".join(ch for ch in fold(provider) if ch.isalnum())
    return bool(compact) and compact == "".join(ch for ch in fold(record.provider or "") if ch.isalnum())


def letter_to(
    records: Sequence[AttemptRecord], provider: str, provider_key: Optional[str] = None
) -> Optional[AttemptRecord]:
    """The conversation's newest letter to the provider that was called, or None.

    Calls count as "after the letter" only for that provider's letter: a letter to Vodafone says
    nothing about calls to o2, for which a letter is still to be written (hand-test issue 9).
    """
    return latest_letter([record for record in records if _same_provider(record, provider, provider_key)])


def provider_of_the_letters(records: Sequence[AttemptRecord]) -> Optional[AttemptRecord]:
    """The newest letter when all the conversation's letters go to one provider, else None.

    Calls reported without a provider after such a letter ("bei der Hotline angerufen") are calls
    to that provider (hand-test item 4); with letters to several providers the user is asked.
    """
    newest = latest_letter(records)
    if newest is None:
        return None
    letters = [record for record in records if latest_letter([record]) is not None]
    if all(_same_provider(record, newest.provider or "", newest.provider_key) for record in letters):
        return newest
    return None


def empathy_response(
    records: Sequence[AttemptRecord], provider: Optional[str], provider_key: Optional[str], *, asked_provider: bool
) -> Optional[str]:
    """What to say about the calls now, once per report: "no call needed, we write the letter" or
    "no call needed, you have your letter"; None when it was said already or must wait.

    Without the provider it can only be said when the conversation has no letter at all; else it
    waits for the provider's answer (`asked_provider`), which decides which of the two is true.
    """
    any_letter = latest_letter(records) is not None
    if not provider:
        return None if any_letter else "utter_hotline_empathy"
    if asked_provider and not any_letter:
        return None  # said when the calls were reported
    return "utter_hotline_empathy_letter_exists" if letter_to(records, provider, provider_key) else "utter_hotline_empathy"

"""Reading what users say about their contract for the deadline question.

Answers to the deadline form's questions (start, term, notice, kind of contract, how it is sent,
extension) and the facts a first message already gives ("Vertrag seit 15.3.2024, 24 Monate, wann
komme ich raus?"). A vague start is a range, never an obstacle: "März 2024" is every day of March
2024, "seit 2023" every day of 2023, "weiß nicht" is the UNKNOWN marker.

Values are what the slots store: a start is "YYYY-MM-DD", "YYYY-MM-DD/YYYY-MM-DD" (a range) or
UNKNOWN; months are ints or UNKNOWN; the sector is a `Sector` value. Unusable answers raise
`InvalidInput` with a catalogue message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, Optional

from cancellation import examples
from cancellation.posting import SendingMethod
from cancellation.replies import classify_reply, fold, is_unknown_answer
from cancellation.texts import say
from cancellation.validation import InvalidInput, parse_past_or_future_date
from cancellation.vocabulary import ContractType, Marker, Reply, Sector

UNKNOWN = Marker.SKIPPED.value  # "weiß nicht": stored instead of a value
RECEIPT_PREFIX = "receipt:"  # a day of receipt the user knows: "receipt:YYYY-MM-DD"
MAX_TERM_MONTHS = 120
MAX_NOTICE_MONTHS = 24
MAX_EXTENSION_MONTHS = 60
OLDEST_START_YEAR = 1990


# --- the contract start: a day or a range of days -------------------------------------------------


@dataclass(frozen=True)
class StartRange:
    first: dt.date
    last: dt.date

    @property
    def exact(self) -> bool:
        return self.first == self.last

    def days(self) -> Iterator[dt.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += dt.timedelta(days=1)

    def stored(self) -> str:
        return self.first.isoformat() if self.exact else f"{self.first.isoformat()}/{self.last.isoformat()}"

    @classmethod
    def from_stored(cls, value: Any) -> "StartRange":
        if isinstance(value, dt.date):
            return cls(value, value)
        first, _, last = str(value).partition("/")
        start = dt.date.fromisoformat(first)
        return cls(start, dt.date.fromisoformat(last) if last else start)


_MONTH_NAMES = {
    "januar": 1, "jaenner": 1, "january": 1, "jan": 1, "februar": 2, "february": 2, "feb": 2,
    "maerz": 3, "marz": 3, "march": 3, "mrz": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}
_MONTH = r"(?P<month_name>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2}|'?\d{2})"
_DAY_PATTERNS = (
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})\s*[./]\s*(?P<month>\d{1,2})\s*(?:[./]\s*" + _YEAR + r"\b|\.|(?![./]?\d))"),
    re.compile(r"\b(?P<day>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?:of\s+)?" + _MONTH + r"(?:\s*,?\s*" + _YEAR + r"\b)?"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b"),
)
_MONTH_PATTERNS = (
    re.compile(r"(?<![\d.])(?P<month>\d{1,2})\s*[./-]\s*(?P<year>(?:19|20)\d{2})\b(?![./-]\d)"),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})\b(?!-\d)"),
    re.compile(_MONTH + r"\s*,?\s*" + _YEAR + r"\b"),
)
_MONTH_ONLY = re.compile(r"\b" + _MONTH)
_YEAR_ONLY = re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d{2})\b(?![./-]\d)")


def _year(text: Optional[str], today: dt.date) -> Optional[int]:
    if text is None:
        return None
    digits = text.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    short = int(digits)
    return 2000 + short if 2000 + short <= today.year + 1 else 1900 + short


def _month(match: re.Match) -> int:
    named = match.groupdict().get("month_name")
    return _MONTH_NAMES[named] if named else int(match.group("month"))


def _invalid_start(today: dt.date) -> InvalidInput:
    return InvalidInput(say("utter_deadline_invalid_start", **examples.start_examples(today)))


def _checked(first: dt.date, last: dt.date, today: dt.date) -> StartRange:
    if first.year < OLDEST_START_YEAR or last.year > today.year + 1:
        raise _invalid_start(today)
    return StartRange(first, last)


def _latest_month_before(month: int, today: dt.date) -> int:
    """The year of the latest `month` that has begun by `today` ("seit März")."""
    return today.year if month <= today.month else today.year - 1


def find_start(text: str, today: dt.date) -> Optional[StartRange]:
    """The first date, month or year in `text` as a range of start days; None if there is none."""
    folded = fold(text)
    for pattern in _DAY_PATTERNS:
        match = pattern.search(folded)
        if match:
            month, day = _month(match), int(match.group("day"))
            year = _year(match.groupdict().get("year"), today)
            if year is None:
                year = _latest_month_before(month, today)
                if (month, day) > (today.month, today.day) and month == today.month:
                    year -= 1
            try:
                start = dt.date(year, month, day)
            except ValueError:
                raise _invalid_start(today) from None
            return _checked(start, start, today)
    for pattern in _MONTH_PATTERNS:
        match = pattern.search(folded)
        if match:
            return _month_range(_year(match.group("year"), today), _month(match), today)
    match = _MONTH_ONLY.search(folded)
    if match:
        month = _month(match)
        return _month_range(_latest_month_before(month, today), month, today)
    match = _YEAR_ONLY.search(folded)
    if match:
        year = int(match.group("year"))
        return _checked(dt.date(year, 1, 1), dt.date(year, 12, 31), today)
    return None


def _month_range(year: int, month: int, today: dt.date) -> StartRange:
    if not 1 <= month <= 12:
        raise _invalid_start(today)
    return _checked(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), today)


def parse_start(text: str, today: dt.date) -> str:
    """A start day, a range ("März 2024", "03/2024", "2023") or UNKNOWN ("weiß nicht")."""
    if _unknown(text):
        return UNKNOWN
    found = find_start(text, today)
    if found is None:
        try:  # "gestern", "heute" and whatever else the shared date parser reads
            day = parse_past_or_future_date(text, today)
        except InvalidInput:
            raise _invalid_start(today) from None
        found = _checked(day, day, today)
    return found.stored()


_UNKNOWN_RE = re.compile(r"\b(weiss|weis|keine ahnung|unbekannt|unsicher|vergessen|no idea|not sure|dont know|don t know)\b")


def _unknown(text: str) -> bool:
    return is_unknown_answer(text) or bool(_UNKNOWN_RE.search(fold(text).replace("'", " ")))


# --- months: term, notice, extension -----------------------------------------------------------

_NUMBER_WORDS = {
    "null": 0, "kein": 0, "keine": 0, "ein": 1, "einen": 1, "eine": 1, "einem": 1, "zwei": 2,
    "drei": 3, "vier": 4, "sechs": 6, "zwoelf": 12, "achtzehn": 18, "vierundzwanzig": 24,
    "one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "twelve": 12, "eighteen": 18,
    "twenty-four": 24, "twenty four": 24,
}
_AMOUNT = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_MONTHS_RE = re.compile(
    r"\b" + _AMOUNT + r"\s*-?\s*(?:(?:weitere[nms]?|further|more|additional)\s+)?"
    r"(?P<unit>monat\w*|jahr\w*|woche\w*|month\w*|year\w*|week\w*)"
)
# A period said as a word: "jährlich", "jedes Jahr", "halbjährlich", "quartalsweise", "monatlich",
# "yearly". Whole words only: "halbjährlich" is no "jährlich".
_PERIOD_WORDS = {
    12: r"jaehrlich\w*|jede[sn]? jahr|alle zwoelf monate|yearly|annual(?:ly)?|every year|each year|once a year|"
        r"another year",
    6: r"halbjaehrlich\w*|jede[sn]? halbe[ns]? jahr|alle sechs monate|half-?yearly|semi-?annual(?:ly)?|"
       r"every six months|twice a year",
    3: r"vierteljaehrlich\w*|quartalsweise|jede[sn]? quartal|alle drei monate|quarterly|every quarter|"
       r"every three months",
    1: r"monatlich\w*|jede[nm]? monat|monthly|every month|each month|month to month",
}
_PERIOD_WORD_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<every_{months}>{words})" for months, words in _PERIOD_WORDS.items()) + r")\b"
)
# "monatlich kündbar": an indefinite contract with one month's notice, not a period of one month.
_MONTHLY_CANCELLABLE_RE = re.compile(r"\b(?:monatlich|jeden monat)\s+kuendbar|\bcancel+able monthly|\bmonth to month\b")
_BARE_NUMBER_RE = re.compile(r"^\s*(\d{1,3})\s*$")
_NO_TERM_RE = re.compile(
    r"\b(keine|kein|ohne|nein|monatlich\w*|jederzeit|flex\w*|none|no|without|monthly|any time|anytime)\b"
)
_INDEFINITE_RE = re.compile(r"\b(unbefristet|unbestimmte\w*|jederzeit|indefinite\w*|any time)\b")


def _amount(match: re.Match) -> int:
    text = match.group("n")
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def _months(text: str) -> Optional[int]:
    """Months in `text` ("24 Monate", "2 Jahre", "zwölf"); weeks come back negative."""
    folded = fold(text)
    match = _MONTHS_RE.search(folded)
    if match:
        return _months_of(match)
    bare = _BARE_NUMBER_RE.match(folded)
    return int(bare.group(1)) if bare else None


def period_in_words(text: str) -> Optional[int]:
    """The months of the first period said as a word ("jährlich" 12, "quartalsweise" 3), or None."""
    match = _PERIOD_WORD_RE.search(fold(text))
    if match is None:
        return None
    return next(int(name.split("_")[1]) for name, found in match.groupdict().items() if found)


def _months_of(match: re.Match) -> int:
    amount, unit = _amount(match), match.group("unit")
    if unit.startswith(("jahr", "year")):
        return amount * 12
    if unit.startswith(("woche", "week")):
        return -amount  # weeks are reported separately by the callers
    return amount


def parse_term_months(text: str) -> Any:
    """Initial (minimum) term in months; 0 = none; UNKNOWN. "24 Monate", "2 Jahre", "keine",
    "jährlich (kündbar)" 12; "monatlich" is a contract without minimum term (0)."""
    folded = fold(text).replace("'", " ")
    months = _months(text)
    if months is None:
        months = period_in_words(text)
        months = 0 if months == 1 else months  # month to month: no minimum term
    if months is None and _NO_TERM_RE.search(folded) and not _UNKNOWN_RE.search(folded):
        return 0  # "keine" is no term here, not "I don't know"
    if _unknown(text):
        return UNKNOWN
    if months is None or months < 0:
        raise InvalidInput(say("utter_deadline_invalid_term"))
    if months > MAX_TERM_MONTHS:
        raise InvalidInput(say("utter_deadline_invalid_term_too_long", max_months=MAX_TERM_MONTHS))
    return months


def parse_notice_months(text: str) -> Any:
    """Notice period in months, or UNKNOWN for "weiß nicht" (the engine then assumes one and says so)."""
    if _unknown(text):
        return UNKNOWN
    months = _months(text)
    if months is None and period_in_words(text) == 1:
        months = 1  # "monatlich (kündbar)": one month's notice; "jährlich" says no notice period
    if months is not None and months < 0:
        raise InvalidInput(say("utter_deadline_invalid_notice_weeks"))
    if months is None or months > MAX_NOTICE_MONTHS:
        raise InvalidInput(say("utter_deadline_invalid_notice"))
    return months


def parse_extension_months(text: str) -> Any:
    """How long each tacit extension is: months ("jährlich" 12, "quartalsweise" 3, "monatlich" 1), 0 for
    "monatlich kündbar"/indefinite, or UNKNOWN."""
    if _unknown(text):
        return UNKNOWN
    folded = fold(text)
    if _MONTHLY_CANCELLABLE_RE.search(folded) or _INDEFINITE_RE.search(folded):
        return 0
    months = _months(text)
    if months is None:
        months = period_in_words(text)
    if months is None or months < 0 or months > MAX_EXTENSION_MONTHS:
        raise InvalidInput(say("utter_deadline_invalid_extension"))
    return months


# --- the kind of contract ------------------------------------------------------------------------

_SECTOR_PATTERNS = (
    (Sector.INSURANCE, r"versicher\w*|\bpolice\b|insurance|\binsur\w*"),
    (Sector.ENERGY, r"\bstrom\w*|\bgas\b|\bgas\w*|energie\w*|electricity|\benergy\b|\bpower\b"),
    (Sector.TELECOM, r"telekommunikation|telecom\w*|\bhandy\w*|mobilfunk\w*|\binternet\w*|\bv?dsl\b|festnetz\w*|"
                     r"\bkabel\w*|glasfaser\w*|\bmobile?\b|\bphone\b|landline|broadband|\bfibre\b|\bfiber\b"),
    (Sector.OTHER, r"\bander\w*|sonstig\w*|\bother\b|something else|fitness\w*|\bgym\b|streaming|\babo\w*|"
                   r"zeitung\w*|zeitschrift\w*|verein\w*|subscription|newspaper|magazine"),
)


def parse_sector(text: str) -> str:
    folded = fold(text)
    for sector, pattern in _SECTOR_PATTERNS:
        if re.search(pattern, folded):
            return sector.value
    raise InvalidInput(say("utter_deadline_invalid_sector"))


# --- energy: basic supply (Grundversorgung, § 20 StromGVV / GasGVV) or a special contract ---------

_BASIC_SUPPLY_RE = re.compile(r"grundversorg\w*|basic supply|\bbasic\b")
_SPECIAL_CONTRACT_RE = re.compile(r"sondervertrag\w*|sonderkunde\w*|special contract|\bspecial\b|laufzeit|tarifvertrag")


def parse_basic_supply(text: str) -> str:
    """Reply.YES for basic supply, Reply.NO for a special contract, UNKNOWN for "weiß nicht"."""
    if _unknown(text):
        return UNKNOWN
    folded = fold(text)
    if _BASIC_SUPPLY_RE.search(folded):
        return Reply.YES.value
    if _SPECIAL_CONTRACT_RE.search(folded):
        return Reply.NO.value
    reply = classify_reply(text)
    if reply is Reply.UNKNOWN:
        return UNKNOWN
    if reply is not None:
        return reply.value
    raise InvalidInput(say("utter_deadline_invalid_basic_supply"))


def basic_supply_from(value: Any) -> Optional[bool]:
    """A stored answer as True (basic supply), False (special contract) or None (not known)."""
    if value == Reply.YES.value:
        return True
    if value == Reply.NO.value:
        return False
    return None


_TELEVISION = ContractType.TV


def sector_from(contract_type: Optional[str], provider_categories: Iterable[str] = ()) -> Optional[Sector]:
    """The sector from what is already known; None when it has to be asked.

    Pay TV is OTHER on its own but part of a telecom bundle with a telecom provider
    (`cancellation.vocabulary`), so "tv" alone decides nothing.
    """
    kind = ContractType.parse(contract_type)
    categories = [c for c in (ContractType.parse(name) for name in provider_categories) if c is not None]
    if kind is not None and kind is not _TELEVISION:
        return kind.sector
    sectors = {category.sector for category in categories if category is not _TELEVISION}
    if len(sectors) == 1:
        return sectors.pop()
    if kind is _TELEVISION and not sectors and categories:
        return Sector.OTHER
    return None


# --- how the cancellation is sent --------------------------------------------------------------

_SENDING_PATTERNS = (
    (r"einschreiben|registered", SendingMethod.REGISTERED),
    (r"\bfax", SendingMethod.FAX),
    (r"e-?\s*mail|\bmail\b", SendingMethod.EMAIL),
    (r"\bbrief\b|\bpost\b|normal|letter", SendingMethod.POST),
    (r"button|online|portal", SendingMethod.EMAIL),  # arrives at once, like an e-mail
)


def parse_sending(text: str, today: dt.date) -> str:
    """A `SendingMethod` value, or "receipt:YYYY-MM-DD" for a known day of receipt."""
    folded = fold(text)
    for pattern, method in _SENDING_PATTERNS:
        if re.search(pattern, folded):
            return method.value
    try:
        received = parse_past_or_future_date(text, today)
    except InvalidInput:
        raise InvalidInput(say("utter_deadline_invalid_sending", example=examples.receipt_date(today))) from None
    return RECEIPT_PREFIX + received.isoformat()


# --- facts a first message already gives --------------------------------------------------------

_START_TRIGGER = re.compile(
    r"\b(?:seit|vom|beginn\w*|begonnen|angefangen|gestartet|abgeschlossen|geschlossen|"
    r"unterschrieben|since|started|start|signed|from|taken out)\b"
)
# Whole words, so that the distance to an amount is measured from the word's edge.
_NOTICE_WORDS = re.compile(r"\w*frist\w*|vorher|im voraus|vor ablauf|vor ende|notice|in advance|before the end")
_TERM_WORDS = re.compile(r"\w*laufzeit\w*|mindest\w*|\w*bindung|\w*vertrag\w*|term\b|contract|minimum")
_SINCE_BEFORE = re.compile(r"\b(seit|vor|since|for|ago|nach|alle)\s*$")
_TERM_NONE = re.compile(r"\b(?:ohne|keine?)\s+(?:mindest)?(?:vertrags)?laufzeit|monatlich kuendbar|no minimum term")
_WINDOW = 30


def question_facts(text: str, today: dt.date) -> Dict[str, Any]:
    """Start, term and notice stated in a message ("seit 15.3.2024, 24 Monate"): slot name -> value.

    Conservative: a number is a term or a notice period only where the words around it say so or,
    for a term, it is at least six months long; "seit 2 Jahren" is neither.
    """
    facts: Dict[str, Any] = {}
    if not isinstance(text, str) or not text.strip():
        return facts
    folded = fold(text)
    start = _start_in(folded, today)
    if start is not None:
        facts["start"] = start.stored()
    extension, folded = _renewal_in(folded)
    if extension is not None:
        facts["extension"] = extension
    if _TERM_NONE.search(folded):
        facts["term"] = 0
    for match in _MONTHS_RE.finditer(folded):
        before = folded[max(0, match.start() - _WINDOW): match.start()]
        after = folded[match.end(): match.end() + _WINDOW]
        months = _months_of(match)
        if months < 0 or _SINCE_BEFORE.search(before):
            continue
        kind = _kind_of_amount(before, after, months)
        if kind and kind not in facts:
            facts[kind] = months
    return facts


# "verlängert sich jährlich / um ein Jahr", "renews every year": the length of each tacit extension.
_RENEWAL_RE = re.compile(r"\b(?:verlaenger\w*|renew\w*|extend\w*|extension|rolls? over)\b")
_CLAUSE_END_RE = re.compile(r"[,;.!?]|\b(?:und|and|wann|when|aber|but)\b")
# "jährlich kündbar": cancellable at the end of every year, so it runs a year at a time.
_ANY_PERIOD_WORD = r"\b(?:" + "|".join(_PERIOD_WORDS.values()) + r")\b"
_CANCELLABLE_RE = re.compile(_ANY_PERIOD_WORD + r"\s+kuendbar|\bcancel+able\s+" + _ANY_PERIOD_WORD)
# "danach monatlich kündbar": after the term, not instead of one.
_AFTER_TERM_RE = re.compile(r"\b(?:danach|anschliessend|dann|nach ablauf\w*(?:\s+\w+)?|then|after that|afterwards)\s*$")
_RENEWAL_WINDOW = 45


def _renewal_in(folded: str) -> "tuple[Optional[int], str]":
    """The extension period a first message states, and the text with that statement blanked out
    (its amount is neither a term nor a notice period: "12 Monate Laufzeit, verlängert sich um ein
    Jahr, 3 Monate Kündigungsfrist"). None when it states none."""
    found: Optional[int] = None
    spans = []
    for trigger in _RENEWAL_RE.finditer(folded):
        window = folded[trigger.end(): trigger.end() + _RENEWAL_WINDOW]
        clause = window[: m.start()] if (m := _CLAUSE_END_RE.search(window)) else window
        amount = _MONTHS_RE.search(clause)
        months = _months_of(amount) if amount else period_in_words(clause)
        if months is not None and months >= 0:
            found = months if found is None else found
            spans.append((trigger.start(), trigger.end() + len(clause)))
    for cancellable in _CANCELLABLE_RE.finditer(folded):
        months = period_in_words(cancellable.group(0))
        if months == 1 and not _AFTER_TERM_RE.search(folded[: cancellable.start()]):
            continue  # "monatlich kündbar" on its own: no minimum term (_TERM_NONE)
        # "danach monatlich kündbar": indefinite with one month's notice (§ 309 Nr. 9 b BGB)
        found = (0 if months == 1 else months) if found is None else found
        spans.append(cancellable.span())
    for begin, end in spans:
        folded = folded[:begin] + " " * (end - begin) + folded[end:]
    return found, folded


def _start_in(folded: str, today: dt.date) -> Optional[StartRange]:
    for trigger in _START_TRIGGER.finditer(folded):
        snippet = folded[trigger.end(): trigger.end() + 25]
        snippet = re.split(r"[,;!?]|\bund\b|\band\b", snippet)[0]
        try:
            found = find_start(snippet, today)
        except InvalidInput:
            continue
        if found is not None:
            return found
    return None


def _kind_of_amount(before: str, after: str, months: int) -> Optional[str]:
    """ "notice", "term" or None, by the nearest telling word around the amount."""
    candidates = [
        (gap, kind)
        for kind, pattern in (("notice", _NOTICE_WORDS), ("term", _TERM_WORDS))
        for gap in [m.start() for m in pattern.finditer(after)] + [len(before) - m.end() for m in pattern.finditer(before)]
    ]
    if candidates:
        return min(candidates)[1]
    return "term" if months >= 6 else None


def months_or_unknown(value: Any) -> Optional[int]:
    """A stored months value as int; None for UNKNOWN or nothing."""
    if value is None or value == UNKNOWN:
        return None
    return int(value)


def start_of(value: Any) -> Optional[StartRange]:
    if value is None or value == UNKNOWN:
        return None
    return StartRange.from_stored(value)


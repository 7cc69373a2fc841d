"""The facts a special termination rests on: the questions, the answers so far, the context.

An assessor reads facts through `Facts`. A fact nobody has answered yet raises `MissingFact` with
the question to ask, so the questions asked are exactly those the rules need, in the order they
need them (a telecom price rise asks whether the notice met § 57 Abs. 2 TKG only when the
three-month window looks expired).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from cancellation import examples
from cancellation.texts import Message, say
from cancellation.vocabulary import ContractType, Reply, Sector, Vocabulary


class FactKind(Vocabulary):
    DATE = "date"  # stored as an ISO date
    PAST_DATE = "past_date"  # a date that cannot lie in the future (a notice received, a death)
    TEXT = "text"  # stored as typed (whitespace collapsed)
    REPLY = "reply"  # yes / no / don't know: a Reply value
    SECTOR = "sector"  # what kind of contract: a Sector value


@dataclass(frozen=True)
class Question:
    """One fact to ask. The question is the response `utter_ask_special_<key>`."""

    key: str
    kind: FactKind

    @property
    def response(self) -> str:
        return f"utter_ask_special_{self.key}"


class MissingFact(Exception):
    """The rules need a fact nobody has answered yet."""

    def __init__(self, question: Question, params: Mapping[str, Any]) -> None:
        super().__init__(question.key)
        self.question = question
        self.params = dict(params)

    def message(self, today: Optional[dt.date] = None) -> Message:
        """The question; one about a day in the past with an example day from `today`."""
        params = dict(self.params)
        if today is not None and self.question.kind is FactKind.PAST_DATE:
            params.setdefault("example", examples.past_date(today))
        return say(self.question.response, **params)


@dataclass(frozen=True)
class Context:
    """What the assistant knows besides the answers: the day, the letter's receipt, the contract."""

    today: dt.date
    # When a letter posted today is safely received (cancellation.special.latest_receipt).
    received: dt.date
    contract_type: Optional[ContractType] = None
    # From the provider directory when the contract type is unknown and all its categories agree.
    sector: Optional[Sector] = None


@dataclass(frozen=True)
class Facts:
    """Read access to the answers (slot `special_facts`): ISO dates, Reply values, text."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return self.values.get(key) not in (None, "")

    def _value(self, question: Question, params: Mapping[str, Any]) -> Any:
        if not self.has(question.key):
            raise MissingFact(question, params)
        return self.values[question.key]

    def date(self, question: Question, **params: Any) -> dt.date:
        value = self._value(question, params)
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    def text(self, question: Question, **params: Any) -> str:
        return " ".join(str(self._value(question, params)).split())

    def reply(self, question: Question, **params: Any) -> Reply:
        return Reply(self._value(question, params))

    def sector(self, question: Question, **params: Any) -> Sector:
        return Sector(self._value(question, params))

    def optional_text(self, key: str) -> Optional[str]:
        return " ".join(str(self.values[key]).split()) if self.has(key) else None


# --- the questions -------------------------------------------------------------------------------

SECTOR = Question("sector", FactKind.SECTOR)
# Price and contract changes
NOTICE_RECEIVED = Question("notice_received", FactKind.PAST_DATE)
CHANGE_EFFECTIVE = Question("change_effective", FactKind.DATE)
CHANGE_DESCRIPTION = Question("change_description", FactKind.TEXT)
NOTICE_COMPLIANT = Question("notice_compliant", FactKind.REPLY)  # § 57 Abs. 2 TKG
NOTICE_GRANTS_RIGHT = Question("notice_grants_right", FactKind.REPLY)  # contract terms
BASIC_SUPPLY = Question("basic_supply", FactKind.REPLY)  # StromGVV / GasGVV
COVER_UNCHANGED = Question("cover_unchanged", FactKind.REPLY)  # § 40 VVG
HAS_NOTICE_COPY = Question("has_notice_copy", FactKind.REPLY)
# Slow internet
FIXED_LINE = Question("fixed_line", FactKind.REPLY)
MEASURED = Question("measured", FactKind.REPLY)
MEASUREMENT_COMPLETED = Question("measurement_completed", FactKind.PAST_DATE)
DEVIATION_CONFIRMED = Question("deviation_confirmed", FactKind.REPLY)
CONTRACTED_SPEED = Question("contracted_speed", FactKind.TEXT)
# Relocation
MOVE_DATE = Question("move_date", FactKind.DATE)
NEW_ADDRESS = Question("new_address", FactKind.TEXT)
AVAILABLE_AT_NEW_ADDRESS = Question("available_at_new_address", FactKind.REPLY)
HAS_REGISTRATION = Question("has_registration", FactKind.REPLY)
# Death
DECEASED_NAME = Question("deceased_name", FactKind.TEXT)
DATE_OF_DEATH = Question("date_of_death", FactKind.PAST_DATE)
RELATIONSHIP = Question("relationship", FactKind.TEXT)
HAS_DEATH_CERTIFICATE = Question("has_death_certificate", FactKind.REPLY)
# Important reason
REASON = Question("reason", FactKind.TEXT)
KNOWN_SINCE = Question("known_since", FactKind.PAST_DATE)

QUESTIONS = {
    question.key: question
    for question in (
        SECTOR, NOTICE_RECEIVED, CHANGE_EFFECTIVE, CHANGE_DESCRIPTION, NOTICE_COMPLIANT,
        NOTICE_GRANTS_RIGHT, BASIC_SUPPLY, COVER_UNCHANGED, HAS_NOTICE_COPY, FIXED_LINE, MEASURED,
        MEASUREMENT_COMPLETED, DEVIATION_CONFIRMED, CONTRACTED_SPEED, MOVE_DATE, NEW_ADDRESS,
        AVAILABLE_AT_NEW_ADDRESS, HAS_REGISTRATION, DECEASED_NAME, DATE_OF_DEATH, RELATIONSHIP,
        HAS_DEATH_CERTIFICATE, REASON, KNOWN_SINCE,
    )
}
# Facts taken over from the first message, never asked: "ich ziehe ins Ausland".
ABROAD = "abroad"


def provider_sector(categories) -> Optional[Sector]:
    """The sector of a provider's contracts when they all share one. TV from a telecom provider
    (cable, IPTV) counts as telecom (cancellation.vocabulary); pay TV alone (Sky) does not."""
    types = {ContractType.parse(category) for category in categories} - {None}
    sectors = {contract_type.sector for contract_type in types if contract_type is not ContractType.TV}
    if not sectors:
        sectors = {ContractType.TV.sector} if types else set()
    return sectors.pop() if len(sectors) == 1 else None


def sector_of(facts: Facts, context: Context) -> Sector:
    """The body of law for the contract: its type, else the provider, else the user's answer."""
    if context.contract_type is ContractType.TV and context.sector is Sector.TELECOM:
        return Sector.TELECOM
    if context.contract_type is not None:
        return context.contract_type.sector
    if context.sector is not None:
        return context.sector
    return facts.sector(SECTOR)

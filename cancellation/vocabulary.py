"""The shared vocabulary: small `str`-valued enums for what things MEAN.

Sentences live in the text catalogue (`cancellation.texts`); meanings live here. Code decides on
these values, never on the wording of a sentence or a German label, so rewording a text can never
change behaviour. Every enum is a `str` subclass: its members compare equal to, and serialise as,
their stable value, which is what slots, JSON columns and the attempt log store.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional


class Vocabulary(str, Enum):
    """Base: `str(member)` is the stored value (not "Class.MEMBER")."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def parse(cls, value: object) -> "Optional[Vocabulary]":
        """The member for a stored value, or None for None or an unknown value."""
        if value is None:
            return None
        try:
            return cls(value)
        except ValueError:
            return None


class Language(Vocabulary):
    """The language the assistant speaks with a user (letters are always German)."""

    DE = "de"
    EN = "en"


DEFAULT_LANGUAGE = Language.DE


class Sector(Vocabulary):
    """Which body of law governs deadlines and special rights for a contract type."""

    TELECOM = "telecom"  # TKG (§§ 56, 57, 60 TKG)
    ENERGY = "energy"  # EnWG, StromGVV/GasGVV
    INSURANCE = "insurance"  # VVG
    OTHER = "other"  # BGB (§ 309 Nr. 9, § 314 BGB) and the contract terms


class ContractType(Vocabulary):
    MOBILE = "mobile"
    DSL = "dsl"
    CABLE = "cable"
    FIBRE = "fibre"
    INTERNET = "internet"  # "mein Internet": a fixed-line connection whose technology was not named
    LANDLINE = "landline"
    TV = "tv"
    ENERGY = "energy"
    GAS = "gas"
    GYM = "gym"
    STREAMING = "streaming"
    PRESS = "press"
    INSURANCE = "insurance"
    OTHER = "other"

    @property
    def sector(self) -> Sector:
        return _SECTORS.get(self, Sector.OTHER)

    @property
    def is_telecom(self) -> bool:
        return self.sector is Sector.TELECOM

    @property
    def is_fixed_line_internet(self) -> bool:
        """Where § 57 Abs. 4 TKG (slow internet, BNetzA measurement) can apply."""
        return self in (ContractType.DSL, ContractType.CABLE, ContractType.FIBRE, ContractType.INTERNET)

    @property
    def has_phone_number(self) -> bool:
        """Where number porting (§ 59 TKG) makes sense."""
        return self in (ContractType.MOBILE, ContractType.LANDLINE, ContractType.DSL,
                        ContractType.CABLE, ContractType.FIBRE, ContractType.INTERNET)


# TV over cable/IPTV is an electronic communications service in many bundles, but a pure pay-TV
# subscription (Sky) is not: "tv" counts as OTHER unless the provider is a telecom provider.
_SECTORS = {
    ContractType.MOBILE: Sector.TELECOM,
    ContractType.DSL: Sector.TELECOM,
    ContractType.CABLE: Sector.TELECOM,
    ContractType.FIBRE: Sector.TELECOM,
    ContractType.INTERNET: Sector.TELECOM,
    ContractType.LANDLINE: Sector.TELECOM,
    ContractType.ENERGY: Sector.ENERGY,
    ContractType.GAS: Sector.ENERGY,
    ContractType.INSURANCE: Sector.INSURANCE,
}


class SubjectKind(Vocabulary):
    """What one letter cancels."""

    CONTRACT = "contract"
    OPTION = "option"  # a single tariff option / add-on; the contract itself continues


class ChangeOfMind(Vocabulary):
    """A message inside the interview that answers no question but changes what it is about
    (cancellation/change_of_mind.py)."""

    OPTION_ONLY = "option"  # "doch lieber nur die Option"
    WHOLE_CONTRACT = "contract"  # "ach nein, den ganzen Vertrag"
    NO_CANCELLATION = "no_cancellation"  # "doch nicht kündigen"
    CONTRACT_TYPE = "contract_type"  # "doch nicht Strom, ich meine den Gasvertrag"


class SpecialGround(Vocabulary):
    """Grounds for a special (extraordinary) termination."""

    PRICE_CHANGE = "price_change"
    SLOW_INTERNET = "slow_internet"
    RELOCATION = "relocation"
    DEATH = "death"
    IMPORTANT_REASON = "important_reason"


class Extra(Vocabulary):
    """An optional addition to a cancellation letter (cancellation/extras.py decides which fit)."""

    SEPA = "sepa"  # revoke the SEPA direct debit mandate after the final invoice
    ADVERTISING = "advertising"  # object to advertising and win-back contact (Art. 21 DSGVO)
    PORTING = "porting"  # keep the phone number (§ 59 TKG)


class Channel(Vocabulary):
    """Where a message or an attempt came from (also the sender-id namespace prefix)."""

    WEB = "web"
    TELEGRAM = "telegram"
    REST = "rest"
    CLI = "cli"


class AttemptKind(Vocabulary):
    LETTER = "letter"
    REMINDER_LETTER = "reminder_letter"
    HOTLINE_CALL = "hotline_call"


class Status(Vocabulary):
    """Status of an attempt in the log."""

    LETTER_CREATED = "letter_created"
    SENT = "sent"
    CONFIRMED = "confirmed"
    NO_CONFIRMATION = "no_confirmation"
    REMINDER_SENT = "reminder_sent"
    CALL_FAILED = "call_failed"
    CALL_SUCCEEDED = "call_succeeded"


class DispatchState(Vocabulary):
    """Where a letter sent for the user by the print-and-mail service is (docs/DISPATCH.md)."""

    QUEUED = "queued"  # waiting in our queue (also while the service is unreachable)
    SUBMITTED = "submitted"  # handed over to the service: it has a print job id
    POSTED = "posted"  # posted as Einwurf-Einschreiben: the tracking number is known
    CANCELLED = "cancelled"  # the service cancelled the print job
    REJECTED = "rejected"  # the service refused the PDF
    FAILED = "failed"  # given up (letter deleted, retries exhausted)


class DispatchMode(Vocabulary):
    """LetterXpress' own modes: "test" prints nothing."""

    TEST = "test"
    LIVE = "live"


class Marker(Vocabulary):
    """Stored in a slot instead of a value: what the user said when there is no value."""

    SKIPPED = "none"  # optional answer explicitly not given ("hab keine", "weiß nicht")
    ASAP = "asap"  # "zum nächstmöglichen Zeitpunkt"
    CONFIRMED = "yes"  # the summary was confirmed


class Reply(Vocabulary):
    """What a short answer to a yes/no question means."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

"""Plain data describing one letter. Everything the renderer needs, nothing else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Tuple


@dataclass(frozen=True)
class PostalAddress:
    """A postal address as printed in the DIN 5008 address field.

    `lines` are the lines above the street line (name, company, department).
    `street` may be a "Postfach 1234" line or empty (large recipients have their own postcode).
    `country` is set for foreign addresses only: the last line, in capitals (DIN 5008).
    """

    lines: Tuple[str, ...]
    street: str
    postcode: str
    city: str
    country: str = ""

    def printable_lines(self) -> Tuple[str, ...]:
        body = tuple(line for line in self.lines if line)
        if self.street:
            body += (self.street,)
        body += (f"{self.postcode} {self.city}".strip(),)
        return body + ((self.country,) if self.country else ())


@dataclass(frozen=True)
class Statement:
    """One sentence of facts: a clause of letters/clauses.yml (`statements`) and its values."""

    clause: str
    values: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SpecialTermination:
    """An extraordinary cancellation (Sonderkündigung), or the death of the holder.

    Which clauses apply is decided by cancellation.special from the facts the user confirmed; the
    letter only prints them. `terms` names how the contract ends (clauses.yml `special_terms`);
    empty means an ordinary cancellation (the death case: the law gives heirs no special right).
    """

    ground: str  # a cancellation.vocabulary.SpecialGround value
    terms: str = ""
    legal_basis: str = ""  # e.g. "§ 57 Abs. 1 TKG"; empty: no rule is cited
    end: Optional[dt.date] = None  # the end the special termination aims at, if it names one
    preamble: Tuple[Statement, ...] = ()  # its own paragraph before the declaration
    statements: Tuple[Statement, ...] = ()  # after the declaration, in the same paragraph

    @property
    def is_death(self) -> bool:
        return self.ground == "death"


@dataclass(frozen=True)
class EarlierCancellation:
    """A cancellation the user made before and elsewhere (by phone, online, by own letter) that was
    never confirmed: the letter refers to it and cancels again, as a reminder does."""

    on: Optional[dt.date] = None  # None: the user did not say when


# Postal notes for the address field: Deutsche Post's product at home; abroad the Universal Postal
# Union's registered item ("Recommandé"), which every national post offers.
DOMESTIC_REGISTERED = "Einwurf-Einschreiben"
INTERNATIONAL_REGISTERED = "Einschreiben – Recommandé"


@dataclass(frozen=True)
class LetterData:
    reference: str  # e.g. "KB-2026-7F3K9Q", printed in the footer and the information block
    sender: PostalAddress  # lines == (full name,)
    recipient: PostalAddress  # provider's cancellation address
    place: str  # place for "Ort, Datum" (usually the sender's city)
    letter_date: dt.date
    subject_kind: str  # "contract" | "option"
    subject_label: str  # "Mobilfunkvertrag", "DSL-Vertrag", "Mitgliedschaft", or option name
    holder_name: str  # contract holder (the sender, except when the holder died)
    customer_number: Optional[str] = None
    contract_number: Optional[str] = None
    phone_number: Optional[str] = None  # normalised, e.g. "0176 12345678"
    requested_end: Optional[dt.date] = None  # None = "zum nächstmöglichen Zeitpunkt"
    confirmation_email: Optional[str] = None
    postal_note: str = DOMESTIC_REGISTERED  # printed in the address field's note zone
    special: Optional[SpecialTermination] = None
    # Keys of clauses.yml `enclosures` ("death_certificate") or text printed as given.
    enclosures: Tuple[str, ...] = ()
    # optional extras (issue 5)
    revoke_sepa_mandate: bool = False
    object_to_advertising: bool = False
    request_number_porting: bool = False
    date_of_birth: Optional[dt.date] = None
    customer_password: Optional[str] = None  # o2 "Kundenkennzahl" and the like
    # reminder letter (no confirmation received)
    reminder_of: Optional[Tuple[str, dt.date]] = None  # (reference, date of the first letter)
    earlier_cancellation: Optional[EarlierCancellation] = None  # not made with us
    extra_paragraphs: Tuple[str, ...] = field(default=())

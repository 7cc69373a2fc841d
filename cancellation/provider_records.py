"""What the provider directory records about one provider, as plain values.

Parsed from cancellation/providers.yml: postal addresses, where each comes from and how old that
source is, the identification a provider asks for, and hints for the user. Meanings are enums; the
sentences the user reads live in bot/domain/responses/providers.yml.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Optional, Tuple

from letters import PostalAddress

UNDATED = "undated"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# Royal Mail addressing: the post town comes before the postcode.
_POSTCODE_AFTER_TOWN = frozenset({"VEREINIGTES KÖNIGREICH"})


class Identification(str, Enum):
    """What a provider wants to see before it accepts that a cancellation comes from its customer."""

    CUSTOMER_PASSWORD = "customer_password"  # o2's "Kundenkennzahl" (Kundenkennwort)
    DATE_OF_BIRTH = "date_of_birth"
    HANDWRITTEN_SIGNATURE = "handwritten_signature"
    CUSTOMER_NUMBER = "customer_number"  # also member, policy or subscription number
    PHONE_NUMBER = "phone_number"
    # An online account with no customer or contract number (Netflix, Spotify): the e-mail
    # address the account runs under identifies it.
    ACCOUNT_EMAIL = "account_email"


class Hint(str, Enum):
    """Something the user should know about cancelling with one provider (a catalogue text each:
    `utter_provider_hint_<value>`)."""

    CABLE_CUSTOMERS_OTHER_ADDRESS = "cable_customers_other_address"
    PREPAID_DEACTIVATES = "prepaid_deactivates"
    RETURN_RENTAL_EQUIPMENT = "return_rental_equipment"
    CANCEL_AT_HEADQUARTERS = "cancel_at_headquarters"
    NAME_MEMBERSHIP_NUMBER = "name_membership_number"
    NAME_POLICY_NUMBER = "name_policy_number"
    NAME_SUBSCRIPTION_NUMBER = "name_subscription_number"
    NAME_METER_NUMBER = "name_meter_number"
    DIGITAL_SUBSCRIPTION_OTHER_PARTNER = "digital_subscription_other_partner"
    ENERGY_OTHER_PARTNER = "energy_other_partner"
    INSURANCE_ADDRESS_DIFFERS = "insurance_address_differs"


@dataclass(frozen=True)
class SourceDate:
    """The date a source gives itself: a day, a month, a year, or none ("undated")."""

    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None

    @classmethod
    def parse(cls, value: Any) -> "SourceDate":
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        text = str(value).strip()
        if text == UNDATED:
            return cls()
        match = _PARTIAL_DATE.match(text)
        if match is None:
            raise ValueError(f"source_date must be YYYY, YYYY-MM, YYYY-MM-DD or {UNDATED!r}, not {value!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        if day is not None:
            dt.date(year, month, day)  # raises on 2026-02-30
        elif month is not None and not 1 <= month <= 12:
            raise ValueError(f"no month {month} in source_date {value!r}")
        return cls(year, month, day)

    @property
    def undated(self) -> bool:
        return self.year is None

    def shown(self) -> dt.date | str | None:
        """A full date (rendered the way the language writes dates), "04/2021", "2020", or None."""
        if self.year is None:
            return None
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        if self.month is not None:
            return f"{self.month:02d}/{self.year}"
        return str(self.year)


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a short name users can look up, the address, the source's own date."""

    name: str
    url: Optional[str]
    date: SourceDate

    @classmethod
    def parse(cls, raw: dict, where: str) -> "Source":
        name = str(raw.get("source") or "").strip()
        if not name:
            raise ValueError(f"{where}: no source")
        if "source_date" not in raw:
            raise ValueError(f"{where}: no source_date (use {UNDATED!r} for an undated source)")
        return cls(name=name, url=raw.get("source_url"), date=SourceDate.parse(raw["source_date"]))


@dataclass(frozen=True)
class ProviderAddress:
    lines: Tuple[str, ...]
    street: Optional[str]
    postcode: str
    city: str
    country: Optional[str] = None  # foreign addresses only, in capitals as DIN 5008 wants it
    company: Optional[str] = None  # when another company than the provider's receives letters here
    source: Optional[Source] = None  # alternative addresses carry their own source
    # Alternative addresses only: the contract types whose letters go here instead of to the
    # provider's address (EWE: electricity and gas to EWE VERTRIEB); empty: none, shown as a note.
    categories: Tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: Optional[dict], where: str, *, own_source: bool = False) -> Optional["ProviderAddress"]:
        if raw is None:
            return None
        return cls(
            lines=tuple(raw.get("lines") or ()),
            street=raw.get("street"),
            postcode=str(raw["postcode"]),
            city=raw["city"],
            country=raw.get("country"),
            company=raw.get("company"),
            source=Source.parse(raw, where) if own_source else None,
            categories=tuple(raw.get("categories") or ()),
        )

    def postal(self, company: str) -> PostalAddress:
        """The address as printed in the letter's address field, below `company` (unless it names
        its own company)."""
        recipient = self.company or company
        town_first = self.country in _POSTCODE_AFTER_TOWN
        return PostalAddress(
            lines=(recipient, *(line for line in self.lines if line != recipient)),
            street=self.street or "",
            postcode="" if town_first else self.postcode,
            city=f"{self.city} {self.postcode}" if town_first else self.city,
            country=self.country or "",
        )


@dataclass(frozen=True)
class IdentificationRule:
    """The identification a provider asks for: every group must be met, and one item of a group
    meets it ("Kundenkennzahl oder handschriftliche Unterschrift" is one group of two)."""

    groups: Tuple[Tuple[Identification, ...], ...] = ()

    @classmethod
    def parse(cls, raw: Optional[Iterable[Any]], where: str) -> "IdentificationRule":
        groups = []
        for item in raw or ():
            if isinstance(item, dict):
                if set(item) != {"one_of"} or len(item["one_of"]) < 2:
                    raise ValueError(f"{where}: identification groups are written {{one_of: [a, b]}}")
                groups.append(tuple(Identification(value) for value in item["one_of"]))
            else:
                groups.append((Identification(item),))
        return cls(tuple(groups))

    def mentions(self, item: Identification) -> bool:
        return any(item in group for group in self.groups)

    def satisfied_by(self, given: Iterable[Identification]) -> bool:
        given = set(given)
        return all(given.intersection(group) for group in self.groups)

"""What the assistant says about a provider from the directory: where a suggested address comes
from and how old that source is, other addresses in circulation, and hints for cancelling there."""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

from cancellation.provider_records import ProviderAddress, Source
from cancellation.providers import Provider
from cancellation.texts import Message, Renderable, say


def directory_notes(provider: Optional[Provider], *, address_used: bool, contract_type: Optional[str] = None) -> List[Message]:
    """Everything the summary says about a known provider: the notes on its directory address
    when the letter uses it, then the hints."""
    if provider is None:
        return []
    return (address_notes(provider, contract_type) if address_used else []) + provider_hints(provider)


def address_notes(provider: Provider, contract_type: Optional[str] = None) -> List[Message]:
    """Said with a directory address: its source and that source's own date (not the date we
    looked), that the invoice wins, and every other published address with its source (for EWE's
    energy contracts the letter uses the energy company's address, and EWE TEL's is the other)."""
    used = provider.address_for(contract_type)
    if used is None:
        return []
    notes = [
        say(
            "utter_provider_address_source",
            source=provider.source_of(used).name,
            source_date=source_date(provider.source_of(used), provider.checked_on),
        )
    ]
    for other in (provider.address, *provider.alternative_addresses):
        if other is used:
            continue
        notes.append(
            say(
                "utter_provider_alternative_address",
                address=one_line(provider, other),
                source=provider.source_of(other).name,
                source_date=source_date(provider.source_of(other), provider.checked_on),
            )
        )
    return notes


def provider_hints(provider: Provider) -> List[Message]:
    """What to know about cancelling with this provider, whichever address the letter uses."""
    hints = []
    if provider.expects_online_cancellation:
        if provider.online_cancellation_url:
            hints.append(
                say("utter_provider_online_cancellation_at", provider=provider.name, url=provider.online_cancellation_url)
            )
        else:
            hints.append(say("utter_provider_online_cancellation", provider=provider.name))
    hints.extend(say(f"utter_provider_hint_{hint.value}", provider=provider.name) for hint in provider.hints)
    return hints


def source_date(source: Source, checked_on: dt.date) -> Renderable | dt.date:
    """The source's own date; an undated source says so and when we read it."""
    shown = source.date.shown()
    return say("utter_provider_source_undated", checked_on=checked_on) if shown is None else shown


def one_line(provider: Provider, address: ProviderAddress) -> str:
    return ", ".join(address.postal(provider.legal_entity or provider.name).printable_lines())

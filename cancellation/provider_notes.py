"""What the assistant says about a provider from the directory: where a suggested address comes
from and how old that source is, other addresses in circulation, and hints for cancelling there."""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

from cancellation.provider_records import Hint, ProviderAddress, Source
from cancellation.providers import Provider
from cancellation.texts import Message, Renderable, say
from cancellation.vocabulary import SubjectKind


# Hints that ask the user to give a number the letter prints: said only while none is given.
_NUMBER_HINTS = frozenset(
    {Hint.NAME_MEMBERSHIP_NUMBER, Hint.NAME_POLICY_NUMBER, Hint.NAME_SUBSCRIPTION_NUMBER}
)
# Hints asking for something the letter has no place for (LetterData has no meter number): a
# summary must not ask for what the user cannot give (hand-test item 10).
_NOT_IN_THE_LETTER = frozenset({Hint.NAME_METER_NUMBER})
# Hints about the end of the whole contract: cancelling one option (the Sky Sport package) leaves
# the contract, and the rented receiver and smartcard, in use (hand-test item 14).
_CONTRACT_END_HINTS = frozenset({Hint.RETURN_RENTAL_EQUIPMENT, Hint.PREPAID_DEACTIVATES})


def directory_notes(
    provider: Optional[Provider],
    *,
    address_used: bool,
    contract_type: Optional[str] = None,
    number_given: bool = False,
    subject_kind: Optional[str] = None,
) -> List[Message]:
    """Everything the summary says about a known provider: the notes on its directory address
    when the letter uses it, then the hints. `number_given`: a customer or contract number is
    in the letter, so no hint asks for one again. For an option only the hints that fit one."""
    if provider is None:
        return []
    skipped = _NOT_IN_THE_LETTER | (_NUMBER_HINTS if number_given else frozenset())
    if SubjectKind.parse(subject_kind) is SubjectKind.OPTION:
        skipped |= _CONTRACT_END_HINTS
    hints = provider_hints(provider, skip=skipped)
    return (address_notes(provider, contract_type) if address_used else []) + hints


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


def provider_hints(provider: Provider, skip: frozenset = frozenset()) -> List[Message]:
    """What to know about cancelling with this provider, whichever address the letter uses
    (except the hints in `skip`)."""
    hints = []
    if provider.expects_online_cancellation:
        if provider.online_cancellation_url:
            hints.append(
                say("utter_provider_online_cancellation_at", provider=provider.name, url=provider.online_cancellation_url)
            )
        else:
            hints.append(say("utter_provider_online_cancellation", provider=provider.name))
    hints.extend(
        say(f"utter_provider_hint_{hint.value}", provider=provider.name) for hint in provider.hints if hint not in skip
    )
    return hints


def source_date(source: Source, checked_on: dt.date) -> Renderable | dt.date:
    """The source's own date; an undated source says so and when we read it."""
    shown = source.date.shown()
    return say("utter_provider_source_undated", checked_on=checked_on) if shown is None else shown


def one_line(provider: Provider, address: ProviderAddress) -> str:
    return ", ".join(address.postal(provider.legal_entity or provider.name).printable_lines())

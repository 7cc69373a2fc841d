"""May the letter go by the print service? Only where no handwritten signature can be needed.

The service prints our PDF: no signature, no enclosures. So it is never offered when

| case | why | source |
|---|---|---|
| contract concluded before 1 October 2016 (or maybe: the start is unknown or straddles it) | the terms may validly require Schriftform (§ 126 BGB: signed by hand); only for contracts concluded from 1 October 2016 on may terms ask for no more than Textform | § 309 Nr. 13 BGB, Art. 229 § 37 EGBGB; ../shared/LEGAL.md "Form" |
| the provider asks for an identification the user could not give, with a handwritten signature as the only alternative (o2: Kundenkennzahl or signature) | the letter would be refused without it | cancellation/providers.yml `identification` |
| the special termination needs enclosures (death certificate, proof of the move) | the service sends only the letter | cancellation/special/ |
| a recipient abroad | we order national shipping only | LetterXpress specification `shipping: national` |

Pure: answers in, a verdict with its reason (a catalogue message) out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from cancellation.provider_records import Identification, IdentificationRule
from cancellation.texts import Message, say
from cancellation.vocabulary import Vocabulary

# From this day on, terms may not require more than Textform for a notice (§ 309 Nr. 13 BGB).
TEXT_FORM_CONTRACTS_FROM = dt.date(2016, 10, 1)

# Interview answers that meet an identification item of a provider.
_GIVEN_BY_ANSWER = {
    "customer_password": Identification.CUSTOMER_PASSWORD,
    "date_of_birth": Identification.DATE_OF_BIRTH,
    "customer_number": Identification.CUSTOMER_NUMBER,
    "phone_number": Identification.PHONE_NUMBER,
    "email": Identification.ACCOUNT_EMAIL,
}
_NOT_GIVEN = (None, "", "none")


class Concluded(Vocabulary):
    """When the contract was concluded, as far as we know, relative to 1 October 2016."""

    BEFORE = "before"
    FROM = "from"  # on or after 1 October 2016
    UNKNOWN = "unknown"


def concluded_from(first: Optional[dt.date], last: Optional[dt.date]) -> Concluded:
    """From a conclusion (or start) date range: the first and last day it may have been."""
    if last is not None and last < TEXT_FORM_CONTRACTS_FROM:
        return Concluded.BEFORE
    if first is not None and first >= TEXT_FORM_CONTRACTS_FROM:
        return Concluded.FROM
    return Concluded.UNKNOWN


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: Optional[Message] = None
    # True when only the conclusion date is missing: ask the user before deciding.
    ask_concluded: bool = False


def given_identification(answers: Mapping[str, Any]) -> set:
    return {item for name, item in _GIVEN_BY_ANSWER.items() if answers.get(name) not in _NOT_GIVEN}


def verdict(answers: Mapping[str, Any], *, identification: IdentificationRule,
            provider_name: str, concluded: Concluded, recipient_abroad: bool,
            enclosures: Iterable[str] = ()) -> Verdict:
    if recipient_abroad:
        return Verdict(False, say("utter_dispatch_not_offered_abroad"))
    if tuple(enclosures):
        return Verdict(False, say("utter_dispatch_not_offered_enclosures"))
    if identification.groups and not identification.satisfied_by(given_identification(answers)):
        return Verdict(False, say("utter_dispatch_not_offered_signature", provider=provider_name))
    if concluded is Concluded.BEFORE:
        return Verdict(False, say("utter_dispatch_not_offered_old_contract"))
    if concluded is Concluded.UNKNOWN:
        return Verdict(False, ask_concluded=True)
    return Verdict(True)

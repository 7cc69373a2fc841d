"""Turn the interview's answers into the letter's data (no Rasa, no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Optional, Tuple

from letters import LetterData, PostalAddress
from letters.model import DOMESTIC_REGISTERED, INTERNATIONAL_REGISTERED

from cancellation.countries import printed
from cancellation.earlier_cancellation import earlier_cancellation
from cancellation.extras import ADVERTISING, PORTING, SEPA, fitting_extras
from cancellation.interview import ASAP, SKIPPED
from cancellation.providers import Provider
from cancellation.special import from_slot
from cancellation.summary import recipient_lines, subject_text


def _given(value: Any) -> Optional[str]:
    return None if value in (None, "", SKIPPED) else str(value)


def _answered(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())  # a skipped optional answer (SKIPPED) is an answer
    return value is not None  # no extras ([]) is an answer too


def missing_answers(answers: Mapping[str, Any], fields: Iterable[str]) -> Tuple[str, ...]:
    """Which of the interview's `fields` (cancellation.interview.required_fields) have no answer,
    in order. A letter is written only when this is empty: otherwise it would carry empty fields
    (issue 8, docs/SECURITY_REVIEW.md)."""
    return tuple(field for field in fields if not _answered(answers.get(field)))


def requested_end(answers: Mapping[str, Any]) -> Optional[dt.date]:
    value = answers.get("end_date")
    return None if not value or value == ASAP else dt.date.fromisoformat(value)


def recipient_address(answers: Mapping[str, Any], provider: Optional[Provider]) -> PostalAddress:
    address = None if provider is None else provider.address_for(answers.get("contract_type"))
    if not answers.get("provider_address") and address is not None:
        return address.postal(provider.legal_entity or provider.name)
    lines = recipient_lines(answers, provider)
    postcode, _, city = lines[-1].partition(" ")
    *head, street = lines[:-1] if len(lines) > 2 else (lines[0], "")
    return PostalAddress(lines=tuple(head), street=street, postcode=postcode, city=city)


def build_letter_data(
    answers: Mapping[str, Any], provider: Optional[Provider], *, reference: str, today: dt.date
) -> LetterData:
    name = str(answers["full_name"])
    city = str(answers["city"])
    special = answers.get("special_termination") or {}
    # Only extras that fit this letter: no SEPA revocation or porting for a single option.
    extras = set(fitting_extras(answers.get("extras"), answers.get("subject_kind"), answers.get("contract_type")))
    # Only when the holder died does the holder differ from the sender (a relative writes).
    holder = str(special.get("holder_name") or "").strip() or name
    country = printed(answers.get("country"))
    return LetterData(
        reference=reference,
        sender=PostalAddress(
            lines=(name,), street=str(answers["street"]), postcode=str(answers["postcode"]), city=city,
            country=country,
        ),
        # Posted abroad: Deutsche Post's Einwurf-Einschreiben does not exist there (cancellation.advice).
        postal_note=INTERNATIONAL_REGISTERED if country else DOMESTIC_REGISTERED,
        recipient=recipient_address(answers, provider),
        place=city,
        letter_date=today,
        subject_kind="option" if answers.get("subject_kind") == "option" else "contract",
        subject_label=str(answers.get("option_name") or "") if answers.get("subject_kind") == "option" else subject_text(answers),
        holder_name=holder,
        customer_number=_given(answers.get("customer_number")),
        contract_number=_given(answers.get("contract_number")),
        phone_number=_given(answers.get("phone_number")),
        requested_end=requested_end(answers),
        confirmation_email=_given(answers.get("email")),
        special=from_slot(special),
        enclosures=tuple(str(item) for item in special.get("enclosures") or ()),
        revoke_sepa_mandate=SEPA in extras,
        object_to_advertising=ADVERTISING in extras,
        request_number_porting=PORTING in extras,
        customer_password=_given(answers.get("customer_password")),
        date_of_birth=dt.date.fromisoformat(birth) if (birth := _given(answers.get("date_of_birth"))) else None,
        earlier_cancellation=earlier_cancellation(answers),
    )


def personal_data(answers: Mapping[str, Any]) -> dict:
    """What the attempt log stores once, deletable on request."""
    # With what a reminder needs to repeat the first letter: the special termination (it holds
    # personal facts too: a new address, a deceased relative) and the option's name.
    keys = (
        "full_name", "street", "postcode", "city", "country", "email", "customer_number", "phone_number",
        "contract_number", "provider_address", "customer_password", "date_of_birth", "special_termination",
        "option_name",
    )
    return {key: answers[key] for key in keys if _given(answers.get(key)) is not None}

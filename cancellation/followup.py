"""After the letter: waiting for the confirmation, the reminder letter, escalation and sending advice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any, List, Mapping, Optional, Sequence

from letters import LetterData

from cancellation.advice import sending_advice
from cancellation.extraction import CONTRACT_TYPE_LABELS
from cancellation.deadlines import add_months
from cancellation.interview import ASAP
from cancellation.letter_request import build_letter_data
from cancellation.log.records import AttemptRecord
from cancellation.provider_records import Identification
from cancellation.providers import Provider
from cancellation.replies import fold
from cancellation.special.facts import provider_sector
from cancellation.texts import Message, Renderable, language_of, say
from cancellation.validation import InvalidInput, parse_past_or_future_date
from cancellation.vocabulary import AttemptKind, ContractType, Language, Sector, SubjectKind

# A provider should confirm promptly; after two weeks a reminder is reasonable (letters.wording
# asks for the confirmation within 14 days in a reminder too).
REMINDER_AFTER_DAYS = 14


def _sector(contract_type: Optional[str], provider: Optional[Provider]) -> Optional[Sector]:
    parsed = ContractType.parse(contract_type)
    if parsed is not None:
        return parsed.sector
    return provider_sector(provider.categories) if provider else None


def _asks_identification(provider: Optional[Provider]) -> bool:
    return provider is not None and any(
        provider.identification.mentions(item)
        for item in (Identification.CUSTOMER_PASSWORD, Identification.HANDWRITTEN_SIGNATURE)
    )


def _advice(provider: Optional[Provider], contract_type: Optional[str], sender_abroad: bool) -> Sequence[Message]:
    return sending_advice(
        provider_has_button=provider.has_cancellation_button if provider else None,
        accepts_fax=bool(provider and provider.fax),
        accepts_email=bool(provider and provider.email),
        concluded_after_2016=None,
        sector=_sector(contract_type, provider),
        sender_abroad=sender_abroad,
        identification_of=provider.name if provider is not None and _asks_identification(provider) else None,
    )


def how_to_send(
    provider: Optional[Provider],
    contract_type: Optional[str] = None,
    sender_abroad: bool = False,
    letter: Optional[AttemptRecord] = None,
) -> List[Message]:
    """The answer to "reicht eine E-Mail?" / "muss ich das per Einschreiben schicken?"; after a
    letter, for that letter (hand-test item 13)."""
    if letter is not None:
        intro = say("utter_how_to_send_intro_letter", reference=letter.reference, provider=letter.provider or "–")
    elif provider:
        intro = say("utter_how_to_send_intro_provider", provider=provider.name)
    else:
        intro = say("utter_how_to_send_intro")
    answer = [intro, *_advice(provider, contract_type, sender_abroad)]
    if provider is not None and provider.fax:
        answer.append(say("utter_how_to_send_fax_number", provider=provider.name, fax=provider.fax))
    return answer


def next_steps(
    provider: Optional[Provider], contract_type: Optional[str] = None, sender_abroad: bool = False,
) -> List[Message]:
    """What to do with the letter, with the provider's own channels where the directory knows them.
    `sender_abroad`: the sender's address is outside Germany (answer `country`)."""
    advice = _advice(provider, contract_type, sender_abroad)
    steps = [
        # Keeping the receipt and a copy is part of the registered-mail advice (said once).
        say("utter_followup_print_and_sign"), *advice, say("utter_followup_confirmation_expected"),
    ]
    if provider is not None and provider.fax:
        steps.append(say("utter_followup_fax_number", fax=provider.fax))
    numbered = [say("utter_followup_step", number=number, text=step) for number, step in enumerate(steps, 1)]
    return [say("utter_followup_next_steps"), *numbered]


def latest_letter(records: Sequence[AttemptRecord], reference: Optional[str] = None) -> Optional[AttemptRecord]:
    """The newest first letter (not a reminder, not a call) that still has its data."""
    letters = [
        record for record in records
        if record.kind == AttemptKind.LETTER and not record.forgotten
        and (reference is None or record.reference == reference)
    ]
    return max(letters, key=lambda record: record.created_at) if letters else None


def reminder_of(records: Sequence[AttemptRecord], letter: AttemptRecord) -> Optional[AttemptRecord]:
    reminders = [
        record for record in records
        if record.kind == AttemptKind.REMINDER_LETTER and record.related_reference == letter.reference
    ]
    return max(reminders, key=lambda record: record.created_at) if reminders else None


def reminder_due_on(letter: AttemptRecord) -> dt.date:
    return letter.created_at.date() + dt.timedelta(days=REMINDER_AFTER_DAYS)


def waiting_message(letter: AttemptRecord) -> Message:
    return say(
        "utter_followup_waiting",
        reference=letter.reference, letter_date=letter.created_at.date(), due=reminder_due_on(letter),
    )


# Letters written before cable internet got its own label carry the old one.
_TYPE_OF_LABEL = {
    "Kabelanschluss-Vertrag": ContractType.CABLE,
    **{label: ContractType(key) for key, label in CONTRACT_TYPE_LABELS.items()},
}


def stored_contract_type(letter: AttemptRecord) -> Optional[ContractType]:
    """The type stored on the attempt; for older attempts the one their label names, if any."""
    if letter.contract_type is not None:  # stored on the attempt since migration 0003
        return ContractType(letter.contract_type)
    return _TYPE_OF_LABEL.get(letter.subject or "")


def is_telecom(letter: AttemptRecord, provider: Optional[Provider]) -> bool:
    """A telecom contract: the type stored on the attempt; for older attempts their label, else the provider."""
    if letter.contract_type is not None:
        return ContractType(letter.contract_type).is_telecom
    contract_type = stored_contract_type(letter)
    if contract_type is not None and contract_type is not ContractType.OTHER:
        return contract_type.is_telecom
    return _sector(None, provider) is Sector.TELECOM


def letter_subject(letter: AttemptRecord, language: Optional[Language | str] = None) -> Renderable:
    """What a logged letter cancels, for a reader in `language`. A German reader gets the letter's
    subject line as stored ("Mobilfunkvertrag", "Option „Sky Sport“"). The letter is always German:
    an English reader gets the description the summary gave from the same facts ("mobile contract
    (Mobilfunkvertrag)", "the option “Sky Sport”"), and where the stored line is not one of those
    (older or unusual letters) the German line marked as the letter's subject line."""
    subject = letter.subject or "–"
    if language_of(language) is not Language.EN:
        return subject
    option = _option_name(subject)
    if letter.subject_kind == SubjectKind.OPTION and option:
        return say("utter_summary_subject_option", option=option)
    kind = stored_contract_type(letter)
    if letter.subject_kind != SubjectKind.OPTION and kind is not None and CONTRACT_TYPE_LABELS[kind.value] == subject:
        return say(f"utter_summary_subject_{kind.value}")
    return say("utter_letter_subject_line", subject=subject)


def escalation_advice(telecom: bool) -> List[Message]:
    advice = [say("utter_escalation_registered_mail"), say("utter_escalation_consumer_centre")]
    if telecom:
        advice.append(say("utter_escalation_arbitration"))  # § 68 TKG
    # SEPA core scheme: a direct debit can be returned within eight weeks without reasons; that
    # does not settle whether the money is owed.
    advice.append(say("utter_escalation_chargeback"))
    return [say("utter_followup_escalation"), *(say("utter_followup_bullet", text=line) for line in advice)]


_AGO_UNITS = {"tag": 1, "tage": 1, "tagen": 1, "woche": 7, "wochen": 7, "monat": 30, "monaten": 30,
              "day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
_AGO_NUMBERS = {"ein": 1, "einem": 1, "einer": 1, "a": 1, "one": 1, "zwei": 2, "two": 2, "drei": 3, "three": 3,
                "vier": 4, "four": 4, "fuenf": 5, "five": 5, "sechs": 6, "six": 6}
_AGO = re.compile(
    r"\bvor\s+(?P<n>\d{1,3}|" + "|".join(_AGO_NUMBERS) + r")\s+(?P<unit>tag(?:en?)?|wochen?|monat(?:en)?)\b"
    r"|\b(?P<n_en>\d{1,3}|a|one|two|three|four|five|six)\s+(?P<unit_en>days?|weeks?|months?)\s+ago\b"
)


def earlier_cancellation_day(text: str, today: dt.date) -> Optional[dt.date]:
    """When a cancellation made elsewhere was made: "vor 3 Wochen", "vor einem Monat", "am 10.11.";
    None when the message does not say or names a day to come."""
    folded = fold(text or "")
    match = _AGO.search(folded)
    if match:
        number = match["n"] or match["n_en"]
        count = int(number) if number.isdigit() else _AGO_NUMBERS[number]
        unit = match["unit"] or match["unit_en"]
        if unit.startswith(("monat", "month")):
            return add_months(today, -count)
        return today - dt.timedelta(days=count * _AGO_UNITS[unit])
    try:
        day = parse_past_or_future_date(text, today)
    except InvalidInput:
        return None
    return day if day <= today else None


def earlier_cancellation_slot(text: str, today: dt.date, provider_key: Optional[str],
                              provider: Optional[str]) -> dict:
    """What the letter needs of a cancellation made elsewhere (letter_request.earlier_cancellation)."""
    day = earlier_cancellation_day(text, today)
    return {"on": day.isoformat() if day else None, "provider_key": provider_key, "provider": provider}


# The last message carries the offer's buttons (a new letter).
ELSEWHERE_OFFER = "utter_followup_elsewhere_offer"


def help_for_a_cancellation_made_elsewhere() -> List[Message]:
    """No confirmation for a cancellation this conversation has no letter of (by phone, online, by
    the user's own letter; hand-test item 10): what the law says and the safe next step.

    Sources (LEGAL.md, "Form and proof"): receipt makes a cancellation effective and must be proven
    (§ 130 Abs. 1 BGB), a confirmation is not needed for it; after the cancellation button the business
    confirms at once in Textform (§ 312k BGB); a phone "Kündigungsvormerkung" is no cancellation
    (Verbraucherzentralen Bayern, NRW); Einwurf-Einschreiben as proof of receipt.
    """
    return [
        say("utter_followup_elsewhere_effect"),
        say("utter_followup_bullet", text=say("utter_followup_elsewhere_button")),
        say("utter_followup_bullet", text=say("utter_followup_elsewhere_phone")),
        say(ELSEWHERE_OFFER),
    ]


def _option_name(subject: str) -> Optional[str]:
    match = re.match(r"^Option „(.*)“$", subject)
    return match.group(1) if match else None


def reminder_letter_data(
    letter: AttemptRecord,
    personal: Mapping[str, Any],
    provider: Optional[Provider],
    *,
    reference: str,
    today: dt.date,
) -> LetterData:
    """The reminder repeats the first letter from its logged record and personal data: the same
    ground, enclosures and holder (they are part of the personal data, letter_request.personal_data)."""
    option = personal.get("option_name") or _option_name(letter.subject)
    is_option = letter.subject_kind == SubjectKind.OPTION
    answers = {
        **personal,
        "provider": letter.provider,
        "subject_kind": letter.subject_kind,
        "option_name": option if is_option else None,
        "end_date": letter.requested_end or ASAP,
    }
    data = build_letter_data(answers, provider, reference=reference, today=today)
    label = option if is_option and option else letter.subject
    return dataclasses.replace(
        data, subject_label=label, reminder_of=(letter.reference, letter.created_at.date())
    )


def confirmation_message(
    letter: AttemptRecord, confirmed_end: Optional[dt.date], language: Optional[Language | str] = None
) -> List[Message]:
    where = dict(reference=letter.reference, subject=letter_subject(letter, language), provider=letter.provider)
    said = [say("utter_followup_confirmed_on", end=confirmed_end, **where) if confirmed_end
            else say("utter_followup_confirmed", **where)]
    if confirmed_end and letter.requested_end and letter.requested_end != ASAP:
        wanted = dt.date.fromisoformat(letter.requested_end)
        if confirmed_end > wanted:
            said.append(say("utter_followup_confirmed_later", wanted=wanted))
    said.append(say("utter_followup_keep_confirmation"))
    return said

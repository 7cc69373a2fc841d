"""What a (German) letter says, for a user who chats in another language.

The letter always goes to a German company and stays German (letters/clauses.yml). A user who
chats in English gets, after the download link, a short explanation of its content in their
language, built from the same `LetterData` the PDF is rendered from, so it cannot say
something the letter does not.
"""

from __future__ import annotations

from typing import List

from letters import LetterData

from cancellation.texts import Message, say


def explain_letter(data: LetterData) -> List[Message]:
    recipient = data.recipient.lines[0] if data.recipient.lines else ""
    lines: List[Message] = [say("utter_letter_explained_intro")]
    if data.special is not None and data.special.is_death:
        lines.append(say("utter_letter_explained_death", holder=data.holder_name))
    elif data.special is not None and data.special.terms:
        lines.append(say("utter_letter_explained_special"))
    earlier = data.earlier_cancellation
    if earlier is not None:
        on = say("utter_letter_explained_earlier_on", day=earlier.on) if earlier.on else ""
        lines.append(say("utter_letter_explained_earlier", on=on))
    if data.subject_kind == "option":
        lines.append(say("utter_letter_explained_option", option=data.subject_label, recipient=recipient))
    else:
        lines.append(say("utter_letter_explained_contract", subject=data.subject_label, recipient=recipient))
    if data.requested_end is not None:
        lines.append(say("utter_letter_explained_end_date", end=data.requested_end))
    else:
        lines.append(say("utter_letter_explained_end_asap"))
    numbers = [number for number in (data.customer_number, data.contract_number, data.phone_number) if number]
    if numbers:
        lines.append(say("utter_letter_explained_numbers", numbers=", ".join(numbers)))
    if data.revoke_sepa_mandate:
        lines.append(say("utter_letter_explained_sepa"))
    if data.request_number_porting:
        lines.append(say("utter_letter_explained_porting"))
    if data.object_to_advertising:
        lines.append(say("utter_letter_explained_advertising"))
    lines.append(say("utter_letter_explained_confirmation"))
    if data.confirmation_email:
        lines.append(say("utter_letter_explained_email", email=data.confirmation_email))
    if data.enclosures:
        lines.append(say("utter_letter_explained_enclosures", count=len(data.enclosures)))
    return lines

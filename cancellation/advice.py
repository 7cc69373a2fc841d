"""How to send the letter so that its receipt can be proven (LEGAL.md "Form and proof").

Pure: returns catalogue Messages (bot/domain/responses/followup.yml), strongest proof first.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from cancellation.texts import Message, say
from cancellation.vocabulary import Sector


def sending_advice(
    provider_has_button: Optional[bool],
    accepts_fax: bool,
    accepts_email: bool,
    concluded_after_2016: Optional[bool],
    sector: Optional[Sector] = None,
    sender_abroad: bool = False,
    identification_of: Optional[str] = None,
) -> Tuple[Message, ...]:
    """How to send the letter.

    `concluded_after_2016`: contract concluded after 30.09.2016 (§ 309 Nr. 13 BGB, Art. 229 § 37
    EGBGB); None when unknown. `provider_has_button`: None when unknown. `sector`: insurance is a
    financial service, for which § 312k BGB (the cancellation button) does not apply.
    `sender_abroad`: the letter is posted outside Germany, where Deutsche Post's
    Einwurf-Einschreiben does not exist: an international registered letter with advice of
    delivery (UPU "Recommandé" / "Avis de réception") is the proof there.
    `identification_of`: the name of a provider whose own rules ask for a customer password or a
    handwritten signature (o2's Kundenkennzahl, providers.yml); said once, as practical advice next
    to the legal form, so that no sentence calls the signature a must (hand-test item 13).
    """
    advice: List[Message] = []
    if concluded_after_2016 is True:
        advice.append(say("utter_advice_textform"))
    elif concluded_after_2016 is False:
        advice.append(say("utter_advice_signed_letter"))
    else:
        advice.append(say("utter_advice_textform_if_after_2016"))
    if identification_of:
        # LEGAL.md "Form and proof": standard terms may not require more than text form
        # (§ 309 Nr. 13 b BGB); the provider's rule only decides how fast it matches the letter.
        advice.append(say("utter_advice_provider_identification", provider=identification_of))
    advice.append(say("utter_advice_registered_mail_abroad" if sender_abroad else "utter_advice_registered_mail"))
    if sector is not Sector.INSURANCE:
        # § 312k BGB; without a compliant button the consumer may cancel at any time without
        # notice (§ 312k Abs. 6 BGB).
        if provider_has_button is True:
            advice.append(say("utter_advice_button"))
        else:
            advice.append(say("utter_advice_button_missing"))
    if accepts_fax:
        advice.append(say("utter_advice_fax"))
    if accepts_email:
        advice.append(say("utter_advice_email"))
    advice.append(say("utter_advice_no_call_needed"))
    return tuple(advice)

"""Optional additions to a letter, and identification some providers require."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable, Optional, Tuple

from cancellation.interview import fold
from cancellation.provider_records import Identification, IdentificationRule
from cancellation.replies import classify_reply
from cancellation.texts import Message, say
from cancellation.validation import InvalidInput, is_skip_answer, parse_past_or_future_date
from cancellation.vocabulary import ContractType, Extra, Reply, SubjectKind

SEPA = Extra.SEPA
ADVERTISING = Extra.ADVERTISING
PORTING = Extra.PORTING
ALL_EXTRAS = (SEPA, ADVERTISING, PORTING)

EXTRA_LABELS = {
    SEPA: "Lastschriftmandat nach der Schlussrechnung widerrufen",
    ADVERTISING: "Werbung und Rückgewinnungsanrufe untersagen",
    PORTING: "Rufnummer mitnehmen (Portierung)",
}

_PATTERNS = (
    (SEPA, r"sepa|lastschrift|einzug|abbuch|mandat|direct debit"),
    (ADVERTISING, r"werb|anruf|rueckgewinn|kontakt|dsgvo|widersprech|widerspruch|advertis|marketing|calls?\b"),
    (PORTING, r"rufnummer|nummer mitnehmen|mitnahme|portier|behalten|\bport|keep my number"),
)
_NOTHING = re.compile(
    r"^(nichts( davon)?|nix|keins?|keine( davon| extras?)?|ohne( extras)?|nein( danke)?|weiter|"
    r"none( of (these|them))?|nothing|no( thanks?)?)$"
)
_ALL = re.compile(r"\balle(s)?\b|alle drei|\ball\b|all three|both|beide")
_MAX_PASSWORD_CHARS = 40


# Which extras fit which letter (../shared/LEGAL.md "Letter contents", "Number porting"):
# - a single option ends while the contract runs on and is still paid by direct debit, and the
#   number stays with the contract: neither the SEPA revocation nor porting fits;
# - porting (§ 59 TKG) only where the contract has a phone number (mobile, landline and the
#   internet connections that come with one);
# - the objection to advertising and win-back contact (Art. 21 DSGVO) fits every letter.
def offered_extras(subject_kind: Any, contract_type: Any) -> Tuple[Extra, ...]:
    """The extras the letter may contain, in the order the question names them."""
    if SubjectKind.parse(subject_kind) is SubjectKind.OPTION:
        return (ADVERTISING,)
    kind = ContractType.parse(contract_type)
    if kind is not None and kind.has_phone_number:
        return (SEPA, ADVERTISING, PORTING)
    return (SEPA, ADVERTISING)


def fitting_extras(extras: Optional[Iterable[Any]], subject_kind: Any, contract_type: Any) -> Tuple[Extra, ...]:
    """The chosen extras that still fit (the user may change the subject after choosing)."""
    offered = offered_extras(subject_kind, contract_type)
    chosen = {Extra.parse(extra) for extra in extras or ()}
    return tuple(extra for extra in offered if extra in chosen)


# The question and the "I did not understand" message for each set of offered extras.
_QUESTIONS = {
    (SEPA, ADVERTISING, PORTING): ("utter_ask_extras", "utter_invalid_extras"),
    (SEPA, ADVERTISING): ("utter_ask_extras_without_porting", "utter_invalid_extras_without_porting"),
    (ADVERTISING,): ("utter_ask_extras_option", "utter_invalid_extras_option"),
}


def extras_question(offered: Tuple[Extra, ...]) -> Message:
    return say(_QUESTIONS[tuple(offered)][0])


def parse_extras(text: str, offered: Tuple[Extra, ...] = ALL_EXTRAS) -> Tuple[Extra, ...]:
    """ "Lastschrift widerrufen und Rufnummer mitnehmen" -> (SEPA, PORTING); "nein" -> ().

    Only `offered` extras are taken; asking only for one that does not fit is explained.
    """
    offered = tuple(offered)
    folded = " ".join(fold(str(text)).split()).strip(" .!")
    if _ALL.search(folded):
        return offered
    chosen = tuple(extra for extra, pattern in _PATTERNS if re.search(pattern, folded))
    if chosen:
        fitting = tuple(extra for extra in offered if extra in chosen)
        if not fitting:
            raise InvalidInput(
                say("utter_extras_option_keeps_running" if offered == (ADVERTISING,) else "utter_extras_no_phone_number")
            )
        return fitting
    reply = classify_reply(str(text))
    if _NOTHING.match(folded) or is_skip_answer(str(text)) or reply in (Reply.NO, Reply.UNKNOWN):
        return ()
    if reply is Reply.YES and len(offered) == 1:
        return offered
    raise InvalidInput(say(_QUESTIONS[offered][1]))


def extras_text(extras: Optional[Iterable[str]]) -> str:
    chosen = [EXTRA_LABELS[kind] for extra in extras or () if (kind := Extra.parse(extra)) in EXTRA_LABELS]
    return "; ".join(chosen) if chosen else "keine"


def parse_customer_password(text: str) -> Optional[str]:
    """The o2 "Kundenkennzahl" (a customer password); None when the user does not know it."""
    if is_skip_answer(str(text)):
        return None
    password = " ".join(str(text).split())
    password = re.sub(r"^(meine )?kunden\s*kennzahl( ist|:)?\s*", "", password, flags=re.IGNORECASE)
    if not password or len(password) > _MAX_PASSWORD_CHARS:
        raise InvalidInput(
            f"Die Kundenkennzahl ist meist eine kurze Zahl oder ein Wort (höchstens {_MAX_PASSWORD_CHARS} Zeichen), "
            "zum Beispiel 1234. Wenn Sie sie nicht wissen, schreiben Sie „weiß ich nicht“."
        )
    return password


# The identification the interview asks for. The rest needs no extra question: customer and phone
# number are asked anyway, and the user signs the printed letter by hand. When the password is one
# of several ways ("Kundenkennzahl oder Unterschrift"), "weiß ich nicht" leaves the signature.
_ASKED_IDENTIFICATION = (Identification.CUSTOMER_PASSWORD, Identification.DATE_OF_BIRTH)


def identification_questions(rule: IdentificationRule) -> Tuple[str, ...]:
    """The interview fields for the identification a provider asks for (providers.yml)."""
    return tuple(item.value for item in _ASKED_IDENTIFICATION if rule.mentions(item))


def parse_date_of_birth(text: str, today: date) -> date:
    born = parse_past_or_future_date(text, today)
    age = (today - born).days // 365
    if born >= today or not 14 <= age <= 120:
        raise InvalidInput("Bitte nennen Sie Ihr Geburtsdatum, zum Beispiel 24.12.1980.")
    return born

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
    (PORTING, r"rufnummer|nummer mitnehmen|mitnahme|portier|behalten|\bport|keep my (phone )?number"),
)
_NOTHING = re.compile(
    r"^(nichts( davon)?|nix|keins?|keine( davon| extras?)?|ohne( extras)?|nein( danke)?|weiter|"
    r"none( of (these|them|this))?|nothing( else)?|no( thanks?| thank you)?|neither)$"
)
_ALL = re.compile(r"\balle(s)?\b|alle drei|\ball\b|all three")
# "beides" / "both" means all only when two are offered; of three it names no two.
_BOTH = re.compile(r"\bboth\b|\bbeide[sn]?\b")
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
    if _BOTH.search(folded) and not chosen:
        if len(offered) <= 2:
            return offered
        raise InvalidInput(say("utter_extras_which_two"))
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


_PASSWORD_LABEL_RE = re.compile(
    r"^(?:(?:meine|die|my)\s+)?(?:kunden\s*-?\s*(?:kennzahl|kennwort|passwort)|kennzahl|kennwort|passwort|"
    r"customer password|password|pin)\s*(?:ist|lautet|is)?\s*[:=]?\s*",
    re.IGNORECASE,
)


def parse_customer_password(text: str) -> Optional[str]:
    """The o2 "Kundenkennzahl" (a customer password); None when the user does not know it.

    A password is one token ("4711", "Sonne77"): "hab ich nicht" after the field's name is no
    password, and a sentence is asked again rather than printed in the letter.
    """
    if is_skip_answer(str(text)):
        return None
    password = " ".join(str(text).split())
    password = _PASSWORD_LABEL_RE.sub("", password).strip(" .,;„“\"'")
    if password and is_skip_answer(password):
        return None
    if not password or len(password) > _MAX_PASSWORD_CHARS:
        raise InvalidInput(say("utter_invalid_customer_password_length", max_chars=_MAX_PASSWORD_CHARS))
    if " " in password:
        raise InvalidInput(say("utter_invalid_customer_password_spaces"))
    return password


# The identification the interview asks for. The rest needs no extra question: customer and phone
# number are asked anyway, and the user signs the printed letter by hand. When the password is one
# of several ways ("Kundenkennzahl oder Unterschrift"), "weiß ich nicht" leaves the signature.
_ASKED_IDENTIFICATION = (Identification.CUSTOMER_PASSWORD, Identification.DATE_OF_BIRTH)


def identification_questions(rule: IdentificationRule) -> Tuple[str, ...]:
    """The interview fields for the identification a provider asks for (providers.yml)."""
    return tuple(item.value for item in _ASKED_IDENTIFICATION if rule.mentions(item))


# Identification needs a real person's birthday: in the past, of someone old enough to hold a
# contract of their own (14 covers prepaid and gym contracts of teenagers) and not older than 120.
MIN_AGE_YEARS = 14
MAX_AGE_YEARS = 120


def parse_date_of_birth(text: str, today: date) -> Optional[date]:
    """The date of birth; None when the user does not know or give it (it is then not printed)."""
    if is_skip_answer(str(text)):
        return None
    try:
        born = parse_past_or_future_date(text, today, max_years_back=2 * MAX_AGE_YEARS)
    except InvalidInput:
        raise InvalidInput(say("utter_invalid_date_of_birth")) from None
    if born >= today:
        raise InvalidInput(say("utter_invalid_date_of_birth_future"))
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if not MIN_AGE_YEARS <= age <= MAX_AGE_YEARS:
        raise InvalidInput(say("utter_invalid_date_of_birth_age"))
    return born

"""Optional additions to a letter, and identification some providers require."""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Optional, Tuple

from cancellation.interview import fold
from cancellation.provider_records import Identification, IdentificationRule
from cancellation.validation import InvalidInput, is_skip_answer, parse_past_or_future_date

SEPA = "sepa"
ADVERTISING = "advertising"
PORTING = "porting"
ALL_EXTRAS = (SEPA, ADVERTISING, PORTING)

EXTRA_LABELS = {
    SEPA: "Lastschriftmandat nach der Schlussrechnung widerrufen",
    ADVERTISING: "Werbung und Rückgewinnungsanrufe untersagen",
    PORTING: "Rufnummer mitnehmen (Portierung)",
}

_PATTERNS = (
    (SEPA, r"sepa|lastschrift|einzug|abbuch|mandat"),
    (ADVERTISING, r"werb|anruf|rueckgewinn|kontakt|dsgvo|widersprech|widerspruch"),
    (PORTING, r"rufnummer|nummer mitnehmen|mitnahme|portier|behalten"),
)
_NOTHING = re.compile(r"^(nichts( davon)?|nix|keins?|keine( davon| extras?)?|ohne( extras)?|nein( danke)?|weiter)$")
_ALL = re.compile(r"\balle(s)?\b|alle drei")
_MAX_PASSWORD_CHARS = 40


def parse_extras(text: str) -> Tuple[str, ...]:
    """ "Lastschrift widerrufen und Rufnummer mitnehmen" -> ("sepa", "porting"); "nein" -> ()."""
    folded = " ".join(fold(str(text)).split()).strip(" .!")
    if _NOTHING.match(folded) or is_skip_answer(str(text)):
        return ()
    if _ALL.search(folded):
        return ALL_EXTRAS
    chosen = tuple(extra for extra, pattern in _PATTERNS if re.search(pattern, folded))
    if not chosen:
        raise InvalidInput(
            "Das habe ich nicht zuordnen können. Schreiben Sie zum Beispiel „Lastschrift widerrufen“, "
            "„Werbung untersagen“, „Rufnummer mitnehmen“, „alle“ oder „nein“."
        )
    return chosen


def extras_text(extras: Optional[Iterable[str]]) -> str:
    chosen = [EXTRA_LABELS[extra] for extra in extras or () if extra in EXTRA_LABELS]
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

"""The cancellation interview: which answers a letter needs, and how users name them.

Pure functions over a plain mapping of answers (slot name -> value), so the question plan,
"zurück" and "die Postleitzahl ist falsch" can be tested without Rasa.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Mapping, Optional, Sequence, Tuple

from cancellation.texts import Message, say
from cancellation.vocabulary import ContractType

# Sentinel stored for an optional answer the user explicitly skipped ("weiß ich nicht", "keine").
SKIPPED = "none"
# Stored for "zum nächstmöglichen Zeitpunkt".
ASAP = "asap"
CONFIRMED = "yes"

ADDRESS_FIELDS = ("street", "postcode", "city")

def field_label(name: str) -> Message:
    """The name of an interview question's field, as the user sees it (catalogue: utter_field_*)."""
    return say(f"utter_field_{name}")


def required_fields(
    answers: Mapping[str, Any],
    *,
    provider_has_address: bool,
    identification: Sequence[str] = (),
    by_account_email: bool = False,
) -> Tuple[str, ...]:
    """The questions to ask, in order, given what is known so far.

    `identification`: what the provider requires besides the numbers (e.g. o2's Kundenkennzahl).
    `by_account_email`: the provider knows its customers by their account's e-mail address and
    has no customer number (Netflix): the number question asks for that address instead.
    """
    fields = ["subject_kind", "provider"]
    if answers.get("provider") and not provider_has_address:
        fields.append("provider_address")
    if answers.get("subject_kind") == "option":
        fields.append("option_name")
    else:
        fields.append("contract_type")
    numbers = ["contract_reference"] if by_account_email else ["customer_number", "contract_reference"]
    fields += ["full_name", *ADDRESS_FIELDS, *numbers, *identification]
    fields += ["end_date", "extras", "email", "summary_confirmed"]
    return tuple(fields)


def previous_field(
    fields: Sequence[str],
    current: Optional[str],
    answers: Mapping[str, Any],
    answered_with: Optional[Mapping[str, str]] = None,
) -> Optional[str]:
    """The question to go back to for "zurück": the last answered question before `current`.

    `answered_with` maps an answer that came along with another question's answer to that
    question ("Am Markt 2, 04109 Leipzig" at the address question fills postcode and city):
    such a field was never asked, so going back means going back to the question that was."""
    along = answered_with or {}
    index = fields.index(current) if current in fields else len(fields)
    for name in reversed(fields[:index]):
        if answers.get(name) is not None:
            return along.get(name, name)
    return None


def answered_along(answered_with: Optional[Mapping[str, str]], asked: str) -> Tuple[str, ...]:
    """The fields that were filled with the answer to `asked` (cleared with it on "zurück")."""
    return tuple(name for name, question in (answered_with or {}).items() if question == asked)


def record_answer(answered_with: Optional[Mapping[str, str]], asked: str, filled: Sequence[str]) -> dict:
    """`answered_with` after the answer to `asked` filled `filled`: the other fields now came
    with `asked`; `asked` itself was asked, whatever filled it before."""
    record = {name: question for name, question in (answered_with or {}).items()
              if name != asked and name not in filled}
    record.update({name: asked for name in filled if name != asked})
    return record


def fold(text: str) -> str:
    """Lower-case, umlauts spelled out, accents removed: "Straße" -> "strasse", "Ü" -> "ue"."""
    text = text.lower().replace("ß", "ss")
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(umlaut, spelled)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Ordered: more specific phrases first ("anbieteradresse" before "adresse", "kundennummer"
# before "nummer").
_FIELD_PATTERNS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (r"anbieter\w*\s*(adresse|anschrift)|(adresse|anschrift) (des|vom) anbieters?|empfaenger"
     r"|provider'?s? address|address of the provider", ("provider_address",)),
    (r"kundenkennzahl|kennwort|password|customer (code|pin)", ("customer_password",)),
    (r"geburtsdatum|geburtstag|date of birth|birthday", ("date_of_birth",)),
    (r"zusaetze|extras|lastschrift|werbung|mitnehm|portier|direct debit|advertising|porting", ("extras",)),
    (r"kunden\s*-?\s*(nummer|nr)|kd\.?\s*-?\s*nr|customer (number|no)", ("customer_number",)),
    (r"vertrags\s*-?\s*(nummer|nr)|rufnummer|handynummer|telefonnummer|mobilnummer|\bnummer\b"
     r"|contract (number|no)|(phone|mobile|membership) number|\bnumber\b", ("contract_reference",)),
    (r"postleitzahl|\bplz\b|post\s?code|\bzip\b", ("postcode",)),
    (r"e-?\s*mail|\bmail\b", ("email",)),
    (r"hausnummer|strasse|\bstr\b|\bstreet\b|house number", ("street",)),
    (r"adresse|anschrift|wohnsitz|\baddress\b", ADDRESS_FIELDS),
    (r"\bort\b|\bstadt\b|wohnort|\bcity\b|\btown\b", ("city",)),
    (r"vertragsart|art des vertrags|vertragstyp|type of contract|contract type", ("contract_type",)),
    (r"\boption\b|\bpaket\b|\badd-?on\b|\bpackage\b", ("option_name",)),
    (r"anbieter|provider|\bfirma\b|unternehmen|\bcompany\b", ("provider",)),
    (r"datum|termin|zeitpunkt|kuendigungsdatum|vertragsende|\bende\b|end date|\bdate\b", ("end_date",)),
    (r"\bname\b|\bnamen\b|vorname|nachname|familienname|surname", ("full_name",)),
)

# Words that make a named field a correction ("die PLZ ist falsch", "change my address").
_CORRECTION_RE = re.compile(
    r"falsch|aender|korrigier|stimmt nicht|vertipp|tippfehler|\bwrong\b|\bchange\b|\bcorrect\b|"
    r"\bfix\b|mistake|typo|misspel|incorrect|\bedit\b"
)


def correction_named_in(text: str) -> Tuple[str, ...]:
    """The answers a message asks to correct ("the postcode is wrong"), or () when it names no
    field or says nothing about changing it (then it is an answer like any other)."""
    fields = fields_named_in(text)
    return fields if fields and _CORRECTION_RE.search(fold(text)) else ()


# The new value said with a correction: "die PLZ stimmt nicht, es ist 50677", "Anbieter falsch,
# richtig ist Nordkurier", "the postcode is wrong, it's 50677", "Name falsch: Klaus Peters".
_CORRECTED_VALUE_RE = re.compile(
    r"(?:\b(?:es|sie|er)\s+(?:ist|lautet|hei(?:ß|ss)t)|\bsondern|\b(?:richtig|korrekt)\s+(?:ist|w(?:ä|ae)re|lautet)|"
    r"\bstattdessen|\bit'?s|\bit\s+is|\bshould\s+be|\b(?:right|correct)\s+one\s+is|\binstead)"
    r"(?:\s+(?:richtig|korrekt|eigentlich|aber|correctly|actually))?\s*:?\s+(?P<value>\S.*)$"
    r"|^[^:]*(?:falsch|wrong|stimmt nicht)\s*:\s*(?P<after_colon>\S.*)$",
    re.IGNORECASE,
)


def corrected_value(text: str) -> Optional[Tuple[str, str]]:
    """(field, new value as typed) for a correction that names one answer and its new value, or None.

    The whole address counts as one answer here (its street question takes a whole address)."""
    named = correction_named_in(text)
    if named == ADDRESS_FIELDS:
        named = ("street",)
    if len(named) != 1:
        return None
    match = _CORRECTED_VALUE_RE.search(text)
    if match is None:
        return None
    value = (match.group("value") or match.group("after_colon") or "").strip(" .!,;")
    if not value or _CORRECTION_RE.search(fold(value)):
        return None  # "es ist falsch" says nothing new
    return named[0], value


def fields_named_in(text: str) -> Tuple[str, ...]:
    """Which answer(s) a correction like "die Postleitzahl ist falsch" refers to; () if none."""
    folded = fold(text)
    for pattern, fields in _FIELD_PATTERNS:
        if re.search(pattern, folded):
            return fields
    return ()


_TERM_PATTERNS: Tuple[Tuple[str, str], ...] = (
    (r"kundenkennzahl|kennwort|kundenkennwort", "customer_password"),
    (r"kunden\s*-?\s*(nummer|nr)", "customer_number"),
    (r"vertrags\s*-?\s*(nummer|nr)", "contract_number"),
    (r"einschreiben", "registered_mail"),
    (r"naechstmoeglich|naechst moeglich|naechstmoegliche", "asap"),
    (r"button|knopf", "button"),
    (r"verschick|versend|schicken|senden|abschicken", "sending"),
)


def reference_numbers(contract_type: Any) -> Tuple[Message, str]:
    """The numbers that identify a contract of this kind besides the customer number, and an
    example: a phone number only where there is one (a gym has a membership number, an insurance
    a policy number); an unknown kind keeps the phone number."""
    kind = ContractType.parse(contract_type)
    if kind is None or kind.has_phone_number:
        return say("utter_reference_numbers_phone"), "0176 12345678"
    if kind is ContractType.GYM:
        return say("utter_reference_numbers_membership"), "M-123456"
    if kind is ContractType.INSURANCE:
        return say("utter_reference_numbers_policy"), "123/456-7"
    return say("utter_reference_numbers_contract"), "V-2024-123456"


def term_named_in(text: str) -> Optional[str]:
    """The term a question like "was ist eine Kundennummer?" asks about, if one is known."""
    folded = fold(text)
    for pattern, term in _TERM_PATTERNS:
        if re.search(pattern, folded):
            return term
    return None


_YES = re.compile(r"^(ja|jo|jep|jawohl|genau|passt|stimmt( so)?|korrekt|richtig|ok(ay)?|alles (richtig|korrekt|gut)|ja,? .*)$")


def is_confirmation(text: str) -> bool:
    return bool(_YES.match(fold(text).strip(" .!")))

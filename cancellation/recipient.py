"""Answers about who receives the letter: a company not in the directory and its address."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from cancellation.texts import say
from cancellation.validation import InvalidInput, require_company_name

MAX_COMPANY_CHARS = 120
# "1&1": a company's name without a letter.
_DIGITS_AND_DIGITS = re.compile(r"[0-9]+\s*[&+]\s*[0-9]+")
_POSTCODE_CITY = re.compile(r"(?<!\d)(\d{5})\s+([^\n,;]+)")


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


_LEGAL_FORM = re.compile(
    r"\b(?:gmbh|ag|kg|ohg|gbr|ug|se|e\.\s?v|e\.\s?k|mbh|co|kgaa|ltd|limited|inc|llc|b\.\s?v|s\.\s?a|plc|"
    r"stadtwerke|versicherung\w*|bank|sparkasse)\b",
    re.IGNORECASE,
)


def _compact(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _names_company(segment: str, company: Optional[str]) -> bool:
    """A line that is a company name: it contains the provider's name or a legal form."""
    if company and _compact(company) and _compact(company) in _compact(segment):
        return True
    return bool(_LEGAL_FORM.search(segment))


# "der Nordkurier", "bei der Lokalzeitung X", "beim Y", "the Z": said about the company, not its name.
# Lowercase only: "Die Techniker" is a company's name.
_LEADING_ARTICLE_RE = re.compile(r"^(?:(?:bei|beim|von|vom|with|at)\s+)?(?:(?:der|die|das|dem|den|the)\s+)?(?=\S)")


def parse_company_name(text: str) -> str:
    """A provider that is not in the directory, as the user wrote it."""
    name = " ".join(str(text).split())
    name = _LEADING_ARTICLE_RE.sub("", name, count=1) if name[:1].islower() else name
    if any(ch in name for ch in "[]<>{}"):
        raise InvalidInput(say("utter_invalid_company_markup"))
    require_company_name(name)  # "Hauptstraße 1", "12345", "weiß nicht": no company
    name = name.rstrip(" ?") if "?" in name else name  # "Stadtwerke X?" (unsure) names it all the same
    if not name or not (_has_letter(name) or _DIGITS_AND_DIGITS.fullmatch(name)):
        raise InvalidInput(say("utter_invalid_company_missing"))
    if len(name) > MAX_COMPANY_CHARS:
        raise InvalidInput(say("utter_invalid_company_too_long", max_chars=MAX_COMPANY_CHARS))
    return name


def parse_recipient_address(text: str, *, company: Optional[str]) -> Dict[str, object]:
    """ "Musterfirma GmbH, Postfach 12 34, 12345 Musterstadt" -> lines, street, postcode, city.

    The street line may be a "Postfach"; companies often have none ("Kundenservice, 53171 Bonn").
    """
    raw = str(text)
    if len(raw) > 500:
        raise InvalidInput(say("utter_invalid_address_too_long"))
    match = _POSTCODE_CITY.search(raw)
    if match is None or not _has_letter(match.group(2)):
        raise InvalidInput(say("utter_invalid_address_incomplete"))
    before = re.split(r"[\n,;]+", raw[: match.start()])
    segments: List[str] = [" ".join(part.split()) for part in before if part.strip()]
    street = segments.pop() if segments else ""
    # The address is used as typed. Only when it names no company ("Kundenservice, Hauptstr. 1,
    # ...") does the provider's name go in front; never twice ("Studio X, Studio X GmbH, ...").
    names_company = any(_names_company(segment, company) for segment in segments)
    lines = segments if names_company or not company else [company, *segments]
    return {
        "lines": lines[:3],
        "street": street,
        "postcode": match.group(1),
        "city": " ".join(match.group(2).split()),
    }

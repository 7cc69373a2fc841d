"""Answers about what is cancelled: the kind of contract, or the name of an option."""

from __future__ import annotations

from cancellation.texts import say
from cancellation.validation import InvalidInput

MAX_OPTION_CHARS = 100


def parse_contract_type(text: str) -> str:
    """Fallback when no known contract type was recognised: any plausible answer means "other"."""
    cleaned = " ".join(str(text).split())
    if not any(ch.isalpha() for ch in cleaned):
        raise InvalidInput(say("utter_invalid_contract_type"))
    return "other"


def parse_option_name(text: str) -> str:
    name = " ".join(str(text).split()).strip("„“\"' ")
    if not name or not any(ch.isalpha() for ch in name):
        raise InvalidInput(say("utter_invalid_option_missing"))
    if len(name) > MAX_OPTION_CHARS:
        raise InvalidInput(say("utter_invalid_option_too_long", max_chars=MAX_OPTION_CHARS))
    return name


_OPTION_WORDS = ("option", "paket", "zusatz", "einzeln", "nur ")
_CONTRACT_WORDS = ("vertrag", "ganz", "alles", "komplett", "mitgliedschaft", "abo")


def parse_subject_kind(text: str) -> str:
    """ "ganzer Vertrag" -> "contract", "nur eine Option" -> "option"."""
    folded = " ".join(str(text).lower().split()) + " "
    is_option = any(word in folded for word in _OPTION_WORDS)
    is_contract = any(word in folded for word in _CONTRACT_WORDS)
    if is_option and not folded.startswith(("ganz", "den ganz", "der ganz")):
        return "option"
    if is_contract:
        return "contract"
    raise InvalidInput(say("utter_invalid_subject_kind"))

"""Parse and validate single answers a user types into the chat.

Every parser takes the raw text and returns a clean value or raises
`InvalidInput` with a short German message (addressing the user as "Sie") that
says what is wrong and gives an example. No other exception may escape: the
dialogue shows `.message` to the user verbatim.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

import phonenumbers

from cancellation import examples
from cancellation.countries import FOREIGN_POSTCODE, foreign_postcode, is_foreign, split_country
from cancellation.replies import classify_reply, gives_no_value, whole_reply
from cancellation.texts import Message, say
from cancellation.vocabulary import Reply

MAX_ANSWER_CHARS = 500
MAX_NAME_CHARS = 200
MAX_ADDRESS_CHARS = 300
MAX_END_DATE_YEARS_AHEAD = 10



def end_date_example(today: date) -> Message:
    """ "31.03.2027 oder „nächstmöglich“": an end date a few months ahead of `today`."""
    return say("utter_example_end_date", example=examples.end_date(today))


class InvalidInput(ValueError):
    """An answer that cannot be used; `message` is shown to the user.

    `message` is a catalogue `Message` (rendered in the user's language) or, for older parsers,
    a German sentence.
    """

    def __init__(self, message: "str | Message") -> None:
        super().__init__(message if isinstance(message, str) else message.key)
        self.message = message


@dataclass(frozen=True)
class AddressParts:
    street: str | None
    postcode: str | None
    city: str | None
    country: str | None = None  # the German name of a country abroad (cancellation/countries.py)


@dataclass(frozen=True)
class ContractReference:
    phone_number: str | None
    contract_number: str | None


# --------------------------------------------------------------------------
# shared text helpers


def _empty(example: "str | Message | date") -> InvalidInput:
    return InvalidInput(say("utter_invalid_empty", example=example))


def _too_long(example: "str | Message | date") -> InvalidInput:
    return InvalidInput(say("utter_invalid_too_long", example=example))


def _require_text(text: object, max_chars: int, example: "str | Message | date") -> str:
    """NFC-normalise, drop control characters, trim; raise on empty/too long."""
    if not isinstance(text, str):
        raise _empty(example)
    # Control characters (including NUL) are never part of a real answer and
    # would break the PDF and the database; format characters (ZWJ) are kept.
    cleaned = "".join(
        " " if ch in "\t\r\n\v\f" else ch
        for ch in unicodedata.normalize("NFC", text)
        if ch in "\t\r\n\v\f" or unicodedata.category(ch) != "Cc"
    )
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise _empty(example)
    if len(cleaned) > max_chars:
        raise _too_long(example)
    return cleaned


def _keep_lines(text: object, max_chars: int, example: str) -> list[str]:
    """Like `_require_text` but keeps line breaks (for multi-line addresses)."""
    if not isinstance(text, str):
        raise _empty(example)
    if len(text) > max_chars * 4:
        raise _too_long(example)
    lines = []
    for raw_line in unicodedata.normalize("NFC", text).splitlines():
        line = "".join(ch for ch in raw_line if unicodedata.category(ch) != "Cc")
        line = " ".join(line.split())
        if line:
            lines.append(line)
    if not lines:
        raise _empty(example)
    if sum(len(line) for line in lines) > max_chars:
        raise _too_long(example)
    return lines


def fold(text: str) -> str:
    """Lower-case, spell umlauts out and drop accents, for keyword matching."""
    lowered = text.casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        lowered = lowered.replace(umlaut, spelled)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)




# --------------------------------------------------------------------------
# skip answers

# "nicht" and "weiß" as typed quickly or said colloquially ("weis ich nich", "hab ich net").
_NOT = r"(?:nicht|nich|net|nit|ned)"
_KNOW = r"weiss?"

_SKIP_PATTERNS = [
    r"nein( danke)?",
    r"ne+",
    r"noe",
    r"kein(e|en|s)?( (nummer|ahnung|angabe|e-?mail|mail))?",
    r"ohne( (nummer|e-?mail|mail))?",
    rf"(ich )?{_KNOW} (ich )?(es |die nummer |das )?{_NOT}",
    rf"(ich )?{_KNOW} {_NOT}( genau)?",
    r"keine ahnung",
    r"kein plan",
    rf"(das |die )?(hab|habe) ich (leider )?({_NOT}|keine)( zur hand| parat| da)?",
    rf"(ich )?(hab|habe) (leider )?(keine|keinen|sie {_NOT}|die {_NOT}|{_NOT})( zur hand| parat| da)?",
    r"(bitte )?ueberspringen( bitte)?",
    r"skip",
    r"weiter",
    r"nicht (vorhanden|bekannt|zur hand)",
    r"unbekannt",
    r"k\.? ?a\.?",
    r"n/?a",
    r"gibt es nicht",
    r"brauche? ich nicht",
    r"moechte ich nicht (angeben)?",
    r"lieber nicht",
    # English
    r"no( thanks?| thank you)?", r"nope", r"none", r"no idea", r"not sure", r"unknown", r"dunno", r"idk",
    r"(i )?(do not|don t|dont) (know|have (it|one|that|any))( at hand)?",
    r"without( (e-?mail|number))?", r"no (e-?mail|number)", r"(i d )?rather not",
]
_SKIP_RE = re.compile(r"^(?:" + "|".join(_SKIP_PATTERNS) + r")$")


# The question's own field named before the answer: "Kundenkennwort hab ich nicht",
# "die Kundennummer weiß ich nicht", "E-Mail: keine", "my password I don't know".
_FIELD_NAMED_RE = re.compile(
    r"^(?:(?:die|meine|eine|den|das|ne|my|the|a)\s+)?"
    r"(?:kunden\s*-?\s*(?:nummer|nr|kennzahl|kennwort|passwort|id)|kd\s*-?\s*nr|kennzahl|kennwort|passwort|pin|"
    r"vertrags\s*-?\s*(?:nummer|nr)|rufnummer|handynummer|telefonnummer|nummer|e-?\s*mail(?:\s*-?\s*adresse)?|"
    r"mail|geburtsdatum|customer number|contract number|password|e-?mail address|number)"
    r"(?:\s+(?:ist|lautet|is))?\s+"
)


def _skip_words(folded: str) -> bool:
    return bool(_SKIP_RE.match(folded)) or gives_no_value(folded)


def is_skip_answer(text: str) -> bool:
    """True for answers meaning "I don't have it / skip this question".

    The one vocabulary of `cancellation.replies` ("hab ich nicht", "k.A.", "no idea", "nein") plus
    skip words ("überspringen", "weiter"), also after the question's field named first
    ("Kundenkennwort hab ich nicht"): such an answer is never taken as a value.
    """
    if not isinstance(text, str) or len(text) > 100:
        return False
    stripped = " ".join(text.split())
    if stripped and all(ch in "-–—_/.x" for ch in stripped.replace(" ", "")):
        return stripped != "."  # a lone dot is more likely a typo than an answer
    if re.search(r"[@0-9]", stripped):
        return False  # "x@", "0176 …": a (broken) value, never "I don't have it"
    folded = fold(stripped)
    folded = re.sub(r"[!?.,;:)(\"'„“”]+", " ", folded)
    folded = " ".join(folded.split())
    if not folded:
        return False
    if _skip_words(folded):
        return True
    rest = _FIELD_NAMED_RE.sub("", folded, count=1)
    return rest != folded and bool(rest) and _skip_words(rest)


# --------------------------------------------------------------------------
# name

_NAME_PREFIX_RE = re.compile(
    r"^(?:(?:ich\s+hei(?:ß|ss)e|mein\s+name\s+(?:ist|lautet)|name\s*:)\s+)", re.IGNORECASE
)


# Words about the contract or the cancellation, never part of a person's name: "ganzer Vertrag",
# "nur die Option", "kündigen" typed at the name question are answers to another question.
# Whole words only (folded), so surnames such as "Kündig" or "Ganz" stay names.
_NOT_A_NAME_WORD_RE = re.compile(
    r"\b(?:\w*vertrag\w*|\w*option|\w*optionen|tarif\w*|abo|abos|abonnement\w*|mitgliedschaft\w*|"
    r"kuendigen|kuendigung\w*|kuendige|gekuendigt|zusatzpaket\w*|"
    r"contract\w*|subscription\w*|membership\w*|cancel\w*|add-?on)\b"
)


# Markup such as "<b>Max</b>" is kept as data (escaped when rendered); these
# characters however never occur in names and mostly come from pasted code.
_NOT_IN_NAMES = frozenset(";={}|\\#$%^*~`_")


# A remark after the name ("Klaus Peters, steht doch im Brief", "Klaus Peters (as in the letter)"):
# cut at the first separator when what follows has one of these words, which are no name parts.
_NAME_REMARK_RE = re.compile(r"\s*(?:[,(]|\s[-–—]\s)\s*(?P<remark>.*)$")
_REMARK_WORDS = frozenset(
    """
    steht stand stehen doch schon bereits oben unten siehe gesagt geschrieben brief schreiben wie
    ich hab habe ist das es im dem genannt erwaehnt gleiche selbe
    the as in letter said already above see is it it's its wrote written mentioned same told
    """.split()
)


def _without_remark(name: str) -> str:
    match = _NAME_REMARK_RE.search(name)
    if match is None or match.start() == 0:
        return name
    said = set(re.findall(r"[a-z']+", fold(match.group("remark"))))
    return name[: match.start()] if said & _REMARK_WORDS else name


def parse_full_name(text: str) -> str:
    """A person's full name in any script; HTML and apostrophes kept verbatim."""
    name = _require_text(text, MAX_ANSWER_CHARS * 4, "Anna Müller")
    name = _without_remark(_NAME_PREFIX_RE.sub("", name).strip(" ,;")).strip(" ,;")
    if is_skip_answer(name):
        raise InvalidInput(say("utter_invalid_name_missing"))
    if classify_reply(name) is not None or "?" in name or _NOT_A_NAME_WORD_RE.search(fold(name)):
        # "ja", "ganzer Vertrag", "wozu?": an answer to something else, not a name.
        raise InvalidInput(say("utter_invalid_name_not_a_name"))
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(say("utter_invalid_name_too_long", length=len(name), max_chars=MAX_NAME_CHARS))
    if not _has_letter(name):
        raise InvalidInput(say("utter_invalid_name_no_letters"))
    if "@" in name or re.search(r"https?://|www\.", name, re.IGNORECASE):
        raise InvalidInput(say("utter_invalid_name_address"))
    if sum(ch.isdigit() for ch in name) >= 3:
        raise InvalidInput(say("utter_invalid_name_digits"))
    if any(ch in _NOT_IN_NAMES for ch in name):
        raise InvalidInput(say("utter_invalid_name_characters"))
    if any(unicodedata.category(ch) == "So" for ch in name):
        raise InvalidInput(say("utter_invalid_name_symbols"))
    if len(name.split()) > 12:
        raise InvalidInput(say("utter_invalid_name_sentence"))
    return name


def require_first_and_last_name(name: str, *, repeated: bool) -> str:
    """ "Müller" is rarely all of a name: asked again once; said again it is taken (some people
    have only one name)."""
    if len(name.split()) == 1 and not repeated:
        raise InvalidInput(say("utter_invalid_name_single"))
    return name


# --------------------------------------------------------------------------
# postcode, street, city

_POSTCODE_MESSAGE = say("utter_invalid_postcode")
_POSTCODE_PREFIX_RE = re.compile(r"^(?:plz|postleitzahl|d\s*-|de\s*-)\s*:?\s*", re.IGNORECASE)


def parse_postcode(text: str, country: str | None = None) -> str:
    """A German postcode: exactly five digits ("PLZ 10115" accepted); for an address abroad
    (`country`, see cancellation/countries.py) that country's way of writing one."""
    raw = _require_text(text, MAX_ANSWER_CHARS, "10115")
    candidate = _POSTCODE_PREFIX_RE.sub("", raw).strip()
    if is_foreign(country):
        match = _FOREIGN_POSTCODE_CITY_RE.match(candidate)
        found = foreign_postcode(candidate) or (match.group("postcode").upper() if match else None)
        if not found:
            raise InvalidInput(say("utter_invalid_postcode_abroad", country=country))
        return found
    if re.fullmatch(r"[0-9]{2} ?[0-9]{3}", candidate):
        candidate = candidate.replace(" ", "")
    else:
        # "10115 Berlin" is a friendly answer to "Ihre Postleitzahl?": take the number.
        match = re.fullmatch(r"([0-9]{5})\s+[^\W\d_][^\d]*", candidate)
        if not match:
            raise InvalidInput(_POSTCODE_MESSAGE)
        candidate = match.group(1)
    if candidate.startswith("00"):
        raise InvalidInput(say("utter_invalid_postcode_00"))
    return candidate


_STREET_MESSAGE = say("utter_invalid_street")
_HOUSE_NUMBER = r"[0-9]{1,4}\s?[a-zA-Z]?(?:\s?[-–/]\s?[0-9]{1,4}\s?[a-zA-Z]?)?"
_STREET_RE = re.compile(
    r"^(?P<name>[^\W\d_][^\n]*?[^\W\d_.]\.?|[^\W\d_]{2,}\.?)\s*,?\s+(?P<number>" + _HOUSE_NUMBER + r")$"
)
# "12 Hauptstraße": the house number first, as English speakers write it.
_NUMBER_FIRST_STREET_RE = re.compile(
    r"^(?P<number>" + _HOUSE_NUMBER + r")\s*,?\s+(?P<name>[^\W\d_][^\n\d]*?[^\W\d_.]\.?)$"
)
_POSTFACH_RE = re.compile(r"\b(?:postfach|pf\.?|postbox|packstation|postlagernd)\b", re.IGNORECASE)


def _normalise_house_number(number: str) -> str:
    number = number.replace("–", "-")
    return re.sub(r"\s+", "", number)


def _match_street(segment: str) -> str | None:
    segment = segment.strip(" ,;")
    match = _STREET_RE.match(segment) or _NUMBER_FIRST_STREET_RE.match(segment)
    if not match:
        return None
    name = match.group("name").strip(" ,")
    if not _has_letter(name) or _POSTFACH_RE.search(name):
        return None
    return f"{name} {_normalise_house_number(match.group('number'))}"


def parse_street(text: str) -> str:
    """Street and house number of a home address ("Musterstraße 5", "Am Markt 3-5")."""
    raw = _require_text(text, MAX_ANSWER_CHARS, "Musterstraße 5")
    if _POSTFACH_RE.search(raw):
        raise InvalidInput(say("utter_invalid_street_postbox"))
    street = _match_street(raw)
    if street:
        return street
    if len(raw) <= MAX_ADDRESS_CHARS:
        # Users often answer with the whole address; the street part is what we asked for.
        try:
            parts = parse_address(raw)
        except InvalidInput:
            parts = None
        if parts and parts.street:
            return parts.street
    if _has_letter(raw) and not re.search(r"[0-9]", raw):
        raise InvalidInput(say("utter_invalid_street_house_number"))
    raise InvalidInput(_STREET_MESSAGE)


_CITY_MESSAGE = say("utter_invalid_city")
_CITY_RE = re.compile(r"^[^\W\d_][^\W\d_ .'’()/-]*(?:[ .'’()/-]+[^\W\d_][^\W\d_.'’()/-]*)*[.)]?$")


def parse_city(text: str) -> str:
    """A town name ("Berlin", "Frankfurt am Main", "Halle (Saale)"); a leading postcode is dropped."""
    raw = _require_text(text, MAX_ANSWER_CHARS, "Berlin")
    if is_skip_answer(raw):
        raise InvalidInput(say("utter_invalid_city_missing"))
    city = re.sub(r"^(?:(?:d|de)\s*-\s*)?[0-9]{5}\s+", "", raw).strip(" ,;")
    if re.search(r"[0-9]", city):
        raise InvalidInput(_CITY_MESSAGE)
    if len(city) > 80 or not _CITY_RE.match(city):
        raise InvalidInput(_CITY_MESSAGE)
    return city


def is_persons_name(text: str, full_name: object) -> bool:
    """True when `text` is the person's name given before ("Eva Maria Roth" after "Eva Roth"):
    its first and last name both appear. A town that shares one part ("Roth") is no name."""
    if not isinstance(full_name, str):
        return False
    parts = re.findall(r"\w+", fold(full_name))
    words = set(re.findall(r"\w+", fold(text)))
    return len(parts) >= 2 and parts[0] in words and parts[-1] in words


_ADDRESS_MESSAGE = say("utter_invalid_address")
_POSTCODE_CITY_RE = re.compile(
    r"(?<![0-9])(?:(?:D|DE)\s*-\s*)?(?P<postcode>[0-9]{5})(?![0-9])\s*(?P<city>[^,;\n0-9]*)"
)
_FOREIGN_POSTCODE_CITY_RE = re.compile(
    rf"(?<![0-9A-Za-z])(?P<postcode>{FOREIGN_POSTCODE})(?![0-9])\s*(?P<city>[^,;\n0-9]*)", re.IGNORECASE
)
# Street words that no company name ends in before a number; "Sportpark 24" may be a gym.
_CLEAR_STREET_WORDS = (
    r"stra(?:ß|ss)e|str\.?|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|graben|"
    r"wall|zeile|stieg|kamp|twiete"
)
_CLEAR_STREET_WORD_RE = re.compile(rf"(?:{_CLEAR_STREET_WORDS})$", re.IGNORECASE)
_STREET_WORD_RE = re.compile(rf"(?:{_CLEAR_STREET_WORDS}|hof|berg|feld|garten|park|tor)$", re.IGNORECASE)


_NOT_A_CITY = frozenset(
    {"hallo", "hi", "hey", "moin", "servus", "ja", "nein", "danke", "ok", "okay", "test", "stopp", "hilfe", "abbrechen"}
)


def _split_city(city_part: str) -> tuple[str | None, str]:
    """Split "Berlin Musterstraße" (postcode-first answers) into city and leftover."""
    words = city_part.split()
    if not words:
        return None, ""
    # The street follows the city only when a house number is still to come;
    # the street then starts at the first word that looks like a street name.
    for index, word in enumerate(words[1:], start=1):
        if _STREET_WORD_RE.search(word.strip(",.")) and index < len(words):
            return " ".join(words[:index]), " ".join(words[index:])
    return " ".join(words), ""


def parse_address(text: str) -> AddressParts:
    """Street, postcode and city from a whole address answer; missing parts are None."""
    lines = _keep_lines(text, MAX_ADDRESS_CHARS, "Musterstraße 5, 10115 Berlin")
    joined, country = split_country("\n".join(lines))
    abroad = is_foreign(country)
    postcode = city = street = None
    leftovers: list[str] = []

    match = (_FOREIGN_POSTCODE_CITY_RE if abroad else _POSTCODE_CITY_RE).search(joined)
    if match:
        postcode = match.group("postcode").upper() if abroad else match.group("postcode")
        if postcode.startswith("00") and not abroad:
            postcode = None
        city_text, rest_after_city = _split_city(match.group("city").strip(" ,;"))
        if city_text:
            try:
                city = parse_city(city_text)
            except InvalidInput:
                city = None
        leftovers.append(joined[: match.start()])
        leftovers.append(rest_after_city + " " + joined[match.end():])
    else:
        leftovers.append(joined)

    segments = [seg for part in leftovers for seg in re.split(r"[,;\n]", part) if seg.strip()]
    for segment in segments:
        candidate = _match_street(segment)
        if candidate:
            street = candidate
            break
    if street is None and postcode is None:
        # Without a postcode only a capitalised segment without digits that is
        # not a street name counts as the town; "hallo" or "ja" must not.
        for segment in segments:
            segment = segment.strip(" ,;")
            if (
                segment[:1].isupper()
                and not re.search(r"[0-9]", segment)
                and not _STREET_WORD_RE.search(segment.split()[-1])
                and fold(segment) not in _NOT_A_CITY
                and not is_skip_answer(segment)
            ):
                try:
                    city = parse_city(segment)
                    break
                except InvalidInput:
                    continue
    if street is None and postcode is None and city is None:
        raise InvalidInput(_ADDRESS_MESSAGE)
    return AddressParts(street=street, postcode=postcode, city=city, country=country if abroad else None)


# --------------------------------------------------------------------------
# end date

_MONTHS = {
    "januar": 1, "jan": 1, "jaenner": 1, "jaen": 1,
    "februar": 2, "feb": 2, "febr": 2,
    "maerz": 3, "marz": 3, "maer": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
    # English, for English-speaking users ("31 May 2027", "end of March")
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "oct": 10, "december": 12, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Umlauts typed as plain vowels count too ("nachstmoglich", "schnellstmoglich"): after folding,
# "ä" is "ae" and a plain "a" stays "a".
_ASAP_RE = re.compile(
    r"na(?:e)?chst\s*(?:-\s*)?mo(?:e)?glich|fru(?:e)?hest\s*(?:-\s*)?mo(?:e)?glich|schnellst\s*(?:-\s*)?mo(?:e)?glich|"
    r"so (schnell|bald|fru(?:e)?h) wie (mo(?:e)?glich|es geht)|mo(?:e)?glichst (schnell|bald|fru(?:e)?h)|"
    r"\basap\b|\bsofort\b|\begal\b|\bumgehend\b|"
    r"naechste[rn]? (moegliche[rn]? )?(termin|zeitpunkt)|"
    r"zum naechsten (moeglichen )?(termin|zeitpunkt)|"
    r"\bfristgerecht\b|\bordentlich\b|"
    # The end of the (minimum) term is the ordinary end: "zum Ende der Mindestlaufzeit", "zum Ablauf"
    r"\bende (der|meiner|seiner) (mindest|vertrags)?laufzeit\b|\b(mindest|vertrags)?laufzeitende\b|"
    r"\bvertragsende\b|\bzum ablauf\b|\bablauf (der|des|meines) (mindest|vertrags)?(laufzeit|vertrag)|"
    r"\bend of (the|my) (minimum )?(term|contract)\b|\b(the|my) contract (ends|expires|runs out)\b|"
    r"as (soon|early) as possible|(earliest|next) possible (date|time|day)|\bat the earliest\b|"
    r"\bearliest( possible)?\b|next possible|\bsoonest\b"
)

_ISO_RE = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])")
_NUMERIC_RE = re.compile(
    r"(?<![0-9.])(?P<d>[0-9]{1,2})\s?[./]\s?(?P<m>[0-9]{1,2})\s?[./]?(?:\s?(?P<y>[0-9]{4}|[0-9]{2}))?(?![0-9])"
)
_NAMED_RE = re.compile(
    r"(?<![0-9])(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\s?\.?\s*(?:of\s+)?(?P<month>" + _MONTH_NAMES
    + r")\b\.?,?(?:\s*(?P<y>[0-9]{4}|[0-9]{2}))?(?![0-9])"
)
_END_OF_MONTH_RE = re.compile(
    r"\b(?:ende|end\s+of)\s+(?:des\s+monats\s+)?(?P<month>" + _MONTH_NAMES + r")\b\.?(?:\s*(?P<y>[0-9]{4}))?"
)
_MONTH_END_RE = re.compile(r"\b(?:monatsende|ende\s+(?:des|diese[sn])\s+monats)\b")
# "zum Jahresende": the 31.12. of this year (hand-test item 5); whether notice still allows it is
# cancellation/requested_end.py's question.
_YEAR_END_RE = re.compile(
    r"\b(?:jahresende|jahreswechsel|ende\s+(?:des|diese[sn])\s+jahr(?:es|s)?|end\s+of\s+(?:the|this)\s+year)\b"
)


@dataclass(frozen=True)
class _DateParts:
    day: int | None  # None: last day of the month
    month: int
    year: int | None  # None: next occurrence after today
    text: str


def _full_year(year_text: str | None) -> int | None:
    if year_text is None:
        return None
    year = int(year_text)
    return 2000 + year if len(year_text) == 2 else year


def _find_date_parts(folded: str) -> _DateParts | None:
    match = _ISO_RE.search(folded)
    if match:
        return _DateParts(int(match["d"]), int(match["m"]), int(match["y"]), match.group(0))
    match = _END_OF_MONTH_RE.search(folded)
    if match:
        return _DateParts(None, _MONTHS[match["month"]], _full_year(match["y"]), match.group(0))
    match = _NAMED_RE.search(folded)
    if match:
        return _DateParts(int(match["d"]), _MONTHS[match["month"]], _full_year(match["y"]), match.group(0))
    match = _NUMERIC_RE.search(folded)
    if match:
        return _DateParts(int(match["d"]), int(match["m"]), _full_year(match["y"]), match.group(0))
    return None


def _resolve(parts: _DateParts, today: date) -> date:
    """Turn parsed parts into a date after `today`, raising InvalidInput if impossible or past."""
    example = end_date_example(today)
    if not 1 <= parts.month <= 12:
        raise InvalidInput(say("utter_invalid_date_month", month=parts.month, example=example))

    def build(year: int) -> date | None:
        if not 1 <= year <= 9999:
            return None
        last = calendar.monthrange(year, parts.month)[1]
        day = last if parts.day is None else parts.day
        if not 1 <= day <= last:
            return None
        return date(year, parts.month, day)

    if parts.year is not None:
        result = build(parts.year)
        if result is None:
            shown = f"{parts.day:02d}.{parts.month:02d}.{parts.year}" if parts.day else parts.text
            raise InvalidInput(say("utter_invalid_date_missing_day", day=shown, example=example))
    else:
        if parts.day is not None and parts.day > 31 or parts.day == 0:
            raise InvalidInput(say("utter_invalid_date_day", day=parts.day, example=example))
        result = None
        # Next occurrence strictly after today; 29.02. may need up to eight years.
        for year in range(today.year, today.year + 9):
            candidate = build(year)
            if candidate is not None and candidate > today:
                result = candidate
                break
        if result is None:
            raise InvalidInput(say("utter_invalid_date_impossible", example=example))
    if result <= today:
        raise InvalidInput(say("utter_invalid_date_past", example=examples.end_date(today)))
    if result.year > today.year + MAX_END_DATE_YEARS_AHEAD:
        raise InvalidInput(say("utter_invalid_date_far_future", example=example))
    return result


def find_end_date(text: str, today: date) -> date | None:
    """The first date expression in `text` resolved after `today`, or None; raises on impossible dates."""
    folded = fold(text)
    parts = _find_date_parts(folded)
    if parts is None:
        if _YEAR_END_RE.search(folded):
            end = date(today.year, 12, 31)
            return end if end > today else date(today.year + 1, 12, 31)
        if _MONTH_END_RE.search(folded):
            end = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
            if end <= today:
                following = end + timedelta(days=1)
                end = date(following.year, following.month, calendar.monthrange(following.year, following.month)[1])
            return end
        return None
    return _resolve(parts, today)


def is_asap_answer(text: str) -> bool:
    return bool(_ASAP_RE.search(fold(text)))


def parse_end_date(text: str, today: date) -> date | None:
    """The desired end date after `today`; None means "zum nächstmöglichen Zeitpunkt"."""
    raw = _require_text(text, MAX_ANSWER_CHARS, end_date_example(today))
    end = find_end_date(raw, today)
    if end is not None:
        return end
    if is_asap_answer(raw):
        return None
    raise InvalidInput(say("utter_invalid_date_none", example=end_date_example(today)))


# --------------------------------------------------------------------------
# phone, customer number, contract reference, e-mail

_PHONE_MESSAGE = say("utter_invalid_phone")
_PHONE_LABEL_RE = re.compile(
    r"^(?:(?:meine\s+)?(?:tel(?:efon)?(?:nummer)?|handy(?:nummer)?|mobil(?:nummer)?|rufnummer|"
    r"telefonnr|tel\.?\s*-?\s*nr|nummer|nr)\.?\s*(?:ist|lautet)?\s*:?\s*)",
    re.IGNORECASE,
)
_PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ()/.\-–]+$")


def parse_phone(text: str) -> str:
    """A phone number in national format ("0176 12345678", "030 1234567"); foreign ones international."""
    raw = _require_text(text, MAX_ANSWER_CHARS, "0176 12345678")
    candidate = _PHONE_LABEL_RE.sub("", raw).strip()
    if not _PHONE_CHARS_RE.match(candidate):
        raise InvalidInput(say("utter_invalid_phone_characters"))
    digits = re.sub(r"[^0-9]", "", candidate)
    if len(digits) < 6:
        raise InvalidInput(say("utter_invalid_phone_short"))
    if len(digits) > 17:
        raise InvalidInput(say("utter_invalid_phone_long"))
    if not candidate.startswith(("+", "0", "(")):
        raise InvalidInput(_PHONE_MESSAGE)
    try:
        number = phonenumbers.parse(candidate.replace("–", "-"), "DE")
    except phonenumbers.NumberParseException:
        raise InvalidInput(_PHONE_MESSAGE) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(say("utter_invalid_phone_invalid"))
    if phonenumbers.region_code_for_number(number) == "DE":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_REFERENCE_CHARS_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_#:-]*$")
_CUSTOMER_LABEL_RE = re.compile(
    r"^(?:(?:meine|die)\s+)?(?:kunden\s*-?\s*(?:nummer|nr\.?)|kd\.?\s*-?\s*nr\.?|kundennr\.?|kunden-?id|"
    r"kundenkonto(?:nummer)?|mitglieds\s*-?\s*(?:nummer|nr\.?)|nr\.?|nummer|id)\s*(?:ist|lautet)?\s*[:#]?\s*",
    re.IGNORECASE,
)
_CONTRACT_LABEL_RE = re.compile(
    r"^(?:(?:meine|die)\s+)?(?:vertrags\s*-?\s*(?:nummer|nr\.?)|vertragsnr\.?|vertragskonto(?:nummer)?|"
    r"auftrags\s*-?\s*(?:nummer|nr\.?)|nr\.?|nummer)\s*(?:ist|lautet)?\s*[:#]?\s*",
    re.IGNORECASE,
)


def _parse_reference(text: str, label_re: re.Pattern[str], what: Message, example: str) -> str:
    raw = _require_text(text, MAX_ANSWER_CHARS, example)
    value = label_re.sub("", raw).strip(" ,;")
    if len(value) < 3:
        raise InvalidInput(say("utter_invalid_reference_short", what=what, example=example))
    if len(value) > 40:
        raise InvalidInput(say("utter_invalid_reference_long", what=what, example=example))
    if not re.search(r"[0-9]", value):
        raise InvalidInput(say("utter_invalid_reference_no_digits", what=what, example=example))
    if not _REFERENCE_CHARS_RE.match(value):
        raise InvalidInput(say("utter_invalid_reference_characters", what=what, example=example))
    return value


def parse_customer_number(text: str) -> str | None:
    """The customer number as written, or None when the user does not have it."""
    if is_skip_answer(text):
        return None
    return _parse_reference(text, _CUSTOMER_LABEL_RE, say("utter_term_customer_number"), "K-123456789")


def _looks_like_phone(text: str) -> bool:
    candidate = _PHONE_LABEL_RE.sub("", " ".join(text.split())).strip()
    return bool(_PHONE_CHARS_RE.match(candidate)) and candidate.startswith(("+", "0", "(0"))


def parse_contract_reference(text: str) -> ContractReference | None:
    """A phone number (mobile/landline contracts) or a contract number; None for skip answers."""
    if is_skip_answer(text):
        return None
    raw = _require_text(text, MAX_ANSWER_CHARS, "0176 12345678 oder V-2024-123456")
    if _looks_like_phone(raw):
        try:
            return ContractReference(phone_number=parse_phone(raw), contract_number=None)
        except InvalidInput:
            pass  # e.g. "0123456" is more likely a contract number than a broken phone number
    return ContractReference(
        phone_number=None,
        contract_number=_parse_reference(
            raw, _CONTRACT_LABEL_RE, say("utter_term_contract_number"), "V-2024-123456"
        ),
    )


_EMAIL_LABEL_RE = re.compile(r"^(?:(?:meine\s+)?e-?mail(?:-?adresse)?\s*(?:ist|lautet)?\s*:?\s*|mailto:)", re.IGNORECASE)
_EMAIL_LOCAL_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_EMAIL_LABEL_PART_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_EMAIL_MESSAGE = say("utter_invalid_email")


def parse_email(text: str) -> str | None:
    """An e-mail address (domain lower-cased), or None when the user does not want to give one."""
    if is_skip_answer(text):
        return None
    raw = _require_text(text, MAX_ANSWER_CHARS, "anna.mueller@example.de")
    candidate = _EMAIL_LABEL_RE.sub("", raw).strip(" <>,;.")
    if " " in candidate or candidate.count("@") != 1 or len(candidate) > 254:
        raise InvalidInput(_EMAIL_MESSAGE)
    local, domain = candidate.split("@")
    if not local or len(local) > 64 or not _EMAIL_LOCAL_RE.match(local):
        raise InvalidInput(_EMAIL_MESSAGE)
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidInput(_EMAIL_MESSAGE) from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_EMAIL_LABEL_PART_RE.match(label) for label in labels):
        raise InvalidInput(_EMAIL_MESSAGE)
    if not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]+", labels[-1]):
        raise InvalidInput(_EMAIL_MESSAGE)
    return f"{local}@{domain.lower()}"


def find_email(text: str) -> str | None:
    """The first valid e-mail address in a sentence ("mein Konto läuft über anna@example.de"), or None."""
    if not isinstance(text, str) or "@" not in text or len(text) > MAX_ANSWER_CHARS:
        return None
    for word in text.split():
        if "@" in word:
            try:
                return parse_email(word.strip("()[]\"'„“”:,;!?"))
            except InvalidInput:
                continue
    return None


# --------------------------------------------------------------------------
# any date, past or future (contract start, day a notice was received, ...)

MAX_PAST_DATE_YEARS_BACK = 50
_RELATIVE_DAYS = {"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "uebermorgen": 2}
_RELATIVE_DAY_RE = re.compile(r"\b(" + "|".join(sorted(_RELATIVE_DAYS, key=len, reverse=True)) + r")\b")


def parse_past_or_future_date(text: str, today: date, *, max_years_back: int = MAX_PAST_DATE_YEARS_BACK) -> date:
    """A calendar date before or after `today` ("15.03.2024", "3. März 24", "gestern").

    A date without a year is the occurrence nearest to `today` (asked "when did you receive the
    notice?" in January, "15.12." means last December).
    """
    example = examples.past_date(today)
    raw = _require_text(text, MAX_ANSWER_CHARS, example)
    folded = fold(raw)
    parts = _find_date_parts(folded)
    if parts is None:
        relative = _RELATIVE_DAY_RE.search(folded)
        if relative:
            return today + timedelta(days=_RELATIVE_DAYS[relative.group(1)])
        raise InvalidInput(say("utter_invalid_date_none", example=example))
    if not 1 <= parts.month <= 12:
        raise InvalidInput(say("utter_invalid_date_month", month=parts.month, example=example))

    def build(year: int) -> date | None:
        if not 1 <= year <= 9999:
            return None
        last = calendar.monthrange(year, parts.month)[1]
        day = last if parts.day is None else parts.day
        return date(year, parts.month, day) if 1 <= day <= last else None

    if parts.year is not None:
        result = build(parts.year)
    else:
        candidates = [build(year) for year in (today.year - 1, today.year, today.year + 1)]
        found = [candidate for candidate in candidates if candidate is not None]
        result = min(found, key=lambda day: abs((day - today).days)) if found else None
    if result is None:
        raise InvalidInput(say("utter_invalid_date_impossible", example=example))
    if result.year < today.year - max_years_back or result.year > today.year + MAX_END_DATE_YEARS_AHEAD:
        raise InvalidInput(say("utter_invalid_date_far", date=result, example=example))
    return result


_MONTH_START_RE = re.compile(
    r"\b(?:ab|seit|zum|im|per|from|as of|since|in)\s+(?:dem\s+|anfang\s+|beginning of\s+)?(?P<month>"
    + _MONTH_NAMES + r")\b\.?(?:\s*(?P<y>[0-9]{4}))?"
)


def parse_month_start(text: str, today: date) -> date | None:
    """The first day of a month named without a day ("ab Februar", "from March 2027"), or None.

    Said of when something starts (a price change, a move); without a year the occurrence nearest
    to `today`. A message with a day in it is for `parse_past_or_future_date`.
    """
    match = _MONTH_START_RE.search(fold(str(text or "")))
    if match is None:
        return None
    month = _MONTHS[match["month"]]
    year = _full_year(match["y"])
    if year is not None:
        return date(year, month, 1)
    candidates = [date(candidate, month, 1) for candidate in (today.year - 1, today.year, today.year + 1)]
    return min(candidates, key=lambda day: abs((day - today).days))


# --------------------------------------------------------------------------
# provider name


class NotACompanyName(str, Enum):
    """What an answer to "Bei welchem Anbieter?" is instead of a company's name."""

    UNKNOWN = "unknown"  # "weiß nicht", "keine Ahnung"
    YES_OR_NO = "yes_no"  # "ja", "nein", "ok"
    QUESTION = "question"  # "wozu brauchen Sie das?"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    ADDRESS = "address"  # "Hauptstraße 1", "10115 Berlin"
    NUMBER = "number"  # digits only: a postcode, a customer number


# A question is asked with a question word first, or with a verb first and a question mark.
_QUESTION_WORD_RE = re.compile(
    r"^(?:wer|wen|wem|wessen|wie|was|warum|wieso|weshalb|wozu|wofuer|woher|wo|welche[nmrs]?|"
    r"who|whom|whose|what|which|why|how|where)\b"
)
_VERB_FIRST_RE = re.compile(
    r"^(?:muss|musst|muessen|kann|kannst|koennen|soll|sollte|sollen|darf|duerfen|brauchen|brauche|braucht|"
    r"ist|sind|gibt|geht|reicht|meinen|meinst|heisst|do|does|did|is|are|can|could|should|must|shall)\b"
)
# Words around a date that make no company name: "zum 31.12.2026", "am 1. Mai".
_DATE_FILLER = frozenset("am zum zur bis ab seit den der dem ende anfang on the by until from of to".split())
# A street without a street word ("Am Markt 3" has one): "Unter den Linden 5", "An der Alster 12".
_STREET_PREFIX_RE = re.compile(r"^(?:am|an der|an den|auf der|auf dem|im|in der|unter den|zum|zur|hinter der)\s", re.I)


def _looks_like_address(text: str) -> bool:
    segments = [segment.strip() for segment in re.split(r"[,;\n]", text) if segment.strip()]
    for segment in segments:
        street = _match_street(segment)
        if street is not None:
            name = street.rsplit(" ", 1)[0]
            if _CLEAR_STREET_WORD_RE.search(name.split()[-1]) or _STREET_PREFIX_RE.match(name):
                return True
        postcode_city = re.fullmatch(r"(?:(?:D|DE)\s*-\s*)?[0-9]{5}\s+([^\W\d_][^0-9]*)", segment)
        if postcode_city and postcode_city.group(1).split()[0][:1].isupper():
            return True
    return False


def says_end_date(text: str) -> bool:
    """True for a message that names the day to cancel to: a bare date ("zum 31.01.2027") or a
    date with a cancellation word ("ich möchte zum 31.01.2027 kündigen")."""
    if not isinstance(text, str) or len(text) > MAX_ANSWER_CHARS:
        return False
    folded = fold(text)
    if _find_date_parts(folded) is None:
        return False
    return is_only_a_date(text) or bool(re.search(r"kuendig|\bcancel|\bbeend|\bterminat", folded))


def is_only_a_date(text: str) -> bool:
    """True for a message that is a date and nothing else ("zum 31.01.2027", "bis 1. März");
    "1/2345" (a policy number) has no month 23 and is no date."""
    parts = _find_date_parts(fold(text))
    if parts is None or not 1 <= parts.month <= 12 or not 1 <= (parts.day or 1) <= 31:
        return False
    return _is_only_a_date(text)


def _is_only_a_date(text: str) -> bool:
    folded = fold(text)
    parts = _find_date_parts(folded)
    if parts is None:
        return False
    rest = re.findall(r"[a-z]+", folded.replace(parts.text, " ", 1))
    return all(word in _DATE_FILLER for word in rest)


def company_name_mistake(text: str) -> NotACompanyName | None:
    """What a provider answer is instead of a company name, or None when it may be one.

    Only answers that are clearly something else are named: every unknown company must still be
    taken ("Stadtwerke Hintertupfingen", "Tele2", "1&1", "WEB.DE"), so a name with digits, dots
    or an ampersand passes, and so does a name that merely starts with a yes word ("Klar Energie").
    """
    answer = " ".join(str(text or "").split())
    if not answer:
        return None
    if re.search(r"[^\s@]@[^\s@]+\.[^\s@]", answer):
        return NotACompanyName.EMAIL
    if is_skip_answer(answer):
        reply = whole_reply(answer)
        return NotACompanyName.YES_OR_NO if reply is Reply.NO else NotACompanyName.UNKNOWN
    reply = whole_reply(answer)
    if reply is Reply.UNKNOWN:
        return NotACompanyName.UNKNOWN
    if reply is not None:
        return NotACompanyName.YES_OR_NO
    folded = fold(answer)
    if _QUESTION_WORD_RE.match(folded) or ("?" in answer and _VERB_FIRST_RE.match(folded)):
        return NotACompanyName.QUESTION
    if _looks_like_phone(answer) and len(re.sub(r"[^0-9]", "", answer)) >= 6:
        return NotACompanyName.PHONE
    if _is_only_a_date(answer):
        return NotACompanyName.DATE
    if _looks_like_address(answer):
        return NotACompanyName.ADDRESS
    if re.fullmatch(r"[0-9][0-9 .,/-]*", answer):
        return NotACompanyName.NUMBER
    return None


def require_company_name(text: str) -> str:
    """The answer, unless it is clearly no company name: then `InvalidInput` saying what it looked
    like, what is expected and an example (the form asks the question again)."""
    mistake = company_name_mistake(text)
    if mistake is not None:
        raise InvalidInput(say("utter_invalid_company_not_a_name", seen=say(f"utter_company_seen_{mistake.value}")))
    return text

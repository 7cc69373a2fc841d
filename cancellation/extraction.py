"""Take clearly stated facts from a user's first free-text message.

The message may be one sentence or a whole pasted letter. Everything here is
conservative: a field stays None unless the text states it unambiguously; the
dialogue asks for whatever is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cancellation.countries import country_named, is_foreign, split_country
from cancellation.providers import Directory, load_directory
from cancellation.replies import street_key
from cancellation.validation import (
    InvalidInput,
    find_end_date,
    fold,
    parse_address,
    parse_email,
    parse_full_name,
    parse_phone,
)

CONTRACT_TYPE_LABELS: dict[str, str] = {
    "mobile": "Mobilfunkvertrag",
    "dsl": "DSL-Vertrag",
    "cable": "Internet über Kabel",  # hand-test item 17: cable internet, no TV contract
    "fibre": "Glasfaser-Vertrag",
    "internet": "Internetvertrag",  # "mein Internet": nothing says DSL
    "landline": "Festnetzvertrag",
    "tv": "TV-Abonnement",
    "energy": "Stromliefervertrag",
    "gas": "Gasliefervertrag",
    "gym": "Mitgliedschaft",
    "streaming": "Abonnement",
    "press": "Abonnement",
    "insurance": "Versicherungsvertrag",
    "other": "Vertrag",
}

MAX_EXTRACTION_CHARS = 20_000


@dataclass(frozen=True)
class Facts:
    end_date: date | None = None
    end_asap: bool = False
    customer_number: str | None = None
    contract_number: str | None = None
    phone_number: str | None = None
    email: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None  # the German name of the country of a sender abroad, None in Germany
    subject_kind: str | None = None  # "contract" or "option"
    option_name: str | None = None
    contract_type: str | None = None
    provider: str | None = None  # provider key in the directory
    full_name: str | None = None  # the signature under a pasted letter
    provider_name: str | None = None  # a provider not in the directory, as written ("Lokalzeitung Nordkurier")


# --------------------------------------------------------------------------
# numbers and references

# Linear on hostile input (4,000 characters of spaces, dots, digits, "a-a-a" ...): no two
# quantifiers may compete for the same characters, e.g. `\s*-?\s*` (quadratic on a run of spaces)
# becomes `\s*(?:-\s*)?`; a run is entered only at its start or with a bounded length.
# tests/cancellation/test_extraction_cost.py checks it, scripts/bench_input.py measures it.
_REFERENCE_VALUE = r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9/.\-]|\s(?=[0-9]))*[A-Za-z0-9])"
_CUSTOMER_NUMBER_RE = re.compile(
    r"(?:kunden\s*(?:-\s*)?(?:nummer|nr\.?)|kd\.?\s*(?:-\s*)?nr\.?|kundennr\.?|kunden-?id)"
    r"\s*(?:(?:ist|lautet)\s*)?(?:[:#]\s*)?" + _REFERENCE_VALUE,
    re.IGNORECASE,
)
_CONTRACT_NUMBER_RE = re.compile(
    r"(?:vertrags\s*(?:-\s*)?(?:nummer|nr\.?)|vertragsnr\.?|vertragskonto(?:nummer)?)"
    r"\s*(?:(?:ist|lautet)\s*)?(?:[:#]\s*)?" + _REFERENCE_VALUE,
    re.IGNORECASE,
)
_PHONE_RE = re.compile(
    r"\b(?:rufnummer|handynummer|mobilnummer|mobilfunknummer|telefonnummer|handy-?nr\.?|tel\.?|telefon|nummer)"
    r"\s*(?:(?:ist|lautet)\s*)?(?::\s*)?(?P<value>(?:\+|00|0|\(0)[0-9 ()/\-]{5,22}[0-9])",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def _reference(pattern: re.Pattern[str], text: str) -> str | None:
    for match in pattern.finditer(text):
        value = match.group("value").strip()
        if 3 <= len(value) <= 40 and re.search(r"[0-9]", value):
            return value
    return None


def _phone(text: str) -> str | None:
    for match in _PHONE_RE.finditer(text):
        try:
            return parse_phone(match.group("value"))
        except InvalidInput:
            continue
    return None


def _email(text: str) -> str | None:
    for match in _EMAIL_RE.finditer(text):
        try:
            return parse_email(match.group(0))
        except InvalidInput:
            continue
    return None


# --------------------------------------------------------------------------
# signature

_CLOSING_RE = re.compile(
    r"\b(?:(?:mit\s+)?(?:freundlichen|freundliche|viele|beste|liebe|herzliche|sonnige)\s+gr(?:ü|ue)(?:ß|ss)e(?:n)?|"
    r"mfg|(?:kind|best|warm)\s+regards|sincerely|yours\s+(?:sincerely|faithfully|truly))\b",
    re.IGNORECASE,
)
# A name's words, an initial ("J."), a title ("Dr."); "geb." or "Tel." after the name ends it.
_SIGNATURE_WORD_RE = re.compile(r"^(?:[^\W\d_][\w'’-]*|[^\W\d_]\.|dr\.|prof\.)$", re.IGNORECASE)
_NOT_A_SIGNATURE_WORD = frozenset("ihr ihre ihr team kundenservice your the team i ich".split())


def _signature(text: str) -> str | None:
    """The name under the last closing formula ("Mit freundlichen Grüßen, Klaus Peters"), if any."""
    closings = list(_CLOSING_RE.finditer(text))
    if not closings:
        return None
    closing = closings[-1]
    words = []
    for word in text[closing.end():].lstrip(" ,.;:!-\n").split()[:4]:
        if not _SIGNATURE_WORD_RE.match(word) or fold(word) in _NOT_A_SIGNATURE_WORD:
            break
        words.append(word)
    if not 2 <= len(words) <= 4:
        return None
    try:
        return parse_full_name(" ".join(words))
    except InvalidInput:
        return None


# --------------------------------------------------------------------------
# end date

_DATE_TRIGGER_RE = re.compile(
    r"\b(?:zum|per|bis\s+zum|bis|ab\s+dem|ab|mit\s+wirkung\s+zum|spaetestens\s+zum|wirksam\s+zum|"
    r"on|by|effective(?:\s+(?:on|from))?|as\s+of|with\s+effect\s+from)\s+"  # English users
    r"(?P<expr>(?:ende\s+)?[^\n,;]{1,30})"
)
# The day the contract ends by its term: "endet (laut Vertrag) am 28.02.2027", "Vertragsende
# 31.05.2027", "läuft am 12.03.2027 aus", "soll am 15.01.2027 enden", "zum Ablauf des
# Versicherungsjahres am 01.01.2027". Each gap is bounded (linear on hostile input).
_NUMERIC_DATE = r"(?P<date>[0-9]{1,2}\.[0-9]{1,2}\.(?:[0-9]{4}|[0-9]{2})?)"
_TERM_END_RE = re.compile(
    r"\b(?:endet|enden|vertragsende|laufzeitende|ablauf|laeuft)\b[^\n.;!?0-9]{0,40}?" + _NUMERIC_DATE
    + r"|\bam\s+" + _NUMERIC_DATE.replace("?P<date>", "?P<before>") + r"\s+(?:enden|auslaufen|aus\b|ablaufen)"
)
# "March 31st, 2027" -> "31 march 2027"; "01/31/2027" (month first: the day is over 12) -> "31/01/2027".
_ENGLISH_MONTH_FIRST_RE = re.compile(
    r"\b(?P<month>january|february|march|april|may|june|july|august|september|october|november|december)"
    r"\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?,?(?=\s+[0-9]{4}\b|\b)"
)
_US_DATE_RE = re.compile(r"\b(?P<month>0?[1-9]|1[0-2])/(?P<day>1[3-9]|2[0-9]|3[01])/(?P<year>[0-9]{4})\b")
# A clause about a price rise, a move or the next provider names its own day, no end date.
_OTHER_DAY_RE = re.compile(r"preis|erhoeh|\bzieh|umzug|umgezogen|uebernimmt|neue[rn]?\s+anbieter|angekuendigt|raise|moving")
_END_ASAP_RE = re.compile(
    r"naechst\s*(?:-\s*)?moeglich|fruehest\s*(?:-\s*)?moeglich|schnellst\s*(?:-\s*)?moeglich|"
    r"so (?:schnell|bald|frueh) wie moeglich|so frueh es geht|\basap\b|"
    r"as soon as possible|(?:at|on|by) the (?:next|earliest) (?:possible )?(?:date|opportunity|time)"
)


_CLAUSE_BOUNDARY_RE = re.compile(r"[.,;!?\n]\s|[,;!?\n]|\s(?:und|and|aber|but)\s")
_CANCEL_IN_CLAUSE_RE = re.compile(r"(?<!ange)kuendig|\bcancel|\bterminat")


def _names_another_day(folded: str, position: int) -> bool:
    """Whether the clause around `position` is about a price rise, a move or the next provider
    ("EnBW erhöht den Strompreis zum 01.02.2027", "Ich ziehe zum 15.01.2027 um") and not itself
    the cancellation ("wegen der Preiserhöhung kündige ich zum 31.01.2027")."""
    start, end = 0, len(folded)
    for boundary in _CLAUSE_BOUNDARY_RE.finditer(folded):
        if boundary.end() <= position:
            start = boundary.end()
        elif boundary.start() >= position:
            end = boundary.start()
            break
    clause = folded[start:end]
    return bool(_OTHER_DAY_RE.search(clause)) and not _CANCEL_IN_CLAUSE_RE.search(clause)


def _normalise_english_dates(folded: str) -> str:
    folded = _ENGLISH_MONTH_FIRST_RE.sub(lambda m: f"{m['day']} {m['month']}", folded)
    return _US_DATE_RE.sub(lambda m: f"{m['day']}/{m['month']}/{m['year']}", folded)


def _end_date(folded: str, today: date) -> date | None:
    # Only dates introduced by "zum", "per", "bis" ... count: a letter also
    # carries its own date and maybe a birth date, which are not end dates.
    folded = _normalise_english_dates(folded)
    for match in _DATE_TRIGGER_RE.finditer(folded):
        if _names_another_day(folded, match.start()):
            continue
        try:
            found = find_end_date(match.group("expr"), today)
        except InvalidInput:
            continue
        if found is not None:
            return found
    for match in _TERM_END_RE.finditer(folded):
        try:
            found = find_end_date(match.group("date") or match.group("before"), today)
        except InvalidInput:
            continue
        if found is not None:
            return found
    for match in re.finditer(r"\b(?:ende|end\s+of)\s+(?:des\s+monats\s+)?[a-z]+\b(?:\s+[0-9]{4})?", folded):
        try:
            found = find_end_date(match.group(0), today)
        except InvalidInput:
            continue
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------
# subject: contract or option, option name, contract type

_GENERIC_OPTION_WORDS = frozenset(
    {"option", "optionen", "tarifoption", "tarifoptionen", "zusatzoption", "zusatzoptionen", "paket",
     "pakete", "zusatzpaket", "zusatzpakete", "buchungsoption", "kuendigungsoption",
     # an insurance's "Zusatzbaustein"; English add-ons ("the extra data pack", "the calling add-on")
     "baustein", "zusatzbaustein", "add-on", "addon", "pack", "package"}
)
_NOT_OPTIONS = frozenset({"komplettpaket", "kombipaket", "internetpaket", "festnetzpaket", "gesamtpaket"})
# Only from the start of a run of word characters and hyphens (leading hyphens skipped).
_OPTION_WORD_RE = re.compile(
    r"(?<![\w\-])-*\b(?P<word>[\w\-]*(?:option|optionen|paket|pakete|pass|baustein|add-?on|package|pack))\b",
    re.IGNORECASE,
)
_NAMED_OPTIONS = {
    "multicard": "MultiCard",
    "multi-card": "MultiCard",
    "multi card": "MultiCard",
    "multisim": "MultiSIM",
    "multi-sim": "MultiSIM",
    "multi sim": "MultiSIM",
    "streamon": "StreamOn",
    "stream on": "StreamOn",
    "gigadepot": "GigaDepot",
    "giga depot": "GigaDepot",
    "travelmania": "TravelMania",
}
# Product names of options on the providers' own pages (sky.de packages, o2online.de
# "Datenautomatik", telekom.de "UltraCard"), read when no word "Option"/"Paket" names one, with the
# contract they belong to where the provider offers several.
_PRODUCT_OPTIONS = {
    "sky cinema": ("Sky Cinema", "tv"),
    "sky sport": ("Sky Sport", "tv"),
    "sky bundesliga": ("Sky Bundesliga", "tv"),
    "sky kids": ("Sky Kids", "tv"),
    "datenautomatik": ("Datenautomatik", "mobile"),
    "ultracard": ("UltraCard", "mobile"),
    "ultra card": ("UltraCard", "mobile"),
}
# Words that end an option's name read next to "Option"/"Paket" ("feste ip option",
# "Option Vodafone Pass Music zum ...").
_NAME_STOP_WORDS = frozenset(
    "die das den der dem des ein eine einen einer eines mein meine meinen meiner meines nur bitte auch noch "
    "the my a an this that your ich will moechte wuerde gerne kann bei im in am von fuer mit und oder zu "
    "zur zum sie es".split()
)
_MAX_OPTION_NAME_WORDS = 3
_QUOTED_RE = re.compile(r"\s*[„“\"'‚‘](?P<name>[^„“\"'‚‘\n]{1,60})[“”\"'‘’]")
_CONTRACT_WORD_RE = re.compile(
    r"\b\w*(?:vertrag|vertrages|vertrags|mitgliedschaft|abo|abos|abonnement|anschluss|tarif)\b"
    r"|\b(?:contract|membership|subscription)\b",  # English users (cancellation/language.py)
    re.IGNORECASE,
)
_KEEP_CONTRACT_RE = re.compile(
    # A word that contains vertrag/tarif/mitgliedschaft/abo, taken whole (a lookahead and its
    # back-reference: Python 3.10 has no atomic groups), then "... soll weiterlaufen".
    r"\b(?=\w*?(?:vertrag|tarif|mitgliedschaft|abo))(?=(?P<contract_word>\w+))(?P=contract_word)"
    r"\s+(?:\w+\s+){0,4}?"
    r"(?:(?:soll\w*|moechte\s+ich|will\s+ich|moecht\w*)\s*)?(?:weiter\s*(?:laufen|behalten|nutzen)|behalte\w*|bleib\w*|"
    r"laeuft\s+weiter|unveraendert)"
    r"|\bnur\s+(?:(?:die|das|den|meine|mein|meinen)\s+)?[\w\-]*(?:option|paket|pass)",
)
# "kundigen", "kündgen": typed without umlauts or with a letter missing (hand-test item 11).
_CANCEL_RE = re.compile(r"kuendig|\bku(?:e)?ndi?g(?!eb)|beenden|abbestellen|abmelden|stornier|\bcancel|\bterminat", re.IGNORECASE)

# Ordered: more specific words first ("Kabel-Internet" is cable, not dsl). An insurance is its own
# contract with an insurer whatever device it covers ("Handyversicherung bei Wertgarantie",
# hand-test item 3): it comes before the device words (an add-on booked with the telecom provider
# is an option, see _insurance_option).
_INSURANCE_PATTERN = r"versicherung\w*|schutzbrief\w*|geraeteschutz\w*|\bpolice\b|\binsurance\b"
_CONTRACT_TYPE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("insurance", _INSURANCE_PATTERN),
    ("fibre", r"\bglasfaser\w*|\bftth\b|\bfib(?:re|er)\b"),
    ("tv", r"\bkabel\s*(?:-\s*)?(?:tv|fernseh\w*)|\bcable tv\b"),  # cable TV is TV (hand-test item 17)
    ("cable", r"\bkabel\w*|\bkabelanschluss|\bcable\b"),
    ("dsl", r"\bv?dsl\w*|\bdls\b"),
    # "Internet" alone names no technology: a neutral internet contract, never "DSL" (item 17).
    ("internet", r"\binternet\w*|\bwlan\b|\bbreitband\w*"),
    ("landline", r"\bfestnetz\w*|\btelefonanschluss\w*|\blandline\b"),
    ("mobile", r"\bhandy\w*|\bmobilfunk\w*|\bsmartphone\w*|\bsim-?karte\w*|\bprepaid\w*|\bmobilvertrag\w*"
               r"|\bmobile\b|\bphone (?:contract|plan)\b|\bvodafone red\b"),
    ("energy", r"\bstrom\w*|\boekostrom\w*|\belectricity\b"),
    ("gas", r"\b(?:erd)?gas(?:vertrag|liefer\w*|tarif\w*|anbieter|versorg\w*)?\b"),
    ("gym", r"\bfitness\w*|\bgym\b|\bsportstudio\w*|\bmuckibude\b"),
    ("streaming", r"\bstreaming\w*|\bnetflix\b|\bspotify\b|\bdazn\b|\bdisney\s*\+|\bprime video\b"),
    ("tv", r"\bpay-?tv\b|\bfernseh\w*|\btv\b|\bsky\b|\bmagenta\s*tv\b|\bgiga\s*tv\b"),
    ("press", r"\bzeitung\w*|\bzeitschrift\w*|\bmagazin\w*|\bzeitungsabo\w*|\bnewspaper\w*"),
)
_TELECOM_TYPES = frozenset({"mobile", "dsl", "cable", "fibre", "internet", "landline"})
_INSURANCE_WORD_RE = re.compile(
    r"(?<![\w\-])(?P<word>[\w\-]*(?:versicherung|schutzbrief|geräteschutz|geraeteschutz)[\w\-]*)"
    r"|\b(?P<english>(?:(?:phone|mobile|device|handset)\s+)?insurance)\b",
    re.IGNORECASE,
)


# "am neuen Ort gibt es kein Glasfaser", "ohne Festnetz": a kind named as missing is not the contract.
_NEGATED_BEFORE_RE = re.compile(r"\b(?:kein\w*|nicht|ohne|no|not|without)\s+(?:(?:mehr|das|den|die|any)\s+)?$")


def _contract_type(folded: str) -> str | None:
    for contract_type, pattern in _CONTRACT_TYPE_PATTERNS:
        for match in re.finditer(pattern, folded):
            if not _NEGATED_BEFORE_RE.search(folded[: match.start()]):
                return contract_type
    return None


def _insurance_option(
    text: str, folded: str, contract_type: str | None, categories: tuple[str, ...]
) -> tuple[str, str] | None:
    """A device insurance booked as an add-on of a telecom contract ("Handyversicherung bei o2",
    "the phone insurance on my congstar contract"): its name and the contract's type; else None.

    With an insurer (Wertgarantie, or no provider named) the insurance is its own contract
    (hand-test item 3); "Geräteschutz für mein Handy" names a device, no telecom provider."""
    if contract_type != "insurance":
        return None
    match = _INSURANCE_WORD_RE.search(text)
    if match is None:
        return None
    name = (match.group("word") or match.group("english")).strip("-")
    rest = _contract_type(fold(text[: match.start()] + " " + text[match.end():]))
    device = _contract_type(fold(re.sub(r"versicherung|schutz|insurance", " ", name, flags=re.IGNORECASE)))
    if device is None and re.search(r"handy|smartphone|phone|mobil", fold(name)):
        device = "mobile"  # "the phone insurance"
    telecom_provider = bool(set(categories) & _TELECOM_TYPES) and "insurance" not in categories
    kind = next((kind for kind in (rest, device) if kind in _TELECOM_TYPES), None)
    if kind is None or not telecom_provider:
        return None
    return name, kind


def contract_types_named(text: str) -> tuple[str, ...]:
    """Every kind of contract a message names ("doch Gas statt Strom" -> gas, energy), skipping
    one named as not meant ("doch nicht Strom")."""
    folded = fold(text)
    return tuple(
        contract_type
        for contract_type, pattern in _CONTRACT_TYPE_PATTERNS
        if any(not _NEGATED_BEFORE_RE.search(folded[: match.start()]) for match in re.finditer(pattern, folded))
    )


def known_option_name(text: str) -> str | None:
    """The product name of a well-known option named anywhere in `text` ("the StreamOn thing"
    -> "StreamOn"), or None."""
    folded = fold(text)
    for alias, canonical in _NAMED_OPTIONS.items():
        if alias in folded:
            return canonical
    return None


# Capitalised words before a generic "Paket"/"Option" that are not a name ("Mein Paket", "Bitte …").
_NOT_NAME_WORDS = frozenset({
    "ich", "mein", "meine", "meinen", "meinem", "das", "die", "den", "dem", "der", "ein", "eine", "einen",
    "dieses", "diese", "diesen", "unser", "unsere", "ihr", "ihre", "bitte", "nur", "hallo", "hi", "guten",
    "tag", "und", "auch", "noch", "the", "my", "only", "please", "i", "kuendigen", "kuendigung",
})
_NAME_WORD_RE = re.compile(r"(?:^|(?<=\s))(?P<word>[A-ZÄÖÜ][\w\-+]*)\s+$")


def _name_before(text: str, position: int) -> str | None:
    """Up to three capitalised words right before `position` that name an option, or None."""
    words: list[str] = []
    head = text[:position]
    while len(words) < 3:
        match = _NAME_WORD_RE.search(head)
        if match is None or fold(match["word"]) in _NOT_NAME_WORDS:
            break
        words.insert(0, match["word"])
        head = head[: match.start("word")]
    return " ".join(words) or None


def _name_word(word: str) -> bool:
    folded = fold(word)
    return bool(re.search(r"[^\W_]", word)) and folded not in _NAME_STOP_WORDS and not (
        _CANCEL_RE.search(folded) or _CONTRACT_WORD_RE.search(folded) or re.fullmatch(r"[0-9.]+", folded)
    )


def _name_next_to(text: str, start: int, end: int) -> str | None:
    """The name of an option next to the generic word at text[start:end] that no capitalised word
    before it names: quoted after it ("Option 'Roaming Paket Welt'"), lower-case words before it
    ("feste ip option"), or capitalised words after it ("Option Vodafone Pass Music zum ...")."""
    quoted = _QUOTED_RE.match(text, end)
    if quoted:
        return quoted.group("name").strip() or None
    before: list[str] = []
    for word in reversed(text[:start].split()[-_MAX_OPTION_NAME_WORDS:]):
        if not _name_word(word) or word[-1] in ".,;:!?)":
            break
        before.insert(0, word)
    if before:
        return " ".join(before)
    after: list[str] = []
    for word in text[end:].split()[:_MAX_OPTION_NAME_WORDS]:
        bare = word.rstrip(".,;:!?)")
        if not bare or not bare[0].isupper() or not _name_word(bare):
            break
        after.append(bare)
        if bare != word:
            break
    return " ".join(after) or None


def _option(text: str, folded: str) -> tuple[bool, str | None, int | None]:
    """Whether an option is mentioned, its specific name if any, and where."""
    for alias, canonical in _NAMED_OPTIONS.items():
        position = folded.find(alias)
        if position >= 0:
            return True, canonical, position
    for match in _OPTION_WORD_RE.finditer(text):
        word = match.group("word")
        folded_word = fold(word)
        if folded_word in _NOT_OPTIONS or folded_word.endswith(("reisepass", "personalausweis")):
            continue
        if folded_word in _GENERIC_OPTION_WORDS:
            named = _name_before(text, match.start("word"))
            if named and not _QUOTED_RE.match(text, match.end("word")):
                # "das Sky Sport Paket" (hand-test item 7): the words before name it
                return True, f"{named} {word.strip('-')}", match.start("word") - len(named) - 1
            return True, _name_next_to(text, match.start("word"), match.end("word")), match.start("word")
        if folded_word.endswith(("option", "optionen", "paket", "pakete", "pass", "baustein")):
            name = word.strip("-")
            return True, name, match.start("word")
    products = [(position, alias) for alias in _PRODUCT_OPTIONS if (position := folded.find(alias)) >= 0]
    if products:
        position, alias = min(products)
        return True, _PRODUCT_OPTIONS[alias][0], position
    return False, None, None


# "Getränkeflat im Fitnessstudio kündigen, McFit Mitgliedschaft soll bleiben": what the message
# names first, before where it is booked or the verb, is cancelled while the contract stays.
_FIRST_OBJECT_RE = re.compile(
    r"\s*(?:(?:das|die|den|mein|meine|meinen)\s+)?(?P<name>[A-ZÄÖÜ][\w\-+]*(?:\s[A-ZÄÖÜ][\w\-+]*){0,2})"
    r"\s+(?:im|bei|beim|in|von|vom|kündigen|kuendigen|abbestellen|beenden)\b"
)


def _object_while_contract_stays(text: str, folded: str, directory: Directory) -> str | None:
    if not _KEEP_CONTRACT_RE.search(folded) or not _CANCEL_RE.search(folded):
        return None
    match = _FIRST_OBJECT_RE.match(text)
    if match is None:
        return None
    name = match.group("name")
    folded_name = fold(name)
    if _CONTRACT_WORD_RE.search(folded_name) or _CANCEL_RE.search(folded_name) or directory.match(name) is not None:
        return None
    if _contract_type(folded_name) is not None:
        return None  # "Festnetz bei der Telekom kündigen, der Handyvertrag bleibt": a contract of its own
    return name


def _subject_kind(
    folded: str, option_found: bool, option_position: int | None, contract_type: str | None, provider: str | None
) -> str | None:
    contract_match = _CONTRACT_WORD_RE.search(folded)
    if option_found:
        if _KEEP_CONTRACT_RE.search(folded) or contract_match is None:
            return "option"
        # Both mentioned: the one named first is what is being cancelled
        # ("die Datenoption in meinem Handyvertrag" vs "den Vertrag inkl. aller Optionen").
        first_is_option = option_position is not None and option_position <= contract_match.start()
        return "option" if first_is_option else "contract"
    if contract_match is not None and _CANCEL_RE.search(folded):
        return "contract"
    if _CANCEL_RE.search(folded) and (contract_type or provider):
        return "contract"
    return None


# --------------------------------------------------------------------------
# address


Address = tuple[str | None, str | None, str | None, str | None]  # street, postcode, city, country
NO_ADDRESS: Address = (None, None, None, None)
# A sender block is at most name, street and town above its country line.
_BLOCK_LINES = 3


def _foreign_block(lines: list[str], index: int) -> Address | None:
    """The sender's address abroad ending at line `index`: a country line ("Österreich",
    "SCHWEIZ", "Netherlands") under postcode and town, or a town line that ends with the country
    ("A-1060 Wien, Österreich"). A French postcode has five digits like a German one: the
    country line tells them apart. None when the line ends no such block."""
    line = lines[index]
    if is_foreign(country_named(line)):
        block = lines[max(0, index - _BLOCK_LINES): index + 1]
    elif is_foreign(split_country(line)[1]) and re.search(r"[0-9]", line):
        block = lines[max(0, index - _BLOCK_LINES + 1): index + 1]
    else:
        return None
    block = [part for part in block if part][-_BLOCK_LINES:]
    try:
        parts = parse_address("\n".join(block))
    except InvalidInput:
        return None
    if parts.country is None or not (parts.postcode and parts.city):
        return None
    return parts.street, parts.postcode, parts.city, parts.country


def _address(text: str, directory: Directory) -> Address:
    """The user's own address: the first address block that is not a provider's. A block is a
    provider's when postcode and street match a directory address; users live at the same
    postcodes (EWE TEL's 26133 Oldenburg is a residential area), and a postcode without a street
    in the directory (None) is a large recipient's own. A block that ends with a country abroad is
    a sender abroad (cancellation/countries.py); the first block of a letter is its sender's."""
    provider_streets: dict[str, set[str | None]] = {}
    for provider in directory.providers:
        for address in (provider.address, *provider.alternative_addresses):
            if address is not None:
                provider_streets.setdefault(address.postcode, set()).add(
                    None if address.street is None else street_key(address.street)
                )
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        abroad = _foreign_block(lines, index)
        if abroad is not None:
            return abroad
        match = re.search(r"(?<![0-9])[0-9]{5}(?![0-9])\s+[A-ZÄÖÜ]", line)
        if not match or (index + 1 < len(lines) and is_foreign(country_named(lines[index + 1]))):
            continue  # no German town line, or a town abroad whose country follows
        postcode = match.group(0)[:5]
        streets = provider_streets.get(postcode, set())
        if None in streets:
            continue
        block = "\n".join(lines[max(0, index - 1): index + 1])
        try:
            parts = parse_address(block)
        except InvalidInput:
            continue
        if parts.postcode == postcode and parts.city and street_key(parts.street) not in streets:
            return parts.street, parts.postcode, parts.city, None
    return NO_ADDRESS


# Words of at most 60 characters: each capital letter starts at most a bounded attempt.
_INLINE_ADDRESS_RE = re.compile(
    r"(?P<street>[A-ZÄÖÜ][\w.\-]{0,60}(?:\s+[\w.\-]{1,60}){0,3}?\s*(?:stra(?:ß|ss)e|str\.|weg|platz|allee|gasse|ring|damm)"
    r"\s+[0-9]{1,4}\s?[a-zA-Z]?(?:-[0-9]{1,4})?)\s*,?\s*(?:in\s+)?(?P<postcode>[0-9]{5})\s+(?P<city>[A-ZÄÖÜ][\w\-]*)"
)


def _inline_address(text: str) -> Address:
    match = _INLINE_ADDRESS_RE.search(text)
    if not match:
        return NO_ADDRESS
    try:
        parts = parse_address(f"{match['street']}, {match['postcode']} {match['city']}")
    except InvalidInput:
        return NO_ADDRESS
    return parts.street, parts.postcode, parts.city, None


# --------------------------------------------------------------------------


_WHITESPACE_RUN_RE = re.compile(r"\s+")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def squeeze_whitespace(text: str) -> str:
    """Each run of whitespace as one line break (if it holds one) or one space: how much space
    separates words never changes a fact, and no pattern then meets a long run of it."""
    return _WHITESPACE_RUN_RE.sub(
        lambda run: "\n" if any(ch in _LINE_BREAKS for ch in run.group()) else " ", text
    )


# "Zeitungsabo bei der Lokalzeitung Nordkurier": a company the directory does not know, named after
# "bei": capitalised words (German nouns are capitalised too, so a few are no company).
_NAMED_AFTER_BEI_RE = re.compile(
    r"\bbei\s+(?:der|dem|den|die|einer|einem)?\s*"
    r"(?P<name>[A-ZÄÖÜ][\w&.'\-]*(?:\s+(?:[A-ZÄÖÜ0-9][\w&.'\-]*|&|und|u\.|Co\.?))*)"
)
_NOT_A_COMPANY_RE = re.compile(
    r"\b(?:\w*kuendigung\w*|frage\w*|hilfe|suche|erstellung|problem\w*|umzug|tod|todesfall|"
    r"vertrag\w*|anbieter\w*|firma|gesellschaft|mir|uns|ihnen|ihm|ihr|post|e-?mail|ende|beginn|"
    r"[\w\-]*hotline[\w\-]*|service[\w\-]*|warteschleife|callcenter|support|"  # "bei der Hotline angerufen" (item 4)
    r"laufzeit|frist\w*|mindestlaufzeit|ihre[mnr]?|meine[mnr]?|kunden\w*|mitglied\w*|preis\w*|bedarf|gelegenheit|\w*fragen|seit|ab|bis)\b"
)
_ABSTRACT_NOUN_RE = re.compile(r"(?:ung|heit|keit|schaft|tion|tum)$")
MAX_NAMED_PROVIDER_WORDS = 4


def _named_provider(text: str) -> str | None:
    """An unknown provider named after "bei", or None. The name ends before a word that names no
    company ("bei Muckibude Mitglied" -> "Muckibude"); a kind of contract alone is no name."""
    match = _NAMED_AFTER_BEI_RE.search(text)
    if match is None:
        return None
    words: list[str] = []
    for word in match.group("name").split():
        if _NOT_A_COMPANY_RE.fullmatch(fold(word).strip(".,")):
            break
        words.append(word)
    name = " ".join(words).strip(" .-&")
    if not name or len(words) > MAX_NAMED_PROVIDER_WORDS or name.split()[-1] in ("und", "u.", "&"):
        return None
    if len(words) == 1 and (_contract_type(fold(name)) is not None or _ABSTRACT_NOUN_RE.search(fold(name))):
        return None  # "bei Glasfaser", "bei Preiserhöhung"
    return name


def extract_facts(text: str, today: date, directory: Directory | None = None) -> Facts:
    """Facts clearly stated in `text`; every field not stated stays None/False."""
    if not isinstance(text, str) or not text.strip():
        return Facts()
    text = squeeze_whitespace(text[:MAX_EXTRACTION_CHARS])
    directory = directory or load_directory()
    folded = fold(text)

    match = directory.match(text)
    provider = match.provider.key if match else None

    contract_type = _contract_type(folded)
    if contract_type is None and match and len(match.provider.categories) == 1:
        contract_type = match.provider.categories[0]

    option_found, option_name, option_position = _option(text, folded)
    if not option_found:
        option_name = _object_while_contract_stays(text, folded, directory)
        option_found, option_position = option_name is not None, 0 if option_name else None
    add_on = _insurance_option(text, folded, contract_type, match.provider.categories if match else ())
    if add_on is not None:
        # The insurance is what is cancelled; the telecom contract runs on.
        contract_type = add_on[1]
        subject_kind = "option"
        option_name = option_name or add_on[0]
    else:
        subject_kind = _subject_kind(folded, option_found, option_position, contract_type, provider)
    if subject_kind != "option":
        option_name = None
    if contract_type is None and match and subject_kind != "option" and re.search(r"mitgliedschaft|membership", folded):
        # "ADAC Mitgliedschaft": a known provider's membership of no kind we know. Without the
        # provider it stays open: a gym named later decides (actions/form.py).
        contract_type = "other"
    if subject_kind == "option" and contract_type is None:
        # "Datenautomatik bei o2": o2 has several kinds of contract, the option names its own.
        contract_type = next((kind for name, kind in _PRODUCT_OPTIONS.values() if name == option_name), None)

    street, postcode, city, country = _inline_address(text)
    if postcode is None:
        street, postcode, city, country = _address(text, directory)

    return Facts(
        end_date=_end_date(folded, today),
        end_asap=bool(_END_ASAP_RE.search(folded)),
        customer_number=_reference(_CUSTOMER_NUMBER_RE, text),
        contract_number=_reference(_CONTRACT_NUMBER_RE, text),
        phone_number=_phone(text),
        email=_email(text),
        street=street,
        postcode=postcode,
        city=city,
        country=country,
        subject_kind=subject_kind,
        option_name=option_name,
        contract_type=contract_type,
        provider=provider,
        full_name=_signature(text),
        provider_name=None if match else _named_provider(text),
    )

"""A sender who lives abroad: the country named at the end of an address, and its postcodes.

A letter to a German company from someone abroad carries the country as the last line of the
sender's address, in capitals (DIN 5008); without it the reply cannot reach them. Countries are
recognised by their German, English or own name; the letter prints the German name.
"""

from __future__ import annotations

import re
from typing import Optional, Tuple

from cancellation.replies import fold

GERMANY = "Deutschland"

# German name -> other names people write (folded: lower case, umlauts spelled out, no accents).
_NAMES = {
    GERMANY: ("deutschland", "germany", "brd", "bundesrepublik deutschland"),
    "Österreich": ("oesterreich", "austria", "at"),
    "Schweiz": ("schweiz", "switzerland", "suisse", "svizzera", "ch"),
    "Liechtenstein": ("liechtenstein",),
    "Italien": ("italien", "italy", "italia"),
    "Frankreich": ("frankreich", "france"),
    "Niederlande": ("niederlande", "netherlands", "the netherlands", "holland", "nederland"),
    "Belgien": ("belgien", "belgium", "belgique", "belgie"),
    "Luxemburg": ("luxemburg", "luxembourg"),
    "Dänemark": ("daenemark", "denmark", "danmark"),
    "Polen": ("polen", "poland", "polska"),
    "Tschechien": ("tschechien", "czechia", "czech republic", "cesko", "tschechische republik"),
    "Spanien": ("spanien", "spain", "espana"),
    "Portugal": ("portugal",),
    "Schweden": ("schweden", "sweden", "sverige"),
    "Norwegen": ("norwegen", "norway", "norge"),
    "Finnland": ("finnland", "finland", "suomi"),
    "Irland": ("irland", "ireland", "eire"),
    "Vereinigtes Königreich": (
        "vereinigtes koenigreich", "united kingdom", "uk", "england", "great britain",
        "grossbritannien", "schottland", "scotland", "wales",
    ),
    "Griechenland": ("griechenland", "greece"),
    "Türkei": ("tuerkei", "turkey", "turkiye"),
    "Ungarn": ("ungarn", "hungary", "magyarorszag"),
    "Kroatien": ("kroatien", "croatia", "hrvatska"),
    "Slowenien": ("slowenien", "slovenia", "slovenija"),
    "Slowakei": ("slowakei", "slovakia", "slovensko"),
    "Rumänien": ("rumaenien", "romania"),
    "Bulgarien": ("bulgarien", "bulgaria"),
    "Vereinigte Staaten": ("vereinigte staaten", "usa", "united states", "united states of america", "us"),
}
_BY_NAME = {name: german for german, names in _NAMES.items() for name in names}
# Two-letter codes only as a segment of their own ("…, 1010 Wien, AT"), never as a word in a city.
_CODES = frozenset(name for name in _BY_NAME if len(name) == 2)

# Postcodes of the countries above that are not five digits, or are written with letters.
FOREIGN_POSTCODE = (
    r"(?:[A-Z]{1,2}\s?-\s?)?[0-9]{4,5}(?:\s?[A-Z]{2}(?![a-z]))?"  # AT/CH/DK/BE/NL ("1075 KZ"), IT/FR/ES
    r"|[0-9]{2}-[0-9]{3}"  # PL
    r"|[0-9]{4}-[0-9]{3}"  # PT
    r"|[0-9]{3}\s?[0-9]{2}"  # SE, CZ, SK, GR
    r"|[A-Z]{1,2}[0-9][0-9A-Z]?\s?[0-9][A-Z]{2}"  # UK
    r"|[A-Z][0-9]{2}\s?[A-Z0-9]{4}"  # IE (Eircode)
)
_FOREIGN_POSTCODE_RE = re.compile(rf"(?:{FOREIGN_POSTCODE})", re.IGNORECASE)


def country_named(text: str) -> Optional[str]:
    """The German name of the country `text` names as a whole ("Italy" -> "Italien"), or None."""
    return _BY_NAME.get(" ".join(fold(text).strip(" .,;").split()))


def split_country(text: str) -> Tuple[str, Optional[str]]:
    """`text` without a country at its end, and that country's German name ("Deutschland" for a
    domestic address); (text, None) when no country ends it."""
    stripped = text.rstrip(" .,;\n")
    segments = re.split(r"[,;\n]", stripped)
    last = segments[-1].strip()
    if len(segments) > 1:
        country = country_named(last)
        if country is not None:
            return stripped[: len(stripped) - len(segments[-1])].rstrip(" ,;\n"), country
    # "39100 Bozen Italien": the country as the last word(s) of the city part.
    words = last.split()
    for size in (3, 2, 1):
        if len(words) > size:
            tail = " ".join(words[-size:])
            if fold(tail) in _CODES:
                continue
            country = country_named(tail)
            if country is not None:
                head = stripped[: len(stripped) - len(last)] + " ".join(words[:-size])
                return head.rstrip(" ,;\n"), country
    return text, None


def is_foreign(country: Optional[str]) -> bool:
    return bool(country) and country != GERMANY


def foreign_postcode(text: str) -> Optional[str]:
    """A postcode of another country written as a whole ("1010", "1075 KZ", "00-950"), upper case."""
    candidate = " ".join(text.split())
    if _FOREIGN_POSTCODE_RE.fullmatch(candidate):
        return candidate.upper()
    return None


def printed(country: Optional[str]) -> str:
    """The country line of a sender abroad (DIN 5008: capitals); empty for Germany or none."""
    return country.upper() if is_foreign(country) else ""

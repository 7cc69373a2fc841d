"""Which language a user writes in, and when the conversation switches to it.

The assistant speaks German by default and English with users who write English or ask for it
(the `language` slot, cancellation/texts.py). Three signals, strongest first:

1. An explicit request: "English please", "do you speak English?", "auf Deutsch bitte",
   "in German please" (`explicit_request`). Always switches.
2. The words of the message (`written_language`): a score of function words ("the", "my", "I",
   "don't" against "der", "mein", "ich", "nicht"). Only a message of at least `MIN_WORDS` words
   with at least `MIN_HITS` hits, clearly more in one language than the other, counts. Short or
   ambiguous answers ("ok", "ja", "Vodafone", "Erika Mustermann", "10115 Berlin") never switch.
3. A hint from the channel (Telegram's `language_code`, the web page's language): used only
   while the conversation has no language yet.

`next_language` combines them; bot/rasa_patches.py (`conversation_language`) applies it to
every user message before Rasa predicts a reply, so the reply is already in the new language.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from cancellation.replies import fold, gives_no_value
from cancellation.vocabulary import Language

# Message metadata keys that carry a first hint: Telegram's app language
# (bot/channels/telegram/updates.py) and the web page's language (bot/web/static/chat.js).
HINT_KEYS = ("language_hint", "language")

MIN_WORDS = 3
MIN_HITS = 2
# An explicit request is a short message; a long one that mentions "English" is about something else.
MAX_REQUEST_WORDS = 9

# Words that are frequent in one language and rare in the other (folded: umlauts spelled out).
# Left out on purpose: words both languages use ("in", "was", "will", "an", "am", "so", "also",
# "hat", "man", "war", "rest", "bank", "ok", "handy", "online", "internet", "e-mail").
_ENGLISH = frozenset(
    """
    the a i i'm im i've ive i'd you your you're my me mine we our us he she they them their it its
    it's this that these those is are be been being were do does did don't dont doesn't
    didn't not no yes have has had having would could should can can't cant cannot won't
    shall may might must to of and or but for with from by at on about into over after before
    than then there here what which who whom whose when where why how please thanks thank want
    wanted need needs like cancel cancelling canceling cancellation contract subscription
    know understand speak english help hello hi hey sorry just only any some every all
    next possible end date number address customer phone month months year
    years since ago today tomorrow letter send sent received got get yet already
    """.split()
)
_GERMAN = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines ich mich mir mein meine meinen
    meinem meiner sie ihr ihre ihren ihnen du dich dir dein deine wir uns unser unsere er es sie
    ist sind bin bist sein war waren habe hab haben hatte hatten wurde wurden werden kann koennen
    kannst moechte moechten moecht muss muessen soll sollte wuerde wuerden nicht kein keine
    keinen ja nein nee doch und oder aber fuer mit von zu zum zur bei beim auf aus nach vor
    seit ueber unter durch gegen ohne um wie wo wann warum wieso weshalb wer welche welcher
    welches bitte danke gerne hallo moin servus tschuess kuendigen kuendigung kuendige gekuendigt
    vertrag vertrages abo weiss nummer anschrift strasse kundennummer monat monate monaten jahr
    jahre jahren heute morgen gestern schon noch auch nur mal jetzt dann denn weil dass ob
    brief bestaetigung anbieter sprechen deutsch hilfe mehr gibt geht gut
    """.split()
)

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")

# Explicit requests, matched on the folded words of a short message.
_TO_ENGLISH = re.compile(r"\b(?:english|englisch|englische|engl)\b")
_TO_GERMAN = re.compile(r"\b(?:german|deutsch|deutsche)\b")
# "Ich spreche kein Deutsch", "I don't speak German": a request for the other language.
# "Only a little German" too; a leading "no"/"nein" is mostly a reply to a question, not a negation.
_NEGATIONS = frozenset(
    "kein keine nicht not don't dont doesn't can't cant cannot little wenig bisschen schlecht badly poorly".split()
)
_REQUEST_WORDS = re.compile(
    r"\b(?:please|pls|plz|bitte|speak|spreche?n?|sprichst|talk|write|schreiben|switch|change|"
    r"wechseln|continue|weiter|can|could|do|does|kannst|koennen|koennten|gerne?|only|nur|"
    r"language|sprache|in|auf|ok|okay|lieber|rather|prefer|i|ich|you|sie|du|we|wir|no|nein|"
    r"sorry|entschuldigung|don't|dont|verstehe|understand|kein|keine|not|nicht|is|there|gibt|"
    r"es|version|the|bot|chat|hello|hi|hallo|let's|lets|us|mit|mir|me|to|auch|also|my|mein|"
    r"spoken|reden|answer|antworten|antwort|reply|doesn't|can't|cant|cannot|good|gut|well|"
    r"very|sehr|little|wenig|bisschen|schlecht|badly|poorly|a|read|lesen|so|well|much)\b"
)


def words(text: str) -> list[str]:
    """The folded words of `text` ("Don't" -> "don't", "Straße" -> "strasse")."""
    folded = fold(text).replace("\u2019", "'")
    return _WORD.findall(folded)


def explicit_request(text: Any) -> Optional[Language]:
    """The language a user explicitly asks for ("English please", "auf Deutsch bitte"), or None.

    Only short messages made of a language name and request words count: "Ich kündige meinen
    Englischkurs" or "my contract with English Lessons Ltd" are not requests.
    """
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return None
    found = words(text)
    if not found or len(found) > MAX_REQUEST_WORDS:
        return None
    joined = " ".join(found)
    english = bool(_TO_ENGLISH.search(joined))
    german = bool(_TO_GERMAN.search(joined))
    if english == german:
        return None
    rest = _TO_ENGLISH.sub(" ", joined) if english else _TO_GERMAN.sub(" ", joined)
    leftovers = [word for word in rest.split() if not _REQUEST_WORDS.fullmatch(word)]
    if leftovers:
        return None
    wanted = Language.EN if english else Language.DE
    if _NEGATIONS.intersection(found):
        return Language.DE if wanted is Language.EN else Language.EN
    return wanted


def written_language(text: Any) -> Optional[Language]:
    """The language a message is clearly written in, or None when it is short or unclear."""
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return None
    found = words(text)
    if len(found) < MIN_WORDS:
        return None
    english = sum(word in _ENGLISH for word in found)
    german = sum(word in _GERMAN for word in found)
    if english >= MIN_HITS and english >= 2 * german + 1:
        return Language.EN
    if german >= MIN_HITS and german >= 2 * english + 1:
        return Language.DE
    return None


def hint_of(metadata: Any) -> Optional[Language]:
    """The channel's language hint in message metadata ("en", "en-US", "de-DE"), or None."""
    if not isinstance(metadata, Mapping):
        return None
    for key in HINT_KEYS:
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            parsed = Language.parse(value.strip().lower().replace("_", "-").split("-")[0])
            if parsed is not None:
                return parsed  # type: ignore[return-value]
    return None


def next_language(current: Any, text: Any, metadata: Any = None) -> Optional[Language]:
    """The conversation's language after this message, or None if it stays as it is.

    `current` is the `language` slot's value (None before anything was decided).
    """
    current_language = Language.parse(current) if current else None
    decided = explicit_request(text) or written_language(text)
    if (decided is Language.DE and current_language is Language.EN and explicit_request(text) is None
            and gives_no_value(text)):
        # "ich weiß nicht", "keine Ahnung": German stock answers many English speakers use; the
        # chosen English stays (German is the default, so "I don't know" still switches to English).
        return None
    if decided is None and current_language is None:
        decided = hint_of(metadata)
    if decided is None or decided == current_language:
        return None
    return decided

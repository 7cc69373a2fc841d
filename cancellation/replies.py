"""One text folding function and one recogniser for short yes / no / "don't know" replies.

Every module that matches keywords folds with `fold`, and every question that takes a yes/no
answer (the summary, special-termination facts, the dispatch offer, optional questions that may be
answered with "hab ich nicht") classifies it with `classify_reply`: one vocabulary, German and
English, instead of one slightly different list per module.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from cancellation.vocabulary import Reply

# Longer than this is a sentence with content, not a short reply.
MAX_REPLY_CHARS = 100


def fold(text: str) -> str:
    """Lower-case, umlauts spelled out, accents removed: "Straße" -> "strasse", "Ü" -> "ue"."""
    lowered = str(text).casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        lowered = lowered.replace(umlaut, spelled)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def street_key(street: object) -> str:
    """A street as compared with another: "Musterstraße 5", "musterstr. 5" and "Musterstr 5" are
    equal."""
    folded = fold(str(street or "")).replace("strasse", "str")
    return re.sub(r"[^a-z0-9]", "", folded)


def normalise_reply(text: str) -> str:
    """Folded, punctuation and emoji dropped, single spaces: "Ja, klar!! 👍" -> "ja klar"."""
    folded = fold(text)
    folded = re.sub(r"[^\w\s/-]+", " ", folded)
    return " ".join(folded.split())


_UNKNOWN = [
    # German: "don't know", "don't have it", "not at hand", "skip"
    # "weis" and "weiss": the usual typing of "weiß" without ß
    r"(ich )?weiss? (ich )?(es |das |die nummer |den |die |sie )?(leider )?nicht( genau| mehr| so genau)?",
    r"weis nicht|weiss net|woass ned|wees nich|k(ei|a)ne? ahnung|null ahnung|ka|k a",
    r"(das |die |den |es )?(hab|habe|hab e) ich (leider |grad |gerade )?(nicht|keine|keinen|nich|net)"
    r"( zur hand| parat| da| hier| mehr)?",
    r"(ich )?(hab|habe|hab e)s? (leider |grad |gerade )?(keine|keinen|keins|sie nicht|die nicht|den nicht|nicht|nich|net|kein)"
    r"( zur hand| parat| da| hier| mehr)?",
    r"(hab|habe) (ich )?keine?n?( (nummer|kennzahl|kennwort|passwort|kundennummer|vertragsnummer|e-?mail|mail))?",
    r"kein(e|en|s)?( (nummer|angabe|e-?mail|mail|kennzahl|kennwort|passwort|kundennummer|vertragsnummer))?",
    r"(ich )?kenne? (ich )?(sie |die |das |es |ihn |den )?(leider )?nicht( mehr)?|(ich )?erinnere mich nicht",
    r"(ich )?(weiss?|kenne?) (sie |die |das |es |ihn |den )?(leider )?nicht( mehr)?",
    r"nicht (vorhanden|bekannt|zur hand|parat|da)",
    r"(mir )?unbekannt|unklar|(bin mir )?unsicher|(bin mir )?nicht sicher|vergessen|(hab|habe) (ich )?vergessen",
    r"(bitte )?ueberspring(en)?( bitte)?|skip|auslassen|weglassen|egal",
    r"gibt es nicht|gibts nicht|brauch(e)? ich nicht|moechte ich nicht( angeben)?|will ich nicht( angeben)?",
    r"n/?a|-+|x|\?+",
    # English
    r"(i )?(do not|don t|dont) know|no idea|not sure|unknown|dunno|idk",
    r"(i )?(do not|don t|dont) have (it|one|that|any|a|an|my|the)( (customer|contract|phone))?"
    r"( (number|password|e-?mail|mail|address|e-?mail address))?( at hand| with me| here)?|(i )?have none|none|n a",
    r"(i )?forgot( it)?|(i )?(do not|don t|dont) remember( it)?|not at hand|not available|skip( it| this)?|pass",
]
_YES = [
    r"ja+|jo+|jop|jep|jup|jau|joa|jawohl|ja(wohl)? (bitte|gerne?|klar|genau|passt|richtig|korrekt|das stimmt)",
    r"genau|passt( so)?|stimmt( so| alles)?|korrekt|richtig|(ist )?alles (richtig|korrekt|gut|ok|okay)|"
    r"ok(ay)?|oki|kk|k|gerne?|klar( doch)?|sicher|natuerlich|selbstverstaendlich|einverstanden|"
    r"mach( das| mal| ma)?|machen (sie|wir) (das|es)?|auf jeden fall|unbedingt|bitte|bitte ja|ja bitte|"
    r"yes+|yeah|yep|yup|sure|of course|ok(ay)? (go|do it)|go ahead|do it|please( do)?|correct|right|"
    r"that s right|that is right|absolutely|fine|sounds good",
]
_NO = [
    r"nein+|ne+|noe+|nö+|nee+|na|nix( da)?|ne danke|nein danke|danke nein|lieber nicht|besser nicht|"
    r"auf keinen fall|keinesfalls|niemals|nicht (noetig|notwendig|gewuenscht)|brauch(e)? ich nicht|"
    r"will ich nicht|moechte ich nicht|stimmt nicht|falsch",
    r"no+|nope|nah|no thanks?|no thank you|not now|rather not|don t|dont|do not|never|wrong",
]


def _alternatives(patterns: list) -> "re.Pattern[str]":
    return re.compile(r"^(?:" + "|".join(f"(?:{pattern})" for pattern in patterns) + r")$")


_UNKNOWN_RE = _alternatives(_UNKNOWN)
_YES_RE = _alternatives(_YES)
_NO_RE = _alternatives(_NO)
# "ja, aber ..." / "nein, weil ..." : the first word carries the answer.
_LEADING_YES = re.compile(r"^(ja|jo|jep|yes|yeah|yep|klar|genau|ok|okay)\b")
_LEADING_NO = re.compile(r"^(nein|ne|nee|noe|no|nope|nah)\b")


def classify_reply(text: str) -> Optional[Reply]:
    """YES, NO or UNKNOWN for a short reply; None when the text is not such a reply.

    Checked in that order of specificity: "weiß ich nicht" is UNKNOWN although it contains "nicht",
    "nein danke" is NO. Long texts are never a short reply.
    """
    whole = whole_reply(text)
    if whole is not None:
        return whole
    if not isinstance(text, str) or len(text) > MAX_REPLY_CHARS:
        return None
    reply = normalise_reply(text)
    if _LEADING_NO.match(reply):
        return Reply.NO
    if _LEADING_YES.match(reply):
        return Reply.YES
    return None


def whole_reply(text: str) -> Optional[Reply]:
    """Like `classify_reply`, but only when the whole text is the reply: "ja" and "weiß nicht"
    are, "Klar Energie GmbH" (a name that starts with a yes word) is not."""
    if not isinstance(text, str) or len(text) > MAX_REPLY_CHARS:
        return None
    reply = normalise_reply(text)
    if not reply:
        return None
    if _UNKNOWN_RE.match(reply):
        return Reply.UNKNOWN
    if _NO_RE.match(reply):
        return Reply.NO
    if _YES_RE.match(reply):
        return Reply.YES
    return None


def gives_no_value(text: str) -> bool:
    """The whole answer says "no value": unknown ("hab ich nicht", "k.A.") or no ("nein", "none").

    Unlike `classify_reply`, a leading "nein, ..." is not enough: "nein, sie ist 4711" has a value.
    """
    if not isinstance(text, str) or len(text) > MAX_REPLY_CHARS:
        return False
    reply = normalise_reply(text)
    return bool(reply) and bool(_UNKNOWN_RE.match(reply) or _NO_RE.match(reply))


def is_unknown_answer(text: str) -> bool:
    """True for "hab ich nicht", "keine Ahnung", "nicht zur Hand", "weiss nicht", "skip" ...

    Such an answer to an optional question means "unknown": it is stored as a marker and never
    printed as a value.
    """
    return classify_reply(text) is Reply.UNKNOWN

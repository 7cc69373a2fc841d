"""A clear change of mind inside the letter interview.

Inside the interview a bare answer is an answer to the open question: "Vodafone", "Erika Muster",
"Hauptstr. 5". Some messages answer no question, though: "doch lieber nur die Option", "ach nein,
den ganzen Vertrag", "doch nicht kündigen". They change what the letter is about, or end the
interview, whatever question is open. `change_of_mind` recognises them from the words and what is
known so far, so every question of the interview honours them the same way (actions/form.py).

A named subject only counts when it differs from the one chosen and the message says it is a
change ("doch", "lieber", "nur", "ganz", "actually", "only" ...), or the open question cannot be
answered with such words (a name, an address, a number). A provider's name may contain
"Paket" or "Abo", a kind of contract "TV-Paket": there a change must be said.
"""

from __future__ import annotations

import re
from typing import Optional

from cancellation.extraction import contract_types_named
from cancellation.replies import fold
from cancellation.vocabulary import ChangeOfMind, SubjectKind

_OPTION_RE = re.compile(
    r"\b\w*option(?:en)?\b|\b\w*paket\b|\bzusatz\w*|\badd-?ons?\b|\bextras?\b|\bmulti-?(?:card|sim)\b"
)
_CONTRACT_RE = re.compile(
    r"\b\w*vertrag\w*|\bganze[nrs]?\b|\bkomplett\w*|\bgesamte[nrs]?\b|\bmitgliedschaft\b|\babo\b"
    r"|\bcontract\b|\bwhole\b|\bentire\b|\bmembership\b|\bsubscription\b"
)
# Words that say "I changed my mind" rather than "here is my answer".
_CHANGE_RE = re.compile(
    r"\b(?:doch|lieber|eher|stattdessen|statt|eigentlich|nein|nee|ne|ach|oh|oops|sorry|nur|"
    r"ganze[nrs]?|komplett\w*|gesamte[nrs]?|actually|rather|instead|only|just|whole|entire|no|wait)\b"
)
# "nur die Option" names the meant subject; "nicht nur die Option" ("not only") does not.
_ONLY_RE = re.compile(r"(?<!nicht )(?<!not )\b(?:nur|only|just)\b")
# A subject named only to be refused: "keine Option!", "nicht den ganzen Vertrag", "not the option".
_REFUSED_RE = re.compile(
    r"\b(?:kein(?:e[nrs]?)?|nicht|not)\s+(?:(?:die|den|das|der|ein\w*|the|an?)\s+)?"
    r"(?:(?:ganze[nrs]?|gesamte[nrs]?|komplette[nrs]?|whole|entire)\s+)?(?P<word>[\w-]+)"
)
# Questions whose answers may contain such words without meaning a change: company names
# ("Abo-Service GmbH"), kinds of contract ("DSL mit TV-Paket").
_DESCRIPTIVE_QUESTIONS = frozenset({"provider", "provider_address", "contract_type"})

_NOT_CANCELLING = re.compile(
    # "doch nicht kündigen", "ich will nicht mehr kündigen", "keine Kündigung", "nicht den Vertrag kündigen"
    r"\b(?:nicht|nich|net|nimmer|keine?)\s+(?:mehr\s+)?(?:\w+\s+){0,3}?kuendig\w*"
    # "kündige ich doch nicht", "kündigen will ich nicht mehr"
    r"|\bkuendig\w*\s+(?:\w+\s+){0,2}?(?:nicht|nich|net)\b"
    # "ich behalte den Vertrag doch", "behalte ihn lieber"
    r"|\bbehalte\w*\s+(?:\w+\s+){0,3}?(?:doch|lieber)\b|\b(?:doch|lieber)\s+behalte\w*"
    # English: "I don't want to cancel", "no longer want to cancel", "changed my mind", "keep it"
    r"|\b(?:don't|dont|do not|not|no longer|won't|wont|never)\s+(?:\w+\s+){0,3}?cancel\w*"
    r"|\bchanged my mind\b|\b(?:i'll|i will|i'd rather|rather)\s+keep\b"
)


def _first_named(folded: str) -> Optional[SubjectKind]:
    option = _OPTION_RE.search(folded)
    contract = _CONTRACT_RE.search(folded)
    if option and (contract is None or option.start() < contract.start()):
        return SubjectKind.OPTION
    return SubjectKind.CONTRACT if contract else None


def _without_refused_subject(match: re.Match) -> str:
    word = match.group("word")
    refused = _OPTION_RE.fullmatch(word) or _CONTRACT_RE.fullmatch(word)
    return " " if refused else match.group(0)


def named_subject(text: str) -> Optional[SubjectKind]:
    """The subject a message names: a single option or the whole contract, or None. Where both
    are named, the one after "nur"/"only" is meant ("nicht den ganzen Vertrag, nur die Option",
    "not the option, only the contract"), else the one named first; a refused one ("keine Option!
    den ganzen Vertrag", "den ganzen Vertrag, nicht nur die Option") is not meant."""
    folded = _REFUSED_RE.sub(_without_refused_subject, fold(text))
    only = _ONLY_RE.search(folded)
    return (_first_named(folded[only.end():]) if only else None) or _first_named(folded)


def changed_contract_type(text: str, *, contract_type: Optional[str], asked: Optional[str]) -> Optional[str]:
    """The kind of contract a change of mind names ("Moment, doch nicht Strom, ich meine den
    Gasvertrag", "ach doch, Strom"), or None. Only a kind other than the chosen one, said as a
    change ("doch", "nein", "eigentlich" ...), in a message without digits (an address such as
    "Stromstraße 5" is an answer), at a question whose answers never name one."""
    if not isinstance(text, str) or not contract_type or asked in _DESCRIPTIVE_QUESTIONS or asked == "subject_kind":
        return None
    folded = fold(text).replace("\u2019", "'")
    if re.search(r"[0-9]", folded) or not _CHANGE_RE.search(folded):
        return None
    # "doch Gas statt Strom" names both: the one that is not the chosen one is meant.
    other = [named for named in contract_types_named(text) if named != contract_type]
    return other[0] if len(other) == 1 else None


def change_of_mind(
    text: str, *, subject_kind: Optional[str], asked: Optional[str], contract_type: Optional[str] = None
) -> Optional[ChangeOfMind]:
    """What a message inside the interview changes, or None when it is an answer like any other.

    `subject_kind`: what the letter cancels so far; `asked`: the open question (a slot name);
    `contract_type`: the kind of contract chosen so far.
    """
    if not isinstance(text, str) or asked == "subject_kind":
        return None  # the question about the subject is answered by its own parser
    folded = fold(text).replace("\u2019", "'")
    named = named_subject(text)
    current = SubjectKind.parse(subject_kind)
    if named is not None and current is not None and named != current:
        if _CHANGE_RE.search(folded) or asked not in _DESCRIPTIVE_QUESTIONS:
            return ChangeOfMind.OPTION_ONLY if named is SubjectKind.OPTION else ChangeOfMind.WHOLE_CONTRACT
    if _NOT_CANCELLING.search(folded):
        return ChangeOfMind.NO_CANCELLATION
    if current is not SubjectKind.OPTION and changed_contract_type(text, contract_type=contract_type, asked=asked):
        return ChangeOfMind.CONTRACT_TYPE
    return None

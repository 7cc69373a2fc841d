"""What a message means at an open interview question, whatever the classifier reads into its words.

The intent classifier sees words, not the question: "zum naechstmoeglichen zeitpunkt" typed without
umlauts looked like a question about sending the letter, so the form was interrupted with sending
advice and the question asked again (hand-test). A message that is an unmistakable answer to the
open question is that answer; bot/context_intents.py applies this before Rasa predicts.

Only questions whose answers have a shape of their own are listed: a name or a city could be any
words, and there a question such as "warum brauchen Sie das?" must stay a question.
"""

from __future__ import annotations

import re
from typing import Any

from cancellation import clock
from cancellation.validation import InvalidInput, find_end_date, is_asap_answer, says_end_date

_QUESTION_MARKS_RE = re.compile(r"^\s*[?¿]+\s*$")


def answers_open_question(text: Any, asked: Any) -> bool:
    """True when `text` is an answer to the interview question `asked` (a slot name)."""
    if not isinstance(text, str) or "?" in text:
        return False
    if asked == "summary_confirmed":
        return says_end_date(text)  # "ich möchte zum 31.01.2027 kündigen" changes the end
    if asked != "end_date":
        return False
    try:
        return is_asap_answer(text) or find_end_date(text, clock.today()) is not None
    except InvalidInput:
        return True  # an impossible date ("31.02.") is still an answer; the form says what is wrong


def only_question_marks(text: Any) -> bool:
    """ "?" typed at a question: the user does not understand what is asked."""
    return isinstance(text, str) and bool(_QUESTION_MARKS_RE.match(text))

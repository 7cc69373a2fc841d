"""What a "forget me" request did, and what the user is told about it.

The action server forgets the conversation's attempts in the log and reports the outcome in the
slot `forget_outcome`; the tracker store deletes the conversation only when it reads
`deleted` there (bot/stores/tracker.py). So a forget that fails in the action server never
deletes the conversation while letters and personal data stay, and the user hears the truth.
"""

from __future__ import annotations

from cancellation.texts import Message, say
from cancellation.vocabulary import Vocabulary

FORGET_OUTCOME_SLOT = "forget_outcome"


class ForgetOutcome(Vocabulary):
    DELETED = "deleted"  # the log's part is done: the store deletes the conversation
    FAILED = "failed"  # nothing was deleted, the conversation stays


def forget_message(attempts_forgotten: int, had_answers: bool) -> Message:
    """"Erledigt" only when something was deleted; otherwise: nothing was stored."""
    if attempts_forgotten == 1:
        return say("utter_forget_done_letter")
    if attempts_forgotten:
        return say("utter_forget_done_letters", count=attempts_forgotten)
    if had_answers:
        return say("utter_forget_done_answers")
    return say("utter_forget_nothing_stored")


def forget_failed_message() -> Message:
    return say("utter_forget_failed")

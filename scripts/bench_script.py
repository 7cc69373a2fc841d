"""What a simulated user says: the scripted conversations of the load benchmarks.

Standard library only: scripts/bench.py (aiohttp, in .venv) and the locust users of
scripts/bench_locust.py (in .venv-bench) both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Tuple

# The Markdown link actions/letter.py sends: "[Brief herunterladen (PDF)](<base>/letters/<token>)".
LETTER_LINK = re.compile(r"\((https?://[^\s()]+/letters/[A-Za-z0-9_-]+)\)")


@dataclass(frozen=True)
class Script:
    """What one simulated user says. With `fixed`, exactly those messages in order; otherwise
    `opening`, then the answer to whichever question the bot asked (first matching keyword), so
    the benchmark survives changes of the question order. A conversation that gets a reply it
    has no answer for (an unknown question, or the end without a link), or does not reach the
    letter within `max_turns`, is an error."""

    name: str
    ends_with_letter: bool
    fixed: Tuple[str, ...] = ()
    opening: str = ""
    answers: Tuple[Tuple[str, str], ...] = ()
    max_turns: int = 20


# The first e2e conversation (tests/e2e/test_conversations.py): provider and contract type come
# from the first sentence, the invoice address from one line, no extras, no e-mail, confirmed.
CANCELLATION = Script(
    name="ours",
    ends_with_letter=True,
    opening="Ich will meinen Handyvertrag bei o2 kündigen",
    answers=(
        ("Bitte prüfen Sie Ihre Angaben", "ja"),  # first: the summary repeats every keyword below
        ("Kundenkennzahl", "4711"),
        ("Rufnummer oder Vertragsnummer", "0176 12345678"),
        ("Kundennummer", "123456789"),
        ("Anschrift", "Musterstraße 5, 10115 Berlin"),
        ("Name", "Max Mustermann"),
        ("Zu wann", "nächstmöglich"),
        ("noch etwas enthalten", "nein"),
        ("E-Mail", "nein"),
    ),
)

# Answered by the stock bot's stories and rules; as many turns as our o2 conversation.
BASELINE = Script(
    name="baseline",
    ends_with_letter=False,
    fixed=(
        "hello",
        "I am sad",
        "yes",
        "are you a bot?",
        "hi",
        "great",
        "am I talking to a human?",
        "hey",
        "I am sad",
        "no",
    ),
)


def next_message(script: Script, turn: int, bot_text: str) -> Optional[str]:
    """What the user says in this turn (0-based) after the bot said bot_text; None when done."""
    if script.fixed:
        return script.fixed[turn] if turn < len(script.fixed) else None
    if turn == 0:
        return script.opening
    if script.ends_with_letter and LETTER_LINK.search(bot_text):
        return None
    if turn >= script.max_turns:
        raise ConversationFailed("too_many_turns")
    for keyword, answer in script.answers:
        if keyword in bot_text:
            return answer
    raise ConversationFailed("unexpected_reply")


class ConversationFailed(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind

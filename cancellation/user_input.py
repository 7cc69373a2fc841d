"""What every channel does with a user's text before anything else sees or stores it.

One rule for REST, the web chat and Telegram:

- C0/C1 control characters are removed, except tab and newline ("\\r\\n" becomes "\\n"): a NUL
  cannot be stored in a PostgreSQL text column, so a NUL in a provider name would make every
  attempt to log that letter fail.
- Lone UTF-16 surrogates are removed: they cannot be encoded as UTF-8, so the tracker store could
  not save the turn and the user's message would be lost.
- Bidirectional embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069) are removed:
  in a letter or the evidence log they would display text in another order than it was stored.
- Invisible format characters are removed: zero-width space/non-joiner/joiner, the left-to-right
  and right-to-left marks (U+200B-U+200F), the Arabic letter mark (U+061C) and the byte order mark
  / zero-width no-break space (U+FEFF). "Vo\u200bdafone" would look like "Vodafone" on screen and
  in the letter but be a different provider name, sender or customer number. (Emoji joined by
  U+200D fall apart into their parts; they carry nothing a letter needs.)
- The text is normalised to NFC, so "ü" typed as u + combining diaeresis is the same "ü" the
  provider directory, the validators and the letter use.
- A message longer than MAX_MESSAGE_CHARACTERS (after cleaning) is too long: the channel answers
  `utter_message_too_long` itself and hands nothing to Rasa (the classifier never sees it,
  nothing of it is stored).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# Longer messages are answered with a request to write less, never parsed (README, "Limits").
MAX_MESSAGE_CHARACTERS = 4000

_LINE_BREAK = re.compile(r"\r\n?")
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


@dataclass(frozen=True)
class UserText:
    """A user's message after cleaning; `too_long` ones must not reach Rasa."""

    text: str
    too_long: bool = False


def clean_text(raw: str) -> str:
    """`raw` without control characters (but tab and newline), lone surrogates, bidi controls
    and zero-width characters, in NFC."""
    text = _UNWANTED.sub("", _LINE_BREAK.sub("\n", raw))
    return unicodedata.normalize("NFC", text)


def user_text(raw: Any) -> UserText:
    """The cleaned message; anything that is not a string is an empty message."""
    if not isinstance(raw, str):
        return UserText("")
    text = clean_text(raw)
    if len(text) > MAX_MESSAGE_CHARACTERS:
        return UserText("", too_long=True)
    return UserText(text)

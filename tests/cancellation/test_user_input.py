"""The one sanitiser of user text for every channel."""

from __future__ import annotations

import pytest

from cancellation.user_input import MAX_MESSAGE_CHARACTERS, UserText, clean_text, user_text


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("Vodafone\x00 GmbH", "Vodafone GmbH"),  # NUL: PostgreSQL text cannot hold it
        ("o2\ud800", "o2"),  # a lone surrogate cannot be encoded as UTF-8
        ("\udfffo2", "o2"),
        ("a\u0007b\x1bc\x7fd\x85e", "abcde"),  # C0, DEL, C1
        ("Zeile 1\r\nZeile 2\rZeile 3", "Zeile 1\nZeile 2\nZeile 3"),
        ("Spalte\tWert\n", "Spalte\tWert\n"),  # tab and newline stay
        ("Mu\u0308ller", "M\u00fcller"),  # NFC
        ("Telekom \u202eHmbG\u202c", "Telekom HmbG"),  # bidi override shown reversed
        # Invisible characters: "Vo\u200bdafone" would look like "Vodafone" but not match it.
        ("Vo\u200bda\u200cfo\u200dne", "Vodafone"),  # zero-width space, non-joiner, joiner
        ("\ufeffMax\u200e Mustermann\u200f", "Max Mustermann"),  # BOM, LRM, RLM
        ("\u2066Telekom\u2069 \u2067o2\u2068\u061c", "Telekom o2"),  # isolates, Arabic letter mark
        ("\u202aa\u202bb\u202cc\u202dd", "abcd"),  # embeddings and pop
        ("Zoë Ñúñez-Łukaszewicz 😀", "Zoë Ñúñez-Łukaszewicz 😀"),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned
    assert clean_text(raw).encode("utf-8")


def test_messages_up_to_the_limit_pass_longer_ones_are_too_long() -> None:
    assert user_text("a" * MAX_MESSAGE_CHARACTERS) == UserText("a" * MAX_MESSAGE_CHARACTERS)
    assert user_text("a" * (MAX_MESSAGE_CHARACTERS + 1)) == UserText("", too_long=True)
    # Counted after cleaning: 4,000 characters plus removed NULs are fine.
    assert not user_text("a" * MAX_MESSAGE_CHARACTERS + "\x00" * 10).too_long
    assert MAX_MESSAGE_CHARACTERS == 4000


@pytest.mark.parametrize("raw", [None, 42, ["hallo"], {"text": "x"}])
def test_anything_but_text_is_an_empty_message(raw: object) -> None:
    assert user_text(raw) == UserText("")

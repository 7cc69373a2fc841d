from __future__ import annotations

import pytest

from bot.channels.telegram.updates import (
    MAX_TEXT_CHARACTERS,
    chat_id_of,
    language_hint,
    parse_update,
    user_texts,
)
from cancellation.user_input import clean_text
from tests.support.fake_telegram import callback_update, text_update


def test_text_message() -> None:
    update = parse_update(text_update(42, "  Ich möchte kündigen ", 7))
    assert update is not None
    assert (update.chat_id, update.user_id, update.texts) == ("42", 42, ("Ich möchte kündigen",))
    assert update.metadata == {"telegram": {"user_id": 42, "update_id": 7}, "language_hint": "de"}


def test_conversations_are_named_tg_and_the_chat_id() -> None:
    update = parse_update(text_update(42, "hallo", 7))
    assert update is not None and update.sender_id == "tg:42"
    assert chat_id_of("tg:42") == "42" and chat_id_of("tg:-100200") == "-100200"
    # Ids of other channels (or a bare chat id from a REST client) are never a Telegram chat.
    for other in ("42", "web:42", "rest:42", "tg:", "tg:42x", "tg:../1"):
        assert chat_id_of(other) is None


@pytest.mark.parametrize(
    "code, hint",
    [("en", "en"), ("de", "de"), ("en-GB", "en"), ("pt-br", "pt"), ("", None), (None, None),
     ("x", None), ("english please", None), (42, None)],
)
def test_the_app_language_becomes_a_language_hint(code: object, hint: str | None) -> None:
    assert language_hint(code) == hint
    update = text_update(42, "hello", 8)
    if code is None:
        del update["message"]["from"]["language_code"]
    else:
        update["message"]["from"]["language_code"] = code
    parsed = parse_update(update)
    assert parsed is not None and parsed.metadata.get("language_hint") == hint


def test_commands() -> None:
    assert user_texts("/start") == ("/start",)
    assert user_texts("/START@KuendigungsBot") == ("/start",)
    assert user_texts("/restart") == ("/restart", "/start")
    assert user_texts("/hilfe") == ("hilfe",)
    assert user_texts("//") == ()


def test_callback_query_uses_the_chat_of_the_message_with_the_button() -> None:
    update = parse_update(callback_update(42, "/affirm", 8, query_id="q"))
    assert update is not None
    assert (update.chat_id, update.texts, update.callback_query_id) == ("42", ("/affirm",), "q")
    assert update.sender_id == "tg:42" and update.language_hint == "de"


def test_control_characters_and_lone_surrogates_are_removed() -> None:
    assert clean_text("Vodafone\x00 GmbH\u0007\ud800\n\tok") == "Vodafone GmbH\n\tok"
    update = parse_update(text_update(42, "o2\x00\udfff", 9))
    assert update is not None and update.texts == ("o2",)
    # The one sanitiser of every channel (cancellation/user_input.py): NFC as well.
    update = parse_update(text_update(42, "Mu\u0308ller", 12))
    assert update is not None and update.texts == ("M\u00fcller",)


def test_an_overlong_message_is_not_passed_on() -> None:
    at_limit = parse_update(text_update(42, "a" * MAX_TEXT_CHARACTERS, 10))
    assert at_limit is not None and not at_limit.too_long and len(at_limit.texts[0]) == 4000
    over = parse_update(text_update(42, "a" * (MAX_TEXT_CHARACTERS + 1), 11))
    assert over is not None and over.too_long and over.texts == ()


def test_ignored_updates() -> None:
    edited = text_update(42, "x", 9)
    edited["edited_message"] = edited.pop("message")
    from_bot = text_update(42, "x", 10)
    from_bot["message"]["from"]["is_bot"] = True
    for junk in (edited, from_bot, {"update_id": "1"}, [], {"update_id": 11, "message": "x"}):
        assert parse_update(junk) is None

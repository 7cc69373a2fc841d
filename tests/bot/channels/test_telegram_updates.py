from __future__ import annotations

from bot.channels.telegram.updates import parse_update, user_texts
from tests.support.fake_telegram import callback_update, text_update


def test_text_message() -> None:
    update = parse_update(text_update(42, "  Ich möchte kündigen ", 7))
    assert update is not None
    assert (update.chat_id, update.user_id, update.texts) == ("42", 42, ("Ich möchte kündigen",))
    assert update.metadata == {"telegram": {"user_id": 42, "update_id": 7}}


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


def test_ignored_updates() -> None:
    edited = text_update(42, "x", 9)
    edited["edited_message"] = edited.pop("message")
    from_bot = text_update(42, "x", 10)
    from_bot["message"]["from"]["is_bot"] = True
    for junk in (edited, from_bot, {"update_id": "1"}, [], {"update_id": 11, "message": "x"}):
        assert parse_update(junk) is None

"""Read Telegram updates (https://core.telegram.org/bots/api#update) into what Rasa needs.

Pure functions over the JSON dict: no I/O, so every shape Telegram can send is unit-testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from bot.channels.telegram.keyboard import stored_payload_key

ALLOWED_UPDATES = ("message", "callback_query")

# Rasa reads a leading "/" as an intent with entities (`/inform{"slot": ...}`). Only these
# commands may reach that parser; any other text starting with "/" loses its slashes.
_COMMANDS = {
    "start": ("/start",),
    # As Rasa's stock channel: forget the conversation, then greet again.
    "restart": ("/restart", "/start"),
}


@dataclass(frozen=True)
class IncomingUpdate:
    update_id: int
    chat_id: str
    user_id: int | None
    # The user messages for Rasa, in order; empty for e.g. a photo or an expired button.
    texts: tuple[str, ...] = ()
    callback_query_id: str | None = None
    # A button whose payload was too long for Telegram and is stored in the database.
    stored_payload_key: str | None = None
    # A message without text (photo, voice, sticker, ...): the user gets a short hint.
    unsupported: bool = False

    @property
    def metadata(self) -> dict[str, Any]:
        return {"telegram": {"user_id": self.user_id, "update_id": self.update_id}}


def parse_update(update: Any) -> IncomingUpdate | None:
    """None for updates the bot ignores: edits, channel posts, groups, other bots, junk."""
    if not isinstance(update, Mapping):
        return None
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return None
    if isinstance(update.get("message"), Mapping):
        return _from_message(update_id, update["message"])
    if isinstance(update.get("callback_query"), Mapping):
        return _from_callback_query(update_id, update["callback_query"])
    return None


def user_texts(raw: str) -> tuple[str, ...]:
    text = raw.strip()
    if not text.startswith("/"):
        return (text,) if text else ()
    command = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""
    if command in _COMMANDS:
        return _COMMANDS[command]
    stripped = text.lstrip("/").strip()
    return (stripped,) if stripped else ()


def _from_message(update_id: int, message: Mapping[str, Any]) -> IncomingUpdate | None:
    chat_id = _private_chat_id(message)
    sender = message.get("from") if isinstance(message.get("from"), Mapping) else {}
    if chat_id is None or sender.get("is_bot") is True:
        return None
    user_id = _int_or_none(sender.get("id"))
    text = message.get("text")
    if not isinstance(text, str):
        return IncomingUpdate(update_id, chat_id, user_id, unsupported=True)
    return IncomingUpdate(update_id, chat_id, user_id, texts=user_texts(text))


def _from_callback_query(update_id: int, query: Mapping[str, Any]) -> IncomingUpdate | None:
    query_id = query.get("id")
    sender = query.get("from") if isinstance(query.get("from"), Mapping) else {}
    user_id = _int_or_none(sender.get("id"))
    message = query.get("message")
    chat_id = _private_chat_id(message) if isinstance(message, Mapping) else None
    if chat_id is None or not isinstance(query_id, str):
        return None
    data = query.get("data")
    if not isinstance(data, str) or not data:
        return IncomingUpdate(update_id, chat_id, user_id, callback_query_id=query_id)
    key = stored_payload_key(data)
    return IncomingUpdate(
        update_id,
        chat_id,
        user_id,
        texts=() if key else (data,),
        callback_query_id=query_id,
        stored_payload_key=key,
    )


def _private_chat_id(message: Mapping[str, Any]) -> str | None:
    # Letters carry names and addresses: never hold that conversation in a group.
    chat = message.get("chat")
    if not isinstance(chat, Mapping) or chat.get("type", "private") != "private":
        return None
    chat_id = _int_or_none(chat.get("id"))
    return None if chat_id is None else str(chat_id)


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

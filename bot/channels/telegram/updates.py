"""Read Telegram updates (https://core.telegram.org/bots/api#update) into what Rasa needs.

Pure functions over the JSON dict: no I/O, so every shape Telegram can send is unit-testable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from bot.channels.telegram.keyboard import stored_payload_key
from cancellation.user_input import MAX_MESSAGE_CHARACTERS, clean_text, user_text

ALLOWED_UPDATES = ("message", "callback_query")

# Conversations of this channel in the tracker store and the attempt log: "tg:<chat id>". No
# other channel can produce such an id, so no REST or web client can address a Telegram chat.
SENDER_PREFIX = "tg:"
# Longer messages are answered with a request to write less, never parsed (docs/TELEGRAM.md);
# the same limit as every channel's (cancellation/user_input.py).
MAX_TEXT_CHARACTERS = MAX_MESSAGE_CHARACTERS
# Message metadata key of the user's Telegram app language ("de", "en", ...): a first hint for
# the conversation language, nothing more.
LANGUAGE_HINT_KEY = "language_hint"

_LANGUAGE_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")

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
    # A text longer than MAX_TEXT_CHARACTERS: the user is asked to write less.
    too_long: bool = False
    language_hint: str | None = None

    @property
    def sender_id(self) -> str:
        return conversation_id(self.chat_id)

    @property
    def metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "telegram": {"user_id": self.user_id, "update_id": self.update_id}
        }
        if self.language_hint:
            metadata[LANGUAGE_HINT_KEY] = self.language_hint
        return metadata


def conversation_id(chat_id: str | int) -> str:
    return f"{SENDER_PREFIX}{chat_id}"


def chat_id_of(conversation: str) -> str | None:
    """The Telegram chat of a conversation id of this channel, None for any other id."""
    if not conversation.startswith(SENDER_PREFIX):
        return None
    chat = conversation[len(SENDER_PREFIX):]
    return chat if re.fullmatch(r"-?\d{1,20}", chat) else None


def language_hint(code: Any) -> str | None:
    """Telegram's `from.language_code` (an IETF tag such as "en-US") -> "en"; None if absent."""
    match = _LANGUAGE_CODE.match(code) if isinstance(code, str) else None
    return match.group(1).lower() if match else None


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
    hint = language_hint(sender.get("language_code"))
    text = message.get("text")
    if not isinstance(text, str):
        return IncomingUpdate(update_id, chat_id, user_id, unsupported=True, language_hint=hint)
    cleaned = user_text(text)
    if cleaned.too_long:
        return IncomingUpdate(update_id, chat_id, user_id, too_long=True, language_hint=hint)
    return IncomingUpdate(
        update_id, chat_id, user_id, texts=user_texts(cleaned.text), language_hint=hint
    )


def _from_callback_query(update_id: int, query: Mapping[str, Any]) -> IncomingUpdate | None:
    query_id = query.get("id")
    sender = query.get("from") if isinstance(query.get("from"), Mapping) else {}
    user_id = _int_or_none(sender.get("id"))
    hint = language_hint(sender.get("language_code"))
    message = query.get("message")
    chat_id = _private_chat_id(message) if isinstance(message, Mapping) else None
    if chat_id is None or not isinstance(query_id, str):
        return None
    data = query.get("data")
    if not isinstance(data, str) or not clean_text(data):
        return IncomingUpdate(
            update_id, chat_id, user_id, callback_query_id=query_id, language_hint=hint
        )
    key = stored_payload_key(data)
    return IncomingUpdate(
        update_id,
        chat_id,
        user_id,
        texts=() if key else (clean_text(data),),
        callback_query_id=query_id,
        stored_payload_key=key,
        language_hint=hint,
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

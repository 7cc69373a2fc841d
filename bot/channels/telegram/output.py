"""Rasa's bot messages -> Bot API calls. Failures are logged, never raised: a lost reply must not
abort the rest of the turn.

During a user's turn Rasa talks to a `ReplyBuffer`: the replies are only collected, stored in the
update ledger and then sent by `TelegramOutput` (see handler.py), so a process that dies in the
middle of a turn has sent nothing yet and the turn can be done again.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Text

from rasa.core.channels.channel import OutputChannel

from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.format import plain_text, split_message
from bot.channels.telegram.keyboard import inline_keyboard
from bot.channels.telegram.language import ConversationLanguages
from bot.channels.telegram.ledger import AsyncLedger
from bot.channels.telegram.updates import chat_id_of
from cancellation.texts import text as catalogue_text
from cancellation.vocabulary import Language

logger = logging.getLogger(__name__)

CHANNEL_NAME = "telegram"
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
_REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,40}$")


class TelegramOutput(OutputChannel):
    """Sends right away. The channel's own sentences (a letter's caption, "Please choose:") are in
    `language` when the turn's language is known (`in_language`), otherwise in the recipient's
    conversation language, looked up when sending (`outside_turn`, and the shared instance Rasa
    gets from `get_output_channel()`; language.py)."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    def __init__(
        self,
        client: BotApiClient,
        ledger: AsyncLedger,
        language: Language | None = None,
        languages: ConversationLanguages | None = None,
        hint: str | None = None,
    ) -> None:
        self._client = client
        self._ledger = ledger
        self.language = language
        self._languages = languages or ConversationLanguages(ledger)
        self._hint = hint

    def in_language(self, language: Language) -> "TelegramOutput":
        """Sends in the language Rasa reported for this turn."""
        return TelegramOutput(self._client, self._ledger, language, self._languages)

    def outside_turn(self, hint: str | None) -> "TelegramOutput":
        """Sends in the conversation's language at the time of sending; `hint`: the app's."""
        return TelegramOutput(self._client, self._ledger, None, self._languages, hint)

    async def language_for(self, recipient_id: Text) -> Language:
        if self.language is not None:
            return self.language
        return await self._languages.of(str(recipient_id), self._hint)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for chunk in split_message(plain_text(text)):
            await self._send(recipient_id, chunk)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        reply_markup, to_store = inline_keyboard(buttons)
        try:
            for callback in to_store:
                await self._ledger.set_state(callback.state_key or "", callback.payload)
        except Exception:
            # Buttons whose payload is not stored would do nothing when pressed.
            logger.exception("Telegram: could not store long button payloads; sending text only")
            reply_markup = None
        chunks = split_message(plain_text(text or "")) or [
            catalogue_text("utter_telegram_choose", await self.language_for(recipient_id))
        ]
        for chunk in chunks[:-1]:
            await self._send(recipient_id, chunk)
        await self._send(recipient_id, chunks[-1], reply_markup)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        letter = json_message.get("letter") if isinstance(json_message, dict) else None
        if not isinstance(letter, dict):
            logger.debug("Telegram: ignoring custom payload with keys %s", list(json_message or {}))
            return
        await self.send_letter(recipient_id, letter)

    async def send_letter(self, recipient_id: Text, letter: Dict[Text, Any]) -> None:
        """Upload the PDF itself: a download link would make Telegram's servers fetch it."""
        reference = str(letter.get("reference") or "")
        if not _REFERENCE.match(reference):
            logger.error("Telegram: letter payload without a valid reference")
            return
        chat_id = _chat(recipient_id)
        if chat_id is None:
            return
        try:
            pdf = await self._ledger.letter_pdf(reference)
        except Exception:
            logger.exception("Telegram: could not load the letter PDF %s", reference)
            pdf = None
        language = await self.language_for(recipient_id)
        missing = catalogue_text("utter_telegram_letter_missing", language, reference=reference)
        if not pdf:
            await self._send(recipient_id, missing)
            return
        try:
            await self._client.send_document(
                chat_id,
                letter_filename(letter.get("filename"), reference),
                pdf,
                caption=catalogue_text(
                    "utter_telegram_letter_caption", language, reference=reference
                ),
            )
        except BotApiError as error:
            logger.error("Telegram: sendDocument for %s failed: %s", reference, error)
            await self._send(recipient_id, missing)

    async def _send(
        self, recipient_id: Text, text: str, reply_markup: Dict[str, Any] | None = None
    ) -> None:
        chat_id = _chat(recipient_id)
        if chat_id is None:
            return
        try:
            await self._client.send_message(chat_id, text, reply_markup)
        except BotApiError as error:
            logger.error("Telegram: sendMessage failed: %s", error)


class ReplyBuffer(OutputChannel):
    """Collects a turn's replies as JSON-safe message dicts instead of sending them.

    Whatever arrives after the turn (`close()`) goes straight to `late`, the sending channel.
    `language`: the conversation's language as Rasa reported it this turn (None until then;
    bot/conversation_language.py), `language_changed`: whether this turn switched it."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    def __init__(self, late: OutputChannel) -> None:
        self.messages: list[dict[str, Any]] = []
        self._late = late
        self._closed = False
        self.language: Language | None = None
        self.language_changed = False

    async def follow_language(self, recipient_id: Text, language: Language, changed: bool) -> None:
        self.language = language
        self.language_changed = self.language_changed or changed

    def close(self) -> None:
        self._closed = True

    def add_text(self, text: str) -> None:
        self.messages.append({"text": text})

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if self._closed:
            await self._late.send_response(recipient_id, message)
            return
        # Stored in the ledger as JSON: keep exactly what survives a round trip.
        self.messages.append(json.loads(json.dumps(dict(message), default=str)))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


def _chat(recipient_id: Text) -> str | None:
    chat_id = chat_id_of(str(recipient_id))
    if chat_id is None:
        # Only conversations that came in through Telegram ("tg:<chat>") can be written to.
        logger.error("Telegram: refusing to send to a conversation of another channel")
    return chat_id


def letter_filename(raw: Any, reference: str) -> str:
    name = _SAFE_FILENAME.sub("-", str(raw or "")).strip(".-")
    if not name:
        name = f"Kuendigung-{reference}.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-100:]

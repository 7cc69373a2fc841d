"""Rasa's bot messages -> Bot API calls. Failures are logged, never raised: a lost reply must not
abort the rest of the turn."""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Text

from rasa.core.channels.channel import OutputChannel

from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.format import plain_text, split_message
from bot.channels.telegram.keyboard import inline_keyboard
from bot.channels.telegram.ledger import AsyncLedger

logger = logging.getLogger(__name__)

LETTER_MISSING_TEXT = (
    "Ihr Kündigungsschreiben (Referenz {reference}) konnte hier leider nicht als PDF "
    "angehängt werden. Bitte versuchen Sie es später noch einmal."
)
LETTER_CAPTION = "Ihr Kündigungsschreiben (Referenz {reference})"
UNSUPPORTED_MESSAGE_TEXT = (
    "Ich kann leider nur Textnachrichten lesen. Bitte schreiben Sie mir Ihre Antwort als Text."
)
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
_REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,40}$")


class TelegramOutput(OutputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, client: BotApiClient, ledger: AsyncLedger) -> None:
        self._client = client
        self._ledger = ledger

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
        chunks = split_message(plain_text(text or "")) or ["Bitte wählen Sie:"]
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
            logger.error("Telegram: letter payload without a valid reference: %r", reference)
            return
        try:
            pdf = await self._ledger.letter_pdf(reference)
        except Exception:
            logger.exception("Telegram: could not load the letter PDF %s", reference)
            pdf = None
        if not pdf:
            await self._send(recipient_id, LETTER_MISSING_TEXT.format(reference=reference))
            return
        try:
            await self._client.send_document(
                recipient_id,
                letter_filename(letter.get("filename"), reference),
                pdf,
                caption=LETTER_CAPTION.format(reference=reference),
            )
        except BotApiError as error:
            logger.error("Telegram: sendDocument for %s failed: %s", reference, error)
            await self._send(recipient_id, LETTER_MISSING_TEXT.format(reference=reference))

    async def send_unsupported_hint(self, recipient_id: Text) -> None:
        await self._send(recipient_id, UNSUPPORTED_MESSAGE_TEXT)

    async def _send(
        self, recipient_id: Text, text: str, reply_markup: Dict[str, Any] | None = None
    ) -> None:
        try:
            await self._client.send_message(recipient_id, text, reply_markup)
        except BotApiError as error:
            logger.error("Telegram: sendMessage to chat %s failed: %s", recipient_id, error)


def letter_filename(raw: Any, reference: str) -> str:
    name = _SAFE_FILENAME.sub("-", str(raw or "")).strip(".-")
    if not name:
        name = f"Kuendigung-{reference}.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-100:]

"""One path for every update, from the webhook or from long polling: parse, claim the update id
once in the database, answer button presses, hand the text to Rasa in the background."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Coroutine

from rasa.core.channels.channel import UserMessage

from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.ledger import AsyncLedger
from bot.channels.telegram.output import TelegramOutput
from bot.channels.telegram.updates import IncomingUpdate, parse_update

logger = logging.getLogger(__name__)


class UpdateHandler:
    def __init__(
        self,
        *,
        bot_id: str,
        client: BotApiClient,
        ledger: AsyncLedger,
        output: TelegramOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        input_channel: str,
    ) -> None:
        self._bot_id = bot_id
        self._client = client
        self._ledger = ledger
        self._output = output
        self._on_new_message = on_new_message
        self._input_channel = input_channel
        # Strong references: the event loop keeps only weak ones to running tasks.
        self._tasks: set[asyncio.Task[None]] = set()

    async def accept(self, raw_update: Any) -> bool:
        """Claim and schedule the update. False only if the database could not be asked, so the
        caller lets Telegram deliver it again; duplicates and ignored updates return True."""
        update = parse_update(raw_update)
        if update is None:
            return True
        try:
            first_time = await self._ledger.claim_update(self._bot_id, update.update_id)
        except Exception:
            logger.exception("Telegram: could not claim update %s", update.update_id)
            return False
        if not first_time:
            logger.info("Telegram: update %s was already processed; skipped", update.update_id)
            return True
        texts = await self._texts(update)
        if update.callback_query_id:
            self._spawn(self._answer_callback_query(update.callback_query_id))
        self._spawn(self._deliver(update, texts))
        return True

    async def drain(self, timeout: float) -> None:
        """Wait for messages still being handled (server shutdown, tests)."""
        pending = set(self._tasks)
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def _texts(self, update: IncomingUpdate) -> tuple[str, ...]:
        if not update.stored_payload_key:
            return update.texts
        try:
            payload = await self._ledger.get_state(update.stored_payload_key)
        except Exception:
            logger.exception("Telegram: could not load a stored button payload")
            return ()
        if payload is None:
            logger.warning("Telegram: button payload %s is unknown", update.stored_payload_key)
            return ()
        return (payload,)

    async def _deliver(self, update: IncomingUpdate, texts: tuple[str, ...]) -> None:
        if update.unsupported:
            await self._output.send_unsupported_hint(update.chat_id)
            return
        for text in texts:
            try:
                await self._on_new_message(
                    UserMessage(
                        text,
                        self._output,
                        update.chat_id,
                        input_channel=self._input_channel,
                        metadata=update.metadata,
                    )
                )
            except Exception:
                logger.exception("Telegram: Rasa failed on update %s", update.update_id)
                return

    async def _answer_callback_query(self, callback_query_id: str) -> None:
        # Until answered, the user's Telegram app shows a spinner on the button.
        try:
            await self._client.answer_callback_query(callback_query_id)
        except BotApiError as error:
            logger.warning("Telegram: answerCallbackQuery failed: %s", error)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

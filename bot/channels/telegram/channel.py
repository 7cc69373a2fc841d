"""Telegram input channel for Rasa: webhook with secret-token check, or long polling.

Enable in bot/credentials.yml with the key `bot.channels.telegram.TelegramInput` (see
docs/TELEGRAM.md). With an empty TELEGRAM_TOKEN the channel registers nothing and only logs a
warning, so the bot runs without Telegram.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
import json
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.config import WEBHOOK, TelegramConfig
from bot.channels.telegram.handler import UpdateHandler
from bot.channels.telegram.ledger import AsyncLedger, TelegramLedger, ledger_from_env
from bot.channels.telegram.output import TelegramOutput
from bot.channels.telegram.polling import poll_forever
from bot.channels.telegram.updates import ALLOWED_UPDATES

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SHUTDOWN_GRACE_SECONDS = 10.0
WEBHOOK_REGISTRATION_DELAYS = (0.0, 2.0, 10.0, 30.0, 60.0)


class TelegramInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(TelegramConfig.from_credentials(credentials))

    def __init__(
        self,
        config: TelegramConfig,
        ledger_factory: Callable[[], TelegramLedger] = ledger_from_env,
        registration_delays: tuple[float, ...] = WEBHOOK_REGISTRATION_DELAYS,
    ) -> None:
        self.config = config
        self._ledger_factory = ledger_factory
        self._registration_delays = registration_delays
        self._client: BotApiClient | None = None
        self._output: TelegramOutput | None = None
        self._handler: UpdateHandler | None = None
        self._background: list[asyncio.Task[None]] = []

    def get_output_channel(self) -> Optional[TelegramOutput]:
        # Rasa uses this for /conversations/<id>/trigger_intent; one shared instance.
        return self._output

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("telegram_webhook", __name__)
        if not self.config.enabled:
            logger.warning(
                "Telegram channel is configured but TELEGRAM_TOKEN is empty: Telegram is off."
            )
            return telegram

        config = self.config
        ledger = AsyncLedger(self._ledger_factory())
        client = BotApiClient(config.access_token, config.api_base_url)
        output = TelegramOutput(client, ledger)
        handler = UpdateHandler(
            bot_id=config.bot_id,
            client=client,
            ledger=ledger,
            output=output,
            on_new_message=on_new_message,
            input_channel=self.name(),
        )
        self._client, self._output, self._handler = client, output, handler
        expected_secret = config.secret_token.encode("utf-8")

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "mode": config.mode})

        @telegram.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            given = (request.headers.get(SECRET_HEADER) or "").encode("utf-8")
            if (
                config.mode != WEBHOOK
                or not expected_secret
                or not hmac.compare_digest(given, expected_secret)
            ):
                logger.warning("Telegram webhook: rejected a request without the right secret")
                return response.json({"ok": False}, status=403)
            try:
                update = json.loads(request.body or b"")
            except ValueError:
                return response.json({"ok": False}, status=400)
            if not await handler.accept(update):
                # Telegram delivers the update again later.
                return response.json({"ok": False}, status=503)
            return response.json({"ok": True})

        @telegram.listener("after_server_start")
        async def start(app: Any, loop: Any) -> None:
            task = (
                self._register_webhook_with_retries()
                if config.mode == WEBHOOK
                else self._poll(handler, ledger)
            )
            self._background.append(asyncio.get_running_loop().create_task(task))

        @telegram.listener("before_server_stop")
        async def stop(app: Any, loop: Any) -> None:
            await self.shutdown()

        return telegram

    async def shutdown(self) -> None:
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        self._background.clear()
        if self._handler is not None:
            await self._handler.drain(SHUTDOWN_GRACE_SECONDS)
        if self._client is not None:
            await self._client.close()

    async def wait_idle(self, timeout: float = 30.0) -> None:
        if self._handler is not None:
            await self._handler.drain(timeout)

    async def _register_webhook_with_retries(self) -> None:
        assert self._client is not None
        for attempt, delay in enumerate(self._registration_delays, start=1):
            await asyncio.sleep(delay)
            try:
                await self._check_bot_name()
                await self._client.set_webhook(
                    self.config.webhook_url, self.config.secret_token, ALLOWED_UPDATES
                )
            except BotApiError as error:
                logger.error(
                    "Telegram: setWebhook failed (attempt %s of %s): %s",
                    attempt,
                    len(self._registration_delays),
                    error,
                )
                continue
            logger.info("Telegram: webhook registered at %s", self.config.webhook_url)
            return
        logger.error("Telegram: webhook NOT registered; the bot will not receive messages")

    async def _poll(self, handler: UpdateHandler, ledger: AsyncLedger) -> None:
        assert self._client is not None
        for attempt in itertools.count(1):
            try:
                await self._check_bot_name()
                # getUpdates answers 409 Conflict while a webhook is set.
                await self._client.delete_webhook()
                break
            except BotApiError as error:
                logger.error("Telegram: preparing long polling failed: %s", error)
                await asyncio.sleep(min(60.0, 2.0 * attempt))
        logger.info("Telegram: long polling started")
        await poll_forever(
            bot_id=self.config.bot_id,
            client=self._client,
            ledger=ledger,
            handler=handler,
            timeout_seconds=self.config.polling_timeout_seconds,
        )

    async def _check_bot_name(self) -> None:
        # A token for another bot than the operator thinks is a configuration error worth
        # a loud log line, but not worth refusing service.
        assert self._client is not None
        me = await self._client.get_me()
        username = str((me or {}).get("username") or "")
        if self.config.bot_name and username.lower() != self.config.bot_name.lower():
            logger.error(
                "Telegram: TELEGRAM_BOT_NAME is %r but the token belongs to %r",
                self.config.bot_name,
                username,
            )

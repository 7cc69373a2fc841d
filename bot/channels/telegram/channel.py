"""Telegram input channel for Rasa: webhook with secret-token check, or long polling by exactly one
process (leader lease).

Enable in bot/credentials.yml with the key `bot.channels.telegram.TelegramInput` (see
docs/TELEGRAM.md). With an empty TELEGRAM_TOKEN the channel registers nothing and only logs a
warning, so the bot runs without Telegram.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
import logging
import os
import secrets
import socket
from datetime import timedelta
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import MAX_BODY_BYTES, InvalidJson, parse_json, read_body
from bot.channels.ratelimits import MessageLimiter
from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.config import WEBHOOK, TelegramConfig
from bot.channels.telegram.handler import Outcome, UpdateHandler
from bot.channels.telegram.language import ConversationLanguages, TrackerStoreLookup
from bot.channels.telegram.leader import DatabaseLease, Leadership, Lease, RedisLease, lease_name
from bot.channels.telegram.ledger import AsyncLedger, TelegramLedger, ledger_from_env
from bot.channels.telegram.output import TelegramOutput
from bot.channels.telegram.polling import poll_forever
from bot.channels.telegram.updates import ALLOWED_UPDATES
from cancellation.log.rows import utc_now

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few KiB; anything much larger is not from Telegram.
MAX_WEBHOOK_BODY_BYTES = MAX_BODY_BYTES
# Telegram gives up on a webhook call after about a minute and delivers the update again; the
# channel answers before that: 200 once the update is finished, 503 ("ask again") otherwise.
WEBHOOK_ANSWER_SECONDS = 50.0
SHUTDOWN_GRACE_SECONDS = 10.0
WEBHOOK_REGISTRATION_DELAYS = (0.0, 2.0, 10.0, 30.0, 60.0)
PRUNE_EVERY_SECONDS = 3600.0

LeaseFactory = Callable[[TelegramConfig, AsyncLedger, str], Lease]


def default_lease(config: TelegramConfig, ledger: AsyncLedger, owner: str) -> Lease:
    name = lease_name(config.bot_id)
    if config.redis_url:
        return RedisLease(config.redis_url, name, owner, config.leader_lease_seconds)
    return DatabaseLease(ledger, name, owner, config.leader_lease_seconds)


def process_owner() -> str:
    """Names this process in claims and leases: readable for operators, unique per start."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(6)}"


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
        lease_factory: LeaseFactory = default_lease,
        tracker_store: TrackerStoreLookup | None = None,
    ) -> None:
        self.config = config
        self._ledger_factory = ledger_factory
        self._registration_delays = registration_delays
        self._lease_factory = lease_factory
        self._client: BotApiClient | None = None
        self._output: TelegramOutput | None = None
        self._handler: UpdateHandler | None = None
        self._leadership: Leadership | None = None
        self._background: list[asyncio.Task[None]] = []
        self._app: Any = None
        self._tracker_store = tracker_store or self._agents_tracker_store

    def __repr__(self) -> str:
        return f"TelegramInput({self.config!r})"

    def _agents_tracker_store(self) -> Any:
        """The tracker store of the Rasa agent serving this process (loaded before the server
        starts; None before that and outside a Rasa server)."""
        agent = getattr(getattr(self._app, "ctx", None), "agent", None)
        return getattr(agent, "tracker_store", None)

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
        owner = process_owner()
        ledger = AsyncLedger(self._ledger_factory())
        client = BotApiClient(config.access_token, config.api_base_url)
        languages = ConversationLanguages(ledger, self._tracker_store)
        output = TelegramOutput(client, ledger, languages=languages)
        handler = UpdateHandler(
            bot_id=config.bot_id,
            client=client,
            ledger=ledger,
            output=output,
            on_new_message=on_new_message,
            input_channel=self.name(),
            owner=owner,
            claim_seconds=config.claim_timeout_seconds,
            limiter=MessageLimiter.from_env(),
            languages=languages,
        )
        self._client, self._output, self._handler = client, output, handler
        expected_secret = config.secret_token.encode("utf-8")

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            status: dict[str, Any] = {"status": "ok", "mode": config.mode}
            if self._leadership is not None:
                status["poller"] = self._leadership.leading
            return response.json(status)

        @telegram.route("/webhook", methods=["POST"], stream=True)
        async def webhook(request: Request) -> HTTPResponse:
            given = (request.headers.get(SECRET_HEADER) or "").encode("utf-8")
            if (
                config.mode != WEBHOOK
                or not expected_secret
                or not hmac.compare_digest(given, expected_secret)
            ):
                logger.warning("Telegram webhook: rejected a request without the right secret")
                return response.json({"ok": False}, status=403)
            body = await read_body(request, MAX_WEBHOOK_BODY_BYTES)
            if body is None:
                return response.json({"ok": False}, status=413)
            try:
                update = parse_json(body)
            except InvalidJson:
                return response.json({"ok": False}, status=400)
            # Its own task: a client that hangs up must not cancel a turn half-way.
            task = handler.start(update, wait_seconds=WEBHOOK_ANSWER_SECONDS - 5)
            try:
                outcome = await asyncio.wait_for(asyncio.shield(task), WEBHOOK_ANSWER_SECONDS)
            except asyncio.TimeoutError:
                outcome = Outcome.BUSY
            if outcome is not Outcome.DONE:
                # Telegram delivers the update again later.
                return response.json({"ok": False}, status=503)
            return response.json({"ok": True})

        @telegram.listener("after_server_start")
        async def start(app: Any, loop: Any) -> None:
            self._app = app
            if config.mode == WEBHOOK:
                work = self._register_webhook_with_retries()
            else:
                lease = self._lease_factory(config, ledger, owner)
                self._leadership = Leadership(lease, config.leader_lease_seconds)
                work = self._leadership.run(lambda: self._poll(handler, ledger))
            running = asyncio.get_running_loop()
            self._background.append(running.create_task(work))
            self._background.append(running.create_task(self._prune_forever(ledger)))

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

    async def _prune_forever(self, ledger: AsyncLedger) -> None:
        retention = timedelta(days=self.config.retention_days)
        while True:
            try:
                pruned = await ledger.prune(utc_now() - retention)
                if pruned:
                    logger.info("Telegram: forgot %s processed update ids", pruned)
            except Exception as error:
                logger.warning("Telegram: pruning the update ledger failed: %s", error)
            await asyncio.sleep(PRUNE_EVERY_SECONDS)

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

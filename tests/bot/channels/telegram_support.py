"""Shared pieces of the Telegram channel tests: fake Rasa, fake ledger, Sanic test server."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import uuid
from typing import Any, AsyncIterator, Iterator

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.response import text

from bot.channels.telegram.channel import SECRET_HEADER, TelegramInput
from bot.channels.telegram.config import TelegramConfig
from tests.support.fake_telegram import TOKEN, FakeBotApi

SECRET = "s3cr3t-Token_for-tests"


class InMemoryLedger:
    """The attempt log's Telegram API, kept in dicts; shared by "restarted" channels."""

    def __init__(self, letters: dict[str, bytes] | None = None) -> None:
        self.claimed: set[tuple[str, int]] = set()
        self.state: dict[str, str] = {}
        self.letters = dict(letters or {})
        self._lock = threading.Lock()

    def claim_telegram_update(self, bot: str, update_id: int) -> bool:
        with self._lock:
            if (bot, update_id) in self.claimed:
                return False
            self.claimed.add((bot, update_id))
            return True

    def get_channel_state(self, key: str) -> str | None:
        return self.state.get(key)

    def set_channel_state(self, key: str, value: str) -> None:
        self.state[key] = value

    def letter_pdf(self, reference: str) -> bytes | None:
        return self.letters.get(reference)


class Collector:
    """Stands in for Rasa: records every UserMessage and can answer through its channel."""

    def __init__(self, replies: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.messages: list[UserMessage] = []
        self.replies = replies or {}

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        for reply in self.replies.get(message.text or "", []):
            await message.output_channel.send_response(message.sender_id, dict(reply))

    @property
    def texts(self) -> list[str]:
        return [message.text or "" for message in self.messages]


def config_for(api: FakeBotApi, **overrides: Any) -> TelegramConfig:
    credentials = {
        "access_token": TOKEN,
        "verify": api.username,
        "webhook_url": "https://bot.example.org/webhooks/telegram/webhook",
        "secret_token": SECRET,
        "api_base_url": api.base_url,
        "mode": "webhook",
        **overrides,
    }
    return TelegramConfig.from_credentials(credentials)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(channel: TelegramInput, collector: Collector) -> AsyncIterator[str]:
    """Only the channel's blueprint in a Sanic app, with its listeners, as Rasa registers it."""
    Sanic.test_mode = True
    app = Sanic(f"telegram_test_{uuid.uuid4().hex}")

    @app.route("/")
    async def hello(_: Any) -> Any:  # Rasa's app always has routes; Sanic needs one
        return text("Hello from Rasa")

    app.blueprint(channel.blueprint(collector), url_prefix="/webhooks/telegram")
    port = _free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}/webhooks/telegram"
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()


async def post(url: str, update: Any, secret: str | None = SECRET) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/webhook", json=update, headers=headers) as response:
            return response.status


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)

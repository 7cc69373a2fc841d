"""Shared pieces of the Telegram channel tests: fake Rasa, fake ledger, Sanic test server."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.response import text

from sqlalchemy import select

from bot.channels.telegram.channel import SECRET_HEADER, TelegramInput
from bot.channels.telegram.config import TelegramConfig
from bot.channels.telegram.ledger import TelegramLedger, TelegramUpdate
from cancellation.log.migrate import upgrade
from cancellation.log.store import LogStore
from tests.support.fake_telegram import BOT_ID, TOKEN, FakeBotApi

SECRET = "s3cr3t-Token_for-tests"


def sqlite_ledger(directory: Path, letters: dict[str, bytes] | None = None) -> "SqliteLedger":
    """A real ledger on a fresh SQLite file; `letters` stand in for the attempt log's PDFs."""
    url = f"sqlite:///{directory / f'ledger-{uuid.uuid4().hex[:8]}.db'}"
    upgrade(url)
    return SqliteLedger(LogStore.from_url(url), Letters(letters or {}))


class Letters:
    def __init__(self, pdfs: dict[str, bytes]) -> None:
        self.pdfs = pdfs

    def letter_pdf(self, reference: str) -> bytes | None:
        return self.pdfs.get(reference)


class SqliteLedger(TelegramLedger):
    """The real ledger, plus a look at its rows for assertions."""

    def row(self, update_id: int, bot: str = str(BOT_ID)) -> TelegramUpdate | None:
        with self._store.read() as session:
            return session.get(TelegramUpdate, (bot, update_id))

    def statuses(self, bot: str = str(BOT_ID)) -> dict[int, str]:
        with self._store.read() as session:
            rows = session.execute(select(TelegramUpdate).where(TelegramUpdate.bot == bot))
            return {row.update_id: row.status for row in rows.scalars()}


class Collector:
    """Stands in for Rasa: records every UserMessage and can answer through its channel."""

    def __init__(
        self,
        replies: dict[str, list[dict[str, Any]]] | None = None,
        *,
        delay: float = 0.0,
        failing: tuple[str, ...] = (),
    ) -> None:
        self.messages: list[UserMessage] = []
        self.replies = replies or {}
        self.delay = delay
        self.failing = failing

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if message.text in self.failing:
            raise RuntimeError("Rasa fell over")
        for reply in self.replies.get(message.text or "", []):
            await message.output_channel.send_response(message.sender_id, dict(reply))

    @property
    def texts(self) -> list[str]:
        return [message.text or "" for message in self.messages]


def config_for(
    api: FakeBotApi, environ: dict[str, str] | None = None, **overrides: Any
) -> TelegramConfig:
    credentials = {
        "access_token": TOKEN,
        "verify": api.username,
        "webhook_url": "https://bot.example.org/webhooks/telegram/webhook",
        "secret_token": SECRET,
        "api_base_url": api.base_url,
        "mode": "webhook",
        **overrides,
    }
    return TelegramConfig.from_credentials(credentials, environ or {})


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
    return await post_body(url, json.dumps(update).encode("utf-8"), secret)


async def post_body(url: str, body: bytes, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with aiohttp.ClientSession() as http:
        try:
            async with http.post(f"{url}/webhook", data=body, headers=headers) as response:
                return response.status
        except aiohttp.ClientOSError:  # the server may close before reading a refused body
            return -1


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    ledger = sqlite_ledger(tmp_path)
    try:
        yield ledger
    finally:
        ledger.dispose()


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)

"""The bot token is the bot's password: it never appears in a repr, a log line or an exception,
whatever goes wrong."""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest

from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.channel import TelegramInput
from tests.bot.channels.telegram_support import (  # noqa: F401 (api and ledger are fixtures)
    Collector,
    SqliteLedger,
    api,
    config_for,
    ledger,
    post,
    run,
    serving,
)
from tests.support.fake_telegram import TOKEN, FakeBotApi, text_update

SECRET_PART = TOKEN.partition(":")[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def everything_about(error: BaseException) -> str:
    """str and repr of the error and of every error it carries along."""
    seen = []
    current: BaseException | None = error
    while current is not None and len(seen) < 10:
        seen.append(f"{current!s} {current!r} {current.args!r}")
        current = current.__cause__ or current.__context__
    return "\n".join(seen)


async def failing_call(client: BotApiClient, method: str = "getMe", **kwargs: Any) -> BotApiError:
    try:
        await client.call(method, **kwargs)
    except BotApiError as error:
        return error
    finally:
        await client.close()
    raise AssertionError("the call should have failed")


@pytest.mark.parametrize(
    "base_url, kwargs",
    [
        (f"http://127.0.0.1:{closed_port()}", {}),  # connection refused
        ("http://[::1", {}),  # an invalid URL: aiohttp quotes it whole
        ("http://127.0.0.1:9/", {"timeout": 0.001}),  # timeout
    ],
)
def test_transport_errors_do_not_carry_the_token(base_url: str, kwargs: dict[str, Any]) -> None:
    error = run(failing_call(BotApiClient(TOKEN, base_url), **kwargs))
    text = everything_about(error)
    assert SECRET_PART not in text and TOKEN not in text
    assert "getMe" in text


def test_api_errors_and_junk_answers_do_not_carry_the_token(api: FakeBotApi) -> None:
    wrong = BotApiClient(TOKEN.replace("AAFake", "AAWrong"), api.base_url)
    unauthorized = run(failing_call(wrong))
    assert "Unauthorized" in str(unauthorized) and "AAWrong" not in everything_about(unauthorized)

    api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    bad = run(failing_call(BotApiClient(TOKEN, api.base_url), "sendMessage"))
    assert "chat not found" in str(bad) and SECRET_PART not in everything_about(bad)


def test_the_client_repr_hides_the_token(api: FakeBotApi) -> None:
    client = BotApiClient(TOKEN, api.base_url)
    assert SECRET_PART not in repr(client) and api.base_url in repr(client)


def test_no_log_line_shows_the_token_when_everything_fails(
    api: FakeBotApi, ledger: SqliteLedger, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for method in ("getMe", "setWebhook", "sendMessage", "sendChatAction"):
        api.fail_next(method, 500, "Internal Server Error")
    unreachable = f"http://127.0.0.1:{closed_port()}"
    collector = Collector(replies={"hallo": [{"text": "Guten Tag"}]}, failing=("kaputt",))

    async def scenario() -> None:
        webhook = TelegramInput(config_for(api), lambda: ledger, registration_delays=(0, 0))
        async with serving(webhook, collector) as url:
            await api.wait_for_async(lambda _: "webhook NOT registered" in caplog.text)
            await post(url, text_update(4711, "hallo", 1))
            await post(url, text_update(4711, "kaputt", 2))
        polling = TelegramInput(
            config_for(
                api,
                {"TELEGRAM_LEADER_LEASE_SECONDS": "1"},
                mode="polling",
                webhook_url="",
                secret_token="",
                api_base_url=unreachable,
            ),
            lambda: ledger,
        )
        async with serving(polling, collector):
            await api.wait_for_async(lambda _: "preparing long polling failed" in caplog.text)

    run(scenario())
    assert "setWebhook failed" in caplog.text  # the failures were logged ...
    assert "sendMessage failed" in caplog.text
    assert "Rasa failed on update 2" in caplog.text and "Traceback" in caplog.text
    assert SECRET_PART not in caplog.text  # ... without the token
    assert TOKEN not in caplog.text


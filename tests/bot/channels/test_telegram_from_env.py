"""The channel as Rasa builds it from credentials.yml: its ledger on DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.ledger import TelegramLedger, Verdict
from cancellation.log.migrate import upgrade
from tests.bot.channels.telegram_support import (  # noqa: F401 (api is a fixture)
    Collector,
    api,
    post,
    run,
    serving,
)
from tests.support.fake_telegram import BOT_ID, FakeBotApi, text_update

CHAT = 6060
SECRET = "geheim-und-lang-genug"


def test_the_default_ledger_uses_database_url_from_the_environment(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_url = f"sqlite:///{tmp_path / 'log.db'}"
    upgrade(database_url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    channel = TelegramInput.from_credentials(
        {
            "access_token": api.token,
            "verify": api.username,
            "webhook_url": "https://bot.example.org/webhooks/telegram/webhook",
            "secret_token": SECRET,
            "api_base_url": api.base_url,
            "mode": "webhook",
        }
    )
    collector = Collector()

    async def scenario() -> list[int]:
        async with serving(channel, collector) as url:
            return [await post(url, text_update(CHAT, "hallo", 800), secret=SECRET) for _ in "12"]

    assert run(scenario()) == [200, 200]
    assert collector.texts == ["hallo"]
    ledger = TelegramLedger.from_url(database_url)
    try:
        assert ledger.claim(str(BOT_ID), 800, "someone", 10).verdict is Verdict.FINISHED
    finally:
        ledger.dispose()


def test_repr_of_the_channel_shows_no_secret(api: FakeBotApi) -> None:
    channel = TelegramInput.from_credentials(
        {"access_token": api.token, "secret_token": SECRET, "mode": "webhook",
         "webhook_url": "https://bot.example.org/webhooks/telegram/webhook"}
    )
    assert api.token not in repr(channel) and SECRET not in repr(channel)

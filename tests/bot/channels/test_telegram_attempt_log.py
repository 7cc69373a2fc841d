"""The channel against the real attempt log (SQLite), as two processes would share it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.polling import offset_key
from bot.channels.telegram.ledger import TelegramLedger
from cancellation.log import AttemptLog
from tests.bot.channels.telegram_support import (  # noqa: F401 (api is a fixture)
    Collector,
    api,
    config_for,
    post,
    run,
    serving,
)
from tests.support.fake_telegram import BOT_ID, FakeBotApi, text_update

CHAT = 6060


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    AttemptLog.from_url(url, upgrade_schema=True).dispose()
    return url


def test_polling_offset_and_claims_live_in_the_database(
    api: FakeBotApi, database_url: str
) -> None:
    collectors = [Collector(), Collector()]
    config = config_for(api, mode="polling", webhook_url="", secret_token="")

    async def one_process(collector: Collector, expected: list[str]) -> None:
        channel = TelegramInput(config, lambda: TelegramLedger.from_url(database_url))
        async with serving(channel, collector):
            await api.wait_for_async(lambda _: collector.texts == expected)
            await channel.wait_idle()

    first = text_update(CHAT, "hallo", 700)
    api.queue_update(first)
    run(one_process(collectors[0], ["hallo"]))
    api.queue_update(first)  # delivered again after the "restart"
    api.queue_update(text_update(CHAT, "weiter", 701))
    run(one_process(collectors[1], ["weiter"]))

    assert collectors[1].texts == ["weiter"]
    log = TelegramLedger.from_url(database_url)
    assert log.get_channel_state(offset_key(str(BOT_ID))) == "702"
    assert log.claim_telegram_update(str(BOT_ID), 700) is False


def test_default_ledger_reads_database_url_from_the_environment(
    api: FakeBotApi, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    channel = TelegramInput.from_credentials(
        {
            "access_token": api.token,
            "verify": api.username,
            "webhook_url": "https://bot.example.org/webhooks/telegram/webhook",
            "secret_token": "geheim",
            "api_base_url": api.base_url,
            "mode": "webhook",
        }
    )
    collector = Collector()

    async def scenario() -> list[int]:
        async with serving(channel, collector) as url:
            statuses = [
                await post(url, text_update(CHAT, "hallo", 800), secret="geheim")
                for _ in range(2)
            ]
            await channel.wait_idle()
            return statuses

    assert run(scenario()) == [200, 200]
    assert collector.texts == ["hallo"]
    assert TelegramLedger.from_url(database_url).claim_telegram_update(str(BOT_ID), 800) is False

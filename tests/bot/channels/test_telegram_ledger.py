"""The Telegram ledger on the attempt-log database, SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest

from bot.channels.telegram.ledger import TelegramLedger
from cancellation.log.migrate import upgrade
from tests.support.databases import scratch_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TelegramLedger]:
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'ledger.db'}"])
    else:
        urls = scratch_postgres("tg")
    url = next(urls)
    upgrade(url)
    ledger = TelegramLedger.from_url(url)
    try:
        yield ledger
    finally:
        ledger.dispose()
        next(urls, None)  # drops the PostgreSQL schema


def test_telegram_update_is_claimed_once_even_by_concurrent_workers(ledger: TelegramLedger) -> None:
    barrier = threading.Barrier(8)

    def claim(_: int) -> bool:
        barrier.wait()
        return ledger.claim_telegram_update("kuendigungs_bot", 1_000_000_123)

    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = list(pool.map(claim, range(8)))

    assert claims.count(True) == 1
    assert ledger.claim_telegram_update("other_bot", 1_000_000_123) is True


def test_channel_state_is_stored_and_overwritten(ledger: TelegramLedger) -> None:
    assert ledger.get_channel_state("telegram:offset") is None
    ledger.set_channel_state("telegram:offset", "41")
    ledger.set_channel_state("telegram:offset", "42")
    assert ledger.get_channel_state("telegram:offset") == "42"

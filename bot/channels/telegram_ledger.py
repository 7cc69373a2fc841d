"""What the Telegram channel keeps in the attempt-log database, behind a small async facade.

The attempt log's calls are synchronous SQLAlchemy; they run in the default thread executor so
a slow database never blocks Sanic's event loop.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable, Protocol, TypeVar

T = TypeVar("T")


class TelegramLedger(Protocol):
    """The subset of `cancellation.log.AttemptLog` the channel uses."""

    def claim_telegram_update(self, bot: str, update_id: int) -> bool:
        """True only the first time this bot's update id is claimed, across all processes."""

    def get_channel_state(self, key: str) -> str | None: ...

    def set_channel_state(self, key: str, value: str) -> None: ...

    def letter_pdf(self, reference: str) -> bytes | None: ...


def attempt_log_from_env() -> TelegramLedger:
    # Imported here so importing the channel never touches the database configuration.
    from cancellation.log import AttemptLog
    from cancellation.settings import Settings

    return AttemptLog.from_settings(Settings.from_env())


class AsyncLedger:
    def __init__(self, ledger: TelegramLedger) -> None:
        self._ledger = ledger

    async def claim_update(self, bot: str, update_id: int) -> bool:
        return await self._run(self._ledger.claim_telegram_update, bot, update_id)

    async def get_state(self, key: str) -> str | None:
        return await self._run(self._ledger.get_channel_state, key)

    async def set_state(self, key: str, value: str) -> None:
        await self._run(self._ledger.set_channel_state, key, value)

    async def letter_pdf(self, reference: str) -> bytes | None:
        return await self._run(self._ledger.letter_pdf, reference)

    @staticmethod
    async def _run(function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(function, *args))

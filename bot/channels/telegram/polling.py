"""Long polling (getUpdates) for operators without a public HTTPS address.

Telegram keeps every update until a getUpdates call confirms it with a higher `offset`, so the
offset only ever moves past updates that are finished: an update whose processing dies with its
process is delivered again and completed by whoever polls next. Updates are handled concurrently
(one slow conversation does not hold up the others); while some are unfinished, Telegram answers
getUpdates at once with them, so the loop paces itself instead of spinning.

The offset is also stored in the database, so a restarted poller does not fetch finished
updates again; Telegram's own memory of confirmed updates makes that merely a saving.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable

from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.handler import Outcome, UpdateHandler
from bot.channels.telegram.ledger import AsyncLedger
from bot.channels.telegram.updates import ALLOWED_UPDATES

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0
# Updates handled at the same time by one poller.
MAX_IN_FLIGHT = 32
# While updates are unfinished: look again after at most this long.
PACE_SECONDS = 0.5
# An update that another holder works on (BUSY) or that met a database failure is tried again
# after this long.
RETRY_SECONDS = 1.0


def offset_key(bot_id: str) -> str:
    return f"telegram:{bot_id}:offset"


class _Window:
    """The updates Telegram has not been told to forget, and what became of them."""

    def __init__(self) -> None:
        self.in_flight: dict[int, asyncio.Task[Outcome]] = {}
        self.finished: set[int] = set()
        self.retry_at: dict[int, float] = {}

    def startable(self, update_id: int, now: float) -> bool:
        return (
            update_id not in self.in_flight
            and update_id not in self.finished
            and self.retry_at.get(update_id, 0.0) <= now
            and len(self.in_flight) < MAX_IN_FLIGHT
        )

    def reap(self) -> None:
        for update_id, task in list(self.in_flight.items()):
            if not task.done():
                continue
            del self.in_flight[update_id]
            outcome = Outcome.FAILED if task.cancelled() or task.exception() else task.result()
            if outcome is Outcome.DONE:
                self.finished.add(update_id)
                self.retry_at.pop(update_id, None)
            else:
                self.retry_at[update_id] = time.monotonic() + RETRY_SECONDS

    def offset_after(self, batch_ids: list[int]) -> int | None:
        """The first update id of the batch that is not finished (or one past the batch)."""
        if not batch_ids:
            return None
        for update_id in batch_ids:
            if update_id not in self.finished:
                return update_id
        return batch_ids[-1] + 1

    def forget_below(self, offset: int) -> None:
        self.finished = {update_id for update_id in self.finished if update_id >= offset}
        self.retry_at = {u: t for u, t in self.retry_at.items() if u >= offset}

    @property
    def unfinished(self) -> bool:
        return bool(self.in_flight or self.retry_at)

    async def settle(self, seconds: float) -> None:
        """Wait until an update in flight ends, at most `seconds`."""
        if self.in_flight:
            await asyncio.wait(
                set(self.in_flight.values()), timeout=seconds, return_when=asyncio.FIRST_COMPLETED
            )
        else:
            await asyncio.sleep(seconds)


async def poll_forever(
    *,
    bot_id: str,
    client: BotApiClient,
    ledger: AsyncLedger,
    handler: UpdateHandler,
    timeout_seconds: int,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Runs until cancelled. Every failure is logged and retried with a growing pause. Updates
    still in flight when it is cancelled finish on their own (the handler tracks them)."""
    key = offset_key(bot_id)
    offset: int | None = None
    offset_loaded = False
    failures = 0
    window = _Window()
    while True:
        try:
            if not offset_loaded:
                offset = _parse_offset(await ledger.get_state(key))
                offset_loaded = True
            # With unfinished updates Telegram would answer at once anyway.
            wait = 0 if window.unfinished else timeout_seconds
            updates = await client.get_updates(offset, wait, ALLOWED_UPDATES)
            batch = sorted(_update_ids(updates), key=lambda pair: pair[0])
            now = time.monotonic()
            for update_id, update in batch:
                if window.startable(update_id, now):
                    window.in_flight[update_id] = handler.start(update)
            if window.unfinished:
                await window.settle(PACE_SECONDS)
            window.reap()
            new_offset = window.offset_after([update_id for update_id, _ in batch])
            if new_offset is not None and new_offset != offset:
                offset = new_offset
                window.forget_below(offset)
                await ledger.set_state(key, str(offset))
            failures = 0
        except asyncio.CancelledError:
            raise
        except BotApiError as error:
            failures += 1
            logger.warning("Telegram polling: %s", error)
            await sleep(_backoff(failures))
        except Exception:
            failures += 1
            logger.exception("Telegram polling failed")
            await sleep(_backoff(failures))


def _update_ids(updates: Any) -> list[tuple[int, dict[str, Any]]]:
    found = []
    for update in updates if isinstance(updates, list) else []:
        update_id = update.get("update_id") if isinstance(update, dict) else None
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            found.append((update_id, update))
    return found


def _parse_offset(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        logger.warning("Telegram polling: ignoring a stored offset that is not a number: %r", raw)
        return None


def _backoff(failures: int) -> float:
    return min(MAX_BACKOFF_SECONDS, 2.0 ** min(failures, 6))

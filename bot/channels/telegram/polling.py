"""Long polling (getUpdates) for operators without a public HTTPS address.

The offset lives in the database, so a restarted server continues after the last update it
claimed; the claim itself makes re-delivered updates harmless.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.handler import UpdateHandler
from bot.channels.telegram.ledger import AsyncLedger
from bot.channels.telegram.updates import ALLOWED_UPDATES

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0


def offset_key(bot_id: str) -> str:
    return f"telegram:{bot_id}:offset"


async def poll_forever(
    *,
    bot_id: str,
    client: BotApiClient,
    ledger: AsyncLedger,
    handler: UpdateHandler,
    timeout_seconds: int,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Runs until cancelled. Every failure is logged and retried with a growing pause."""
    key = offset_key(bot_id)
    offset: int | None = None
    offset_loaded = False
    failures = 0
    while True:
        try:
            if not offset_loaded:
                offset = _parse_offset(await ledger.get_state(key))
                offset_loaded = True
            updates = await client.get_updates(offset, timeout_seconds, ALLOWED_UPDATES)
            for update in updates if isinstance(updates, list) else []:
                update_id = update.get("update_id") if isinstance(update, dict) else None
                if not isinstance(update_id, int):
                    continue
                if not await handler.accept(update):
                    raise RuntimeError("the database did not answer; retrying this update")
                offset = update_id + 1
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


def _parse_offset(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        logger.warning("Telegram polling: ignoring a stored offset that is not a number: %r", raw)
        return None


def _backoff(failures: int) -> float:
    return min(MAX_BACKOFF_SECONDS, 2.0 ** min(failures, 6))

"""Exactly one long-polling process per bot: a leader lease in Redis or in the database.

Telegram serves one `getUpdates` caller per bot at a time (a second one gets 409 Conflict), so
among several Rasa replicas only the lease holder polls. It renews the lease every third of its
lifetime; if it dies, the lease runs out and another replica, which keeps asking every second,
takes over. The update ledger, not the lease, is what keeps an update from being answered twice:
a paused holder that wakes up after losing its lease can no longer finish anyone's claim.

With REDIS_URL set the lease is a Redis key (SET NX PX, renewed by a script that checks the
owner, so Redis's clock decides); otherwise a row in `telegram_leases` in the database (the
processes' clocks decide: keep them in sync, as NTP does).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Protocol

from bot.channels.telegram.ledger import AsyncLedger

logger = logging.getLogger(__name__)

# KEYS[1] lease key, ARGV[1] owner, ARGV[2] lifetime in ms. 1 = held by the caller now.
_HOLD_SCRIPT = """
local current = redis.call('get', KEYS[1])
if current == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
if current then
  return 0
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
_RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class Lease(Protocol):
    async def hold(self) -> bool:
        """Take or renew the lease; False while someone else holds it."""

    async def release(self) -> None: ...

    async def close(self) -> None: ...


class DatabaseLease:
    def __init__(self, ledger: AsyncLedger, name: str, owner: str, seconds: float) -> None:
        self._ledger = ledger
        self._name = name
        self._owner = owner
        self._seconds = seconds

    async def hold(self) -> bool:
        return await self._ledger.hold_lease(self._name, self._owner, self._seconds)

    async def release(self) -> None:
        await self._ledger.release_lease(self._name, self._owner)

    async def close(self) -> None:
        pass


class RedisLease:
    def __init__(self, redis_url: str, name: str, owner: str, seconds: float) -> None:
        import redis.asyncio as redis_asyncio  # only when REDIS_URL is set

        self._redis: Any = redis_asyncio.from_url(redis_url)
        self._key = f"kuendigungshilfe:{name}"
        self._owner = owner
        self._milliseconds = max(1, int(seconds * 1000))

    async def hold(self) -> bool:
        held = await self._redis.eval(_HOLD_SCRIPT, 1, self._key, self._owner, self._milliseconds)
        return int(held) == 1

    async def release(self) -> None:
        await self._redis.eval(_RELEASE_SCRIPT, 1, self._key, self._owner)

    async def close(self) -> None:
        await self._redis.close()


def lease_name(bot_id: str) -> str:
    return f"telegram:{bot_id}:poller"


class Leadership:
    """Runs `work` only while this process holds the lease; stops it when the lease is lost."""

    def __init__(
        self,
        lease: Lease,
        seconds: float,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._lease = lease
        self._renew_every = seconds / 3
        self._ask_every = min(1.0, seconds / 3)
        self._sleep = sleep
        self.leading = False

    async def run(self, work: Callable[[], Awaitable[None]]) -> None:
        """Until cancelled: wait for the lease, run `work` while it is held, repeat."""
        try:
            while True:
                if not await self._hold():
                    await self._sleep(self._ask_every)
                    continue
                self.leading = True
                logger.info("Telegram: this process is the poller now")
                await self._lead(work)
                self.leading = False
        finally:
            self.leading = False
            await self._release()

    async def _lead(self, work: Callable[[], Awaitable[None]]) -> None:
        task = asyncio.get_running_loop().create_task(work())
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=self._renew_every)
                if done:
                    # The poll loop retries every failure itself; ending at all is a bug.
                    error = task.exception()
                    logger.error("Telegram: polling stopped: %r; asking for the lease again", error)
                    return
                if not await self._hold():
                    logger.warning("Telegram: lost the poller lease; another process polls now")
                    return
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _hold(self) -> bool:
        try:
            return await self._lease.hold()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            # Without the lease store nobody can be sure to be alone: stop polling until it is back.
            logger.error("Telegram: the poller lease could not be checked: %s", type(error).__name__)
            return False

    async def _release(self) -> None:
        try:
            await self._lease.release()
        except Exception as error:
            logger.warning("Telegram: could not release the poller lease: %s", type(error).__name__)
        finally:
            await self._lease.close()

"""Lock store: Redis when `REDIS_URL` is set (required for several Rasa replicas), else in-memory."""

from __future__ import annotations

import asyncio
from collections import deque
import functools
import logging
import time
from typing import Any, Awaitable, Callable, Text
from urllib.parse import urlsplit

from rasa.core import lock_store
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from cancellation.settings import Settings

logger = logging.getLogger(__name__)


class EnvironmentLockStore:
    """Rasa instantiates custom lock stores as `cls(endpoint_config=...)`; return the real one."""

    def __new__(cls, *args: Any, **kwargs: Any) -> LockStore:  # type: ignore[misc]
        redis_url = Settings.from_env().redis_url
        if not redis_url:
            return InMemoryLockStore()
        parts = urlsplit(redis_url)
        db = int(parts.path.lstrip("/") or 0)
        return RedisLockStore(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 6379,
            db=db,
            password=parts.password,
            use_ssl=parts.scheme == "rediss",
            key_prefix="kuendigungshilfe",
        )


# -- patch: a waiting turn keeps its place (bot/rasa_patches.py, "lock_ticket_kept") -----------


def ticket_keeping_acquire(original: Callable[..., Awaitable[TicketLock]]) -> Callable[..., Any]:
    """Rasa's `LockStore._acquire_lock` waits, polling every `wait_time_in_seconds`, until its
    ticket is the first one, and drops expired tickets on the way. A waiting ticket can expire
    too: a replica killed right after taking its ticket leaves a dead one, the balancer retries
    the message on another replica at once, and both tickets expire within one polling interval.
    Rasa then waits forever (its ticket is gone, so it is never "now serving", and the lock it
    keeps re-saving never disappears) and the balancer answers 504 after its server timeout.

    Here a waiter whose ticket has expired puts it back with a fresh lifetime. Tickets are
    issued in order with one lifetime (TICKET_LOCK_LIFETIME), so every ticket ahead of an expired
    one has expired as well: the waiter is served next, before any message that came after it."""

    @functools.wraps(original)
    async def _acquire_lock(
        self: LockStore, conversation_id: Text, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id) or self.create_lock(conversation_id)
            if all(kept.number != ticket for kept in lock.tickets):
                tickets = [*lock.tickets, Ticket(ticket, time.time() + lock_store.LOCK_LIFETIME)]
                lock.tickets = deque(sorted(tickets, key=lambda kept: kept.number))
                self.save_lock(lock)
                logger.warning("A turn's lock ticket expired while it waited; it keeps its place")
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)

    return _acquire_lock

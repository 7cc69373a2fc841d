"""Rate limits: fixed-window counters per conversation and per client address.

Pure logic with an injectable clock and counter store:

- `MemoryCounters`: one process (`make run`, tests);
- `RedisCounters`: shared by every replica when REDIS_URL is set (INCR + EXPIRE, atomic).

Subjects (conversation ids, client keys) are hashed before they become keys, so the counter store
holds no sender id or address. A limit of 0 is off.

Which limits exist and where they are checked (README, "Production"):

| limit | subject | checked by | setting (default) |
|---|---|---|---|
| `conversation_messages` | conversation | every channel, before Rasa | RATE_LIMIT_MESSAGES_PER_MINUTE (30) |
| `address_messages` | client address | REST without token, web chat | RATE_LIMIT_IP_MESSAGES_PER_MINUTE (120) |
| `conversation_letters` | conversation | the letter action | RATE_LIMIT_LETTERS_PER_DAY (20) |
| `address_letters` | client address | the letter action | RATE_LIMIT_LETTERS_PER_DAY (20) |
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Protocol, Tuple

MINUTE = 60
DAY = 24 * 60 * 60
KEY_PREFIX = "kuendigungshilfe:ratelimit"


@dataclass(frozen=True)
class Limit:
    name: str
    allowed: int  # per window; 0: no limit
    window_seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: Optional[str] = None  # the limit that refused
    retry_after_seconds: int = 0


ALLOWED = Decision(True)


class Counters(Protocol):
    async def increment(self, key: str, ttl_seconds: int) -> int:
        """Add one to `key` (created with a lifetime of `ttl_seconds`); the new count."""


class MemoryCounters:
    """Counters of one process; expired windows are dropped as new ones start."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._counts: Dict[str, Tuple[int, float]] = {}

    async def increment(self, key: str, ttl_seconds: int) -> int:
        # No await in here: one event loop runs it without interruption.
        now = self._clock()
        if len(self._counts) > 10_000:
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        count, expires = self._counts.get(key, (0, now + ttl_seconds))
        if expires <= now:
            count, expires = 0, now + ttl_seconds
        self._counts[key] = (count + 1, expires)
        return count + 1


class RedisCounters:
    """Counters in Redis, shared by every replica (REDIS_URL)."""

    def __init__(self, url: str) -> None:
        from redis import asyncio as redis_asyncio  # only where Redis is configured

        self._redis = redis_asyncio.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    async def increment(self, key: str, ttl_seconds: int) -> int:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            # The window is part of the key: the lifetime only clears old windows away.
            pipe.expire(key, ttl_seconds)
            count, _ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self._redis.close()


@dataclass
class RateLimiter:
    counters: Counters
    clock: Callable[[], float] = field(default=time.time)

    async def check(self, *hits: Tuple[Limit, Optional[str]]) -> Decision:
        """Count one request against each (limit, subject); refused by the first limit it
        exceeds. Subjects that are None and limits that are 0 are skipped."""
        now = self.clock()
        for limit, subject in hits:
            if not subject or limit.allowed <= 0:
                continue
            window = int(now // limit.window_seconds)
            key = f"{KEY_PREFIX}:{limit.name}:{_digest(subject)}:{window}"
            count = await self.counters.increment(key, limit.window_seconds + 1)
            if count > limit.allowed:
                retry = (window + 1) * limit.window_seconds - now
                return Decision(False, limit.name, max(1, math.ceil(retry)))
        return ALLOWED


def _digest(subject: str) -> str:
    return hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]


def counters_for(redis_url: Optional[str], clock: Callable[[], float] = time.time) -> Any:
    return RedisCounters(redis_url) if redis_url else MemoryCounters(clock)



CONVERSATION_LETTERS = "conversation_letters"
ADDRESS_LETTERS = "address_letters"


def letter_limits(per_day: int) -> Tuple[Limit, Limit]:
    """(per conversation, per client address): letters a day, checked where a letter is made."""
    return Limit(CONVERSATION_LETTERS, per_day, DAY), Limit(ADDRESS_LETTERS, per_day, DAY)

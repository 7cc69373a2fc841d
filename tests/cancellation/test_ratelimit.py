"""Rate limits: a flood is cut off, a normal conversation never is; in memory and in Redis."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from cancellation.ratelimit import (
    DAY,
    MINUTE,
    Limit,
    MemoryCounters,
    RateLimiter,
    RedisCounters,
    letter_limits,
)
from cancellation.settings import RateLimits, SettingsError

REDIS_URL = "redis://127.0.0.1:6379/0"
MESSAGES = Limit("conversation_messages", 30, MINUTE)
ADDRESS = Limit("address_messages", 120, MINUTE)


class Clock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_a_flood_from_one_conversation_is_cut_off_after_the_limit() -> None:
    clock = Clock()
    limiter = RateLimiter(MemoryCounters(clock), clock)

    async def flood() -> list:
        return [await limiter.check((MESSAGES, "rest:bot")) for _ in range(100)]

    decisions = asyncio.run(flood())
    assert [d.allowed for d in decisions].count(True) == 30
    refused = decisions[30]
    assert refused.limit == "conversation_messages" and 1 <= refused.retry_after_seconds <= 60
    assert not any(d.allowed for d in decisions[30:])


def test_a_normal_conversation_of_20_turns_in_a_few_minutes_is_never_touched() -> None:
    clock = Clock()
    limiter = RateLimiter(MemoryCounters(clock), clock)

    async def conversation() -> list:
        decisions = []
        for _ in range(20):
            # A quick typist: a turn every 6 seconds, two minutes in all.
            decisions.append(await limiter.check((MESSAGES, "web:abc"), (ADDRESS, "203.0.113.7")))
            clock.now += 6
        return decisions

    assert all(d.allowed for d in asyncio.run(conversation()))


def test_the_limit_resets_with_the_next_window_and_other_conversations_are_separate() -> None:
    clock = Clock(start=1_800_000_000.0 - 1_800_000_000.0 % 60)
    limiter = RateLimiter(MemoryCounters(clock), clock)
    small = Limit("conversation_messages", 2, MINUTE)

    async def scenario() -> list:
        results = [await limiter.check((small, "a")) for _ in range(3)]
        results.append(await limiter.check((small, "b")))
        clock.now += 60
        results.append(await limiter.check((small, "a")))
        return [d.allowed for d in results]

    assert asyncio.run(scenario()) == [True, True, False, True, True]


def test_per_address_limit_catches_many_conversations_from_one_address() -> None:
    clock = Clock()
    limiter = RateLimiter(MemoryCounters(clock), clock)
    address = Limit("address_messages", 5, MINUTE)

    async def scenario() -> list:
        return [
            await limiter.check((MESSAGES, f"web:{n}"), (address, "198.51.100.1"))
            for n in range(8)
        ]

    decisions = asyncio.run(scenario())
    assert [d.allowed for d in decisions] == [True] * 5 + [False] * 3
    assert decisions[-1].limit == "address_messages"


def test_a_limit_of_zero_or_no_subject_is_no_limit() -> None:
    limiter = RateLimiter(MemoryCounters())

    async def scenario() -> bool:
        off = Limit("conversation_messages", 0, MINUTE)
        results = [await limiter.check((off, "a"), (ADDRESS, None)) for _ in range(500)]
        return all(d.allowed for d in results)

    assert asyncio.run(scenario())


def test_letters_per_day() -> None:
    clock = Clock()
    limiter = RateLimiter(MemoryCounters(clock), clock)
    per_conversation, per_address = letter_limits(3)
    assert per_conversation.window_seconds == DAY

    async def scenario() -> list:
        return [
            (await limiter.check((per_conversation, "rest:x"), (per_address, None))).allowed
            for _ in range(4)
        ]

    assert asyncio.run(scenario()) == [True, True, True, False]


def test_redis_counters_are_shared_by_replicas() -> None:
    # Two limiters with their own Redis clients stand for two Rasa replicas.
    subject = f"rest:replica-test-{secrets.token_hex(4)}"
    small = Limit("conversation_messages", 4, MINUTE)

    async def scenario() -> list:
        first, second = RedisCounters(REDIS_URL), RedisCounters(REDIS_URL)
        try:
            one, two = RateLimiter(first), RateLimiter(second)
            results = []
            for limiter in (one, two, one, two, one, two):
                results.append((await limiter.check((small, subject))).allowed)
            return results
        finally:
            await first.close()
            await second.close()

    assert asyncio.run(scenario()) == [True, True, True, True, False, False]


def test_redis_keys_hold_no_sender_id() -> None:
    import redis

    subject = f"tg:4711{secrets.token_hex(4)}"

    async def scenario() -> None:
        counters = RedisCounters(REDIS_URL)
        try:
            await RateLimiter(counters).check((MESSAGES, subject))
        finally:
            await counters.close()

    asyncio.run(scenario())
    client = redis.Redis.from_url(REDIS_URL)
    keys = [key.decode() for key in client.scan_iter("kuendigungshilfe:ratelimit:*")]
    assert keys and not any(subject in key for key in keys)
    assert all(0 < client.ttl(key) <= 61 for key in keys if "conversation_messages" in key)


def test_settings() -> None:
    assert RateLimits.from_env({}) == RateLimits(30, 120, 20, None)
    limits = RateLimits.from_env(
        {
            "RATE_LIMIT_MESSAGES_PER_MINUTE": "10",
            "RATE_LIMIT_IP_MESSAGES_PER_MINUTE": "0",
            "RATE_LIMIT_LETTERS_PER_DAY": "5",
            "REDIS_URL": REDIS_URL,
        }
    )
    assert limits == RateLimits(10, 0, 5, REDIS_URL)
    with pytest.raises(SettingsError, match="RATE_LIMIT_LETTERS_PER_DAY"):
        RateLimits.from_env({"RATE_LIMIT_LETTERS_PER_DAY": "viele"})
    with pytest.raises(SettingsError, match="RATE_LIMIT_MESSAGES_PER_MINUTE"):
        RateLimits.from_env({"RATE_LIMIT_MESSAGES_PER_MINUTE": "-1"})

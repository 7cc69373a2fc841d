"""Several Rasa replicas share a Redis lock store when REDIS_URL is set."""

import asyncio

from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.stores.lock import EnvironmentLockStore


def test_in_memory_without_redis_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(EnvironmentLockStore(endpoint_config=None), InMemoryLockStore)


def test_redis_lock_is_shared_between_two_stores(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    first, second = EnvironmentLockStore(), EnvironmentLockStore()
    assert isinstance(first, RedisLockStore)

    conversation = "lock-test-conversation"
    first.delete_lock(conversation)

    async def scenario():
        async with first.lock(conversation):
            # While one replica handles the conversation, the other replica has to wait.
            ticket = second.issue_ticket(conversation)
            assert second.get_lock(conversation).is_locked(ticket)
        assert not second.get_lock(conversation).is_locked(ticket)  # its turn now
        second.finish_serving(conversation, ticket)

    asyncio.run(scenario())


def _dead_replica_then_a_retry(store, conversation, lifetime, wait):
    """A replica took a ticket and was killed (the ticket stays until it expires); the balancer
    retries the message on another replica, which waits for the dead ticket with one of its own.
    Both tickets expire within one of the waiter's polling intervals."""
    store.delete_lock(conversation)
    store.issue_ticket(conversation, lifetime)  # the killed replica's

    async def retried_turn() -> str:
        async with store.lock(conversation, lifetime, wait_time_in_seconds=wait):
            return "served"

    return asyncio.run(asyncio.wait_for(retried_turn(), timeout=10 * wait + 5 * lifetime))


def test_a_turn_whose_ticket_expired_while_waiting_for_a_dead_one_is_served_in_memory():
    from bot import rasa_patches

    rasa_patches.install()
    assert _dead_replica_then_a_retry(InMemoryLockStore(), "expired-ticket", 0.2, 0.5) == "served"


def test_a_turn_whose_ticket_expired_while_waiting_for_a_dead_one_is_served_on_redis(monkeypatch):
    from bot import rasa_patches

    rasa_patches.install()
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    store = EnvironmentLockStore()
    conversation = "expired-ticket-redis"
    assert _dead_replica_then_a_retry(store, conversation, 0.2, 0.5) == "served"
    assert store.get_lock(conversation) is None  # cleaned up: the next message does not wait


def test_the_next_message_is_not_served_alongside_a_live_turn():
    from bot import rasa_patches

    rasa_patches.install()
    store = InMemoryLockStore()
    conversation = "live-turn"
    order = []

    async def turn(name: str, hold: float) -> None:
        async with store.lock(conversation, 5, wait_time_in_seconds=0.05):
            order.append(f"{name} start")
            await asyncio.sleep(hold)
            order.append(f"{name} end")

    async def scenario() -> None:
        first = asyncio.create_task(turn("first", 0.3))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, turn("second", 0))

    asyncio.run(scenario())
    assert order == ["first start", "first end", "second start", "second end"]

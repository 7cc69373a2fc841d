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

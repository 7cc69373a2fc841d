"""Lock store: Redis when `REDIS_URL` is set (required for several Rasa replicas), else in-memory."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from cancellation.settings import Settings


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

"""What the Telegram channel keeps in the database: claimed update ids and small channel state
(the polling offset, long button payloads).

The tables live in the attempt-log database and its one Alembic history
(cancellation/log/migrations); the models and queries live here, so the domain core knows
nothing of Telegram. The calls are synchronous SQLAlchemy; `AsyncLedger` runs them in the default
thread executor so a slow database never blocks Sanic's event loop.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable, Protocol, TypeVar

from sqlalchemy import BigInteger, Column, String, Text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base

from cancellation.log.models import UTCDateTime
from cancellation.log.rows import utc_now
from cancellation.log.store import LogStore

T = TypeVar("T")

Base = declarative_base()


class TelegramUpdate(Base):
    __tablename__ = "telegram_updates"

    bot = Column(String(100), primary_key=True)
    update_id = Column(BigInteger, primary_key=True, autoincrement=False)
    processed_at = Column(UTCDateTime, nullable=False)


class ChannelState(Base):
    __tablename__ = "channel_state"

    key = Column(String(200), primary_key=True)
    value = Column(Text, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)


class LetterSource(Protocol):
    """Where the channel gets a letter's PDF to upload (the attempt log)."""

    def letter_pdf(self, reference: str) -> bytes | None: ...


class TelegramLedger:
    """Update claims and channel state on the attempt-log database."""

    def __init__(self, store: LogStore, letters: LetterSource) -> None:
        self._store = store
        self._letters = letters

    @classmethod
    def from_url(cls, url: str) -> "TelegramLedger":
        from cancellation.log.verified_reads import VerifiedReads

        store = LogStore.from_url(url)
        return cls(store, VerifiedReads(store))

    def dispose(self) -> None:
        self._store.dispose()

    def claim_telegram_update(self, bot: str, update_id: int) -> bool:
        """True for the first caller only, across processes: the primary key decides."""
        try:
            with self._store.write() as session:
                session.add(TelegramUpdate(bot=bot, update_id=update_id, processed_at=utc_now()))
        except IntegrityError:
            return False
        return True

    def get_channel_state(self, key: str) -> str | None:
        with self._store.read() as session:
            row = session.get(ChannelState, key)
            return None if row is None else row.value

    def set_channel_state(self, key: str, value: str) -> None:
        for _ in range(2):
            try:
                with self._store.write() as session:
                    row = session.get(ChannelState, key)
                    if row is None:
                        session.add(ChannelState(key=key, value=value, updated_at=utc_now()))
                    else:
                        row.value = value
                        row.updated_at = utc_now()
                return
            except IntegrityError:
                continue  # another process inserted the key first; now it is an update
        raise RuntimeError(f"channel state {key!r} could not be written")

    def letter_pdf(self, reference: str) -> bytes | None:
        return self._letters.letter_pdf(reference)


def ledger_from_env() -> TelegramLedger:
    # Imported here so importing the channel never touches the database configuration.
    from cancellation.settings import Settings

    return TelegramLedger.from_url(Settings.from_env().database_url)


class AsyncLedger:
    def __init__(self, ledger: Any) -> None:
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

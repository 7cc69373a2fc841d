"""What the Telegram channel keeps in the database: the update ledger, small channel state (the
polling offset, long button payloads) and the poller's leader lease.

The ledger makes every update processed at least once and answered at most once:

    claim -> process (Rasa; replies are only collected) -> answer (store the replies) ->
    deliver (send them, counting) -> finish

A claim is a lease: while its holder works on the update it renews the lease; when the holder
dies, the lease runs out and the next delivery of the same update (Telegram delivers it again,
because it was never confirmed) takes it over: an update that was never answered is processed
again, an answered one only has its remaining replies sent. A finished update is never touched
again. Every write after the claim names the claim (owner and attempt), so a process that lost
its claim to another can no longer answer, deliver or finish it.

The tables live in the attempt-log database and its one Alembic history
(cancellation/log/migrations); the models and queries live here, so the domain core knows
nothing of Telegram. The calls are synchronous SQLAlchemy; `AsyncLedger` runs them in the default
thread executor so a slow database never blocks Sanic's event loop.
"""

from __future__ import annotations

import asyncio
import enum
import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping, Protocol, TypeVar

from sqlalchemy import JSON, BigInteger, Column, Integer, String, Text, delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base

from cancellation.log.models import UTCDateTime
from cancellation.log.rows import utc_now
from cancellation.log.store import LogStore

T = TypeVar("T")

Base = declarative_base()


class UpdateStatus(str, enum.Enum):
    PROCESSING = "processing"
    ANSWERED = "answered"  # replies stored, not all sent yet
    DONE = "done"


class TelegramUpdate(Base):
    __tablename__ = "telegram_updates"

    bot = Column(String(100), primary_key=True)
    update_id = Column(BigInteger, primary_key=True, autoincrement=False)
    received_at = Column(UTCDateTime, nullable=False, index=True)
    status = Column(String(16), nullable=False)
    owner = Column(String(64), nullable=True)
    lease_until = Column(UTCDateTime, nullable=True)
    # How many times the update was claimed: the claim's generation, and a crash-loop counter.
    attempts = Column(Integer, nullable=False)
    # The replies of an answered update until they are all sent (then NULL again).
    outbox = Column(JSON, nullable=True)
    delivered = Column(Integer, nullable=False)
    finished_at = Column(UTCDateTime, nullable=True)


class ChannelState(Base):
    __tablename__ = "channel_state"

    key = Column(String(200), primary_key=True)
    value = Column(Text, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)


class TelegramLease(Base):
    __tablename__ = "telegram_leases"

    name = Column(String(200), primary_key=True)
    owner = Column(String(64), nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)


class Verdict(str, enum.Enum):
    PROCESS = "process"  # new, or its earlier holder died before answering
    DELIVER = "deliver"  # answered by a holder that died while sending the replies
    FINISHED = "finished"  # answered completely; never again
    BUSY = "busy"  # someone (maybe this process) holds a live claim


@dataclass(frozen=True)
class Outbox:
    """The replies to one update: Rasa's message dicts, in order, for one recipient."""

    recipient: str
    messages: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"recipient": self.recipient, "messages": [dict(m) for m in self.messages]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Outbox":
        return cls(str(data["recipient"]), tuple(dict(m) for m in data.get("messages") or ()))


@dataclass(frozen=True)
class Claim:
    bot: str
    update_id: int
    owner: str
    verdict: Verdict
    attempt: int = 0
    outbox: Outbox | None = None
    delivered: int = 0
    # For BUSY: seconds until the holder's lease runs out.
    retry_after: float = field(default=0.0)


class LetterSource(Protocol):
    """Where the channel gets a letter's PDF to upload (the attempt log's verified reads)."""

    def letter_pdf(self, reference: str) -> bytes | None: ...


class TelegramLedger:
    """Update ledger, channel state and leases on the attempt-log database."""

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

    # --- the update ledger ------------------------------------------------------------------

    def claim(self, bot: str, update_id: int, owner: str, lease_seconds: float) -> Claim:
        now = utc_now()
        until = now + timedelta(seconds=lease_seconds)
        try:
            with self._store.write() as session:
                session.add(
                    TelegramUpdate(
                        bot=bot,
                        update_id=update_id,
                        received_at=now,
                        status=UpdateStatus.PROCESSING.value,
                        owner=owner,
                        lease_until=until,
                        attempts=1,
                        delivered=0,
                    )
                )
            return Claim(bot, update_id, owner, Verdict.PROCESS, attempt=1)
        except IntegrityError:
            pass  # known already: decide from its row
        with self._store.write() as session:
            row = session.get(TelegramUpdate, (bot, update_id))
            if row is None:  # pruned in between: its day is long over
                return Claim(bot, update_id, owner, Verdict.FINISHED)
            if row.status == UpdateStatus.DONE.value:
                return Claim(bot, update_id, owner, Verdict.FINISHED)
            if row.lease_until is not None and row.lease_until > now:
                wait = (row.lease_until - now).total_seconds()
                return Claim(bot, update_id, owner, Verdict.BUSY, retry_after=wait)
            # The holder's lease ran out: take over, unless another process just did.
            taken = session.execute(
                update(TelegramUpdate)
                .where(
                    TelegramUpdate.bot == bot,
                    TelegramUpdate.update_id == update_id,
                    TelegramUpdate.attempts == row.attempts,
                    TelegramUpdate.status == row.status,
                )
                .values(owner=owner, lease_until=until, attempts=row.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount != 1:
                return Claim(bot, update_id, owner, Verdict.BUSY, retry_after=lease_seconds)
            attempt = row.attempts + 1
            if row.status == UpdateStatus.ANSWERED.value and row.outbox is not None:
                return Claim(
                    bot,
                    update_id,
                    owner,
                    Verdict.DELIVER,
                    attempt=attempt,
                    outbox=Outbox.from_json(row.outbox),
                    delivered=row.delivered,
                )
            return Claim(bot, update_id, owner, Verdict.PROCESS, attempt=attempt)

    def renew(self, claim: Claim, lease_seconds: float) -> bool:
        until = utc_now() + timedelta(seconds=lease_seconds)
        return self._update_held(claim, lease_until=until)

    def answer(self, claim: Claim, outbox: Outbox, lease_seconds: float) -> bool:
        """Store the replies; False if the claim was lost (then they must not be sent)."""
        until = utc_now() + timedelta(seconds=lease_seconds)
        return self._update_held(
            claim,
            status=UpdateStatus.ANSWERED.value,
            outbox=outbox.to_json(),
            delivered=0,
            lease_until=until,
        )

    def mark_delivered(self, claim: Claim, count: int) -> bool:
        return self._update_held(claim, delivered=count)

    def finish(self, claim: Claim) -> bool:
        return self._update_held(
            claim,
            status=UpdateStatus.DONE.value,
            outbox=None,
            owner=None,
            lease_until=None,
            finished_at=utc_now(),
        )

    def prune(self, received_before: datetime) -> int:
        """Forget updates received before the cutoff (Telegram keeps an update at most 24 hours,
        so none of them can come back)."""
        with self._store.write() as session:
            result = session.execute(
                delete(TelegramUpdate)
                .where(TelegramUpdate.received_at < received_before)
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount or 0)

    def _update_held(self, claim: Claim, **values: Any) -> bool:
        with self._store.write() as session:
            result = session.execute(
                update(TelegramUpdate)
                .where(
                    TelegramUpdate.bot == claim.bot,
                    TelegramUpdate.update_id == claim.update_id,
                    TelegramUpdate.owner == claim.owner,
                    TelegramUpdate.attempts == claim.attempt,
                    TelegramUpdate.status != UpdateStatus.DONE.value,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            return result.rowcount == 1

    # --- channel state ----------------------------------------------------------------------

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

    # --- leases -----------------------------------------------------------------------------

    def hold_lease(self, name: str, owner: str, seconds: float) -> bool:
        """Take or renew the lease `name` for `seconds`; False while another owner holds it."""
        now = utc_now()
        until = now + timedelta(seconds=seconds)
        with self._store.write() as session:
            result = session.execute(
                update(TelegramLease)
                .where(
                    TelegramLease.name == name,
                    or_(TelegramLease.owner == owner, TelegramLease.expires_at < now),
                )
                .values(owner=owner, expires_at=until)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                return True
        try:
            with self._store.write() as session:
                session.add(TelegramLease(name=name, owner=owner, expires_at=until))
        except IntegrityError:
            return False  # held by another owner
        return True

    def release_lease(self, name: str, owner: str) -> None:
        with self._store.write() as session:
            session.execute(
                delete(TelegramLease)
                .where(TelegramLease.name == name, TelegramLease.owner == owner)
                .execution_options(synchronize_session=False)
            )

    # --- letters ----------------------------------------------------------------------------

    def letter_pdf(self, reference: str) -> bytes | None:
        return self._letters.letter_pdf(reference)


def ledger_from_env() -> TelegramLedger:
    # Imported here so importing the channel never touches the database configuration.
    from cancellation.settings import Settings

    return TelegramLedger.from_url(Settings.from_env().database_url)


class AsyncLedger:
    """The ledger's calls off the event loop."""

    def __init__(self, ledger: TelegramLedger) -> None:
        self.sync = ledger

    async def claim(self, bot: str, update_id: int, owner: str, lease_seconds: float) -> Claim:
        return await self._run(self.sync.claim, bot, update_id, owner, lease_seconds)

    async def renew(self, claim: Claim, lease_seconds: float) -> bool:
        return await self._run(self.sync.renew, claim, lease_seconds)

    async def answer(self, claim: Claim, outbox: Outbox, lease_seconds: float) -> bool:
        return await self._run(self.sync.answer, claim, outbox, lease_seconds)

    async def mark_delivered(self, claim: Claim, count: int) -> bool:
        return await self._run(self.sync.mark_delivered, claim, count)

    async def finish(self, claim: Claim) -> bool:
        return await self._run(self.sync.finish, claim)

    async def prune(self, received_before: datetime) -> int:
        return await self._run(self.sync.prune, received_before)

    async def get_state(self, key: str) -> str | None:
        return await self._run(self.sync.get_channel_state, key)

    async def set_state(self, key: str, value: str) -> None:
        await self._run(self.sync.set_channel_state, key, value)

    async def hold_lease(self, name: str, owner: str, seconds: float) -> bool:
        return await self._run(self.sync.hold_lease, name, owner, seconds)

    async def release_lease(self, name: str, owner: str) -> None:
        await self._run(self.sync.release_lease, name, owner)

    async def letter_pdf(self, reference: str) -> bytes | None:
        return await self._run(self.sync.letter_pdf, reference)

    @staticmethod
    async def _run(function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(function, *args))

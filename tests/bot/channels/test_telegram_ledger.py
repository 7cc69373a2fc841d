"""The Telegram ledger on the attempt-log database, SQLite and PostgreSQL: claims, take-overs,
stored replies, pruning, channel state and the poller's lease."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import pytest
from sqlalchemy import inspect

from bot.channels.telegram.ledger import Outbox, TelegramLedger, TelegramUpdate, Verdict
from cancellation.log.migrate import upgrade
from cancellation.log.rows import utc_now
from cancellation.log.store import LogStore
from tests.bot.channels.telegram_support import Letters
from tests.support.databases import scratch_postgres

T = TypeVar("T")
BOT = "123456789"
LEASE = 30.0


class Ledger(TelegramLedger):
    def row(self, update_id: int) -> TelegramUpdate | None:
        with self._store.read() as session:
            return session.get(TelegramUpdate, (BOT, update_id))

    def expire(self, update_id: int) -> None:
        """What the clock does to the claim of a process that died."""
        with self._store.write() as session:
            row = session.get(TelegramUpdate, (BOT, update_id))
            row.lease_until = utc_now() - timedelta(seconds=1)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        yield from scratch_postgres("tg")


@pytest.fixture
def ledger(database_url: str) -> Iterator[Ledger]:
    upgrade(database_url)
    ledger = Ledger(LogStore.from_url(database_url), Letters({"KB-1": b"%PDF"}))
    try:
        yield ledger
    finally:
        ledger.dispose()


def reply(text: str) -> Outbox:
    return Outbox("tg:42", ({"text": text},))


def all_at_once(workers: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(0)` ... `work(workers - 1)` in threads released at the same moment."""
    barrier = threading.Barrier(workers)

    def start(worker: int) -> T:
        barrier.wait()
        return work(worker)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(start, range(workers)))


def test_the_schema_has_the_ledger_columns_and_the_lease_table(
    ledger: Ledger, database_url: str
) -> None:
    inspector = inspect(ledger._store.engine)
    columns = {column["name"] for column in inspector.get_columns("telegram_updates")}
    assert {"received_at", "status", "owner", "lease_until", "attempts", "outbox", "delivered",
            "finished_at"} <= columns
    assert "processed_at" not in columns
    assert "telegram_leases" in inspector.get_table_names()


def test_an_update_is_claimed_by_exactly_one_of_many_concurrent_workers(ledger: Ledger) -> None:
    verdicts = all_at_once(
        8, lambda worker: ledger.claim(BOT, 1_000_000_123, f"worker-{worker}", LEASE).verdict
    )

    assert verdicts.count(Verdict.PROCESS) == 1
    assert verdicts.count(Verdict.BUSY) == 7
    assert ledger.claim("other_bot", 1_000_000_123, "worker-0", LEASE).verdict is Verdict.PROCESS


def test_a_finished_update_is_never_processed_again(ledger: Ledger) -> None:
    claim = ledger.claim(BOT, 1, "a", LEASE)
    assert ledger.answer(claim, reply("Guten Tag"), LEASE)
    assert ledger.finish(claim)

    for owner in ("a", "b"):
        assert ledger.claim(BOT, 1, owner, LEASE).verdict is Verdict.FINISHED
    row = ledger.row(1)
    assert row is not None and row.status == "done"
    assert row.outbox is None  # the reply (maybe personal data) is not kept
    assert row.finished_at is not None


def test_an_unfinished_claim_is_taken_over_only_after_its_lease(ledger: Ledger) -> None:
    first = ledger.claim(BOT, 2, "dead", LEASE)
    busy = ledger.claim(BOT, 2, "alive", LEASE)
    assert busy.verdict is Verdict.BUSY and 25 < busy.retry_after <= LEASE

    ledger.expire(2)
    again = ledger.claim(BOT, 2, "alive", LEASE)
    assert (again.verdict, again.attempt) == (Verdict.PROCESS, 2)
    # The dead holder cannot answer or finish any more, even if it was only paused.
    assert not ledger.answer(first, reply("alt"), LEASE)
    assert not ledger.finish(first)
    assert not ledger.renew(first, LEASE)
    assert ledger.answer(again, reply("neu"), LEASE)
    assert ledger.finish(again)


def test_concurrent_take_overs_have_one_winner(ledger: Ledger) -> None:
    ledger.claim(BOT, 3, "dead", LEASE)
    ledger.expire(3)
    verdicts = all_at_once(
        6, lambda worker: ledger.claim(BOT, 3, f"worker-{worker}", LEASE).verdict
    )
    assert verdicts.count(Verdict.PROCESS) == 1 and verdicts.count(Verdict.BUSY) == 5


def test_answered_but_unsent_replies_are_resumed_not_recomputed(ledger: Ledger) -> None:
    claim = ledger.claim(BOT, 4, "dead", LEASE)
    outbox = Outbox("tg:42", ({"text": "eins"}, {"text": "zwei"}, {"custom": {"letter": {}}}))
    assert ledger.answer(claim, outbox, LEASE)
    assert ledger.mark_delivered(claim, 1)  # "eins" went out, then the process died
    ledger.expire(4)

    resumed = ledger.claim(BOT, 4, "alive", LEASE)
    assert resumed.verdict is Verdict.DELIVER
    assert resumed.outbox == outbox and resumed.delivered == 1
    assert ledger.finish(resumed)


def test_renewing_keeps_a_slow_claim(ledger: Ledger) -> None:
    claim = ledger.claim(BOT, 5, "slow", 1.0)
    time.sleep(0.6)
    assert ledger.renew(claim, 1.0)
    time.sleep(0.6)  # past the first lease, within the renewed one
    assert ledger.claim(BOT, 5, "other", LEASE).verdict is Verdict.BUSY


def test_a_crash_loop_is_counted(ledger: Ledger) -> None:
    for attempt in (1, 2, 3, 4):
        claim = ledger.claim(BOT, 6, f"process-{attempt}", LEASE)
        assert (claim.verdict, claim.attempt) == (Verdict.PROCESS, attempt)
        ledger.expire(6)


def test_old_update_ids_are_pruned(ledger: Ledger) -> None:
    for update_id in (10, 11):
        claim = ledger.claim(BOT, update_id, "a", LEASE)
        ledger.answer(claim, reply("x"), LEASE)
        ledger.finish(claim)
    ledger.claim(BOT, 12, "a", LEASE)  # unfinished and old: Telegram gave up on it long ago

    assert ledger.prune(utc_now() - timedelta(days=7)) == 0
    assert ledger.prune(utc_now() + timedelta(seconds=1)) == 3
    assert ledger.row(10) is None
    # Pruned ids come back only if Telegram sent them again, which it does not after 24 hours.
    assert ledger.claim(BOT, 10, "a", LEASE).verdict is Verdict.PROCESS


def test_channel_state_is_stored_and_overwritten(ledger: Ledger) -> None:
    assert ledger.get_channel_state("telegram:offset") is None
    ledger.set_channel_state("telegram:offset", "41")
    ledger.set_channel_state("telegram:offset", "42")
    assert ledger.get_channel_state("telegram:offset") == "42"


def test_one_lease_holder_at_a_time_and_take_over_after_expiry(ledger: Ledger) -> None:
    assert ledger.hold_lease("poller", "a", 0.5)
    assert not ledger.hold_lease("poller", "b", 0.5)
    assert ledger.hold_lease("poller", "a", 0.5)  # renewal
    time.sleep(0.7)
    assert ledger.hold_lease("poller", "b", 10)
    assert not ledger.hold_lease("poller", "a", 10)
    ledger.release_lease("poller", "a")  # not the holder: nothing happens
    assert not ledger.hold_lease("poller", "c", 10)
    ledger.release_lease("poller", "b")
    assert ledger.hold_lease("poller", "c", 10)


def test_concurrent_lease_requests_have_one_winner(ledger: Ledger) -> None:
    held = all_at_once(6, lambda worker: ledger.hold_lease("poller", f"worker-{worker}", 10))
    assert sorted(held) == [False] * 5 + [True]


def test_letters_come_from_the_attempt_log(ledger: Ledger) -> None:
    assert ledger.letter_pdf("KB-1") == b"%PDF" and ledger.letter_pdf("KB-2") is None

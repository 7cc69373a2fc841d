"""Replicas that die: two real channel processes (tests/support/telegram_replica.py) on one
PostgreSQL database, against the fake Bot API; one is killed with SIGKILL mid-stream.

Polling: exactly one process polls at a time (lease in Redis or in the database); when it dies
the other takes over within seconds, and every update is answered exactly once.
Webhook: Telegram's retry of an update that a dying replica was working on is answered once by
the other replica; the same update delivered to two live replicas is answered once.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest

from bot.channels.telegram.ledger import TelegramLedger
from cancellation.log.migrate import upgrade
from tests.support.databases import scratch_postgres
from tests.support.fake_telegram import FakeBotApi, text_update
from tests.support.stack import free_port

ROOT = Path(__file__).resolve().parents[3]
SECRET = "failover-Secret_0123456789"
LEASE_SECONDS = 2
CLAIM_SECONDS = 3
ECHO_DELAY = 1.0


@pytest.fixture
def database_url() -> Iterator[str]:
    urls = scratch_postgres("tgfail")
    url = next(urls)
    upgrade(url)
    yield url
    next(urls, None)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    # A bot of its own, so its lease cannot meet another test's in the shared Redis.
    token = f"{random.randint(10**8, 10**9 - 1)}:AAFailoverTestToken_{random.randrange(10**6)}"
    with FakeBotApi(token=token) as fake:
        yield fake


class Replica:
    def __init__(self, name: str, env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log = workdir / f"replica-{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.support.telegram_replica", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/telegram"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"replica {self.name} exited:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"replica {self.name} did not start:\n{self.log.read_text()}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def replicas(
    api: FakeBotApi, database_url: str, workdir: Path, mode: str, redis_url: str = ""
) -> Iterator[tuple[Replica, Replica]]:
    started: list[Replica] = []
    try:
        for name in ("a", "b"):
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "TELEGRAM_TOKEN": api.token,
                "TELEGRAM_BOT_NAME": api.username,
                "TELEGRAM_API_BASE_URL": api.base_url_for(name),
                "TELEGRAM_MODE": mode,
                "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
                "TELEGRAM_SECRET_TOKEN": SECRET,
                "TELEGRAM_LEADER_LEASE_SECONDS": str(LEASE_SECONDS),
                "TELEGRAM_CLAIM_TIMEOUT_SECONDS": str(CLAIM_SECONDS),
                "ECHO_DELAY": str(ECHO_DELAY),
            }
            started.append(Replica(name, env, workdir))
        for replica in started:
            replica.wait_ready()
        yield started[0], started[1]
    finally:
        for replica in started:
            replica.stop()


def echoes(api: FakeBotApi) -> Counter[str]:
    return Counter(text for text in api.sent_texts() if text.startswith("echo "))


def expected_echo(update: dict) -> str:
    return f"echo {update['update_id']}: {update['message']['text']}"


def typing_from(api: FakeBotApi, client: str) -> set[str]:
    return {str(c.params["chat_id"]) for c in api.calls_to("sendChatAction") if c.client == client}


@pytest.mark.parametrize("lease_store", ["redis", "database"])
def test_killing_the_poller_mid_stream_loses_and_repeats_nothing(
    api: FakeBotApi, database_url: str, tmp_path: Path, lease_store: str
) -> None:
    redis_url = "redis://127.0.0.1:6379/0" if lease_store == "redis" else ""
    bursts = [
        [text_update(910_000 + 100 * burst + n, f"Nachricht {burst}.{n}") for n in range(5)]
        for burst in range(3)
    ]
    with replicas(api, database_url, tmp_path, "polling", redis_url) as (a, b):
        api.wait_for(lambda f: bool(f.calls_to("getUpdates")), timeout=30)
        for update in bursts[0]:
            api.queue_update(update)
        api.wait_for(lambda f: sum(echoes(f).values()) == 5, timeout=30)
        leader_name = api.calls_to("getUpdates")[-1].client
        leader, survivor = (a, b) if leader_name == "a" else (b, a)
        assert {poll.client for poll in api.polls} == {leader_name}, "only the leader polls"

        # The leader has started on all of burst 1 (it says "typing"), none is answered yet.
        for update in bursts[1]:
            api.queue_update(update)
        chats = {str(u["message"]["chat"]["id"]) for u in bursts[1]}
        api.wait_for(lambda f: chats <= typing_from(f, leader_name), timeout=30)
        assert sum(echoes(api).values()) == 5
        leader.kill()
        killed_at = time.monotonic()
        for update in bursts[2]:
            api.queue_update(update)

        api.wait_for(lambda f: sum(echoes(f).values()) == 15, timeout=60)
        time.sleep(1.5)  # anything answered twice would show up now

    assert echoes(api) == Counter(expected_echo(u) for burst in bursts for u in burst)
    # The updates the leader died on were completed by the survivor.
    answered_by = {c.params["text"]: c.client for c in api.calls_to("sendMessage")}
    assert {answered_by[expected_echo(u)] for u in bursts[1]} == {survivor.name}
    # "Within seconds": the lease runs out, then getMe and deleteWebhook (generous on a busy CI).
    takeover = min(p.started for p in api.polls if p.client == survivor.name) - killed_at
    assert takeover < LEASE_SECONDS + 8
    # Never two live pollers: the survivor's polls start after the leader's last poll began.
    last_leader_poll = max(p.started for p in api.polls if p.client == leader_name)
    assert all(p.started > last_leader_poll for p in api.polls if p.client == survivor.name)
    assert not [p for p in api.polls if p.client == survivor.name and p.conflict]
    ledger = TelegramLedger.from_url(database_url)
    try:
        bot = api.token.partition(":")[0]
        for burst in bursts:
            for update in burst:
                claim = ledger.claim(bot, update["update_id"], "check", 10)
                assert claim.verdict.value == "finished"
    finally:
        ledger.dispose()


def deliver(replica: Replica, update: dict, results: list[int]) -> None:
    request = urllib.request.Request(
        f"{replica.url}/webhook",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            results.append(response.status)
    except urllib.error.HTTPError as error:
        results.append(error.code)
    except OSError:
        results.append(-1)  # the replica died with the request open


def test_webhook_retries_reach_another_replica_and_are_answered_once(
    api: FakeBotApi, database_url: str, tmp_path: Path
) -> None:
    twice = text_update(920_001, "an beide zugleich")
    orphan = text_update(920_002, "Replica stirbt")
    with replicas(api, database_url, tmp_path, "webhook") as (a, b):
        # The same update reaches both live replicas at once (a retry after a slow answer).
        results: list[int] = []
        threads = [threading.Thread(target=deliver, args=(r, twice, results)) for r in (a, b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert results == [200, 200]
        assert echoes(api) == Counter([expected_echo(twice)])

        # Replica a dies while working on an update; Telegram retries it, at replica b.
        first: list[int] = []
        dying = threading.Thread(target=deliver, args=(a, orphan, first))
        dying.start()
        api.wait_for(lambda f: "920002" in typing_from(f, "a"), timeout=30)
        a.kill()
        dying.join(10)
        assert first == [-1]
        retried: list[int] = []
        started = time.monotonic()
        deliver(b, orphan, retried)
        assert retried == [200]
        assert time.monotonic() - started < CLAIM_SECONDS + ECHO_DELAY + 8
        time.sleep(1.0)

    assert echoes(api) == Counter([expected_echo(twice), expected_echo(orphan)])
    [answer] = [c for c in api.calls_to("sendMessage") if c.params["text"] == expected_echo(orphan)]
    assert answer.client == "b"

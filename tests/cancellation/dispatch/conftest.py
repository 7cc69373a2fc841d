"""Dispatch tests run against SQLite and the real PostgreSQL, like the attempt log's."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

import pytest

from cancellation.dispatch.letterxpress import Credentials, LetterXpressClient
from cancellation.dispatch.queue import DispatchQueue
from cancellation.dispatch.worker import DispatchWorker, Timing
from tests.cancellation.log.conftest import attempt_log, database_url, make_letter  # noqa: F401
from tests.support.fake_letterxpress import API_KEY, USERNAME, FakeLetterXpress


@pytest.fixture
def fake() -> Iterator[FakeLetterXpress]:
    with FakeLetterXpress(slow_seconds=1.5) as server:
        yield server


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def client_for(fake: FakeLetterXpress, mode: str = "test") -> LetterXpressClient:
    return LetterXpressClient(Credentials(USERNAME, API_KEY, mode), base_url=fake.base_url,
                              timeout=(1.0, 0.5))


@pytest.fixture
def make_worker(attempt_log, fake, clock):  # noqa: F811
    def make(owner: str = "worker-a", mode: str = "test") -> DispatchWorker:
        return DispatchWorker(attempt_log, DispatchQueue(attempt_log.store), client_for(fake, mode),
                              owner=owner, timing=Timing(), now=clock)
    return make

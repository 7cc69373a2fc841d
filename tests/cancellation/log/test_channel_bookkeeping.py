from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor


def test_telegram_update_is_claimed_once_even_by_concurrent_workers(attempt_log):
    barrier = threading.Barrier(8)

    def claim(_: int) -> bool:
        barrier.wait()
        return attempt_log.claim_telegram_update("kuendigungs_bot", 1_000_000_123)

    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = list(pool.map(claim, range(8)))

    assert claims.count(True) == 1
    assert attempt_log.claim_telegram_update("other_bot", 1_000_000_123) is True


def test_channel_state_is_stored_and_overwritten(attempt_log):
    assert attempt_log.get_channel_state("telegram:offset") is None
    attempt_log.set_channel_state("telegram:offset", "41")
    attempt_log.set_channel_state("telegram:offset", "42")
    assert attempt_log.get_channel_state("telegram:offset") == "42"

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cancellation.log.models import DownloadToken

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)


def test_token_resolves_to_the_letter_until_it_expires(attempt_log, make_letter):
    record = make_letter()
    token = attempt_log.tokens.issue(record.reference, ttl=timedelta(days=7), now=NOW)

    reference, pdf = attempt_log.tokens.resolve_letter(token, now=NOW + timedelta(days=6))
    assert reference == record.reference
    assert pdf == attempt_log.reads.letter_pdf(record.reference)
    assert attempt_log.tokens.resolve_letter(token, now=NOW + timedelta(days=7)) is None


def test_tokens_are_long_random_and_stored_only_as_hash(attempt_log, make_letter):
    record = make_letter()
    tokens = {
        attempt_log.tokens.issue(record.reference, ttl=timedelta(days=1)) for _ in range(5)
    }
    assert len(tokens) == 5
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes, base64url
    with Session(attempt_log.engine, future=True) as session:
        stored = set(session.execute(select(DownloadToken.token_sha256)).scalars())
    assert stored.isdisjoint(tokens)
    assert len(stored) == 5


def test_unknown_or_tampered_token_resolves_to_nothing(attempt_log, make_letter):
    record = make_letter()
    token = attempt_log.tokens.issue(record.reference, ttl=timedelta(days=1))
    assert attempt_log.tokens.resolve_letter("not-a-token") is None
    assert attempt_log.tokens.resolve_letter(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_token_of_forgotten_letter_resolves_to_nothing(attempt_log, make_letter):
    record = make_letter()
    token = attempt_log.tokens.issue(record.reference, ttl=timedelta(days=7))
    attempt_log.deletion.forget(record.reference)
    assert attempt_log.tokens.resolve_letter(token) is None
    with pytest.raises(ValueError):
        attempt_log.tokens.issue(record.reference, ttl=timedelta(days=7))


def test_no_token_for_a_hotline_call(attempt_log):
    call = attempt_log.evidence.log_hotline_attempt(
        channel="web",
        conversation_id="c",
        provider="o2",
        subject="Mobilfunkvertrag",
        called_at=NOW,
        outcome="failed",
        note=None,
    )
    with pytest.raises(ValueError):
        attempt_log.tokens.issue(call.reference, ttl=timedelta(days=1))

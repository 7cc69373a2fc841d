import datetime as dt

import pytest


def test_letter_and_evidence_tokens_unlock_only_their_document(attempt_log, make_letter):
    record = make_letter()
    ttl = dt.timedelta(days=1)
    letter_token = attempt_log.tokens.issue(record.reference, ttl=ttl)
    evidence_token = attempt_log.tokens.issue(record.reference, ttl=ttl, document="evidence")

    assert attempt_log.tokens.resolve_letter(letter_token)[0] == record.reference
    assert attempt_log.tokens.resolve_evidence(letter_token) is None
    # An evidence link must never hand out the letter (with its personal data).
    assert attempt_log.tokens.resolve_letter(evidence_token) is None
    assert attempt_log.tokens.resolve_evidence(evidence_token) == record.reference


def test_evidence_tokens_expire_and_are_checked(attempt_log, make_letter):
    record = make_letter()
    issued = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
    token = attempt_log.tokens.issue(
        record.reference, ttl=dt.timedelta(days=7), now=issued, document="evidence"
    )
    assert attempt_log.tokens.resolve_evidence(token, now=issued + dt.timedelta(days=6))
    assert attempt_log.tokens.resolve_evidence(token, now=issued + dt.timedelta(days=8)) is None
    with pytest.raises(ValueError):
        attempt_log.tokens.issue(record.reference, ttl=dt.timedelta(days=1), document="photo")


def test_evidence_of_a_hotline_call_needs_no_letter(attempt_log):
    call = attempt_log.evidence.log_hotline_attempt(
        channel="web", conversation_id="c", provider="o2", subject="Vertrag",
        called_at=dt.datetime(2026, 11, 26, 9, tzinfo=dt.timezone.utc), outcome="unreachable",
    )
    token = attempt_log.tokens.issue(call.reference, ttl=dt.timedelta(days=1), document="evidence")
    assert attempt_log.tokens.resolve_evidence(token) == call.reference


"""Dispatch steps in the hash chain: only ids, states and times; tampering is detected; the
evidence report names them."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from cancellation.evidence import evidence_report_for
from cancellation.log.models import Attempt


def test_dispatch_details_refuse_free_text(make_letter, attempt_log):
    record = make_letter()
    for details in ({"tracking_number": "Erika Mustermann"}, {"note": "x"},
                    {"print_job_id": "12"}, {"dispatch_state": "lost"}, {}):
        with pytest.raises(ValueError):
            attempt_log.evidence.record_dispatch(record.reference, details)
    assert attempt_log.reads.verify().ok


def test_changed_tracking_number_is_detected(make_letter, attempt_log):
    record = make_letter()
    attempt_log.evidence.record_dispatch(record.reference, {
        "dispatch_state": "posted", "tracking_number": "RR123456789DE"})
    assert attempt_log.reads.verify().ok
    with attempt_log.store.write() as session:
        session.execute(update(Attempt).where(Attempt.reference == record.reference).values(
            details={"dispatch_state": "posted", "tracking_number": "RR999999999DE"}))
    result = attempt_log.reads.verify()
    assert not result.ok
    assert "Details" in result.mismatches[0].text


def test_evidence_report_lists_the_dispatch(make_letter, attempt_log):
    record = make_letter()
    attempt_log.evidence.record_dispatch(record.reference, {
        "dispatch_state": "submitted", "print_job_id": 6035143,
        "handed_over_at": "2026-12-02T09:00:00.000000+00:00"}, status="sent")
    attempt_log.evidence.record_dispatch(record.reference, {
        "dispatch_state": "posted", "tracking_number": "RR123456789DE"})
    report = evidence_report_for(attempt_log, record.reference)
    texts = " ".join(entry.description for entry in report.entries)
    assert "Druckauftrag Nr. 6035143" in texts
    assert "übergeben am 02.12.2026, 10:00 Uhr" in texts
    assert "Sendungsnummer RR123456789DE" in texts
    assert attempt_log.reads.get(record.reference).status == "sent"
    assert attempt_log.reads.verify().ok

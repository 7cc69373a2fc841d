"""The dispatch queue and worker against the fake LetterXpress: exactly one print job per letter,
every step in the hash chain, retries while the service is away."""

from __future__ import annotations

import threading

import pytest

from cancellation.dispatch.queue import DispatchQueue
from cancellation.log.records import Event
from cancellation.vocabulary import DispatchState, Status


def dispatch_entries(attempt_log, reference):
    return [entry.payload for entry in attempt_log.reads.entries(reference)
            if entry.event == Event.DISPATCH]


def test_letter_is_submitted_once_as_einwurf_einschreiben_and_posted(make_letter, make_worker, fake,
                                                                     attempt_log, clock):
    record = make_letter()
    worker = make_worker()
    worker.enqueue(record.reference)
    worker.enqueue(record.reference)  # a double click queues nothing more

    job = worker.run_once()
    assert job.state is DispatchState.SUBMITTED
    [printed] = fake.jobs.values()
    assert printed.registered == "r1"
    assert printed.specification == {"color": "1", "mode": "simplex", "shipping": "national"}
    assert printed.notice == record.reference
    assert printed.mode == "test"
    assert printed.pdf == attempt_log.reads.letter_pdf(record.reference)

    assert worker.run_once() is None  # not due yet: the next look-up waits
    clock.advance(hours=1)
    job = worker.run_once()
    assert job.state is DispatchState.POSTED
    assert job.tracking_number == f"RR{printed.id:09d}DE"

    states = [payload["details"].get("dispatch_state") for payload in dispatch_entries(attempt_log, record.reference)]
    assert states == ["queued", "submitted", "posted"]
    shown = attempt_log.reads.get(record.reference)
    assert shown.details["print_job_id"] == printed.id
    assert shown.details["tracking_number"] == job.tracking_number
    assert shown.details["dispatch_mode"] == "test"
    assert shown.status == Status.LETTER_CREATED  # test mode: nothing was really sent
    assert attempt_log.reads.verify().ok
    assert len(fake.jobs) == 1


def test_live_mode_marks_the_letter_sent(make_letter, make_worker, attempt_log):
    record = make_letter()
    worker = make_worker(mode="live")
    worker.enqueue(record.reference)
    worker.run_once()
    assert attempt_log.reads.get(record.reference).status == Status.SENT
    assert attempt_log.reads.verify().ok


@pytest.mark.parametrize("failure", ["5xx", "timeout"])
def test_unreachable_service_is_retried_with_back_off(make_letter, make_worker, fake, clock,
                                                      attempt_log, failure):
    record = make_letter()
    worker = make_worker()
    worker.enqueue(record.reference)
    fake.fail_next(failure)
    job = worker.run_once()
    assert job.state is DispatchState.QUEUED and job.attempts == 1
    assert job.last_error in ("http_503", "timeout")
    assert worker.run_once() is None  # waits for its back-off
    clock.advance(seconds=31)
    job = worker.run_once()
    assert job.state is DispatchState.SUBMITTED
    assert len(fake.jobs) == 1
    assert attempt_log.reads.verify().ok


def test_service_down_then_back_gives_exactly_one_print_job(make_letter, make_worker, fake, clock):
    record = make_letter()
    worker = make_worker()
    worker.enqueue(record.reference)
    fake.down()
    for _ in range(3):
        job = worker.run_once()
        assert job.state is DispatchState.QUEUED
        clock.advance(minutes=10)
    fake.up()
    assert worker.run_once().state is DispatchState.SUBMITTED
    assert len(fake.jobs) == 1


def test_a_lost_answer_is_looked_up_not_submitted_again(make_letter, make_worker, fake, clock,
                                                        attempt_log):
    record = make_letter()
    worker = make_worker()
    worker.enqueue(record.reference)
    fake.fail_next("timeout_after_create")
    job = worker.run_once()
    assert job.state is DispatchState.QUEUED and job.uncertain
    clock.advance(minutes=5)
    job = worker.run_once()
    assert job.state is DispatchState.SUBMITTED
    assert len(fake.jobs) == 1
    assert job.print_job_id == next(iter(fake.jobs))


def test_rejected_pdf_ends_the_job_and_is_chained(make_letter, make_worker, fake, attempt_log):
    record = make_letter()
    worker = make_worker()
    worker.enqueue(record.reference)
    fake.fail_next("reject")
    job = worker.run_once()
    assert job.state is DispatchState.REJECTED
    assert dispatch_entries(attempt_log, record.reference)[-1]["details"] == {
        "dispatch_state": "rejected", "dispatch_error": "pdf_rejected"}
    assert attempt_log.reads.verify().ok


def test_job_cancelled_by_the_service(make_letter, make_worker, fake, clock, attempt_log):
    fake.auto_post = False
    record = make_letter()
    worker = make_worker()
    worker.enqueue(record.reference)
    job = worker.run_once()
    fake.cancel(job.print_job_id)
    clock.advance(hours=1)
    assert worker.run_once().state is DispatchState.CANCELLED
    assert attempt_log.reads.get(record.reference).details["dispatch_state"] == "cancelled"


def test_a_forgotten_letter_is_not_sent(make_letter, make_worker, fake, attempt_log):
    record = make_letter()
    worker = make_worker()
    worker.enqueue(record.reference)
    attempt_log.deletion.forget(record.reference)
    job = worker.run_once()
    assert job.state is DispatchState.FAILED and job.last_error == "letter_missing"
    assert fake.jobs == {}
    assert attempt_log.reads.verify().ok


def test_one_claim_per_job_across_workers(make_letter, attempt_log, clock):
    records = [make_letter(conversation_id=f"c{index}") for index in range(6)]
    queue = DispatchQueue(attempt_log.store)
    for record in records:
        queue.enqueue(record.reference, mode="test", now=clock())
    claimed: list[str] = []
    lock = threading.Lock()

    def claim_all(owner: str) -> None:
        own = DispatchQueue(attempt_log.store)
        while (job := own.claim(owner, now=clock())) is not None:
            with lock:
                claimed.append(job.reference)

    threads = [threading.Thread(target=claim_all, args=(f"w{index}",)) for index in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(record.reference for record in records)

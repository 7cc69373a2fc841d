"""The dispatch worker: submits queued letters and follows them until they are posted.

Every step it learns goes into the hash-chained evidence log (`EvidenceWrites.record_dispatch`):
queued, handed over (print job id, time), posted (Sendungsnummer), cancelled or rejected.

Exactly once: before a submission the job is marked `uncertain` in the database; if the answer
is lost (timeout, crash), the next try first looks for a print job carrying our reference as its
notice and adopts it instead of submitting again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from typing import Callable, Optional

from cancellation.dispatch.jobs import (
    MAX_SUBMIT_ATTEMPTS,
    POLL_FOR,
    POLL_INTERVAL,
    RemoteJob,
    retry_delay,
    state_after_lookup,
)
from cancellation.dispatch.letterxpress import LetterXpressClient, Rejected, ServiceUnavailable
from cancellation.dispatch.queue import DispatchJob, DispatchQueue
from cancellation.log import AttemptLog
from cancellation.log.chain import timestamp
from cancellation.log.rows import utc_now
from cancellation.settings import DispatchSettings
from cancellation.vocabulary import DispatchMode, DispatchState, Status

logger = logging.getLogger(__name__)

SERVICE = "letterxpress"


def worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Timing:
    first_retry: dt.timedelta = dt.timedelta(seconds=30)
    max_retry: dt.timedelta = dt.timedelta(hours=1)
    poll_interval: dt.timedelta = POLL_INTERVAL


class DispatchWorker:
    def __init__(self, log: AttemptLog, queue: DispatchQueue, client: LetterXpressClient, *,
                 owner: Optional[str] = None, timing: Timing = Timing(),
                 now: Callable[[], dt.datetime] = utc_now) -> None:
        self._log = log
        self._queue = queue
        self._client = client
        self.owner = owner or worker_id()
        self._timing = timing
        self._now = now
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    # -- one step --------------------------------------------------------------------------------

    def enqueue(self, reference: str) -> tuple[DispatchJob, bool]:
        """Queue the letter (once) and chain that it was ordered."""
        job, new = self._queue.enqueue(reference, mode=self._client.mode, now=self._now())
        if new:
            self._log.evidence.record_dispatch(reference, {
                "dispatch_state": DispatchState.QUEUED.value,
                "dispatch_service": SERVICE,
                "dispatch_mode": self._client.mode,
            })
        return job, new

    def job(self, reference: str) -> Optional[DispatchJob]:
        return self._queue.get(reference)

    def run_once(self, reference: Optional[str] = None) -> Optional[DispatchJob]:
        """Claim one due job (or that of `reference`) and advance it; its new state, or None."""
        job = self._queue.claim(self.owner, now=self._now(), reference=reference)
        if job is None:
            return None
        try:
            if job.state is DispatchState.QUEUED:
                self._submit(job)
            else:
                self._follow(job)
        except Exception:  # never leave a claim dangling on a bug: the lease expires anyway
            logger.exception("Dispatch of %s failed unexpectedly", job.reference)
            self._queue.update(job.reference, self.owner, last_error="internal_error",
                               next_attempt_at=self._now() + self._timing.max_retry)
        return self._queue.get(job.reference)

    def run_due(self, limit: int = 20) -> int:
        """Advance up to `limit` due jobs; how many were handled."""
        handled = 0
        while handled < limit and not self._stop.is_set():
            if self.run_once() is None:
                break
            handled += 1
        return handled

    def _submit(self, job: DispatchJob) -> None:
        remote: Optional[RemoteJob] = None
        try:
            if job.uncertain:
                remote = self._client.find_by_notice(job.reference)
            if remote is None:
                pdf = self._log.reads.letter_pdf(job.reference)
                if pdf is None:
                    self._give_up(job, DispatchState.FAILED, "letter_missing")
                    return
                # Written before the request: a lost answer is looked up, never re-sent blindly.
                if not self._queue.update(job.reference, self.owner, release=False, uncertain=True):
                    return
                remote = self._client.submit(pdf, notice=job.reference,
                                             filename=f"Kuendigung-{job.reference}.pdf")
        except ServiceUnavailable as error:
            self._retry(job, error.code, uncertain=job.uncertain or error.uncertain)
            return
        except Rejected as error:
            self._give_up(job, DispatchState.REJECTED, "pdf_rejected" if error.status < 500
                          else error.code)
            return
        now = self._now()
        status = Status.SENT if self._client.mode == DispatchMode.LIVE else None
        self._log.evidence.record_dispatch(job.reference, {
            "dispatch_state": DispatchState.SUBMITTED.value,
            "print_job_id": remote.job_id,
            "handed_over_at": timestamp(now),
        }, status=status)
        self._queue.update(job.reference, self.owner, state=DispatchState.SUBMITTED,
                           print_job_id=remote.job_id, remote_status=remote.status[:32],
                           submitted_at=now, uncertain=False, last_error=None,
                           next_attempt_at=now + self._timing.poll_interval)

    def _follow(self, job: DispatchJob) -> None:
        now = self._now()
        try:
            remote = self._client.get(int(job.print_job_id or 0))
        except (ServiceUnavailable, Rejected) as error:
            self._queue.update(job.reference, self.owner, last_error=error.code,
                               next_attempt_at=self._next_poll(job, now))
            return
        state = state_after_lookup(remote)
        if state is DispatchState.POSTED:
            self._log.evidence.record_dispatch(job.reference, {
                "dispatch_state": state.value, "tracking_number": remote.tracking_number,
            })
            self._queue.update(job.reference, self.owner, state=state,
                               tracking_number=remote.tracking_number,
                               remote_status=remote.status[:32], next_attempt_at=None,
                               last_error=None)
        elif state is DispatchState.CANCELLED:
            self._log.evidence.record_dispatch(job.reference, {"dispatch_state": state.value})
            self._queue.update(job.reference, self.owner, state=state,
                               remote_status=remote.status[:32], next_attempt_at=None)
        else:
            self._queue.update(job.reference, self.owner, remote_status=remote.status[:32],
                               next_attempt_at=self._next_poll(job, now), last_error=None)

    def _next_poll(self, job: DispatchJob, now: dt.datetime) -> Optional[dt.datetime]:
        if job.submitted_at is not None and now - job.submitted_at > POLL_FOR:
            return None  # quiet for three weeks: stop asking; the letter stays "submitted"
        return now + self._timing.poll_interval

    def _retry(self, job: DispatchJob, code: str, *, uncertain: bool) -> None:
        attempts = job.attempts + 1
        if attempts >= MAX_SUBMIT_ATTEMPTS and not uncertain:
            self._give_up(job, DispatchState.FAILED, "retries_exhausted")
            return
        delay = retry_delay(attempts, first=self._timing.first_retry, cap=self._timing.max_retry)
        logger.warning("Dispatch of %s: service unavailable (%s), try %s again in %s",
                       job.reference, code, attempts, delay)
        self._queue.update(job.reference, self.owner, attempts=attempts, uncertain=uncertain,
                           last_error=code[:40], next_attempt_at=self._now() + delay)

    def _give_up(self, job: DispatchJob, state: DispatchState, code: str) -> None:
        logger.warning("Dispatch of %s ends: %s (%s)", job.reference, state.value, code)
        try:
            self._log.evidence.record_dispatch(job.reference, {
                "dispatch_state": state.value, "dispatch_error": code,
            })
        except ValueError:
            pass  # the attempt was forgotten: nothing more may be chained about it
        self._queue.update(job.reference, self.owner, state=state, last_error=code[:40],
                           next_attempt_at=None)

    # -- in the background -----------------------------------------------------------------------

    def start(self, interval: float) -> None:
        """Run `run_due` every `interval` seconds in a daemon thread (once per worker)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, args=(interval,),
                                        name="dispatch-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:  # the database may be briefly away; try again next round
                logger.exception("Dispatch worker round failed")
            self._stop.wait(interval)


def build_worker(log: AttemptLog, settings: "DispatchSettings") -> DispatchWorker:
    from cancellation.dispatch.letterxpress import Credentials

    client = LetterXpressClient(Credentials(settings.username, settings.api_key, settings.mode),
                                base_url=settings.base_url)
    timing = Timing(first_retry=dt.timedelta(seconds=settings.retry_seconds),
                    poll_interval=dt.timedelta(seconds=settings.poll_seconds))
    return DispatchWorker(log, DispatchQueue(log.store), client, timing=timing)

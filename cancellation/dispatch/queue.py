"""The durable dispatch queue: one row per letter, in the attempt-log database.

`reference` is unique, so asking twice (a double click, a retry, another replica) never queues a
second job. A worker claims a due job with a lease: on PostgreSQL with
`SELECT ... FOR UPDATE SKIP LOCKED` (replicas never wait for each other), on SQLite with a
conditional UPDATE inside the write transaction (which already holds the database lock). A claim
whose owner died expires with its lease and is taken by another worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import Boolean, Column, Integer, String, UniqueConstraint, or_, select, update
from sqlalchemy.exc import IntegrityError

from cancellation.dispatch.jobs import LEASE, OPEN_STATES
from cancellation.log.engine import is_postgresql
from cancellation.log.models import Base, UTCDateTime
from cancellation.log.rows import utc_now
from cancellation.log.store import LogStore
from cancellation.vocabulary import DispatchState

SERVICE = "letterxpress"


class DispatchJobRow(Base):
    __tablename__ = "dispatch_jobs"
    __table_args__ = (UniqueConstraint("reference", name="uq_dispatch_jobs_reference"),)

    id = Column(Integer, primary_key=True)
    reference = Column(String(20), nullable=False)
    service = Column(String(16), nullable=False)
    mode = Column(String(8), nullable=False)
    state = Column(String(16), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)
    next_attempt_at = Column(UTCDateTime, nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    lease_owner = Column(String(64), nullable=True)
    lease_until = Column(UTCDateTime, nullable=True)
    uncertain = Column(Boolean, nullable=False, default=False)
    print_job_id = Column(Integer, nullable=True)
    remote_status = Column(String(32), nullable=True)
    tracking_number = Column(String(40), nullable=True)
    submitted_at = Column(UTCDateTime, nullable=True)
    last_error = Column(String(40), nullable=True)


@dataclass(frozen=True)
class DispatchJob:
    reference: str
    mode: str
    state: DispatchState
    created_at: dt.datetime
    attempts: int
    uncertain: bool
    print_job_id: Optional[int]
    tracking_number: Optional[str]
    submitted_at: Optional[dt.datetime]
    next_attempt_at: Optional[dt.datetime]
    last_error: Optional[str]

    @classmethod
    def of(cls, row: DispatchJobRow) -> "DispatchJob":
        return cls(
            reference=row.reference, mode=row.mode, state=DispatchState(row.state),
            created_at=row.created_at, attempts=row.attempts, uncertain=bool(row.uncertain),
            print_job_id=row.print_job_id, tracking_number=row.tracking_number,
            submitted_at=row.submitted_at, next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
        )


class DispatchQueue:
    def __init__(self, store: LogStore) -> None:
        self._store = store

    def enqueue(self, reference: str, *, mode: str, now: Optional[dt.datetime] = None
                ) -> tuple[DispatchJob, bool]:
        """Queue the letter `reference`; (job, True) if it is new, (existing job, False) if it
        was queued before (nothing changes then)."""
        now = now or utc_now()
        existing = self.get(reference)
        if existing is not None:
            return existing, False
        try:
            with self._store.write() as session:
                row = DispatchJobRow(
                    reference=reference, service=SERVICE, mode=mode,
                    state=DispatchState.QUEUED.value, created_at=now, updated_at=now,
                    next_attempt_at=now, attempts=0, uncertain=False,
                )
                session.add(row)
                session.flush()
                return DispatchJob.of(row), True
        except IntegrityError:
            job = self.get(reference)
            if job is None:
                raise
            return job, False

    def get(self, reference: str) -> Optional[DispatchJob]:
        with self._store.read() as session:
            row = session.execute(
                select(DispatchJobRow).where(DispatchJobRow.reference == reference)
            ).scalar_one_or_none()
            return None if row is None else DispatchJob.of(row)

    def claim(self, owner: str, *, now: Optional[dt.datetime] = None,
              lease: dt.timedelta = LEASE, reference: Optional[str] = None
              ) -> Optional[DispatchJob]:
        """Take the oldest due open job (or the job of `reference` if it is due) for `owner`, or
        None. One claim per job at a time."""
        now = now or utc_now()
        due = (
            select(DispatchJobRow)
            .where(
                DispatchJobRow.state.in_([state.value for state in OPEN_STATES]),
                DispatchJobRow.next_attempt_at.is_not(None),
                DispatchJobRow.next_attempt_at <= now,
                or_(DispatchJobRow.lease_until.is_(None), DispatchJobRow.lease_until <= now),
            )
            .order_by(DispatchJobRow.next_attempt_at, DispatchJobRow.id)
            .limit(1)
        )
        if reference is not None:
            due = due.where(DispatchJobRow.reference == reference)
        with self._store.write() as session:
            if is_postgresql(self._store.engine):
                due = due.with_for_update(skip_locked=True)
            row = session.execute(due).scalar_one_or_none()
            if row is None:
                return None
            taken = session.execute(
                update(DispatchJobRow)
                .where(
                    DispatchJobRow.id == row.id,
                    or_(DispatchJobRow.lease_until.is_(None), DispatchJobRow.lease_until <= now),
                )
                .values(lease_owner=owner[:64], lease_until=now + lease)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken != 1:
                return None
            session.refresh(row)
            return DispatchJob.of(row)

    def update(self, reference: str, owner: str, *, release: bool = True,
               **values: object) -> bool:
        """Change the job if `owner` still holds its claim, and release the claim unless told
        not to. False if the claim was lost (the lease ran out, another worker took the job)."""
        values = {**values, "updated_at": utc_now()}
        if release:
            values.update(lease_owner=None, lease_until=None)
        for key in ("state",):
            if key in values and isinstance(values[key], DispatchState):
                values[key] = values[key].value
        with self._store.write() as session:
            changed = session.execute(
                update(DispatchJobRow)
                .where(DispatchJobRow.reference == reference, DispatchJobRow.lease_owner == owner[:64])
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount
        return changed == 1

    def open_jobs(self) -> int:
        with self._store.read() as session:
            return len(session.execute(
                select(DispatchJobRow.id).where(
                    DispatchJobRow.state.in_([state.value for state in OPEN_STATES]))
            ).all())

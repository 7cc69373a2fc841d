"""Evidence-log benchmark: `python -m scripts.bench_log [--entries 100000] [--database-url URL]`.

Fills a scratch database with a valid log of N chain entries (half letters, half status
changes, bulk-inserted with the real payloads and hashes), then measures one evidence report
(gather + verify + render, as the download link does):

- cold: a fresh process-level log, so the chain is verified from the first entry,
- warm: the same log again (the verified head is cached),
- after one append: verified incrementally from the cached head,
- and the operator's full `attempts verify` over everything.

Prints one JSON line per measurement. Without --database-url a temporary SQLite file is used.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from sqlalchemy import insert, text, update

from cancellation.evidence import evidence_report_for
from cancellation.log import AttemptLog
from cancellation.log.chain import GENESIS_HASH, entry_hash, timestamp
from cancellation.log.engine import is_postgresql
from cancellation.log.evidence_writes import public_payload
from cancellation.log.migrate import upgrade
from cancellation.log.models import Attempt, ChainHead, Letter, LogEntryRow, Person, PrivateText
from cancellation.log.private import new_salt
from letters.evidence import EvidenceReport, render_evidence_report

BATCH = 5000
PDF = b"%PDF-1.4 benchmark letter " + b"x" * 2000


def fill(log: AttemptLog, entries: int) -> str:
    """A valid log of `entries` chain entries; returns one reference to report on."""
    letters = entries // 2
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    previous = GENESIS_HASH
    entry_id = 0
    person = {"full_name": "Erika Mustermann", "street": "Heidestraße 17"}
    sha = hashlib.sha256(PDF).hexdigest()
    with log.engine.begin() as connection:
        for first in range(1, letters + 1, BATCH):
            attempts, privates, persons, pdfs, rows = [], [], [], [], []
            for number in range(first, min(first + BATCH, letters + 1)):
                created = start + timedelta(seconds=number)
                reference = bench_reference(number)
                attempt = Attempt(
                    id=number, reference=reference, created_at=created, kind="letter",
                    channel="web", conversation_id=f"web:bench-{number}", provider_key="o2",
                    contract_type="mobile", subject_kind="contract", requested_end="asap",
                    status="letter_created", letter_sha256=sha, person_id=number, details={},
                )
                private = PrivateText(attempt_id=number, salt=new_salt(), provider="o2",
                                      subject="Mobilfunkvertrag", note=None)
                created_payload = public_payload(attempt, private, person)
                status_payload = {"reference": reference, "kind": "letter", "status": "sent",
                                  "previous_status": "letter_created", "details": {}}
                for event, payload in (("letter_created", created_payload),
                                       ("status_changed", status_payload)):
                    entry_id += 1
                    digest = entry_hash(id=entry_id, created_at=created, reference=reference,
                                        event=event, payload=payload, prev_hash=previous)
                    rows.append(dict(id=entry_id, created_at=created, reference=reference,
                                     event=event, payload=payload, prev_hash=previous,
                                     entry_hash=digest, entry_hmac=None))
                    previous = digest
                attempts.append(dict(
                    id=number, reference=reference, created_at=created, kind="letter",
                    channel="web", conversation_id=attempt.conversation_id, provider_key="o2",
                    contract_type="mobile", subject_kind="contract", requested_end="asap",
                    status="sent", letter_sha256=sha, person_id=number, related_reference=None,
                    idempotency_key=None, details={}, forgotten_at=None))
                privates.append(dict(attempt_id=number, salt=private.salt, provider="o2",
                                     subject="Mobilfunkvertrag", note=None))
                persons.append(dict(id=number, created_at=created, data=person))
                pdfs.append(dict(attempt_id=number, pdf=PDF))
            connection.execute(insert(Person), persons)
            connection.execute(insert(Attempt), attempts)
            connection.execute(insert(PrivateText), privates)
            connection.execute(insert(Letter), pdfs)
            connection.execute(insert(LogEntryRow), rows)
        connection.execute(update(ChainHead).values(last_entry_id=entry_id, last_hash=previous))
        if is_postgresql(log.engine):
            # Rows inserted with explicit ids do not advance PostgreSQL's serial sequences: the
            # application's next letter would get person and attempt id 1 again and fail on
            # the primary key (SQLite takes max(id) + 1 by itself).
            for table in (Person.__tablename__, Attempt.__tablename__):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
    return bench_reference(letters // 2)


def bench_reference(number: int) -> str:
    return f"KB-2026-{number:06X}"  # hexadecimal digits are all in Crockford's alphabet


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def measurements(url: str, reference: str) -> Iterator[dict]:
    def report(log: AttemptLog) -> bytes:
        return render_evidence_report(evidence_report_for(log, reference))

    # Fonts are registered once per process: not part of any measurement.
    render_evidence_report(EvidenceReport("KB-2026-000000", "", "", "", "", "", "", (), ""))
    log = AttemptLog.from_url(url)
    try:
        cold, _ = timed(lambda: report(log))
        yield {"measure": "evidence report, cold (verifies the whole chain)", "ms": round(cold, 1)}
        warm = sorted(timed(lambda: report(log))[0] for _ in range(5))
        yield {"measure": "evidence report, warm (head cached)", "ms": round(warm[2], 1)}
        log.evidence.set_status(reference, "confirmed")
        appended, _ = timed(lambda: report(log))
        yield {"measure": "evidence report after one append (incremental)",
               "ms": round(appended, 1)}
        full, result = timed(log.reads.verify)
        assert result.ok, result.first
        yield {"measure": "attempts verify (everything)", "ms": round(full, 1),
               "entries": result.entries, "attempts": result.attempts, "letters": result.letters}
    finally:
        log.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database-url", help="an EMPTY database (default: a temp SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{os.path.join(scratch, 'bench.db')}"
        upgrade(url)
        log = AttemptLog.from_url(url)
        fill_ms, reference = timed(lambda: fill(log, args.entries))
        log.dispose()
        backend = url.split(":", 1)[0]
        print(json.dumps({"measure": "fill", "entries": args.entries, "backend": backend,
                          "ms": round(fill_ms), "load_1m": os.getloadavg()[0]}))
        for line in measurements(url, reference):
            line.update(backend=backend, load_1m=round(os.getloadavg()[0], 2))
            print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()

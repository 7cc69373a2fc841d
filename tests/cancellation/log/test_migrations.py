from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from cancellation.log import AttemptLog
from cancellation.log.engine import create_log_engine
from cancellation.log.migrate import VERSION_TABLE, alembic_config, current_revision, upgrade
from cancellation.log.models import ChainHead

PROJECT_ROOT = Path(__file__).resolve().parents[3]
EXPECTED_TABLES = {
    "persons",
    "attempts",
    "attempt_private",
    "letters",
    "log_entries",
    "chain_head",
    "download_tokens",
    "telegram_updates",
    "channel_state",
    "telegram_leases",
    "dispatch_jobs",
    VERSION_TABLE,
}


def head_revision(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def table_names(url: str) -> set[str]:
    engine = create_log_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_the_schema_and_is_repeatable(database_url):
    assert current_revision(database_url) is None

    upgrade(database_url)
    upgrade(database_url)

    assert current_revision(database_url) == head_revision(database_url)
    assert table_names(database_url) == EXPECTED_TABLES
    assert "events" not in table_names(database_url)  # Rasa's tracker store owns that name
    log = AttemptLog.from_url(database_url)
    try:
        assert log.reads.verify().ok
    finally:
        log.dispose()


def test_processes_migrating_at_the_same_time_migrate_once(database_url):
    script = "import sys; from cancellation.log.migrate import upgrade; upgrade(sys.argv[1])"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [process.communicate(timeout=120) + (process.returncode,) for process in processes]

    assert [returncode for _, _, returncode in results] == [0, 0, 0, 0], results
    assert current_revision(database_url) == head_revision(database_url)
    engine = create_log_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(ChainHead)).scalar_one() == 1
    finally:
        engine.dispose()


def test_from_url_can_upgrade_the_schema_itself(database_url):
    log = AttemptLog.from_url(database_url, upgrade_schema=True)
    try:
        assert log.reads.list_attempts() == []
    finally:
        log.dispose()


def _legacy_attempt(connection, head, *, attempt_id, reference, provider, subject, details,
                    forgotten=False, pdf=None):
    """An attempt as written before 0003: provider and subject in the row and in the chain."""
    from datetime import datetime, timezone

    from sqlalchemy import text as sql

    import hashlib

    from cancellation.log.chain import entry_hash, timestamp

    now = datetime(2026, 11, 1, 9, attempt_id, tzinfo=timezone.utc)
    sha = None if pdf is None else hashlib.sha256(pdf).hexdigest()
    kind = "hotline_call" if "outcome" in details else "letter"
    status = "call_failed" if kind == "hotline_call" else "letter_created"
    connection.execute(sql(
        "INSERT INTO attempts (id, reference, created_at, kind, channel, conversation_id, provider,"
        " subject_kind, subject, requested_end, status, letter_sha256, details, forgotten_at)"
        " VALUES (:id, :reference, :created_at, :kind, 'web', :conversation, :provider, 'option',"
        " :subject, 'asap', :status, :sha, :details, :forgotten_at)"
    ), dict(id=attempt_id, reference=reference, created_at=now, kind=kind, provider=provider,
            subject=subject, status=status, details=json.dumps(details), sha=sha,
            conversation=None if forgotten else "conv-old", forgotten_at=now if forgotten else None))
    payload = {
        "reference": reference, "kind": kind, "channel": "web", "provider": provider,
        "subject_kind": "option", "subject": subject, "requested_end": "asap", "status": status,
        "letter_sha256": sha, "related_reference": None, "created_at": timestamp(now),
    }
    if pdf is not None:
        connection.execute(sql("INSERT INTO letters (attempt_id, pdf) VALUES (:id, :pdf)"),
                           dict(id=attempt_id, pdf=pdf))
    if kind == "hotline_call":
        payload.update(outcome=details["outcome"], called_at=details["called_at"])
    entries = [("letter_created" if kind == "letter" else "hotline_call", payload)]
    if forgotten:
        entries.append(("forgotten", {"reference": reference, "kind": kind,
                                      "forgotten_at": timestamp(now)}))
    for event, body in entries:
        entry_id = head["id"] + 1
        digest = entry_hash(id=entry_id, created_at=now, reference=reference, event=event,
                            payload=body, prev_hash=head["hash"])
        connection.execute(sql(
            "INSERT INTO log_entries (id, created_at, reference, event, payload, prev_hash,"
            " entry_hash) VALUES (:id, :created_at, :reference, :event, :payload, :prev, :hash)"
        ), dict(id=entry_id, created_at=now, reference=reference, event=event,
                payload=json.dumps(body), prev=head["hash"], hash=digest))
        head.update(id=entry_id, hash=digest)
    connection.execute(sql("UPDATE chain_head SET last_entry_id = :id, last_hash = :hash"), head)


def test_upgrade_moves_old_free_text_out_of_the_attempts_and_old_chains_still_verify(
    database_url,
):
    upgrade(database_url, "0002_token_document")
    engine = create_log_engine(database_url)
    head = {"id": 0, "hash": "0" * 64}
    call_details = {"outcome": "unreachable", "called_at": "2026-11-01T08:00:00.000000+00:00",
                    "note": "Anruf 1 von 1"}
    with engine.begin() as connection:
        _legacy_attempt(connection, head, attempt_id=1, reference="KB-2026-AAAAAA",
                        provider="o2", subject="Option „Zoë-Spezial-Option-4711“", details={},
                        pdf=b"%PDF-1.4 old letter")
        _legacy_attempt(connection, head, attempt_id=2, reference="KB-2026-BBBBBB",
                        provider="Studio Zoë Beispiel", subject="Vertrag", details=call_details)
        _legacy_attempt(connection, head, attempt_id=3, reference="KB-2026-CCCCCC",
                        provider="Gelöscht GmbH", subject="Vertrag", details={}, forgotten=True)
    engine.dispose()

    upgrade(database_url)

    log = AttemptLog.from_url(database_url)
    try:
        assert log.reads.verify(signatures=False).ok, log.reads.verify().first
        option = log.reads.get("KB-2026-AAAAAA")
        assert (option.provider, option.subject) == ("o2", "Option „Zoë-Spezial-Option-4711“")
        assert log.reads.letter_pdf(option.reference) == b"%PDF-1.4 old letter"  # not cascaded away
        call = log.reads.get("KB-2026-BBBBBB")
        assert call.note == "Anruf 1 von 1" and "note" not in call.details
        forgotten = log.reads.get("KB-2026-CCCCCC")
        assert forgotten.forgotten and forgotten.provider is None
        columns = {column["name"] for column in inspect(log.engine).get_columns("attempts")}
        assert {"provider", "subject"}.isdisjoint(columns)
        assert {"provider_key", "contract_type"} <= columns
    finally:
        log.dispose()

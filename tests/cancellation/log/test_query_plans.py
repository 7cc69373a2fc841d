"""The log's queries on a chat's path use indexes: no sequential scan on PostgreSQL.

Every statement the chat's log operations run (create a letter, log calls, status changes,
verified reads, download tokens, forget) is captured and EXPLAINed with sequential scans made
prohibitively expensive (`enable_seqscan = off`): a plan that still scans a table has no index
to use. Only the once-per-process cold chain check reads the whole chain, by design.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from cancellation.log import AttemptLog
from cancellation.log.migrate import upgrade
from tests.support.databases import scratch_postgres


@pytest.fixture
def postgres_log():
    for url in scratch_postgres("plans"):
        upgrade(url)
        log = AttemptLog.from_url(url)
        try:
            yield log
        finally:
            log.dispose()


def chat_operations(log: AttemptLog) -> None:
    conversation = "web:plans"
    letter = log.evidence.create_letter_attempt(
        channel="web", conversation_id=conversation, provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=date(2027, 3, 31),
        personal_data={"full_name": "Erika"}, render=lambda ref: b"%PDF-1.4 " + ref.encode(),
        idempotency_key="plans-1", provider_key="o2", contract_type="mobile",
    )
    log.evidence.create_letter_attempt(  # the same click again
        channel="web", conversation_id=conversation, provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=date(2027, 3, 31),
        personal_data={"full_name": "Erika"}, render=lambda ref: b"%PDF-1.4 " + ref.encode(),
        idempotency_key="plans-1",
    )
    log.evidence.log_hotline_attempt(
        channel="web", conversation_id=conversation, provider="o2", subject="Vertrag",
        called_at=datetime(2027, 1, 5, tzinfo=timezone.utc), outcome="unreachable",
    )
    log.evidence.set_status(letter.reference, "no_confirmation")
    log.evidence.create_letter_attempt(
        channel="web", conversation_id=conversation, provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Erika"},
        render=lambda ref: b"%PDF-1.4 " + ref.encode(), kind="reminder_letter",
        related_reference=letter.reference,
    )
    log.reads.get(letter.reference)
    log.reads.attempts_for_conversation(conversation)
    log.reads.personal_data(letter.reference)
    log.reads.letter_pdf(letter.reference)
    log.reads.entries(letter.reference)
    log.reads.chain_state()  # incremental after the cold check
    token = log.tokens.issue(letter.reference, ttl=timedelta(days=7))
    log.tokens.resolve_letter(token)
    evidence = log.tokens.issue(letter.reference, ttl=timedelta(days=7), document="evidence")
    log.tokens.resolve_evidence(evidence)
    log.deletion.forget_conversation(conversation)


def test_no_query_on_the_chats_path_scans_a_table(postgres_log):
    log = postgres_log
    # Some rows of other conversations, so the tables are not trivially empty.
    for number in range(30):
        log.evidence.create_letter_attempt(
            channel="rest", conversation_id=f"rest:other-{number}", provider="o2",
            subject_kind="contract", subject="Vertrag", requested_end=None,
            personal_data={"full_name": f"Person {number}"},
            render=lambda ref: b"%PDF-1.4 " + ref.encode(),
        )
    log.reads.chain_state()  # the cold, whole-chain check happens once per process
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            captured.append((statement, parameters))

    event.listen(log.engine, "before_cursor_execute", capture)
    try:
        chat_operations(log)
    finally:
        event.remove(log.engine, "before_cursor_execute", capture)

    assert len(captured) > 20
    scans = []
    with log.engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute("SET enable_seqscan = off")
        for statement, parameters in captured:
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            if "Seq Scan" in plan:
                scans.append(f"{' '.join(statement.split())}\n{plan}")
        cursor.close()
    assert scans == [], "\n\n".join(scans)

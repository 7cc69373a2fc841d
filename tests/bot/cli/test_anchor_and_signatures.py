"""An operator with database access can rewrite the whole chain; an external anchor and the
optional HMAC signatures (LOG_SIGNING_KEY) are what reveal it."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.cli import main
from cancellation.log import AttemptLog
from cancellation.log.chain import GENESIS_HASH, entry_hash
from cancellation.log.migrate import upgrade
from cancellation.log.models import Attempt, ChainHead, LogEntryRow
from tests.support.databases import scratch_postgres

KEY = "k" * 40


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, monkeypatch):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'anchor.db'}"
        monkeypatch.setenv("DATABASE_URL", url)
        yield url
    else:
        for url in scratch_postgres("anchor"):
            monkeypatch.setenv("DATABASE_URL", url)
            yield url


def open_log(url: str, key: str | None = None) -> AttemptLog:
    upgrade(url)
    return AttemptLog.from_url(url, signing_key=None if key is None else key.encode())


def add_letter(log: AttemptLog, end: date = date(2027, 3, 31)) -> str:
    return log.evidence.create_letter_attempt(
        channel="web", conversation_id="conv-1", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=end, personal_data={"name": "Erika"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    ).reference


def rewrite_chain(log: AttemptLog, reference: str, **changes) -> None:
    """What someone holding only the database can do: change an attempt and recompute every
    entry hash from the first changed entry on, and the head, so the chain checks out."""
    with Session(log.engine, future=True) as session, session.begin():
        session.execute(update(Attempt).where(Attempt.reference == reference).values(**changes))
        previous = GENESIS_HASH
        for row in session.execute(select(LogEntryRow).order_by(LogEntryRow.id)).scalars():
            payload = dict(row.payload)
            if row.reference == reference and "requested_end" in payload:
                payload.update(changes)
            digest = entry_hash(id=row.id, created_at=row.created_at, reference=row.reference,
                                event=row.event, payload=payload, prev_hash=previous)
            row.payload, row.prev_hash, row.entry_hash = payload, previous, digest
            previous = digest
        head = session.get(ChainHead, 1)
        head.last_hash = previous


def cli(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_anchor_is_written_for_safekeeping_and_verifies_while_the_log_grows(
    database_url, tmp_path, capsys
):
    log = open_log(database_url)
    add_letter(log)
    second = add_letter(log)
    anchor_file = tmp_path / "anker.json"

    code, out, _ = cli(capsys, "attempts", "anchor", "-o", str(anchor_file))

    assert code == 0 and str(anchor_file) in out
    anchor = json.loads(anchor_file.read_text())
    head = log.reads.entries(second)[-1]
    assert (anchor["entry_id"], anchor["entries"], anchor["entry_hash"]) == (2, 2, head.entry_hash)
    assert anchor["created_at"]
    assert stat.S_IMODE(anchor_file.stat().st_mode) == 0o600
    code, out, _ = cli(capsys, "attempts", "anchor")
    assert code == 0 and json.loads(out)["entry_hash"] == head.entry_hash

    add_letter(log)  # the log goes on
    code, out, _ = cli(capsys, "attempts", "verify", "--anchor", str(anchor_file))
    assert code == 0, out
    assert "Anker: Eintrag #2" in out and "unverändert Teil der Kette" in out
    log.dispose()


def test_rewritten_chain_passes_alone_but_not_against_the_anchor(database_url, tmp_path, capsys):
    log = open_log(database_url)
    target = add_letter(log)
    add_letter(log)
    anchor_file = tmp_path / "anker.json"
    assert cli(capsys, "attempts", "anchor", "-o", str(anchor_file))[0] == 0

    rewrite_chain(log, target, requested_end="2030-12-31")

    assert cli(capsys, "attempts", "verify")[0] == 0  # a consistent forgery, without anchor
    code, out, _ = cli(capsys, "attempts", "verify", "--anchor", str(anchor_file))
    assert code == 1
    assert out.startswith("BESCHÄDIGT: Eintrag #2: Hash weicht vom Anker ab")
    log.dispose()


def test_cut_off_chain_fails_against_the_anchor(database_url, tmp_path, capsys):
    log = open_log(database_url)
    first = add_letter(log)
    add_letter(log)
    anchor_file = tmp_path / "anker.json"
    cli(capsys, "attempts", "anchor", "-o", str(anchor_file))
    with Session(log.engine, future=True) as session, session.begin():
        last = session.execute(select(LogEntryRow).where(LogEntryRow.id == 2)).scalar_one()
        reference = last.reference
        session.delete(last)
        session.execute(update(ChainHead).values(
            last_entry_id=1, last_hash=log.reads.entries(first)[0].entry_hash))
        session.execute(Attempt.__table__.delete().where(Attempt.reference == reference))

    assert cli(capsys, "attempts", "verify")[0] == 0
    code, out, _ = cli(capsys, "attempts", "verify", "--anchor", str(anchor_file))
    assert code == 1 and "Anker verlangt Eintrag #2" in out
    log.dispose()


def test_unreadable_anchor_is_a_clear_error(database_url, tmp_path, capsys):
    open_log(database_url).dispose()
    broken = tmp_path / "kaputt.json"
    broken.write_text("{nicht json")
    code, _, err = cli(capsys, "attempts", "verify", "--anchor", str(broken))
    assert code == 1 and err.startswith("Fehler: ") and "Anker-Datei unlesbar" in err
    code, _, err = cli(capsys, "attempts", "verify", "--anchor", str(tmp_path / "fehlt.json"))
    assert code == 1 and "kann nicht gelesen werden" in err


def test_with_a_signing_key_a_rewritten_chain_fails_without_any_anchor(
    database_url, capsys, monkeypatch
):
    monkeypatch.setenv("LOG_SIGNING_KEY", KEY)
    log = open_log(database_url, KEY)
    target = add_letter(log)
    add_letter(log)
    with Session(log.engine, future=True) as session:
        assert all(session.execute(select(LogEntryRow.entry_hmac)).scalars())
    code, out, _ = cli(capsys, "attempts", "verify")
    assert code == 0 and "Signaturen: alle Einträge mit LOG_SIGNING_KEY geprüft." in out

    rewrite_chain(log, target, requested_end="2030-12-31")

    code, out, _ = cli(capsys, "attempts", "verify")
    assert code == 1
    assert out.startswith("BESCHÄDIGT: Eintrag #1: Signatur ungültig")
    log.dispose()


def test_the_wrong_key_and_unsigned_entries_are_named(database_url, capsys, monkeypatch):
    log = open_log(database_url)  # written without a key
    add_letter(log)
    monkeypatch.setenv("LOG_SIGNING_KEY", KEY)
    code, out, _ = cli(capsys, "attempts", "verify")
    assert code == 1 and "Eintrag #1: nicht signiert" in out

    code, out, _ = cli(capsys, "attempts", "sign")
    assert code == 0 and "1 bisher unsignierte Einträge signiert." in out
    assert cli(capsys, "attempts", "verify")[0] == 0

    monkeypatch.setenv("LOG_SIGNING_KEY", "x" * 40)
    code, out, _ = cli(capsys, "attempts", "verify")
    assert code == 1 and "Signatur ungültig" in out
    log.dispose()


def test_signing_refuses_a_damaged_log(database_url, capsys, monkeypatch):
    log = open_log(database_url)
    target = add_letter(log)
    with Session(log.engine, future=True) as session, session.begin():
        session.execute(update(Attempt).where(Attempt.reference == target).values(status="sent"))
    monkeypatch.setenv("LOG_SIGNING_KEY", KEY)

    code, out, err = cli(capsys, "attempts", "sign")

    assert code == 1 and "nichts signiert" in err and "Status" in out
    with Session(log.engine, future=True) as session:
        assert session.execute(select(LogEntryRow.entry_hmac)).scalars().all() == [None]
    log.dispose()


def test_short_signing_key_is_refused(database_url, capsys, monkeypatch):
    monkeypatch.setenv("LOG_SIGNING_KEY", "zu-kurz")
    code, _, err = cli(capsys, "attempts", "verify")
    assert code == 1 and "LOG_SIGNING_KEY muss mindestens 32 Zeichen" in err
    assert "zu-kurz" not in err

"""The operator CLI against SQLite and PostgreSQL, through `main(argv)` and `python -m bot`."""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.cli import main
from cancellation.log import AttemptLog
from cancellation.log.migrate import upgrade
from cancellation.log.models import LogEntryRow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URLS = (
    os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"),
    "postgresql+psycopg2://root@127.0.0.1:5432/test",
)
PERSON = {"name": "Erika Mustermann", "street": "Heidestraße 17", "customer_number": "K-123456"}


def _postgres_admin_url() -> str:
    for url in POSTGRES_URLS:
        engine = create_engine(url, future=True)
        try:
            with engine.connect():
                return url
        except OperationalError:
            continue
        finally:
            engine.dispose()
    raise RuntimeError("PostgreSQL for tests not reachable")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    """An empty database, also exported as DATABASE_URL for the CLI."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        monkeypatch.setenv("DATABASE_URL", url)
        yield url
        return
    admin = create_engine(_postgres_admin_url(), future=True)
    schema = f"t_cli_{secrets.token_hex(6)}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{admin.url.render_as_string(hide_password=False)}?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def log(database_url) -> Iterator[AttemptLog]:
    upgrade(database_url)
    attempt_log = AttemptLog.from_url(database_url)
    yield attempt_log
    attempt_log.dispose()


def add_letter(log: AttemptLog, conversation_id: str = "conv-1") -> str:
    return log.evidence.create_letter_attempt(
        channel="web",
        conversation_id=conversation_id,
        provider="o2",
        subject_kind="contract",
        subject="Mobilfunkvertrag",
        requested_end=date(2026, 3, 31),
        personal_data=PERSON,
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    ).reference


def add_call(log: AttemptLog) -> str:
    return log.evidence.log_hotline_attempt(
        channel="telegram",
        conversation_id="conv-2",
        provider="Vodafone",
        subject="Datenoption XL",
        called_at=datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc),
        outcome="not_reached",
        note=None,
    ).reference


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_json_has_the_documented_keys(log, capsys):
    letter = add_letter(log)
    call = add_call(log)

    code, out, _ = run_cli(capsys, "attempts", "list", "--json")

    assert code == 0
    rows = json.loads(out)
    assert [row["reference"] for row in rows] == [call, letter]
    by_reference = {row["reference"]: row for row in rows}
    assert {"reference", "created_at", "channel", "provider", "subject", "status",
            "letter_sha256", "kind", "requested_end"} <= set(rows[0])
    created = datetime.fromisoformat(by_reference[letter]["created_at"])
    assert created.utcoffset().total_seconds() == 0
    assert by_reference[letter]["letter_sha256"] == log.reads.get(letter).letter_sha256
    assert by_reference[call]["letter_sha256"] is None
    assert "Mustermann" not in out


def test_list_csv_and_table(log, capsys):
    letter = add_letter(log)

    code, out, _ = run_cli(capsys, "attempts", "list", "--csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["reference"] == letter and row["status"] == "letter_created"

    code, out, _ = run_cli(capsys, "attempts", "list")
    assert code == 0
    assert out.splitlines()[0].startswith("Referenz")
    assert letter in out and "Mobilfunkvertrag" in out


def test_list_of_empty_log_says_so(log, capsys):
    code, out, _ = run_cli(capsys, "attempts", "list")
    assert code == 0 and "Noch keine" in out
    code, out, _ = run_cli(capsys, "attempts", "list", "--json")
    assert json.loads(out) == []


def test_show_marks_personal_data_and_lists_chain_entries(log, capsys):
    letter = add_letter(log)
    log.evidence.set_status(letter, "sent")

    code, out, _ = run_cli(capsys, "attempts", "show", letter.lower())

    assert code == 0
    assert "[PERSONENBEZOGEN]" in out and "Erika Mustermann" in out
    assert "letter_created" in out and "status_changed" in out
    assert log.reads.get(letter).letter_sha256 in out


def test_letter_export_writes_the_stored_pdf(log, capsys, tmp_path):
    letter = add_letter(log)
    target = tmp_path / "brief.pdf"

    code, out, _ = run_cli(capsys, "letter", letter, "-o", str(target))

    assert code == 0
    assert target.read_bytes() == log.reads.letter_pdf(letter)
    assert str(target) in out


def test_letter_export_of_unknown_reference_fails_clearly(log, capsys, tmp_path):
    code, out, err = run_cli(capsys, "letter", "KB-2026-000000", "-o", str(tmp_path / "x.pdf"))
    assert code == 1
    assert err.strip() == "Fehler: Unbekannte Referenz: KB-2026-000000"
    assert not (tmp_path / "x.pdf").exists()


def test_forget_then_show_and_letter_report_deletion(log, capsys, tmp_path):
    letter = add_letter(log)
    kept = add_letter(log, conversation_id="conv-other")

    code, out, _ = run_cli(capsys, "forget", letter)
    assert code == 0 and "gelöscht" in out and letter in out

    code, out, _ = run_cli(capsys, "attempts", "show", letter)
    assert code == 0
    assert "Personenbezogene Daten: gelöscht" in out and "Mustermann" not in out
    assert "forgotten" in out

    code, _, err = run_cli(capsys, "letter", letter, "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "gelöscht" in err and "Traceback" not in err

    assert len(json.loads(run_cli(capsys, "attempts", "list", "--json")[1])) == 2
    assert log.reads.personal_data(kept) is not None
    code, out, _ = run_cli(capsys, "forget", letter)
    assert code == 0 and "bereits gelöscht" in out


def test_verify_reports_ok_and_names_a_tampered_entry(log, capsys):
    references = [add_letter(log) for _ in range(3)]
    code, out, _ = run_cli(capsys, "attempts", "verify")
    assert code == 0 and out.startswith("OK") and "3 Einträge" in out

    target = log.reads.entries(references[1])[0]
    with Session(log.engine, future=True) as session, session.begin():
        session.execute(
            update(LogEntryRow)
            .where(LogEntryRow.id == target.id)
            .values(payload={**target.payload, "status": "confirmed"})
        )

    code, out, _ = run_cli(capsys, "attempts", "verify")
    assert code == 1
    assert f"#{target.id}" in out


def test_user_errors_are_one_line_without_traceback(database_url, capsys, monkeypatch):
    code, _, err = run_cli(capsys, "attempts", "show", "KB-2026-000000")
    assert code == 1 and err.strip() == "Fehler: Unbekannte Referenz: KB-2026-000000"

    monkeypatch.setenv("LETTER_LINK_TTL_DAYS", "sieben")
    code, _, err = run_cli(capsys, "attempts", "list")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "LETTER_LINK_TTL_DAYS" in err


def test_unreachable_database_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    code, _, err = run_cli(capsys, "attempts", "list")
    assert code == 1
    assert err.startswith("Fehler: Datenbank nicht nutzbar") and len(err.strip().splitlines()) == 1


def test_python_dash_m_bot_runs_without_rasa(log):
    letter = add_letter(log)
    probe = (
        "import runpy, sys; sys.argv = ['bot', 'attempts', 'list', '--json'];\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    assert not [m for m in sys.modules if m.split('.')[0] == 'rasa'], 'rasa imported'\n"
        "    raise\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["reference"] == letter


def test_letter_and_evidence_exports_refuse_data_that_does_not_match_the_chain(
    log, capsys, tmp_path
):
    from cancellation.log.models import Attempt, Letter

    letter = add_letter(log)
    code, out, _ = run_cli(capsys, "letter", letter, "-o", str(tmp_path / "ok.pdf"))
    assert code == 0 and "geprüft gegen die Hash-Kette, Stand" in out
    with Session(log.engine, future=True) as session, session.begin():
        session.execute(update(Letter).values(pdf=b"%PDF-1.4 forged"))

    code, _, err = run_cli(capsys, "letter", letter, "-o", str(tmp_path / "brief.pdf"))
    assert code == 1 and "passt nicht zur Hash-Kette" in err and "Brief-PDF verändert" in err
    assert "Traceback" not in err and not (tmp_path / "brief.pdf").exists()

    with Session(log.engine, future=True) as session, session.begin():
        session.execute(update(Attempt).values(status="confirmed"))
    code, _, err = run_cli(capsys, "evidence", letter, "-o", str(tmp_path / "nachweis.pdf"))
    assert code == 1 and f"{letter}" in err and "Status" in err
    assert not (tmp_path / "nachweis.pdf").exists()

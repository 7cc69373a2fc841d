import datetime as dt

import pytest

from bot.cli import main
from cancellation.log import AttemptLog
from tests.e2e.pdftext import pdf_text


@pytest.fixture
def log(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    attempt_log = AttemptLog.from_url(url, upgrade_schema=True)
    yield attempt_log
    attempt_log.dispose()


def test_evidence_pdf_lists_the_entries_and_the_chain_check(log, tmp_path, capsys):
    log.evidence.log_hotline_attempt(
        channel="rest", conversation_id="c1", provider="o2", subject="Vertrag",
        called_at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.timezone.utc), outcome="unreachable",
    )
    record = log.evidence.create_letter_attempt(
        channel="rest", conversation_id="c1", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Erika"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    )
    log.evidence.set_status(record.reference, "confirmed")
    target = tmp_path / "report.pdf"

    code = main(["evidence", record.reference.lower(), "-o", str(target)])

    out = capsys.readouterr().out
    assert code == 0
    assert "3 Einträge" in out and "intakt" in out
    text = pdf_text(target.read_bytes())
    assert f"Nachweis zu Vorgang {record.reference}" in text
    for label in ("Hotline-Anruf", "Brief erstellt", "Statusänderung"):
        assert label in text
    assert "vom Anbieter bestätigt" in text


def test_unknown_reference_is_a_one_line_error(log, tmp_path, capsys):
    code = main(["evidence", "KB-2026-ZZZZZZ", "-o", str(tmp_path / "x.pdf")])
    assert code == 1
    assert capsys.readouterr().err.strip() == "Fehler: Unbekannte Referenz: KB-2026-ZZZZZZ"
    assert not (tmp_path / "x.pdf").exists()

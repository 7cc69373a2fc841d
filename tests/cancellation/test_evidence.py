import datetime as dt

import pytest

from sqlalchemy import update
from sqlalchemy.orm import Session

from cancellation.evidence import evidence_report_for
from cancellation.log import AttemptLog
from cancellation.log.models import Attempt
from cancellation.log.records import TamperedEvidence
from letters.evidence import render_evidence_report
from tests.e2e.pdftext import pdf_text

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.timezone.utc)


@pytest.fixture
def log(tmp_path):
    attempt_log = AttemptLog.from_url(f"sqlite:///{tmp_path / 'log.db'}", upgrade_schema=True)
    yield attempt_log
    attempt_log.dispose()


def letter(log, conversation="conv-1", provider="o2"):
    return log.evidence.create_letter_attempt(
        channel="rest", conversation_id=conversation, provider=provider, subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=dt.date(2027, 3, 14), personal_data={"full_name": "Erika Muster"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    )


def call(log, conversation="conv-1", provider="o2"):
    return log.evidence.log_hotline_attempt(
        channel="rest", conversation_id=conversation, provider=provider, subject="Vertrag",
        called_at=dt.datetime(2026, 11, 25, 11, tzinfo=dt.timezone.utc), outcome="unreachable",
        note="Anruf 1 von 1",
    )


def test_report_lists_letter_status_changes_and_calls_of_the_same_conversation(log):
    first_call = call(log)
    call(log, provider="Vodafone")  # another provider: not part of this cancellation
    call(log, conversation="someone-else")  # another conversation: never shown
    record = letter(log)
    log.evidence.set_status(record.reference, "confirmed", details={"confirmed_end": "2027-03-14"})

    report = evidence_report_for(log, record.reference, now=NOW)

    kinds = [entry.kind for entry in report.entries]
    assert kinds == ["Hotline-Anruf", "Brief erstellt", "Statusänderung"]
    assert first_call.reference in report.entries[0].description
    # 11:00 UTC is noon in Germany in November.
    # The user named the day of the call, not its time: the report claims no minute.
    assert "am 25.11.2026 (Uhrzeit nicht angegeben) – nicht erreicht" in report.entries[0].description
    assert "12:00" not in report.entries[0].description
    assert "bestätigtes Vertragsende 14.03.2027" in report.entries[2].description
    assert report.status == "vom Anbieter bestätigt"
    assert report.requested_end_text.startswith("zum 14.03.2027")
    assert report.verification_text.startswith("geprüft gegen die Hash-Kette, Stand ")
    assert report.verification_text.endswith("Kette intakt bis Eintrag #5")
    assert report.letter_sha256 == record.letter_sha256
    assert report.generated_text == "26.11.2026, 13:00 Uhr (deutsche Zeit)"
    # Nothing personal goes into the report.
    assert "Erika" not in " ".join(entry.description for entry in report.entries)

    text = pdf_text(render_evidence_report(report))
    assert record.reference in text and "Hotline-Anruf" in text
    assert "Alle Angaben geprüft gegen die Hash-Kette" in text


def test_no_report_from_altered_data(log):
    record = letter(log)
    with Session(log.engine, future=True) as session, session.begin():
        session.execute(update(Attempt).values(requested_end="2030-12-31"))

    with pytest.raises(TamperedEvidence, match=record.reference):
        evidence_report_for(log, record.reference, now=NOW)


def test_report_time_follows_german_summer_time(log):
    record = letter(log)
    log.evidence.set_status(record.reference, "confirmed")
    summer = dt.datetime(2027, 7, 1, 10, 30, tzinfo=dt.timezone.utc)

    report = evidence_report_for(log, record.reference, now=summer)

    assert report.generated_text == "01.07.2027, 12:30 Uhr (deutsche Zeit)"


def test_unknown_reference_has_no_report(log):
    assert evidence_report_for(log, "KB-2026-ZZZZZZ", now=NOW) is None


def test_reminder_is_part_of_the_first_letters_report(log):
    record = letter(log)
    reminder = log.evidence.create_letter_attempt(
        channel="rest", conversation_id="conv-1", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Erika Muster"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(), kind="reminder_letter",
        related_reference=record.reference,
    )
    report = evidence_report_for(log, record.reference, now=NOW)
    reminder_entry = report.entries[-1]
    assert reminder_entry.kind == "Erinnerung erstellt"
    assert f"{reminder.reference}" in reminder_entry.description
    assert f"Erinnerung an {record.reference}" in reminder_entry.description

"""Evidence-report links share the /letters/<token> route with letters."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest

from bot.channels.web import WebPageInput
from cancellation.log import AttemptLog
from tests.bot.channels.web_support import Server, serving
from tests.e2e.pdftext import pdf_text

LETTER = b"%PDF-1.4\n% test letter\n"


@pytest.fixture
def attempt_log(tmp_path: Path) -> Iterator[AttemptLog]:
    log = AttemptLog.from_url(f"sqlite:///{tmp_path / 'web.db'}", upgrade_schema=True)
    yield log
    log.dispose()


@pytest.fixture
def server(attempt_log: AttemptLog) -> Iterator[Server]:
    with serving(WebPageInput(attempt_log_factory=lambda: attempt_log)) as running:
        yield running


def test_evidence_link_renders_the_current_report_not_the_letter(server, attempt_log):
    record = attempt_log.evidence.create_letter_attempt(
        channel="web", conversation_id="c1", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Erika"},
        render=lambda reference: LETTER,
    )
    token = attempt_log.tokens.issue(record.reference, ttl=timedelta(days=1), document="evidence")
    attempt_log.evidence.set_status(record.reference, "confirmed")  # after the link was issued

    reply = server.get(f"/letters/{token}")

    assert reply.status == 200
    assert reply.body != LETTER
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["content-disposition"] == f'attachment; filename="Nachweis-{record.reference}.pdf"'
    text = pdf_text(reply.body)
    assert f"Nachweis zu Vorgang {record.reference}" in text
    assert "vom Anbieter bestätigt" in text


def test_evidence_link_stops_working_after_forgetting(server, attempt_log):
    record = attempt_log.evidence.create_letter_attempt(
        channel="web", conversation_id="c1", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Erika"},
        render=lambda reference: LETTER,
    )
    token = attempt_log.tokens.issue(record.reference, ttl=timedelta(days=1), document="evidence")
    attempt_log.deletion.forget_conversation("c1")
    assert server.get(f"/letters/{token}").status == 404

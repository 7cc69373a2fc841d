"""A cancellation made elsewhere and never confirmed: the letter refers to it, and so do the
summary before the letter, the attempt log row of the letter and its evidence report."""

from __future__ import annotations

import datetime as dt

import pytest

from actions import services
from cancellation.earlier_cancellation import earlier_cancellation_details
from cancellation.evidence import evidence_report_for
from cancellation.providers import load_directory
from cancellation.summary import summary_text
from letters.evidence import render_evidence_report
from tests.actions.test_letter_guard import SENDER, create_letter, log  # noqa: F401 (log is a fixture)
from tests.cancellation.test_letter_request import ANSWERS
from tests.e2e.pdftext import pdf_text
from tests.support.answers import COMPLETE_ANSWERS

DATED = {"on": "2026-11-05", "provider_key": "o2", "provider": "o2"}
UNDATED = {"on": None, "provider_key": None, "provider": None}


@pytest.mark.parametrize("earlier, answers, recorded", [
    (DATED, {}, {"earlier_cancellation": "2026-11-05"}),
    (UNDATED, {}, {"earlier_cancellation": True}),  # no provider or day named: this letter's
    ({"on": "2026-11-05", "provider_key": None, "provider": "O2"}, {}, {"earlier_cancellation": "2026-11-05"}),
    (DATED, {"provider": "Vodafone", "provider_key": "vodafone"}, {}),  # made with another provider
    ({"on": None, "provider_key": None, "provider": "1&1"}, {}, {}),
    (None, {}, {}),
])
def test_the_log_records_what_the_letter_says(earlier, answers, recorded):
    assert earlier_cancellation_details(dict(ANSWERS, earlier_cancellation=earlier, **answers)) == recorded


def test_the_summary_names_the_earlier_cancellation_after_the_end_in_both_languages():
    o2 = load_directory().get("o2")
    german = summary_text(dict(ANSWERS, earlier_cancellation=DATED), o2)
    assert ("• Kündigungstermin: zum nächstmöglichen Zeitpunkt\n• Frühere Kündigung: vom 05.11.2026, nicht bestätigt – "
            "der Brief verweist darauf und kündigt vorsorglich nochmals") in german
    english = summary_text(dict(ANSWERS, earlier_cancellation=UNDATED), o2, language="en")
    assert ("• End: at the earliest possible date\n• Earlier cancellation: never confirmed – "
            "the letter refers to it and cancels again as a precaution") in english
    # Another provider's cancellation is not this letter's business, and without one nothing shows.
    other = dict(ANSWERS, provider="Vodafone", provider_key="vodafone", earlier_cancellation=DATED)
    assert "Frühere Kündigung" not in summary_text(other, None)
    assert "Frühere Kündigung" not in summary_text(ANSWERS, o2)


def make_letter(**slots):
    create_letter(**slots)
    [record] = services.attempt_log().reads.attempts_for_conversation(SENDER)
    return record


@pytest.mark.parametrize("on, described", [
    ("2026-11-05", "wiederholt die nicht bestätigte Kündigung vom 05.11.2026"),
    (None, "wiederholt eine frühere, nicht bestätigte Kündigung"),
])
def test_the_letters_log_row_and_evidence_report_record_it(log, on, described):
    earlier = {"on": on, "provider_key": None, "provider": "Studio X"}
    record = make_letter(**COMPLETE_ANSWERS, earlier_cancellation=earlier)
    assert record.details == {"earlier_cancellation": on or True}
    # Chained: verification replays it and finds the row as chained.
    assert log.reads.verify().ok

    report = evidence_report_for(log, record.reference, now=dt.datetime(2026, 12, 2, 12, tzinfo=dt.timezone.utc))
    [created] = [entry for entry in report.entries if entry.kind == "Brief erstellt"]
    assert described in created.description
    assert described in " ".join(pdf_text(render_evidence_report(report)).split())


def test_a_letter_without_an_earlier_cancellation_records_none(log):
    record = make_letter(**COMPLETE_ANSWERS)
    assert record.details == {}
    report = evidence_report_for(log, record.reference)
    assert "wiederholt" not in " ".join(entry.description for entry in report.entries)

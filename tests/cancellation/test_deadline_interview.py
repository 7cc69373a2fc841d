import datetime as dt

import pytest

from cancellation import deadline_interview as di
from cancellation.validation import InvalidInput

TODAY = dt.date(2026, 11, 26)  # a Thursday


def answers(**overrides):
    base = {
        di.START: "2025-03-15",
        di.TERM: 24,
        di.NOTICE: 1,
        di.TELECOM: True,
        di.SENDING: "einschreiben",
    }
    base.update(overrides)
    return base


def test_questions_start_with_the_contract_start_and_term():
    assert di.deadline_fields({}, TODAY)[:2] == (di.START, di.TERM)


def test_no_notice_question_without_an_initial_term():
    fields = di.deadline_fields({di.TERM: 0}, TODAY)
    assert di.NOTICE not in fields


def test_conclusion_date_is_asked_only_when_it_changes_the_result():
    # Started long after the rule changes: the conclusion date cannot matter.
    assert di.CONCLUDED not in di.deadline_fields(answers(), TODAY)
    # Started shortly after 01.03.2022, notice unknown: the default notice (1 or 3 months) depends on it.
    early = answers(**{di.START: "2022-03-10", di.NOTICE: di.NOTICE_UNKNOWN, di.TELECOM: False, di.TERM: 60})
    assert di.deadline_fields(early, dt.date(2026, 11, 26))[-1] == di.CONCLUDED


@pytest.mark.parametrize(
    "text, months",
    [("24 Monate", 24), ("2 Jahre", 24), ("zwölf Monate", 12), ("24", 24), ("keine", 0), ("ohne Mindestlaufzeit", 0)],
)
def test_term_answers(text, months):
    assert di.parse_term_months(text) == months


def test_unreadable_term_is_explained():
    with pytest.raises(InvalidInput) as info:
        di.parse_term_months("lange")
    assert "24 Monate" in info.value.message


@pytest.mark.parametrize(
    "text, expected",
    [("1 Monat", 1), ("drei Monate", 3), ("weiß nicht", di.NOTICE_UNKNOWN), ("keine Ahnung", di.NOTICE_UNKNOWN)],
)
def test_notice_answers(text, expected):
    assert di.parse_notice_months(text) == expected


def test_notice_in_weeks_asks_for_months():
    with pytest.raises(InvalidInput) as info:
        di.parse_notice_months("4 Wochen")
    assert "Monate" in info.value.message


def test_telecom_answers_and_derivation():
    assert di.parse_telecom("ja") is True
    assert di.parse_telecom("Nein, anderer Vertrag") is False
    assert di.telecom_from("mobile") is True
    assert di.telecom_from("gym") is False
    assert di.telecom_from(None, ("mobile", "dsl", "tv")) is True
    assert di.telecom_from(None, ("energy",)) is False
    assert di.telecom_from(None, ()) is None
    assert di.telecom_from("tv") is None


def test_sending_method_or_a_given_day_of_receipt():
    assert di.parse_sending("Einwurf-Einschreiben", TODAY) == "einschreiben"
    assert di.parse_sending("per Fax", TODAY) == "fax"
    assert di.parse_sending("E-Mail", TODAY) == "email"
    assert di.parse_sending("normaler Brief", TODAY) == "post"
    assert di.parse_sending("geht am 30.11.2026 ein", TODAY) == "receipt:2026-11-30"
    with pytest.raises(InvalidInput):
        di.parse_sending("irgendwie", TODAY)


def test_reply_names_the_dates_the_rules_and_the_assumption():
    reply = di.deadline_reply(answers(), TODAY)
    # 24 months from 15.03.2025 end on 14.03.2027; one month's notice -> receipt by 14.02.2027.
    assert reply.earliest_end == dt.date(2027, 3, 14)
    assert "14.02.2027" in reply.text and "14.03.2027" in reply.text
    assert "in der Regel" in reply.text and "§ 188 Abs. 2 BGB" in reply.text
    assert "Einwurf-Einschreiben" in reply.text  # the receipt assumption is stated
    assert "keine Rechtsberatung" in reply.text
    assert "hilfsweise zum nächstmöglichen Zeitpunkt" in reply.text


def test_unknown_notice_states_the_default():
    reply = di.deadline_reply(answers(**{di.NOTICE: di.NOTICE_UNKNOWN}), TODAY)
    assert "angenommen, dass sie einen Monat beträgt" in reply.text


def test_given_receipt_day_overrides_the_suggestion():
    reply = di.deadline_reply(answers(**{di.TERM: 0, di.SENDING: "receipt:2026-12-31"}), TODAY)
    assert reply.earliest_end == dt.date(2027, 1, 31)
    assert "von Ihnen genannten Zugang am 31.12.2026" in reply.text


def test_fax_arrives_the_same_day():
    reply = di.deadline_reply(answers(**{di.TERM: 0, di.SENDING: "fax"}), TODAY)
    assert reply.earliest_end == dt.date(2026, 12, 26)


def test_an_unvalidated_raw_answer_does_not_break_the_question_plan():
    raw = answers(**{di.SENDING: "Einwurf-Einschreiben, morgen"})
    assert di.deadline_fields(raw, TODAY) == (di.START, di.TERM, di.NOTICE, di.TELECOM, di.SENDING)

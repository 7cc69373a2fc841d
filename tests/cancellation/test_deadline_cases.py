"""Every row of docs/LEGAL_CASES_DEADLINES.md, from the same YAML (tests/cancellation/deadline_cases.yml)."""

from __future__ import annotations

import datetime as dt

import pytest

from cancellation import deadline_interview as di
from cancellation.deadlines import ContractTerms, compute_deadline, explanation_text
from cancellation.posting import assumed_receipt, last_day_to_post, recommended_posting_day
from cancellation.texts import render
from cancellation.vocabulary import Sector
from scripts import deadline_cases

CASES = deadline_cases.load_cases()
_SLOTS = {"start": di.START, "term": di.TERM, "notice": di.NOTICE, "sector": di.SECTOR, "sending": di.SENDING,
          "concluded": di.CONCLUDED, "extension": di.EXTENSION, "basic_supply": di.BASIC_SUPPLY}


def _ids(case):
    return case["case"]


def _by_kind(kind):
    return [case for case in CASES if case.get("kind", "engine") == kind]


def _text_checks(case, text):
    for snippet in case.get("says", ()):
        assert snippet in text, f"{case['case']}: missing „{snippet}“ in:\n{text}"
    for snippet in case.get("never_says", ()):
        assert snippet not in text, f"{case['case']}: must not say „{snippet}“:\n{text}"


def _stored(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def test_the_table_has_at_least_thirty_cases_and_the_document_is_current():
    assert len(CASES) >= 30
    current = deadline_cases.DOCUMENT.read_text(encoding="utf-8")
    assert current == deadline_cases.render_markdown(CASES), "run make deadline-cases"


@pytest.mark.parametrize("case", _by_kind("engine"), ids=_ids)
def test_engine_case(case):
    given = case["terms"]
    terms = ContractTerms(
        start=given["start"], initial_term_months=given["term"], notice_months=given.get("notice"),
        concluded=given.get("concluded"), sector=Sector(given["sector"]), extension_months=given.get("extension"),
        basic_supply=given.get("basic_supply"),
    )
    result = compute_deadline(terms, case["received"])
    for name, expected in case.get("expect", {}).items():
        actual = getattr(result, name)
        assert (actual.value if hasattr(actual, "value") else actual) == expected, name
    for rule in case.get("rules", ()):
        assert rule in result.rules_applied
    _text_checks(case, explanation_text(result))
    assert "in der Regel" in explanation_text(result)


@pytest.mark.parametrize("case", _by_kind("posting"), ids=_ids)
def test_posting_case(case):
    expect = case["expect"]
    if "receipt_by" in case:
        assert last_day_to_post(case["receipt_by"]) == expect["last_day_to_post"]
        assert recommended_posting_day(case["receipt_by"]) == expect["recommended"]
    else:
        assert assumed_receipt(case["posted"], "post") == expect["assumed_receipt"]


@pytest.mark.parametrize("case", _by_kind("answer"), ids=_ids)
def test_answer_case(case):
    answers = {_SLOTS[name]: _stored(value) for name, value in case["answers"].items()}
    reply = di.deadline_reply(answers, case["today"])
    assert reply.end_date == _stored(case["expect"]["end_date"])
    _text_checks(case, render(list(reply.messages)))

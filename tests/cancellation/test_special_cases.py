"""Every row of docs/LEGAL_CASES_SPECIAL.md: the rules, the dialogue and the letter agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cancellation.letter_request import build_letter_data
from cancellation.special import Context, LetterMode, assess, latest_receipt, next_question
from cancellation.special_interview import assessment_messages
from cancellation.texts import render
from cancellation.vocabulary import SpecialGround
from letters.wording import compose
from tests.cancellation.special_cases import CASES, Case, markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "LEGAL_CASES_SPECIAL.md"
ANSWERS = {
    "subject_kind": "contract",
    "provider": "Beispiel GmbH",
    "provider_address": {"lines": ["Beispiel GmbH"], "street": "Postfach 1", "postcode": "40875", "city": "Ratingen"},
    "full_name": "Erika Muster",
    "street": "Musterstraße 5",
    "postcode": "10115",
    "city": "Berlin",
    "customer_number": "123456",
    "end_date": "asap",
}


def context(case: Case) -> Context:
    return Context(case.today, latest_receipt(case.today), case.contract_type, case.sector)


def letter_text(case: Case, slot) -> str:
    data = build_letter_data(dict(ANSWERS, special_termination=slot), None, reference="KB-2026-ABCDEF", today=case.today)
    text = compose(data)
    blocks = [block if isinstance(block, str) else " ".join(f"{k}: {v}" for k, v in block.rows) for block in text.body]
    parts = list(text.subject_lines) + blocks + ([text.enclosures_heading, *text.enclosures] if text.enclosures else [])
    return " ".join(" ".join(parts).replace("\u00a0", " ").split())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case):
    assert next_question(case.ground, case.facts, context(case)) is None, "the case must answer every question"
    assessment = assess(case.ground, case.facts, context(case))
    assert assessment.mode is case.mode
    letter = letter_text(case, assessment.as_slot())
    for sentence in case.letter:
        assert sentence in letter
    for claim in case.not_in_letter:
        assert claim not in letter
    chat = " ".join(render(assessment_messages(assessment)).split())
    for sentence in case.chat:
        assert sentence in chat
    if case.mode is not LetterMode.EXTRAORDINARY:
        assert "stütze ich auf" not in letter
    assert "in der Regel" in chat  # general information, not individual advice


def test_the_table_covers_every_ground_and_every_kind_of_letter():
    assert len(CASES) >= 15
    assert {case.ground for case in CASES} == set(SpecialGround)
    assert {case.mode for case in CASES} == set(LetterMode)


def test_the_document_is_current():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "regenerate: .venv/bin/python -m tests.cancellation.special_cases > docs/LEGAL_CASES_SPECIAL.md"
    )

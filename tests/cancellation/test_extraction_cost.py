"""The fact extractor stays linear on hostile input: a 4,000-character message of digits, dots,
spaces, "a-a-a", "1.1.1", repeated words ... costs the same order as a pasted letter of that size.

Compared are CPU-time ratios of the same code in the same process (best of several runs), never
a wall-clock limit: growth from 1,000 to 4,000 characters is about 4 for linear work and 16 for
quadratic; the hostile message may cost a few times the benign one, not tens or thousands of
times (before the fix "Kundennummer" followed by 4,000 spaces took minutes).
"""

from __future__ import annotations

from datetime import date

import pytest

from cancellation.extraction import extract_facts, squeeze_whitespace
from scripts.bench_input import BENIGN, HOSTILE, MAX_MESSAGE_CHARS, cpu_ms

REPEAT = 5
MAX_GROWTH = 8  # linear 4, quadratic 16
MAX_OVER_BENIGN = 10


@pytest.fixture(scope="module")
def benign_ms() -> float:
    return cpu_ms(BENIGN(MAX_MESSAGE_CHARS), REPEAT)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_maximal_message_costs_the_order_of_a_benign_one(name, benign_ms):
    build = HOSTILE[name]
    full = cpu_ms(build(MAX_MESSAGE_CHARS), REPEAT)
    quarter = cpu_ms(build(MAX_MESSAGE_CHARS // 4), REPEAT)
    # Below a sixteenth of the benign cost a time is noise, not growth.
    growth = full / max(quarter, benign_ms / 16)
    assert growth < MAX_GROWTH, f"{name}: {quarter:.1f} ms -> {full:.1f} ms"
    assert full < MAX_OVER_BENIGN * benign_ms, f"{name}: {full:.1f} ms vs benign {benign_ms:.1f} ms"


def test_how_much_space_separates_words_changes_no_fact():
    letter = BENIGN(1200)
    spaced = letter.replace(" ", " \t  ").replace("\n", " \n\r\n  ").replace(": ", " :   ")
    assert extract_facts(spaced, date(2026, 12, 1)) == extract_facts(letter, date(2026, 12, 1))


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Kundennummer lautet: 4711-0815", "customer_number", "4711-0815"),
        ("Kunden - Nr. # K-123456", "customer_number", "K-123456"),
        ("Vertragsnummer ist: V-2024-1", "contract_number", "V-2024-1"),
        ("meine Nummer ist: 0170 1234567", "phone_number", "0170 1234567"),
        ("Rufnummer : 0170 1234567", "phone_number", "0170 1234567"),
        ("Mail:erika.m@example.org bitte", "email", "erika.m@example.org"),
        ("zum nächst - möglichen Termin kündigen", "end_asap", True),
        ("die --Datenoption kündigen, der Vertrag soll weiterlaufen", "option_name", "Datenoption"),
        ("nur die Datenoption kündigen", "subject_kind", "option"),
        ("Handyvertrag mit Datenoption, der Handyvertrag soll bitte weiterlaufen", "subject_kind", "option"),
        ("Ich wohne Musterstraße 5, 10115 Berlin", "postcode", "10115"),
        ("Erika Mustermann\nMusterstraße 5\n\n\n10115 Berlin", "street", "Musterstraße 5"),
    ],
)
def test_facts_behind_the_rewritten_patterns(text, field, value):
    assert getattr(extract_facts(text, date(2026, 12, 1)), field) == value


def test_whitespace_runs_become_one_space_or_one_line_break():
    assert squeeze_whitespace("a \t b\r\n\n  c\u2028d") == "a b\nc\nd"

"""One recogniser for short yes / no / "don't know" replies, German and English."""

from __future__ import annotations

import pytest

from cancellation.replies import classify_reply, fold, is_unknown_answer
from cancellation.vocabulary import Reply

CASES = [
    ("Ja", Reply.YES), ("jo passt", Reply.YES), ("Ja, bitte!", Reply.YES), ("klar doch", Reply.YES),
    ("genau so", Reply.YES), ("👍 ok", Reply.YES), ("yes please", Reply.YES), ("sure", Reply.YES),
    ("Nein", Reply.NO), ("nö", Reply.NO), ("nee danke", Reply.NO), ("lieber nicht", Reply.NO),
    ("no thanks", Reply.NO), ("nope", Reply.NO),
    ("weiß ich nicht", Reply.UNKNOWN), ("weiss nicht", Reply.UNKNOWN), ("keine Ahnung", Reply.UNKNOWN),
    ("weis ich nicht", Reply.UNKNOWN), ("weiss ich leider nicht", Reply.UNKNOWN), ("kenn ich nicht", Reply.UNKNOWN),
    ("hab ich nicht", Reply.UNKNOWN), ("hab keine", Reply.UNKNOWN), ("nicht zur Hand", Reply.UNKNOWN),
    ("Kundenkennwort hab ich nicht", None), ("hab ich grad nicht da", Reply.UNKNOWN),
    ("I don't know", Reply.UNKNOWN), ("don't have it", Reply.UNKNOWN), ("no idea", Reply.UNKNOWN),
    ("Musterstraße 5", None), ("31.05.2027", None), ("", None), ("x" * 200, None),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_short_replies_are_recognised(text: str, expected: Reply | None) -> None:
    assert classify_reply(text) == expected


def test_unknown_answers_are_never_values() -> None:
    assert is_unknown_answer("keine Ahnung!")
    assert not is_unknown_answer("12345678")


def test_fold_spells_out_umlauts_and_drops_accents() -> None:
    assert fold("Straße Über Zoë") == "strasse ueber zoe"

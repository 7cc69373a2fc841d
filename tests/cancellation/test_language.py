"""Which language a user writes in, and when the conversation switches (cancellation/language.py)."""

from __future__ import annotations

import pytest

from cancellation.language import explicit_request, hint_of, next_language, written_language
from cancellation.vocabulary import Language

EN, DE = Language.EN, Language.DE


@pytest.mark.parametrize(
    "text, expected",
    [
        ("English please", EN),
        ("english pls", EN),
        ("Do you speak English?", EN),
        ("Can we talk in English, please?", EN),
        ("Sprechen Sie Englisch?", EN),
        ("auf Englisch bitte", EN),
        ("Englisch", EN),
        ("Sorry, I don't speak German", EN),
        ("Ich spreche kein Deutsch", EN),
        ("I only speak a little German", EN),
        ("auf Deutsch bitte", DE),
        ("in German please", DE),
        ("Deutsch", DE),
        ("Können wir auf Deutsch weiter machen", None),  # "machen" is not a request word
        ("Ich will meinen Englischkurs kündigen", None),
        ("I want to cancel my contract with English Lessons Ltd", None),
        ("Deutsche Telekom", None),
        ("German and English", None),
        ("/greet", None),
        ("", None),
        (None, None),
    ],
)
def test_explicit_requests(text, expected) -> None:
    assert explicit_request(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I want to cancel my mobile contract with Vodafone", EN),
        ("Hi, I would like to cancel my gym membership", EN),
        ("I don't know", EN),
        ("to the next possible date", EN),
        ("I have not received a confirmation yet", EN),
        ("why do you need this?", EN),
        ("Ich will meinen Handyvertrag bei o2 kündigen", DE),
        ("ich weiß es nicht", DE),
        ("Bis wann muss ich kündigen?", DE),
        ("Ich möchte mein Netflix Abo kündigen, please", DE),
        # short or without function words: never a switch
        ("ok", None),
        ("yes", None),
        ("Vodafone", None),
        ("ja", None),
        ("Erika Mustermann", None),
        ("Musterstraße 5, 10115 Berlin", None),
        ("Zoë Ñúñez-Łukaszewicz", None),
        ("0176 12345678", None),
        ("Handy / Mobilfunk", None),
        ("Zum nächstmöglichen Zeitpunkt", None),
        ("Fitness First Germany GmbH", None),
        ("/greet", None),
    ],
)
def test_written_language(text, expected) -> None:
    assert written_language(text) == expected


def test_hints_from_channels() -> None:
    assert hint_of({"language_hint": "en"}) == EN  # Telegram
    assert hint_of({"language": "en-US"}) == EN  # web page (browser language)
    assert hint_of({"language": "de_DE"}) == DE
    assert hint_of({"language": "fr"}) is None
    assert hint_of({"language": 3}) is None
    assert hint_of(None) is None
    assert hint_of("en") is None


def test_next_language() -> None:
    # The hint decides only while the conversation has no language.
    assert next_language(None, "/greet", {"language": "en"}) == EN
    assert next_language("de", "/greet", {"language": "en"}) is None
    assert next_language(None, "Vodafone", {"language_hint": "de"}) == DE
    # The words beat the hint, an explicit request beats the words.
    assert next_language(None, "Ich will kündigen bei o2", {"language_hint": "en"}) == DE
    assert next_language("de", "I don't know", None) == EN
    assert next_language("en", "ok", None) is None
    assert next_language("en", "Vodafone", {"language": "de"}) is None
    assert next_language("en", "auf Deutsch bitte", None) == DE
    assert next_language("de", "I want to cancel, but auf Deutsch bitte", None) is None  # mixed: stays
    assert next_language("en", "in English please", None) is None  # already English
    assert next_language("garbage", "hello there, how are you", None) == EN


@pytest.mark.parametrize("text", ["ich weiß nicht", "weiß ich nicht", "keine Ahnung", "hab ich nicht", "nein danke"])
def test_a_german_stock_answer_does_not_end_an_english_conversation(text) -> None:
    # Hand-test: "ich weiß nicht" in an English conversation switched everything back to German.
    assert next_language("en", text, None) is None
    assert next_language("en", "auf Deutsch bitte", None) == DE  # asking for German still works
    assert next_language("en", "Ich weiß nicht, wo meine Kundennummer steht", None) == DE  # a sentence of its own

"""The provider question: an answer that is clearly no company name is refused with what is
expected; every real company name, known to the directory or not, is taken."""

from __future__ import annotations

import pytest

from cancellation.recipient import parse_company_name
from cancellation.texts import render
from cancellation.validation import InvalidInput, NotACompanyName, company_name_mistake

# (answer, what it is instead of a company name; None: it may be one and is taken)
CASES = [
    ("Hauptstraße 1", NotACompanyName.ADDRESS),
    ("Musterstr. 5a", NotACompanyName.ADDRESS),
    ("Am Markt 3", NotACompanyName.ADDRESS),
    ("Musterstraße 5, 10115 Berlin", NotACompanyName.ADDRESS),
    ("10115 Berlin", NotACompanyName.ADDRESS),
    ("12345", NotACompanyName.NUMBER),
    ("4711", NotACompanyName.NUMBER),
    ("123 456 789", NotACompanyName.NUMBER),
    ("31.12.2026", NotACompanyName.DATE),
    ("zum 31.12.2026", NotACompanyName.DATE),
    ("2026-12-31", NotACompanyName.DATE),
    ("31. Mai 2027", NotACompanyName.DATE),
    ("anna.mueller@example.de", NotACompanyName.EMAIL),
    ("meine Mail ist max@web.de", NotACompanyName.EMAIL),
    ("0176 12345678", NotACompanyName.PHONE),
    ("+49 30 1234567", NotACompanyName.PHONE),
    ("030/1234567", NotACompanyName.PHONE),
    ("ja", NotACompanyName.YES_OR_NO),
    ("Nein", NotACompanyName.YES_OR_NO),
    ("ok", NotACompanyName.YES_OR_NO),
    ("yes", NotACompanyName.YES_OR_NO),
    ("weiß nicht", NotACompanyName.UNKNOWN),
    ("keine Ahnung", NotACompanyName.UNKNOWN),
    ("weis ich nich", NotACompanyName.UNKNOWN),
    ("I don't know", NotACompanyName.UNKNOWN),
    ("Wozu brauchen Sie das?", NotACompanyName.QUESTION),
    ("welchen Anbieter meinen Sie", NotACompanyName.QUESTION),
    ("Muss ich das angeben?", NotACompanyName.QUESTION),
    ("what do you mean?", NotACompanyName.QUESTION),
    # Real company names, in the directory or not: taken as typed.
    ("Stadtwerke Hintertupfingen", None),
    ("FitX", None),
    ("Sky", None),
    ("1&1", None),
    ("o2", None),
    ("WEB.DE", None),
    ("1und1", None),
    ("Tele2", None),
    ("Klarmobil", None),
    ("Klar Energie GmbH", None),
    ("Die Techniker", None),
    ("Fitnessstudio Kraftwerk Lüneburg", None),
    ("Kabel 1", None),
    ("E.ON", None),
    ("Lokalzeitung Nordkurier", None),
    ("Yahoo!", None),
    ("Stadtwerke Musterstadt?", None),  # unsure, but a name
]


@pytest.mark.parametrize("answer, expected", CASES)
def test_what_a_provider_answer_is(answer, expected):
    assert company_name_mistake(answer) is expected


@pytest.mark.parametrize("answer, expected", [case for case in CASES if case[1] is not None])
def test_a_non_name_is_refused_with_what_is_expected_and_an_example(answer, expected):
    with pytest.raises(InvalidInput) as error:
        parse_company_name(answer)
    german, english = render(error.value.message, "de"), render(error.value.message, "en")
    assert "Namen des Anbieters" in german and "zum Beispiel" in german and "„Vodafone“" in german
    assert "provider's name" in english and "for example" in english


@pytest.mark.parametrize(
    "answer, seen",
    [("Hauptstraße 1", "Anschrift"), ("12345", "Zahl"), ("31.12.2026", "Datum"), ("max@web.de", "E-Mail-Adresse"),
     ("0176 12345678", "Telefonnummer"), ("ja", "„ja“ oder „nein“"), ("weiß nicht", "Rechnung"),
     ("wozu?", "Firma, mit der Sie den Vertrag haben")],
)
def test_the_message_says_what_the_answer_looked_like(answer, seen):
    with pytest.raises(InvalidInput) as error:
        parse_company_name(answer)
    assert seen in render(error.value.message, "de")


@pytest.mark.parametrize("answer", [answer for answer, expected in CASES if expected is None])
def test_a_company_name_is_taken_as_typed(answer):
    assert parse_company_name(answer) == answer.rstrip("?")

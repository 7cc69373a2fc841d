import pytest

from cancellation.recipient import parse_company_name, parse_recipient_address
from cancellation.subject import parse_contract_type, parse_option_name, parse_subject_kind
from cancellation.texts import render
from cancellation.validation import InvalidInput


def test_recipient_address_with_postfach():
    address = parse_recipient_address(
        "Stadtwerke Musterstadt GmbH, Postfach 12 34, 12345 Musterstadt", company="Stadtwerke Musterstadt GmbH"
    )
    assert address == {
        "lines": ["Stadtwerke Musterstadt GmbH"],
        "street": "Postfach 12 34",
        "postcode": "12345",
        "city": "Musterstadt",
    }


def test_recipient_address_multiline_with_department():
    address = parse_recipient_address("Kundenservice\nHauptstr. 1\n80331 München", company="Fit AG")
    assert address["lines"] == ["Fit AG", "Kundenservice"]
    assert address["street"] == "Hauptstr. 1"
    assert (address["postcode"], address["city"]) == ("80331", "München")


@pytest.mark.parametrize("text", ["irgendwo", "Hauptstr. 1", "1234 Berlin", "", "x" * 600])
def test_recipient_address_needs_postcode_and_city(text):
    with pytest.raises(InvalidInput) as error:
        parse_recipient_address(text, company="X")
    german, english = render(error.value.message, "de"), render(error.value.message, "en")
    assert "zum Beispiel" in german and "for example" in english


def test_company_name():
    assert parse_company_name("  Stadtwerke   Kleinkleckersdorf ") == "Stadtwerke Kleinkleckersdorf"
    for bad in ("", "12345", "x" * 200):
        with pytest.raises(InvalidInput):
            parse_company_name(bad)


def test_option_and_contract_type():
    assert parse_option_name("„Datenoption 5 GB“") == "Datenoption 5 GB"
    assert parse_contract_type("Parkplatzmiete") == "other"
    with pytest.raises(InvalidInput):
        parse_option_name("???")
    with pytest.raises(InvalidInput):
        parse_contract_type("123")


@pytest.mark.parametrize(
    "text, kind",
    [("ganzer Vertrag", "contract"), ("den ganzen Vertrag", "contract"), ("Vertrag", "contract"),
     ("alles", "contract"), ("nur eine Option", "option"), ("Option", "option"), ("nur das Zusatzpaket", "option")],
)
def test_subject_kind(text, kind):
    from cancellation.subject import parse_subject_kind

    assert parse_subject_kind(text) == kind


def test_subject_kind_unclear():
    from cancellation.subject import parse_subject_kind

    with pytest.raises(InvalidInput):
        parse_subject_kind("weiß nicht")


def test_company_name_cannot_carry_markup():
    with pytest.raises(InvalidInput):
        parse_company_name("[Stadtwerke](javascript:alert(1))")


@pytest.mark.parametrize(
    "typed, company, lines",
    [
        ("Studio X Deutschland GmbH, Hauptstr. 1, 12345 Berlin", "Studio X", ["Studio X Deutschland GmbH"]),
        ("studio x, Hauptstr. 1, 12345 Berlin", "Studio X", ["studio x"]),
        ("RSG Group GmbH, Postfach 1, 12345 Berlin", "McFit", ["RSG Group GmbH"]),
        ("Hauptstr. 1, 12345 Berlin", "McFit", ["McFit"]),
        ("Kundenservice, Hauptstr. 1, 12345 Berlin", "Fit AG", ["Fit AG", "Kundenservice"]),
    ],
)
def test_an_address_for_an_unknown_provider_is_used_as_typed_without_a_doubled_name(typed, company, lines):
    assert parse_recipient_address(typed, company=company)["lines"] == lines


def test_the_typed_address_reaches_the_letter_as_typed():
    import datetime as dt

    from cancellation.letter_request import build_letter_data

    address = parse_recipient_address("Studio X Deutschland GmbH, Hauptstr. 1, 12345 Berlin", company="Studio X")
    answers = {"provider": "Studio X", "provider_address": address, "full_name": "Erika Muster",
               "street": "Musterstraße 5", "postcode": "10115", "city": "Berlin", "subject_kind": "contract"}
    data = build_letter_data(answers, None, reference="KB-2026-ABCDEF", today=dt.date(2026, 11, 26))
    assert data.recipient.printable_lines() == ("Studio X Deutschland GmbH", "Hauptstr. 1", "12345 Berlin")


@pytest.mark.parametrize(
    "parse, text",
    [
        (parse_company_name, "<b>Fit</b>"),
        (parse_company_name, "x" * 200),
        (parse_option_name, ""),
        (parse_subject_kind, "hm"),
    ],
)
def test_parser_messages_are_in_the_users_language(parse, text):
    with pytest.raises(InvalidInput) as error:
        parse(text)
    assert render(error.value.message, "en") != render(error.value.message, "de")


def test_a_lowercase_article_or_preposition_before_a_company_is_not_its_name():
    # Hand-test: "es ist der Nordkurier" would have addressed the letter to "der Nordkurier".
    for said in ("der Nordkurier", "bei der Lokalzeitung Nordkurier", "beim Nordkurier", "the Nordkurier"):
        assert parse_company_name(said) in ("Nordkurier", "Lokalzeitung Nordkurier"), said
    assert parse_company_name("Die Techniker") == "Die Techniker"  # a capitalised article can be the name

"""A sender abroad: the country at the end of an address, its postcodes, the printed line."""

import pytest

from cancellation.countries import country_named, foreign_postcode, printed, split_country
from cancellation.validation import InvalidInput, parse_address, parse_postcode


@pytest.mark.parametrize(
    "text, rest, country",
    [
        ("Via Roma 3, 39100 Bozen, Italien", "Via Roma 3, 39100 Bozen", "Italien"),
        ("Via Roma 3, 39100 Bozen, Italy", "Via Roma 3, 39100 Bozen", "Italien"),
        ("Hauptstraße 5\n1010 Wien\nÖsterreich", "Hauptstraße 5\n1010 Wien", "Österreich"),
        ("Bahnhofstrasse 1, 8001 Zürich Schweiz", "Bahnhofstrasse 1, 8001 Zürich", "Schweiz"),
        ("Hauptstr. 5, 1010 Wien, AT", "Hauptstr. 5, 1010 Wien", "Österreich"),
        ("Musterstraße 5, 10115 Berlin, Deutschland", "Musterstraße 5, 10115 Berlin", "Deutschland"),
        ("1 High Street, SW1A 2AA London, United Kingdom", "1 High Street, SW1A 2AA London", "Vereinigtes Königreich"),
        ("Musterstraße 5, 10115 Berlin", "Musterstraße 5, 10115 Berlin", None),
        # Towns named like a country, and two-letter words inside a town, are no country.
        ("Am Markt 1, 12345 Frankreich-Siedlung", "Am Markt 1, 12345 Frankreich-Siedlung", None),
        ("Dorfstraße 2, 54321 Sankt At", "Dorfstraße 2, 54321 Sankt At", None),
    ],
)
def test_a_country_ending_an_address_is_found_in_any_language(text, rest, country):
    assert split_country(text) == (rest, country)


def test_country_names_and_postcodes():
    assert country_named("  ITALIA ") == "Italien"
    assert country_named("Bozen") is None
    assert [foreign_postcode(code) for code in ("1010", "1075 kz", "00-950", "SW1A 2AA", "1000-001")] == [
        "1010", "1075 KZ", "00-950", "SW1A 2AA", "1000-001"
    ]
    assert foreign_postcode("Wien") is None
    assert printed("Italien") == "ITALIEN" and printed("Deutschland") == "" and printed(None) == ""


@pytest.mark.parametrize(
    "text, street, postcode, city, country",
    [
        ("Via Roma 3, 39100 Bozen, Italien", "Via Roma 3", "39100", "Bozen", "Italien"),
        ("Hauptstraße 5, 1010 Wien, Österreich", "Hauptstraße 5", "1010", "Wien", "Österreich"),
        ("Karperstraat 8-10, 1075 KZ Amsterdam, Niederlande", "Karperstraat 8-10", "1075 KZ", "Amsterdam", "Niederlande"),
        ("ul. Marszałkowska 1, 00-950 Warszawa, Polen", "ul. Marszałkowska 1", "00-950", "Warszawa", "Polen"),
        ("Musterstraße 5, 10115 Berlin, Deutschland", "Musterstraße 5", "10115", "Berlin", None),
        ("Musterstraße 5, 10115 Berlin", "Musterstraße 5", "10115", "Berlin", None),
    ],
)
def test_an_address_abroad_keeps_its_country_and_its_own_postcode(text, street, postcode, city, country):
    parts = parse_address(text)
    assert (parts.street, parts.postcode, parts.city, parts.country) == (street, postcode, city, country)


def test_the_postcode_question_takes_the_postcode_of_the_country_given():
    assert parse_postcode("1010", "Österreich") == "1010"
    assert parse_postcode("1010 Wien", "Österreich") == "1010"
    assert parse_postcode("00-950", "Polen") == "00-950"
    with pytest.raises(InvalidInput):
        parse_postcode("1010")  # in Germany a postcode has five digits
    with pytest.raises(InvalidInput):
        parse_postcode("Wien", "Österreich")

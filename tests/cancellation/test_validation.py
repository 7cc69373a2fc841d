from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cancellation.validation import (
    AddressParts,
    ContractReference,
    InvalidInput,
    is_skip_answer,
    parse_address,
    parse_city,
    parse_contract_reference,
    parse_customer_number,
    parse_email,
    parse_end_date,
    parse_full_name,
    parse_phone,
    parse_postcode,
    parse_street,
)
from cancellation.texts import render
from cancellation.vocabulary import Language

TODAY = date(2026, 11, 26)


def message_of(func, *args) -> str:
    """The German message an unusable answer gets (a sentence or a catalogue message)."""
    with pytest.raises(InvalidInput) as info:
        func(*args)
    return render(info.value.message, Language.DE)


def assert_friendly(message: str) -> None:
    assert "Sie" in message or "Ihr" in message
    assert "zum Beispiel" in message


# --- names -------------------------------------------------------------------

@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Zoë Ñúñez-Łukaszewicz", "Zoë Ñúñez-Łukaszewicz"),
        ("Nguyễn Thị Minh Khai", "Nguyễn Thị Minh Khai"),
        ("Ђорђе Петровић", "Ђорђе Петровић"),
        ("O'Brien", "O'Brien"),
        ("Dr. Anna-Lena Müller", "Dr. Anna-Lena Müller"),
        ("  Max    Mustermann \n", "Max Mustermann"),
        ("<b>Max</b>", "<b>Max</b>"),
        ("Ich heiße Max Mustermann", "Max Mustermann"),
        ("Mein Name ist Anna Schmidt", "Anna Schmidt"),
    ],
)
def test_names_of_any_script_are_kept(answer, expected):
    assert parse_full_name(answer) == expected


@pytest.mark.parametrize(
    "answer", ["", "   ", "12345", "😀😀😀", "!!!", "'; DROP TABLE attempts;--", "nein", "max@example.de"]
)
def test_non_names_are_rejected_with_an_example(answer):
    assert_friendly(message_of(parse_full_name, answer))


@pytest.mark.parametrize(
    "answer",
    ["ganzer vertrag", "Ganzer Vertrag", "den ganzen Vertrag", "nur die Option", "Datenoption", "kündigen",
     "Kündigung", "ja", "ok", "genau", "whole contract", "cancel it", "warum?", "Handyvertrag Vodafone"],
)
def test_answers_to_another_question_are_not_taken_as_a_name(answer):
    message = message_of(parse_full_name, answer)
    assert "nicht nach einem Namen" in message
    assert_friendly(message)


@pytest.mark.parametrize("answer", ["Bruno Ganz", "Anna Kündig", "Klara Abold", "Tarik Yilmaz"])
def test_surnames_that_look_like_contract_words_stay_names(answer):
    assert parse_full_name(answer) == answer


def test_overlong_name_says_it_is_too_long():
    message = message_of(parse_full_name, "A" * 201)
    assert "zu lang" in message
    assert_friendly(message)


# --- postcode, street, city ----------------------------------------------------

@pytest.mark.parametrize("answer", ["10115", " 10115 ", "PLZ 10115", "Postleitzahl: 10115", "10115 Berlin", "01067"])
def test_postcodes(answer):
    assert parse_postcode(answer) in {"10115", "01067"}


@pytest.mark.parametrize("answer", ["1011", "101155", "abcde", "", "00123", "10115 10117"])
def test_bad_postcodes(answer):
    message = message_of(parse_postcode, answer)
    assert "10115" in message or "leer" in message


def test_postcode_message_is_the_documented_one():
    assert message_of(parse_postcode, "1011") == (
        "Eine Postleitzahl hat fünf Ziffern, zum Beispiel 10115. Wohnen Sie im Ausland, schreiben Sie "
        "bitte die ganze Anschrift mit dem Land, zum Beispiel „Hauptstraße 5, 1010 Wien, Österreich“."
    )


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Musterstraße 5", "Musterstraße 5"),
        ("Musterstrasse 5", "Musterstrasse 5"),
        ("Hauptstr. 12a", "Hauptstr. 12a"),
        ("Hauptstr. 12 a", "Hauptstr. 12a"),
        ("Am Markt 3-5", "Am Markt 3-5"),
        ("Am Markt 3–5", "Am Markt 3-5"),
        ("Straße des 17. Juni 135", "Straße des 17. Juni 135"),
        ("Musterstraße 5, 10115 Berlin", "Musterstraße 5"),
    ],
)
def test_streets(answer, expected):
    assert parse_street(answer) == expected


def test_street_without_house_number_asks_for_it():
    message = message_of(parse_street, "Musterstraße")
    assert "Hausnummer" in message
    assert_friendly(message)


def test_postfach_is_not_a_home_address():
    message = message_of(parse_street, "Postfach 1234")
    assert "Postfach" in message
    assert_friendly(message)


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Berlin", "Berlin"),
        ("Frankfurt am Main", "Frankfurt am Main"),
        ("Halle (Saale)", "Halle (Saale)"),
        ("Muenchen", "Muenchen"),
        ("10115 Berlin", "Berlin"),
        ("Sankt Peter-Ording", "Sankt Peter-Ording"),
    ],
)
def test_cities(answer, expected):
    assert parse_city(answer) == expected


@pytest.mark.parametrize("answer", ["12345", "1", "!!!", "weiß ich nicht"])
def test_bad_cities(answer):
    assert_friendly(message_of(parse_city, answer))


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Musterstraße 5, 10115 Berlin", AddressParts("Musterstraße 5", "10115", "Berlin")),
        ("Musterstr 5 10115 Berlin", AddressParts("Musterstr 5", "10115", "Berlin")),
        ("Musterstraße 5\n10115 Berlin", AddressParts("Musterstraße 5", "10115", "Berlin")),
        ("Max Mustermann\nMusterstraße 5\n10115 Berlin", AddressParts("Musterstraße 5", "10115", "Berlin")),
        ("10115 Berlin, Musterstraße 5", AddressParts("Musterstraße 5", "10115", "Berlin")),
        ("10115 Berlin Musterstraße 5", AddressParts("Musterstraße 5", "10115", "Berlin")),
        ("Musterstrasse 5, 80331 Muenchen", AddressParts("Musterstrasse 5", "80331", "Muenchen")),
        ("Hauptstr. 12a, 60311 Frankfurt am Main", AddressParts("Hauptstr. 12a", "60311", "Frankfurt am Main")),
        ("Am Markt 3-5, 06108 Halle (Saale)", AddressParts("Am Markt 3-5", "06108", "Halle (Saale)")),
        ("Straße des 17. Juni 135, 10623 Berlin", AddressParts("Straße des 17. Juni 135", "10623", "Berlin")),
    ],
)
def test_full_addresses(answer, expected):
    assert parse_address(answer) == expected


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("10115", AddressParts(None, "10115", None)),
        ("10115 Berlin", AddressParts(None, "10115", "Berlin")),
        ("Musterstraße 5", AddressParts("Musterstraße 5", None, None)),
        ("Berlin", AddressParts(None, None, "Berlin")),
        ("Postfach 1234, 10115 Berlin", AddressParts(None, "10115", "Berlin")),
    ],
)
def test_partial_addresses_do_not_raise(answer, expected):
    assert parse_address(answer) == expected


@pytest.mark.parametrize("answer", ["hallo", "Hallo", "ja", "", "😀", "?"])
def test_no_address_at_all_raises_with_example(answer):
    assert_friendly(message_of(parse_address, answer))


# --- end date ------------------------------------------------------------------

@pytest.mark.parametrize(
    "answer, expected",
    [
        ("31.05.2027", date(2027, 5, 31)),
        ("31.5.27", date(2027, 5, 31)),
        ("31.5.", date(2027, 5, 31)),
        ("31. Mai 2027", date(2027, 5, 31)),
        ("zum 1. Juni", date(2027, 6, 1)),
        ("Ende Mai", date(2027, 5, 31)),
        ("ende februar", date(2027, 2, 28)),
        ("2027-05-31", date(2027, 5, 31)),
        ("27.11.", date(2026, 11, 27)),
        ("26.11.", date(2027, 11, 26)),
        ("29.02.", date(2028, 2, 29)),
        ("zum 31. Dezember 2026, hilfsweise nächstmöglich", date(2026, 12, 31)),
    ],
)
def test_end_dates(answer, expected):
    assert parse_end_date(answer, TODAY) == expected


@pytest.mark.parametrize(
    "answer",
    ["nächstmöglich", "naechstmoeglich", "Nächstmöglicher Termin", "so schnell wie möglich", "egal", "sofort",
     "asap", "ASAP!", "nächster Termin", "zum nächstmöglichen Zeitpunkt",
     # Hand-test item 11: typed without umlauts, in any combination.
     "nachstmoglich", "nächstmoglich", "nachstmöglich", "schnellstmoglich", "zum nachstmoglichen Zeitpunkt",
     "so schnell wie moglich", "fruhestmoglich"],
)
def test_asap_answers(answer):
    assert parse_end_date(answer, TODAY) is None


# Hand-test: "zum Ende der Mindestlaufzeit" and "zum Ablauf" were "no date recognised"; the end of the
# term is the ordinary end, i.e. the letter's "zum nächstmöglichen Zeitpunkt".
@pytest.mark.parametrize(
    "answer",
    ["zum Ende der Mindestlaufzeit", "zum Ablauf", "zum Ablauf des Vertrags", "Ende der Vertragslaufzeit",
     "zum regulären Vertragsende", "zum Laufzeitende", "at the end of the minimum term", "when the contract ends",
     "at the end of my contract"],
)
def test_end_of_term_answers_mean_the_next_possible_date(answer):
    assert parse_end_date(answer, TODAY) is None


def test_impossible_date_is_named():
    message = message_of(parse_end_date, "31.02.2027", TODAY)
    assert "31.02.2027" in message and "gibt es nicht" in message
    assert_friendly(message)


@pytest.mark.parametrize("answer", ["26.11.2026", "25.11.2026", "1.1.2020"])
def test_today_and_past_dates_must_be_in_the_future(answer):
    message = message_of(parse_end_date, answer, TODAY)
    assert "Zukunft" in message
    assert_friendly(message)


@pytest.mark.parametrize("answer", ["irgendwann", "morgen vielleicht", "", "13.13.2027"])
def test_unparseable_dates(answer):
    message = message_of(parse_end_date, answer, TODAY)
    # The example is the last day of the month three months after TODAY (26.11.2026).
    assert "28.02.2027" in message or "leer" in message


# --- phone ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "answer, expected",
    [
        ("+49 176 12345678", "0176 12345678"),
        ("0049176/12345678", "0176 12345678"),
        ("0176-123 456 78", "0176 12345678"),
        ("(0176) 12345678", "0176 12345678"),
        ("01761 2345678", "0176 12345678"),
        ("030 1234567", "030 1234567"),
        ("030/1234567", "030 1234567"),
        ("+49 30 1234567", "030 1234567"),
        ("Handy: 0151 12345678", "01511 2345678"),
        ("0221 12345678", "0221 12345678"),
    ],
)
def test_phone_numbers_are_normalised(answer, expected):
    assert parse_phone(answer) == expected


@pytest.mark.parametrize("answer", ["12345", "0176", "0176 1234567890123456", "0176 abc", "ruf mich an", "", "+"])
def test_bad_phone_numbers(answer):
    message = message_of(parse_phone, answer)
    assert "0176 12345678" in message or "leer" in message


# --- customer number, contract reference, e-mail, skip ----------------------------

@pytest.mark.parametrize(
    "answer", ["weiß ich nicht", "weiss nicht", "Weiß ich nicht.", "keine", "hab ich nicht", "nein", "-", "überspringen",
               "ueberspringen", "keine Ahnung", "habe ich nicht zur Hand"]
)
def test_skip_answers(answer):
    assert is_skip_answer(answer)
    assert parse_customer_number(answer) is None
    assert parse_contract_reference(answer) is None


# Hand-test: "weis ich nich" was a too-short customer number. Typed quickly and colloquially.
@pytest.mark.parametrize(
    "answer", ["weis ich nich", "weiss nich", "weiß ich net", "hab ich nich", "hab ich nit", "kein plan", "dunno", "idk"]
)
def test_colloquial_skip_answers(answer):
    assert is_skip_answer(answer)
    assert parse_customer_number(answer) is None
    assert parse_contract_reference(answer) is None


@pytest.mark.parametrize("answer", ["Nein", "keine", "ohne", "nein danke", "Keine E-Mail"])
def test_email_skip_answers(answer):
    assert parse_email(answer) is None


@pytest.mark.parametrize("answer", ["ja", "Musterstraße 5", "0176 12345678", "neinnein?", "Kundennummer 123"])
def test_real_answers_are_not_skips(answer):
    assert not is_skip_answer(answer)


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("123456789", "123456789"),
        ("Kundennummer: 123456789", "123456789"),
        ("Kd.-Nr. K-2024/778", "K-2024/778"),
        ("  DE 1234 5678  ", "DE 1234 5678"),
    ],
)
def test_customer_numbers(answer, expected):
    assert parse_customer_number(answer) == expected


@pytest.mark.parametrize("answer", ["12", "abcdef", "1" * 41, "12345; DROP TABLE attempts;--", "😀😀😀1"])
def test_bad_customer_numbers(answer):
    assert_friendly(message_of(parse_customer_number, answer))


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("0176 12345678", ContractReference("0176 12345678", None)),
        ("+49 176 12345678", ContractReference("0176 12345678", None)),
        ("Rufnummer 030 1234567", ContractReference("030 1234567", None)),
        ("V-2024-123456", ContractReference(None, "V-2024-123456")),
        ("Vertragsnummer: 998877", ContractReference(None, "998877")),
    ],
)
def test_contract_references(answer, expected):
    assert parse_contract_reference(answer) == expected


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("anna@example.de", "anna@example.de"),
        ("Anna.Mueller@Beispiel.DE", "Anna.Mueller@beispiel.de"),
        ("E-Mail: max+kuendigung@mail.example.com", "max+kuendigung@mail.example.com"),
        ("<anna@example.de>", "anna@example.de"),
    ],
)
def test_emails(answer, expected):
    assert parse_email(answer) == expected


@pytest.mark.parametrize(
    "answer", ["anna@", "@example.de", "anna example.de", "anna@@example.de", "anna@example", "anna..b@example.de",
               "anna@-example.de"]
)
def test_bad_emails(answer):
    assert_friendly(message_of(parse_email, answer))


# --- robustness ------------------------------------------------------------------

ALL_PARSERS = [
    parse_full_name, parse_postcode, parse_street, parse_city, parse_address, parse_phone,
    parse_customer_number, parse_contract_reference, parse_email,
]
HOSTILE = ["", " ", "x" * 10_000, "😀" * 50, "'; DROP TABLE attempts;--", "\x00\x01", "\u202e", "1" * 10_000,
           "\n\n\n", "<script>alert(1)</script>"]


@pytest.mark.parametrize("parser", ALL_PARSERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("answer", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_gives_clean_invalid_input_or_a_value(parser, answer):
    try:
        parser(answer)
    except InvalidInput as error:
        for language in Language:
            message = render(error.message, language)
            assert message and len(message) < 300


def test_non_string_input_is_invalid_input():
    for parser in ALL_PARSERS:
        with pytest.raises(InvalidInput):
            parser(None)
    with pytest.raises(InvalidInput):
        parse_end_date(None, TODAY)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_no_parser_raises_anything_but_invalid_input(answer):
    for parser in ALL_PARSERS:
        try:
            parser(answer)
        except InvalidInput:
            pass
    try:
        parse_end_date(answer, TODAY)
    except InvalidInput:
        pass
    is_skip_answer(answer)


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[0-9 .\-/+()A-Za-z,äöüß\n]{0,60}", fullmatch=True))
def test_parsers_survive_address_and_date_like_noise(answer):
    for parser in ALL_PARSERS:
        try:
            parser(answer)
        except InvalidInput:
            pass
    try:
        parse_end_date(answer, TODAY)
    except InvalidInput:
        pass


# --- English answers (English-speaking users) --------------------------------------

@pytest.mark.parametrize(
    "answer, expected",
    [
        ("31 May 2027", date(2027, 5, 31)),
        ("31st of May 2027", date(2027, 5, 31)),
        ("end of March", date(2027, 3, 31)),
        ("on 1 October 2027", date(2027, 10, 1)),
        ("earliest possible", None),
        ("at the earliest possible date", None),
        ("as soon as possible", None),
    ],
)
def test_english_end_dates(answer, expected):
    assert parse_end_date(answer, TODAY) == expected


def test_every_message_exists_in_english_too():
    for parser, answer in [(parse_full_name, "12345"), (parse_postcode, "abc"), (parse_street, "Postfach 12"),
                           (parse_city, "123"), (parse_phone, "12"), (parse_email, "x@"), (parse_address, "hallo")]:
        with pytest.raises(InvalidInput) as info:
            parser(answer)
        german, english = render(info.value.message, Language.DE), render(info.value.message, Language.EN)
        assert german != english and "Sie" not in english
    with pytest.raises(InvalidInput) as info:
        parse_end_date("gestern war schön 01.01.2020", TODAY)
    assert "earliest possible" in render(info.value.message, Language.EN)


@pytest.mark.parametrize(
    "answer, expected",
    [("12 Hauptstraße", "Hauptstraße 12"), ("12 Baker Street", "Baker Street 12"), ("3a Am Markt", "Am Markt 3a")],
)
def test_house_number_first_as_english_speakers_write_it(answer, expected):
    assert parse_street(answer) == expected


def test_a_whole_address_with_the_house_number_first():
    assert parse_address("12 Hauptstraße, 10115 Berlin") == AddressParts("Hauptstraße 12", "10115", "Berlin")


# Hand-test: "Klaus Peters, steht doch im Brief" became the name on the letter.
@pytest.mark.parametrize(
    "answer",
    ["Klaus Peters, steht doch im Brief", "Klaus Peters (steht oben)", "Klaus Peters - hab ich doch schon gesagt",
     "Klaus Peters – wie im Brief", "Klaus Peters, as in the letter", "Klaus Peters, it's in the letter"],
)
def test_a_remark_after_the_name_is_not_part_of_it(answer):
    assert parse_full_name(answer) == "Klaus Peters"


@pytest.mark.parametrize("answer", ["Peters, Klaus", "Klaus Peters, geb. Müller", "Anna-Lena Schmidt", "Ursula von der Leyen"])
def test_names_with_commas_and_particles_stay_whole(answer):
    assert parse_full_name(answer) == answer


@pytest.mark.parametrize(
    "text, expected",
    [("zum 31.01.2027", True), ("31.1.27", True), ("bis 1. März", True), ("01.05.2025", True),
     ("1/2345", False), ("12/3456", False), ("V-2024-123456", False), ("0176 12345678", False),
     ("M-123456", False)],
)
def test_a_date_is_told_from_a_number(text, expected):
    from cancellation.validation import is_only_a_date

    assert is_only_a_date(text) is expected


def test_the_end_of_the_year_is_the_31st_of_december_of_this_year():
    # hand-test item 5: "zum Jahresende" was asked again ("Zu wann möchten Sie kündigen?")
    from cancellation.validation import parse_end_date

    assert parse_end_date("zum Jahresende", date(2026, 12, 2)) == date(2026, 12, 31)
    assert parse_end_date("Ende des Jahres", date(2026, 3, 1)) == date(2026, 12, 31)
    assert parse_end_date("zum Jahresende", date(2026, 12, 31)) == date(2027, 12, 31)

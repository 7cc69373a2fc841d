"""Reading answers to the deadline questions, and the facts a first message gives."""

import datetime as dt

import pytest

from cancellation import deadline_answers as da
from cancellation.texts import render
from cancellation.validation import InvalidInput
from cancellation.vocabulary import Sector

TODAY = dt.date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    "answer, stored",
    [
        ("15.03.2024", "2024-03-15"),
        ("15.3.24", "2024-03-15"),
        ("3. März 2024", "2024-03-03"),
        ("15 March 2024", "2024-03-15"),
        ("March 15, 2024", "2024-03-15"),
        ("2024-03-15", "2024-03-15"),
        ("gestern", "2026-12-01"),
        ("15.3.", "2026-03-15"),  # a start without a year is the latest one that has begun
        ("März 2024", "2024-03-01/2024-03-31"),
        ("im Februar 2024", "2024-02-01/2024-02-29"),
        ("03/2024", "2024-03-01/2024-03-31"),
        ("2024-03", "2024-03-01/2024-03-31"),
        ("Mai 24", "2024-05-01/2024-05-31"),
        ("seit 2023", "2023-01-01/2023-12-31"),
        ("irgendwann 2021", "2021-01-01/2021-12-31"),
        ("im Dezember", "2026-12-01/2026-12-31"),
        ("seit Oktober", "2026-10-01/2026-10-31"),
        ("weiß nicht", da.UNKNOWN),
        ("keine Ahnung", da.UNKNOWN),
        ("I don't know", da.UNKNOWN),
    ],
)
def test_a_start_is_a_day_a_range_or_unknown(answer, stored):
    assert da.parse_start(answer, TODAY) == stored


@pytest.mark.parametrize("answer", ["irgendwann", "31.02.2024", "15.13.2024", "1985", ""])
def test_an_unreadable_start_is_explained_with_every_way_out(answer):
    with pytest.raises(InvalidInput) as info:
        da.parse_start(answer, TODAY)
    said = render(getattr(info.value, "said", info.value.message))
    # The example month is two years before TODAY (02.12.2026): cancellation/examples.py.
    assert "Dezember 2024" in said and "weiß nicht" in said
    english = render(getattr(info.value, "said", info.value.message), "en")
    assert "December 2024" in english


def test_a_stored_range_reads_back_with_every_day():
    start = da.StartRange.from_stored("2024-02-01/2024-02-29")
    assert not start.exact and len(list(start.days())) == 29
    assert da.StartRange.from_stored("2024-02-10").exact


@pytest.mark.parametrize(
    "text, months",
    [("24 Monate", 24), ("2 Jahre", 24), ("zwölf Monate", 12), ("24", 24), ("keine", 0),
     ("ohne Mindestlaufzeit", 0), ("24 months", 24), ("two years", 24), ("none", 0), ("weiß nicht", da.UNKNOWN)],
)
def test_term_answers(text, months):
    assert da.parse_term_months(text) == months


def test_unreadable_or_absurd_term_is_explained():
    with pytest.raises(InvalidInput) as info:
        da.parse_term_months("lange")
    assert "24 Monate" in render(info.value.said if hasattr(info.value, "said") else info.value.message)
    with pytest.raises(InvalidInput):
        da.parse_term_months("200 Monate")


@pytest.mark.parametrize(
    "text, expected",
    [("1 Monat", 1), ("drei Monate", 3), ("3 months", 3), ("weiß nicht", da.UNKNOWN), ("keine Ahnung", da.UNKNOWN)],
)
def test_notice_answers(text, expected):
    assert da.parse_notice_months(text) == expected


def test_notice_in_weeks_asks_for_months():
    with pytest.raises(InvalidInput) as info:
        da.parse_notice_months("4 Wochen")
    assert "Monate" in render(getattr(info.value, "said", info.value.message))


@pytest.mark.parametrize(
    "text, months",
    [("12 Monate", 12), ("1 Jahr", 12), ("monatlich kündbar", 0), ("unbefristet", 0), ("weiß nicht", da.UNKNOWN),
     ("6 Monate", 6)],
)
def test_extension_answers(text, months):
    assert da.parse_extension_months(text) == months


@pytest.mark.parametrize(
    "text, sector",
    [("Telekommunikation", Sector.TELECOM), ("Handyvertrag", Sector.TELECOM), ("Strom oder Gas", Sector.ENERGY),
     ("Versicherung", Sector.INSURANCE), ("Hausratversicherung", Sector.INSURANCE),
     ("anderer Vertrag", Sector.OTHER), ("Fitnessstudio", Sector.OTHER), ("insurance", Sector.INSURANCE)],
)
def test_sector_answers(text, sector):
    assert da.parse_sector(text) == sector.value


def test_sector_from_what_is_known():
    assert da.sector_from("mobile") is Sector.TELECOM
    assert da.sector_from("insurance") is Sector.INSURANCE
    assert da.sector_from("gas") is Sector.ENERGY
    assert da.sector_from("gym") is Sector.OTHER
    assert da.sector_from(None, ("mobile", "dsl", "tv")) is Sector.TELECOM
    assert da.sector_from(None, ("energy",)) is Sector.ENERGY
    assert da.sector_from(None, ()) is None
    assert da.sector_from("tv") is None
    assert da.sector_from("tv", ("tv",)) is Sector.OTHER


def test_sending_method_or_a_given_day_of_receipt():
    assert da.parse_sending("Einwurf-Einschreiben", TODAY) == "einschreiben"
    assert da.parse_sending("per Fax", TODAY) == "fax"
    assert da.parse_sending("E-Mail", TODAY) == "email"
    assert da.parse_sending("normaler Brief", TODAY) == "post"
    assert da.parse_sending("registered mail", TODAY) == "einschreiben"
    assert da.parse_sending("geht am 30.12.2026 ein", TODAY) == "receipt:2026-12-30"
    with pytest.raises(InvalidInput):
        da.parse_sending("irgendwie", TODAY)


@pytest.mark.parametrize(
    "message, facts",
    [
        ("Vertrag seit 15.3.2024, 24 Monate, wann komme ich raus?", {"start": "2024-03-15", "term": 24}),
        ("Mein Handyvertrag läuft seit 2 Jahren, 24 Monate Laufzeit, wann komme ich raus?", {"term": 24}),
        ("Kündigungsfrist 3 Monate, Vertrag seit März 2024 mit 24 Monaten Laufzeit",
         {"start": "2024-03-01/2024-03-31", "notice": 3, "term": 24}),
        ("my contract started in March 2024 with a 24 month term and 1 month notice",
         {"start": "2024-03-01/2024-03-31", "term": 24, "notice": 1}),
        ("Versicherung seit 01.01.2023, 3 Jahre Laufzeit, 3 Monate Kündigungsfrist",
         {"start": "2023-01-01", "term": 36, "notice": 3}),
        ("Fitnessstudio ohne Mindestlaufzeit seit 1.6.2025", {"start": "2025-06-01", "term": 0}),
        ("Vertrag läuft seit 2022, wann komme ich raus?", {"start": "2022-01-01/2022-12-31"}),
        ("bis wann muss ich kündigen?", {}),
        ("kann ich zum 31.03. kündigen?", {}),
        ("ab wann bin ich raus wenn ich heute kündige", {}),
        ("wie viele Wochen vorher muss ich kündigen", {}),
    ],
)
def test_facts_in_a_deadline_question(message, facts):
    assert da.question_facts(message, TODAY) == facts


@pytest.mark.parametrize(
    "text, stored",
    [("Grundversorgung", "yes"), ("ich bin in der grundversorgung", "yes"), ("ja", "yes"), ("basic supply", "yes"),
     ("Sondervertrag", "no"), ("nein", "no"), ("hab einen Vertrag mit Laufzeit", "no"),
     ("weiß nicht", da.UNKNOWN), ("keine Ahnung", da.UNKNOWN)],
)
def test_basic_supply_answers(text, stored):
    assert da.parse_basic_supply(text) == stored


def test_an_unreadable_basic_supply_answer_names_the_choices():
    with pytest.raises(InvalidInput) as raised:
        da.parse_basic_supply("Stadtwerke")
    said = render(raised.value.message)
    assert "Grundversorgung" in said and "Sondervertrag" in said


# --- periods said in words ("jährlich", "monatlich", "quartalsweise") --------------------------------
# Which slot a word belongs to decides its meaning (cancellation/deadlines.py): at the term question
# "monatlich" is a contract without minimum term (0), at the extension question a renewal by one month
# (1) unless it is "monatlich kündbar" (indefinite, one month's notice: 0, § 309 Nr. 9 b BGB), at the
# notice question one month's notice.


@pytest.mark.parametrize(
    "text, months",
    [("jährlich", 12), ("jährlich kündbar", 12), ("jedes Jahr", 12), ("um ein Jahr", 12), ("halbjährlich", 6),
     ("quartalsweise", 3), ("vierteljährlich", 3), ("yearly", 12), ("every year", 12), ("annually", 12),
     ("monatlich", 0), ("jeden Monat", 0), ("monthly", 0), ("monatlich kündbar", 0)],
)
def test_term_periods_in_words(text, months):
    assert da.parse_term_months(text) == months


@pytest.mark.parametrize(
    "text, months",
    [("verlängert sich jährlich", 12), ("jährlich", 12), ("jedes Jahr", 12), ("um ein Jahr", 12),
     ("jährlich kündbar", 12), ("halbjährlich", 6), ("quartalsweise", 3), ("vierteljährlich", 3),
     ("monatlich", 1), ("jeden Monat", 1), ("yearly", 12), ("every year", 12), ("monthly", 1),
     ("um ein weiteres Jahr", 12), ("monatlich kündbar", 0)],
)
def test_extension_periods_in_words(text, months):
    assert da.parse_extension_months(text) == months


@pytest.mark.parametrize("text, months", [("monatlich", 1), ("monthly", 1), ("monatlich kündbar", 1)])
def test_notice_periods_in_words(text, months):
    assert da.parse_notice_months(text) == months


def test_a_yearly_notice_is_no_notice_period():
    with pytest.raises(InvalidInput):
        da.parse_notice_months("jährlich")


@pytest.mark.parametrize(
    "message, facts",
    [
        ("Meine Kfz-Versicherung verlängert sich jährlich, wann kann ich kündigen?", {"extension": 12}),
        ("Meine Hausratversicherung verlängert sich jedes Jahr", {"extension": 12}),
        ("my insurance renews every year, when can I cancel?", {"extension": 12}),
        ("the contract renews monthly", {"extension": 1}),
        ("Vertrag verlängert sich automatisch um 12 Monate", {"extension": 12}),
        ("verlängert sich stillschweigend um ein weiteres Jahr", {"extension": 12}),
        ("Fitnessstudio seit 1.2.2021, 12 Monate Laufzeit, verlängert sich um ein Jahr, 3 Monate Kündigungsfrist",
         {"start": "2021-02-01", "term": 12, "extension": 12, "notice": 3}),
        ("24 Monate Mindestlaufzeit, danach monatlich kündbar", {"term": 24, "extension": 0}),
        ("Mein Vertrag ist jährlich kündbar", {"extension": 12}),
        ("Handyvertrag seit 1.4.2025, monatlich kündbar", {"start": "2025-04-01", "term": 0}),
        ("Ich zahle monatlich 30 Euro, Vertrag seit 1.3.2024, 24 Monate", {"start": "2024-03-01", "term": 24}),
    ],
)
def test_renewal_in_a_deadline_question(message, facts):
    assert da.question_facts(message, TODAY) == facts

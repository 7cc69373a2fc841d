import dataclasses
import datetime as dt

import pytest

from cancellation.letter_request import build_letter_data
from cancellation.provider_notes import address_notes, directory_notes, provider_hints
from cancellation.provider_records import Hint
from cancellation.providers import load_directory
from cancellation.summary import summary_text
from cancellation.texts import render
from letters import render as render_pdf

ANSWERS = {
    "subject_kind": "contract",
    "contract_type": "streaming",
    "full_name": "Zoë Ñúñez-Łukaszewicz",
    "street": "Musterstraße 5",
    "postcode": "10115",
    "city": "Berlin",
    "customer_number": "123456789",
    "contract_reference": "0176 12345678",
    "end_date": "asap",
    "email": "skipped",
}


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def _text(messages, language="de"):
    return render(messages, language)


def test_the_suggested_address_names_its_source_and_the_sources_date_not_our_check(directory):
    o2 = directory.get("o2")
    german = _text(address_notes(o2))
    assert "laut sparhandy.de, postclic.com (de-at), Stand 01/2026" in german
    assert "Maßgeblich ist die Anschrift auf Ihrer letzten Rechnung" in german
    assert f"{o2.checked_on:%d.%m.%Y}" not in german
    english = _text(address_notes(o2), "en")
    assert "according to sparhandy.de, postclic.com (de-at), as of 01/2026" in english
    assert "latest invoice" in english


def test_an_undated_source_says_so_and_when_it_was_read(directory):
    zeit = directory.get("zeit")
    assert zeit.source.date.undated
    assert "laut abo.zeit.de (AGB), Stand undatiert, abgerufen am 02.12.2026" in _text(address_notes(zeit))
    assert "as of an unknown date (checked on 2 December 2026)" in _text(address_notes(zeit), "en")


def test_a_full_source_date_is_written_the_languages_way(directory):
    blau = directory.get("blau")
    assert "Stand 30.10.2024" in _text(address_notes(blau))
    assert "as of 30 October 2024" in _text(address_notes(blau), "en")


def test_other_published_addresses_are_shown_with_their_own_source(directory):
    german = _text(address_notes(directory.get("o2")))
    assert (
        "Hinweis: postclic.com (de-de) nennt eine andere Anschrift (Stand 01/2026): "
        "Telefónica Germany GmbH & Co. OHG, Kundenbetreuung, Postfach 800101, 80938 München."
    ) in german
    # Another company at an alternative address is named instead of the provider's.
    assert "Zeit Online GmbH, Buceriusstraße, Eingang Speersort 1, 20095 Hamburg" in _text(
        address_notes(directory.get("zeit"))
    )


def test_online_services_are_told_to_expect_online_cancellation_and_that_a_letter_counts(directory):
    for key in ("netflix", "spotify", "dazn"):
        german = _text(provider_hints(directory.get(key)))
        assert "sieht die Kündigung online" in german and "Ein Brief ist trotzdem wirksam" in german, key
    usc = directory.get("urban-sports-club")
    assert usc.online_cancellation_url in _text(provider_hints(usc), "en")
    assert _text(provider_hints(directory.get("telekom"))) == ""


def test_every_hint_has_a_text_in_both_languages(directory):
    provider = dataclasses.replace(directory.get("adac"), hints=tuple(Hint))
    for language in ("de", "en"):
        texts = [render(hint, language) for hint in provider_hints(provider)]
        assert len(texts) == len(Hint) and all("ADAC" in text for text in texts), language


@pytest.mark.parametrize(
    "contract_type, recipient, source, other",
    [
        ("energy", "EWE VERTRIEB GmbH", "datenanfragen.de (EWE VERTRIEB GmbH)", "EWE TEL GmbH"),
        ("gas", "EWE VERTRIEB GmbH", "datenanfragen.de (EWE VERTRIEB GmbH)", "EWE TEL GmbH"),
        ("dsl", "EWE TEL GmbH", "datenanfragen.de (EWE TEL GmbH)", "EWE VERTRIEB GmbH"),
    ],
)
def test_an_ewe_letter_goes_to_the_company_of_its_contract_type(directory, contract_type, recipient, source, other):
    ewe = directory.get("ewe")
    answers = dict(ANSWERS, provider="EWE", provider_key="ewe", contract_type=contract_type)
    data = build_letter_data(answers, ewe, reference="KB-2026-ABCDEF", today=dt.date(2026, 12, 2))
    assert data.recipient.printable_lines() == (recipient, "Cloppenburger Str. 310", "26133 Oldenburg")
    german = summary_text(answers, ewe)
    assert f"Anschrift des Anbieters: {recipient}, Cloppenburger Str. 310, 26133 Oldenburg" in german
    assert f"laut {source}, Stand 22.09.2023" in german
    assert f"nennt eine andere Anschrift (Stand 22.09.2023): {other}, Cloppenburger Str. 310" in german
    assert "Bei EWE ist für Strom und Gas ein anderes Unternehmen Vertragspartner" in german
    assert "another company is the contracting party for electricity and gas" in summary_text(answers, ewe, language="en")


def test_the_summary_notes_the_source_only_when_the_letter_uses_the_directory_address(directory):
    o2 = directory.get("o2")
    answers = dict(ANSWERS, provider="o2", provider_key="o2", contract_type="mobile")
    assert "laut sparhandy.de" in summary_text(answers, o2)
    own = dict(answers, provider_address={"lines": ["o2"], "street": "Postfach 1", "postcode": "12345", "city": "Ort"})
    assert "laut sparhandy.de" not in summary_text(own, o2)
    assert directory_notes(None, address_used=True) == []
    # Hints hold whichever address is used.
    sky = directory.get("sky")
    own_sky = dict(own, provider="Sky", provider_key="sky")
    assert "Receiver" in summary_text(own_sky, sky)


@pytest.mark.parametrize(
    "key, tail",
    [
        ("spotify", ("Regeringsgatan 19", "111 53 Stockholm", "SCHWEDEN")),
        ("netflix", ("Karperstraat 8-10", "1075 KZ Amsterdam", "NIEDERLANDE")),
        ("ewe", ("Cloppenburger Str. 310", "26133 Oldenburg")),
        ("dazn", ("12 Hammersmith Grove", "London W6 7AP", "VEREINIGTES KÖNIGREICH")),
        ("huk-coburg", ("Willi-Hussong-Straße 2", "96444 Coburg")),
    ],
)
def test_the_letter_is_addressed_as_the_country_of_the_address_wants(directory, key, tail):
    provider = directory.get(key)
    answers = dict(ANSWERS, provider=provider.name, provider_key=key)
    data = build_letter_data(answers, provider, reference="KB-2026-ABCDEF", today=dt.date(2026, 12, 2))
    lines = data.recipient.printable_lines()
    assert lines[0] == provider.legal_entity and lines[-len(tail):] == tail
    assert render_pdf(data)[:5] == b"%PDF-"



def test_cancelling_only_an_option_asks_for_no_equipment_back(directory):
    # Hand-test item 14: the Sky Sport package ends, the receiver and smartcard stay in use.
    sky = directory.get("sky")
    contract = dict(ANSWERS, provider="Sky", provider_key="sky", contract_type="tv")
    option = dict(contract, subject_kind="option", option_name="Sky Sport")
    assert "Receiver" in summary_text(contract, sky)
    assert "Receiver" not in summary_text(option, sky)
    assert "receiver" not in summary_text(option, sky, language="en")
    assert f"utter_provider_hint_{Hint.RETURN_RENTAL_EQUIPMENT.value}" not in {
        message.key for message in directory_notes(sky, address_used=False, subject_kind="option")
    }

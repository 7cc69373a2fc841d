import datetime as dt
from pathlib import Path

import pytest
import yaml

from cancellation.provider_records import Identification
from cancellation.providers import CONTRACT_TYPES, load_directory, lookup_table_yaml, main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def test_directory_has_at_least_30_providers_across_all_fields(directory):
    assert len(directory.providers) >= 30
    covered = {category for provider in directory.providers for category in provider.categories}
    assert {"mobile", "dsl", "cable", "fibre", "energy", "streaming", "gym", "press", "insurance"} <= covered
    assert covered <= set(CONTRACT_TYPES)


def test_every_entry_names_its_source_the_sources_date_and_our_check(directory):
    raw = yaml.safe_load((ROOT / "cancellation" / "providers.yml").read_text(encoding="utf-8"))["providers"]
    for entry in raw:
        assert {"source", "source_date", "checked_on"} <= set(entry), entry["key"]
    for provider in directory.providers:
        assert provider.source.name.strip(), provider.key
        assert provider.checked_on.year >= 2026, provider.key
        # A dated source is never younger than our look at it.
        shown = provider.source.date.shown()
        if shown is not None:
            assert provider.source.date.year <= provider.checked_on.year, provider.key


def test_most_providers_ship_with_a_sourced_address(directory):
    with_address = [provider for provider in directory.providers if provider.address is not None]
    assert len(with_address) >= 29, [provider.key for provider in with_address]


def test_a_directory_address_names_the_company_that_receives_it(directory):
    for provider in directory.providers:
        if provider.address is not None:
            assert provider.legal_entity, provider.key


def test_german_addresses_have_a_five_digit_postcode_and_a_city(directory):
    for provider in directory.providers:
        for address in filter(None, (provider.address, *provider.alternative_addresses)):
            assert address.city, provider.key
            if address.country is None:
                assert len(address.postcode) == 5 and address.postcode.isdigit(), provider.key
            else:
                # Foreign addresses (Spotify, DAZN) end with the country in capitals (DIN 5008).
                assert address.postcode and address.country == address.country.upper(), provider.key


def test_alternative_addresses_carry_their_own_source_and_date(directory):
    alternatives = [(provider, a) for provider in directory.providers for a in provider.alternative_addresses]
    assert alternatives
    for provider, alternative in alternatives:
        assert alternative.source is not None and alternative.source.name, provider.key


def test_links_are_web_addresses(directory):
    for provider in directory.providers:
        links = [provider.source.url, provider.online_cancellation_url]
        links += [alternative.source.url for alternative in provider.alternative_addresses]
        for link in filter(None, links):
            assert link.startswith(("https://", "http://")) and " " not in link, provider.key


def test_all_rows_of_the_shared_provider_notes_are_present(directory):
    expected = {
        "o2": ("90345", "Nürnberg"),
        "telekom": ("53171", "Bonn"),
        "vodafone": ("40875", "Ratingen"),
        "1und1": ("56410", "Montabaur"),
        "congstar": ("61466", "Kronberg"),
        "mobilcom-debitel": ("99076", "Erfurt"),
        "netcologne": ("50829", "Köln"),
    }
    for key, (postcode, city) in expected.items():
        provider = directory.get(key)
        assert provider is not None and provider.address is not None, key
        assert (provider.address.postcode, provider.address.city) == (postcode, city)


def test_o2_shows_the_conflicting_munich_postfach_and_wants_a_password_or_a_signature(directory):
    o2 = directory.get("o2")
    assert [(a.street, a.postcode, a.city) for a in o2.alternative_addresses] == [
        ("Postfach 800101", "80938", "München")
    ]
    assert o2.alternative_addresses[0].source.name == "postclic.com (de-de)"
    assert (Identification.CUSTOMER_PASSWORD, Identification.HANDWRITTEN_SIGNATURE) in o2.identification.groups
    assert o2.has_cancellation_button is True


def test_online_services_expect_online_cancellation_and_have_no_invented_address(directory):
    for key in ("netflix", "spotify", "dazn", "urban-sports-club"):
        assert directory.get(key).expects_online_cancellation, key
    # Netflix's address is the company's own in Amsterdam (datenanfragen.de after its privacy statement).
    netflix = directory.get("netflix")
    assert (netflix.legal_entity, netflix.address.street, netflix.address.postcode, netflix.address.country) == (
        "Netflix International B.V.", "Karperstraat 8-10", "1075 KZ", "NIEDERLANDE"
    )
    assert netflix.source.date.shown() == dt.date(2024, 11, 6)
    # Spotify's address is the company's own, from its terms, abroad.
    spotify = directory.get("spotify")
    assert (spotify.legal_entity, spotify.address.city, spotify.address.country) == ("Spotify AB", "Stockholm", "SCHWEDEN")
    assert spotify.source.url.startswith("https://www.spotify.com/")


def test_ewe_letters_go_to_ewe_tel_and_energy_customers_see_ewe_vertrieb(directory):
    ewe = directory.get("ewe")
    assert ewe.legal_entity == "EWE TEL GmbH"
    assert (ewe.address.street, ewe.address.postcode, ewe.address.city) == ("Cloppenburger Str. 310", "26133", "Oldenburg")
    assert [(a.company, a.postcode, a.source.name) for a in ewe.alternative_addresses] == [
        ("EWE VERTRIEB GmbH", "26133", "datenanfragen.de (EWE VERTRIEB GmbH)")
    ]
    assert ewe.address_for("energy").company == ewe.address_for("gas").company == "EWE VERTRIEB GmbH"
    assert ewe.address_for("dsl") is ewe.address_for(None) is ewe.address
    assert ewe.source.date.shown() == dt.date(2023, 9, 22)


@pytest.mark.parametrize("key", ["pyur", "netto-mobil", "kaufland-mobil"])
def test_providers_without_a_sourced_cancellation_address_ship_without_one(directory, key):
    # Only conflicting (PŸUR) or head-office and data-protection addresses (NettoKOM, Kaufland mobil)
    # were found: the assistant asks the user instead of guessing.
    provider = directory.get(key)
    assert provider.address is None and provider.alternative_addresses == ()
    assert provider.notes, key


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("source_date", None, "source_date"),
        ("source", "", "no source"),
        ("source_date", "Januar 2026", "source_date must be"),
        ("source_date", "2026-13", "no month 13"),
        ("identification", ["password"], "password"),
        ("identification", [{"one_of": ["customer_password"]}], "one_of"),
        ("hints", ["call_the_hotline"], "call_the_hotline"),
        (
            "alternative_addresses",
            [{"lines": [], "street": "Weg 1", "postcode": "12345", "city": "Ort", "categories": ["energy"],
              "source": "x.de", "source_date": "2026"}],
            "does not serve",
        ),
    ],
)
def test_a_directory_with_a_broken_entry_does_not_load(tmp_path, field, value, message):
    data = yaml.safe_load((ROOT / "cancellation" / "providers.yml").read_text(encoding="utf-8"))
    entry = data["providers"][0]
    if value is None:
        del entry[field]
    else:
        entry[field] = value
    path = tmp_path / "providers.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_directory(path)


def test_unknown_key_returns_none(directory):
    assert directory.get("does-not-exist") is None


@pytest.mark.parametrize(
    "text, key",
    [
        ("Vodafone", "vodafone"),
        ("vodafon", "vodafone"),
        ("VODAFONE", "vodafone"),
        ("telekomm", "telekom"),
        ("Deutsche Telekom", "telekom"),
        ("T-Mobile", "telekom"),
        ("1und1", "1und1"),
        ("1&1", "1und1"),
        ("eins und eins", "1und1"),
        ("O2 Telefonica", "o2"),
        ("o2", "o2"),
        ("Telefónica Germany", "o2"),
        ("Telefonica Deutschland", "o2"),
        ("aldi talk", "aldi-talk"),
        ("AldiTalk", "aldi-talk"),
        ("mein Vertrag bei Vodafone Kabel", "vodafone"),
        ("Ich möchte meinen Handyvertrag bei der Telekom kündigen", "telekom"),
        ("Pyur", "pyur"),
        ("PŸUR", "pyur"),
        ("Tele Columbus", "pyur"),
        ("e.on", "eon"),
        ("EON", "eon"),
        ("Vatenfall", "vattenfall"),
        ("congstarr", "congstar"),
        ("mobilcom debitel", "mobilcom-debitel"),
        ("Mc Fit", "mcfit"),
        ("HUK-Coburg", "huk-coburg"),
        ("Der Spiegel", "spiegel"),
        ("Netflx", "netflix"),
        ("Kabel Deutschland", "vodafone"),
    ],
)
def test_matches_names_typos_and_sentences(directory, text, key):
    match = directory.match(text)
    assert match is not None, text
    assert match.provider.key == key
    assert 0 < match.score <= 100


@pytest.mark.parametrize(
    "text",
    ["Hallo", "Wetter", "Müller", "ja", "nein", "Berlin", "Muenchen", "Strasse", "Ich habe keine Zeit",
     "netto 9,99 Euro", "Telefonie", "Festnetz", "Internet", "Kündigung", "Vertragsnummer", "Spiegelei",
     "Deutsche Bahn", "Glasfaser", "", "   ", "😀"],
)
def test_does_not_match_unrelated_words(directory, text):
    assert directory.match(text) is None


def test_exact_matches_score_higher_than_typos(directory):
    assert directory.match("Vodafone").score == 100
    assert directory.match("vodafon").score < 100


def test_loading_is_cached_per_path(directory):
    assert load_directory() is directory


def test_duplicate_aliases_across_providers_are_rejected(tmp_path):
    data = yaml.safe_load((ROOT / "cancellation" / "providers.yml").read_text(encoding="utf-8"))
    data["providers"][1]["aliases"].append("Vodafone")
    path = tmp_path / "providers.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="two providers"):
        load_directory(path)


def test_lookup_table_lists_every_name_and_alias(directory):
    data = yaml.safe_load(lookup_table_yaml(directory))
    assert data["version"] == "3.1"
    (entry,) = data["nlu"]
    assert entry["lookup"] == "provider"
    examples = {line[2:] for line in entry["examples"].splitlines()}
    assert {"o2", "Telefónica", "Vodafone", "1und1", "eins und eins", "ALDI TALK"} <= examples




def test_the_listing_counts_the_providers_with_an_address(directory, capsys):
    assert main([]) == 0
    with_address = sum(provider.address is not None for provider in directory.providers)
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{with_address} of {len(directory.providers)} providers with an address"
    )


@pytest.mark.parametrize(
    ("key", "company", "postcode", "city", "url_start"),
    [
        ("m-net", "M-net Telekommunikations GmbH", "80992", "München", "https://www.m-net.de/"),
        ("deutsche-glasfaser", "Deutsche Glasfaser Home GmbH", "46325", "Borken", "https://doczz.com.br/"),
        ("urban-sports-club", "Urban Sports GmbH", "10179", "Berlin", "https://urbansportsclub.com/"),
        ("fitx", "FitX Deutschland GmbH", "40789", "Monheim am Rhein", "https://fitx.de/"),
    ],
)
def test_providers_sourced_on_2026_12_02_name_company_address_and_source(directory, key, company, postcode, city, url_start):
    provider = directory.get(key)
    assert (provider.legal_entity, provider.address.postcode, provider.address.city) == (company, postcode, city)
    assert provider.source.url.startswith(url_start)
    assert provider.source.date.shown() is None and provider.checked_on.isoformat() == "2026-12-02"


def test_urban_sports_club_shows_the_conflicting_address_with_its_own_source(directory):
    (other,) = directory.get("urban-sports-club").alternative_addresses
    assert (other.street, other.postcode) == ("Voltairestraße 10", "10179")
    assert other.source.url.startswith("https://cms.urbansportsclub.com/")


def test_allianz_names_its_property_insurer_from_a_dated_source(directory):
    allianz = directory.get("allianz")
    assert (allianz.legal_entity, allianz.address.street, allianz.address.postcode) == (
        "Allianz Versicherungs-AG",
        "Königinstraße 28",
        "80802",
    )
    assert allianz.source.date.shown() is not None and allianz.source.date.year == 2015


@pytest.mark.parametrize("text, first, other", [
    ("Mein Mann ist verstorben, seinen Handyvertrag bei o2 und den Stromvertrag bei Vattenfall kündigen", "o2", "vattenfall"),
    ("Ich will meinen Vertrag bei Vodafone kündigen", "vodafone", None),
    ("Vodafone Kabel kündigen, Vodafone hat die Preise erhöht", "vodafone", None),  # the same one twice
    ("Vertrag bei Vodafne und Vatenfal kündigen", "vodafone", None),  # typos: only exact names count
])
def test_a_second_provider_in_a_message_is_found_by_its_exact_name(directory, text, first, other):
    # hand-test item 8: "… und den Stromvertrag bei Vattenfall" was dropped
    found = directory.other_named(text, first)
    assert (found.key if found else None) == other

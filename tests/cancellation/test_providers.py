from pathlib import Path

import pytest
import yaml

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


def test_every_entry_has_a_source_and_a_check_date(directory):
    for provider in directory.providers:
        assert provider.source.strip(), provider.key
        assert provider.checked_on.year >= 2026, provider.key


def test_addresses_have_a_german_postcode_and_a_city(directory):
    for provider in directory.providers:
        for address in filter(None, (provider.address, *provider.alternative_addresses)):
            assert len(address.postcode) == 5 and address.postcode.isdigit(), provider.key
            assert address.city, provider.key


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


def test_o2_shows_the_conflicting_munich_postfach_and_its_requirement(directory):
    o2 = directory.get("o2")
    assert [(a.street, a.postcode, a.city) for a in o2.alternative_addresses] == [
        ("Postfach 800101", "80938", "München")
    ]
    assert any("Kundenkennzahl" in note for note in o2.requirements)
    assert o2.has_cancellation_button is True


def test_online_only_services_ship_without_an_invented_address(directory):
    for key in ("netflix", "spotify"):
        assert directory.get(key).address is None


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



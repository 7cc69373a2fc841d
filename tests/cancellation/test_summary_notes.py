"""The summary shows what the provider directory says (cancellation/provider_notes.directory_notes)."""

from __future__ import annotations

from cancellation.interview import SKIPPED
from cancellation.providers import load_directory
from cancellation.summary import summary_text

ANSWERS = {
    "subject_kind": "contract",
    "provider": "Vodafone",
    "provider_key": "vodafone",
    "contract_type": "cable",
    "full_name": "Erika Mustermann",
    "street": "Lindenweg 3",
    "postcode": "12345",
    "city": "Musterstadt",
    "customer_number": "K-998877",
    "contract_reference": SKIPPED,
    "end_date": "asap",
    "extras": [],
    "email": SKIPPED,
}
TYPED_ADDRESS = {"lines": ["Vodafone West GmbH"], "street": "Postfach 10 20 28", "postcode": "34020", "city": "Kassel"}


def test_the_summary_shows_the_directory_address_source_and_the_providers_hint():
    text = summary_text(ANSWERS, load_directory().get("vodafone"))
    assert "laut aboalarm.de" in text and "letzten Rechnung" in text  # where the address comes from
    assert "Kabelkunden von Vodafone" in text  # the provider's hint


def test_a_typed_address_drops_the_address_source_but_keeps_the_hints():
    text = summary_text(dict(ANSWERS, provider_address=TYPED_ADDRESS), load_directory().get("vodafone"))
    assert "laut aboalarm.de" not in text
    assert "Postfach 10 20 28, 34020 Kassel" in text
    assert "Kabelkunden von Vodafone" in text


def test_an_online_service_gets_its_hint_in_both_languages():
    netflix = load_directory().get("netflix")
    answers = dict(ANSWERS, provider="Netflix", provider_key="netflix", contract_type="streaming")
    assert "Ein Brief ist trotzdem wirksam" in summary_text(answers, netflix)
    assert "A letter still counts" in summary_text(answers, netflix, language="en")


def test_an_unknown_provider_has_no_notes():
    answers = dict(ANSWERS, provider="Studio X", provider_key=None, provider_address=TYPED_ADDRESS)
    text = summary_text(answers, None)
    assert "laut" not in text and "Hinweis" not in text


def test_the_summary_asks_for_no_number_already_shown_nor_for_one_the_letter_cannot_hold():
    """Hand-test items 16 and 10: "Geben Sie Ihre Versicherungsscheinnummer als Vertragsnummer an"
    under the number itself; "auch Ihre Zählernummer" with no way to give one."""
    from cancellation.providers import load_directory
    from cancellation.summary import summary_text

    directory = load_directory()
    answers = {"subject_kind": "contract", "provider": "HUK-COBURG", "contract_type": "insurance",
               "full_name": "Erika Muster", "street": "Musterstraße 5", "postcode": "10115", "city": "Berlin",
               "customer_number": "none", "end_date": "asap", "extras": [], "email": "none"}
    with_hint = [provider for provider in directory.providers
                 if any(hint.value == "name_policy_number" for hint in provider.hints)][0]
    answers["provider"], answers["provider_key"] = with_hint.name, with_hint.key
    assert "Versicherungsscheinnummer als Vertragsnummer" in summary_text({**answers, "contract_reference": "none"}, with_hint)
    shown = summary_text({**answers, "contract_reference": "123/456-7"}, with_hint)
    assert "123/456-7" in shown and "Versicherungsscheinnummer als Vertragsnummer" not in shown
    # One "Kündigung:" bullet (the subject), the end has its own label.
    assert shown.count("• Kündigung:") == 1 and "• Kündigungstermin: zum nächstmöglichen Zeitpunkt" in shown
    for energy in (provider for provider in directory.providers
                   if any(hint.value == "name_meter_number" for hint in provider.hints)):
        text = summary_text({**answers, "provider": energy.name, "provider_key": energy.key,
                             "contract_type": "energy", "contract_reference": "none"}, energy)
        assert "Zählernummer" not in text, energy.key

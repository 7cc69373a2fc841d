import pytest

from cancellation.interview import (
    ADDRESS_FIELDS,
    corrected_value,
    fields_named_in,
    is_confirmation,
    previous_field,
    required_fields,
    term_named_in,
)


def test_contract_needs_contract_type_option_needs_option_name():
    contract = required_fields({"subject_kind": "contract"}, provider_has_address=True)
    option = required_fields({"subject_kind": "option"}, provider_has_address=True)
    assert "contract_type" in contract and "option_name" not in contract
    assert "option_name" in option and "contract_type" not in option


def test_provider_address_is_asked_only_when_the_directory_has_none():
    known = required_fields({"provider": "o2"}, provider_has_address=True)
    unknown = required_fields({"provider": "Stadtwerke X"}, provider_has_address=False)
    assert "provider_address" not in known
    assert unknown.index("provider_address") == unknown.index("provider") + 1


def test_summary_is_the_last_question():
    assert required_fields({}, provider_has_address=True)[-1] == "summary_confirmed"


def test_previous_field_skips_unanswered_questions():
    fields = required_fields({"subject_kind": "contract"}, provider_has_address=True)
    answers = {"subject_kind": "contract", "provider": "o2", "full_name": "A B"}
    # contract_type was taken over as None -> "zurück" from street goes to the name
    assert previous_field(fields, "street", answers) == "full_name"
    assert previous_field(fields, "subject_kind", answers) is None


def test_fields_named_in_corrections():
    assert fields_named_in("die Postleitzahl ist falsch") == ("postcode",)
    assert fields_named_in("PLZ stimmt nicht") == ("postcode",)
    assert fields_named_in("Name ändern") == ("full_name",)
    assert fields_named_in("bitte die Adresse korrigieren") == ADDRESS_FIELDS
    assert fields_named_in("die Anbieteradresse ist anders") == ("provider_address",)
    assert fields_named_in("Kundennummer falsch") == ("customer_number",)
    assert fields_named_in("die Rufnummer stimmt nicht") == ("contract_reference",)
    assert fields_named_in("Strasse falsch geschrieben") == ("street",)
    assert fields_named_in("E-Mail ändern") == ("email",)
    assert fields_named_in("das Datum muss anders sein") == ("end_date",)
    assert fields_named_in("Anbieter ändern") == ("provider",)
    assert fields_named_in("alles super") == ()


def test_fields_named_in_english_corrections():
    assert fields_named_in("the postcode is wrong") == ("postcode",)
    assert fields_named_in("change my zip code") == ("postcode",)
    assert fields_named_in("wrong customer number") == ("customer_number",)
    assert fields_named_in("the contract number is wrong") == ("contract_reference",)
    assert fields_named_in("fix the street") == ("street",)
    assert fields_named_in("change my address") == ADDRESS_FIELDS
    assert fields_named_in("the provider's address is different") == ("provider_address",)
    assert fields_named_in("my name is misspelled") == ("full_name",)
    assert fields_named_in("change the town") == ("city",)
    assert fields_named_in("looks good") == ()


def test_terms_in_questions():
    assert term_named_in("was ist eine Kundennummer?") == "customer_number"
    assert term_named_in("Was ist die Kundenkennzahl") == "customer_password"
    assert term_named_in("wo finde ich die vertragsnummer") == "contract_number"
    assert term_named_in("was heisst einwurf-einschreiben") == "registered_mail"
    assert term_named_in("was bedeutet naechstmoeglich") == "asap"
    assert term_named_in("und das Wetter?") is None


def test_confirmation_words():
    for text in ("ja", "Ja!", "passt", "stimmt so", "alles korrekt", "ok", "ja, Brief erstellen"):
        assert is_confirmation(text), text
    for text in ("nein", "Postleitzahl ändern", "jein?"):
        assert not is_confirmation(text), text


def test_identification_and_extras_in_the_plan():
    fields = required_fields({}, provider_has_address=True, identification=("customer_password",))
    assert fields.index("customer_password") == fields.index("contract_reference") + 1
    assert fields.index("extras") < fields.index("email") < fields.index("summary_confirmed")
    assert fields_named_in("die Kundenkennzahl ist falsch") == ("customer_password",)
    assert fields_named_in("Zusätze ändern") == ("extras",)


# Hand-test: "die PLZ stimmt nicht, es ist 50677" asked for the postcode again.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("die PLZ stimmt nicht, es ist 50677", ("postcode", "50677")),
        ("Der Anbieter ist falsch, es ist der Nordkurier", ("provider", "der Nordkurier")),
        ("Anbieter falsch, richtig ist Nordkurier.", ("provider", "Nordkurier")),
        ("nicht Meier sondern Meyer, der Name ist falsch", None),
        ("Name falsch: Klaus Peters", ("full_name", "Klaus Peters")),
        ("the postcode is wrong, it's 50677", ("postcode", "50677")),
        ("die Adresse stimmt nicht, sie lautet Hauptstraße 5, 50677 Köln", ("street", "Hauptstraße 5, 50677 Köln")),
        ("die PLZ ist falsch", None),
        ("die PLZ stimmt nicht, es ist falsch", None),
        ("es ist 50677", None),
    ],
)
def test_a_correction_with_its_new_value(text, expected):
    assert corrected_value(text) == expected

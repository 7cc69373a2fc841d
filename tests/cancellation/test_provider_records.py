import dataclasses
import datetime as dt

import pytest

from cancellation.extras import identification_questions
from cancellation.interview import required_fields
from cancellation.provider_records import Identification, IdentificationRule, SourceDate
from cancellation.providers import load_directory

PASSWORD, SIGNATURE, PHONE = (
    Identification.CUSTOMER_PASSWORD,
    Identification.HANDWRITTEN_SIGNATURE,
    Identification.PHONE_NUMBER,
)


@pytest.mark.parametrize(
    "raw, shown",
    [
        (dt.date(2024, 10, 30), dt.date(2024, 10, 30)),
        ("2024-10-30", dt.date(2024, 10, 30)),
        ("2026-01", "01/2026"),
        (2020, "2020"),
        ("undated", None),
    ],
)
def test_a_source_date_is_as_precise_as_the_source(raw, shown):
    assert SourceDate.parse(raw).shown() == shown
    assert SourceDate.parse(raw).undated == (shown is None)


@pytest.mark.parametrize("raw", ["Januar 2026", "2026-13", "2026-02-30", "", "26.11.2026"])
def test_a_source_date_that_is_no_date_is_rejected(raw):
    with pytest.raises(ValueError):
        SourceDate.parse(raw)


O2_RULE = IdentificationRule.parse([{"one_of": ["customer_password", "handwritten_signature"]}, "phone_number"], "o2")


@pytest.mark.parametrize(
    "given, satisfied",
    [
        ({PASSWORD, PHONE}, True),
        ({SIGNATURE, PHONE}, True),  # no Kundenkennzahl: the handwritten signature is enough
        ({PASSWORD, SIGNATURE, PHONE}, True),
        ({PHONE}, False),
        ({PASSWORD}, False),  # the phone number is required besides
        (set(), False),
    ],
)
def test_one_of_several_identifications_satisfies_a_group(given, satisfied):
    assert O2_RULE.satisfied_by(given) is satisfied


@pytest.mark.parametrize(
    "raw, questions",
    [
        ([{"one_of": ["customer_password", "handwritten_signature"]}, "phone_number"], ("customer_password",)),
        (["date_of_birth"], ("date_of_birth",)),
        (["customer_password", "date_of_birth"], ("customer_password", "date_of_birth")),
        # Customer and phone number are asked anyway; the signature is given on paper.
        (["customer_number", "phone_number", "handwritten_signature"], ()),
        ([], ()),
    ],
)
def test_the_identification_a_provider_wants_decides_the_extra_questions(raw, questions):
    assert identification_questions(IdentificationRule.parse(raw, "test")) == questions


def test_the_o2_interview_asks_the_kundenkennzahl_and_others_do_not():
    directory = load_directory()
    for key, asked in (("o2", True), ("telekom", False), ("mcfit", False), ("huk-coburg", False)):
        provider = directory.get(key)
        fields = required_fields(
            {"provider": provider.name, "subject_kind": "contract"},
            provider_has_address=provider.address is not None,
            identification=identification_questions(provider.identification),
        )
        assert ("customer_password" in fields) is asked, key


def test_german_notes_that_mention_a_password_do_not_ask_for_one():
    # The old protocol matched "Kundenkennzahl" in German notes; now only the structured field counts.
    o2 = load_directory().get("o2")
    assert "Kundenkennzahl" in o2.notes
    without_rule = dataclasses.replace(o2, identification=IdentificationRule())
    assert identification_questions(without_rule.identification) == ()
    assert identification_questions(o2.identification) == ("customer_password",)

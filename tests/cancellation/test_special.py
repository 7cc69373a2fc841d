"""The special-termination rules: which questions they ask, when, and what they hand the letter.

The table of expected results per case is tests/cancellation/special_cases.py.
"""

import datetime as dt

import pytest

from cancellation.special import QUESTIONS, Context, LetterMode, assess, latest_receipt, next_question
from cancellation.special.facts import FactKind
from cancellation.texts import Catalogue, placeholders
from cancellation.vocabulary import ContractType, Language, Sector, SpecialGround
from letters.wording import clauses
from tests.cancellation.special_cases import CASES, TODAY

D = dt.date


def ctx(contract_type=None, sector=None, today=TODAY):
    return Context(today, latest_receipt(today), contract_type, sector)


def questions_asked(ground, answers, context):
    """Answer each question from `answers` until the rules need nothing more; the keys asked."""
    facts, asked = {}, []
    while (missing := next_question(ground, facts, context)) is not None:
        key = missing.question.key
        asked.append(key)
        facts[key] = answers[key]
    return asked


def test_the_letter_is_assumed_received_after_the_postal_working_days():
    # cancellation.posting: a registered letter posted on a Sunday counts from Monday.
    assert latest_receipt(D(2026, 11, 25)) == D(2026, 11, 30)
    assert latest_receipt(D(2026, 11, 29)) == D(2026, 12, 4)


def test_a_telecom_price_rise_asks_about_the_notice_form_only_when_the_window_looks_expired():
    fresh = {"notice_received": "2026-10-01", "change_effective": "2026-12-01", "change_description": "x",
             "has_notice_copy": "yes"}
    assert questions_asked("price_change", fresh, ctx(ContractType.MOBILE)) == [
        "notice_received", "change_effective", "change_description", "has_notice_copy"]
    old = dict(fresh, notice_received="2026-06-01", notice_compliant="no")
    assert questions_asked("price_change", old, ctx(ContractType.MOBILE)) == [
        "notice_received", "change_effective", "change_description", "notice_compliant", "has_notice_copy"]
    missing = next_question("price_change", {k: old[k] for k in ("notice_received", "change_effective",
                                                                  "change_description")}, ctx(ContractType.MOBILE))
    assert missing.params == {"received": D(2026, 6, 1)}  # the question names the notice's date


def test_the_kind_of_contract_is_asked_only_when_neither_type_nor_provider_tells():
    answers = {"sector": "energy", "notice_received": "2026-11-01", "change_effective": "2027-01-01",
               "change_description": "x", "basic_supply": "no", "has_notice_copy": "yes"}
    assert questions_asked("price_change", answers, ctx())[0] == "sector"
    assert "sector" not in questions_asked("price_change", answers, ctx(ContractType.ENERGY))
    assert "sector" not in questions_asked("price_change", answers, ctx(sector=Sector.ENERGY))


@pytest.mark.parametrize(
    "contract_type, basis",
    [
        (ContractType.MOBILE, "§ 57 Abs. 1 TKG"),
        (ContractType.CABLE, "§ 57 Abs. 1 TKG"),
        (ContractType.ENERGY, "§ 41 Abs. 5 EnWG"),
        (ContractType.GAS, "§ 41 Abs. 5 EnWG"),
        (ContractType.INSURANCE, "§ 40 VVG"),
        (ContractType.GYM, ""),
        (ContractType.STREAMING, ""),
        (ContractType.TV, ""),
    ],
)
def test_a_price_rise_cites_the_rule_of_its_sector_and_never_57_tkg_elsewhere(contract_type, basis):
    answers = {"notice_received": "2026-11-15", "change_effective": "2027-01-01", "change_description": "x",
               "basic_supply": "no", "cover_unchanged": "yes", "notice_grants_right": "yes", "has_notice_copy": "no"}
    assessment = assess("price_change", answers, ctx(contract_type))
    assert assessment.mode is LetterMode.EXTRAORDINARY
    assert assessment.legal_basis == basis
    slot = assessment.as_slot()
    assert slot["legal_basis"] == basis
    if not contract_type.is_telecom:
        assert "TKG" not in str(slot)


def test_slow_internet_takes_the_connection_from_the_contract_type():
    answers = {"fixed_line": "yes", "measured": "yes", "measurement_completed": "2026-11-20",
               "deviation_confirmed": "yes", "contracted_speed": "100 Mbit/s"}
    assert "fixed_line" not in questions_asked("slow_internet", answers, ctx(ContractType.CABLE))
    assert questions_asked("slow_internet", answers, ctx())[0] == "fixed_line"
    # A speed the first message named is not asked again.
    facts = {"measured": "yes", "measurement_completed": "2026-11-20", "deviation_confirmed": "yes",
             "contracted_speed": "250 Mbit/s"}
    assert next_question("slow_internet", facts, ctx(ContractType.CABLE)) is None


def test_relocation_abroad_asks_no_availability_question():
    answers = {"move_date": "2027-01-31", "new_address": "Ringstraße 5, 1010 Wien", "available_at_new_address": "no"}
    assert "available_at_new_address" in questions_asked("relocation", answers, ctx(ContractType.DSL))
    facts = {"abroad": "yes", "move_date": "2027-01-31", "new_address": "Ringstraße 5, 1010 Wien"}
    assert next_question("relocation", facts, ctx(ContractType.DSL)) is None


def test_relocation_end_is_the_move_or_one_month_after_receipt_whichever_is_later():
    def end(move):
        facts = {"move_date": move, "new_address": "A-Straße 1, 12345 B", "available_at_new_address": "no",
                 "has_registration": "no"}
        return assess("relocation", facts, ctx(ContractType.DSL)).end

    assert end("2027-03-01") == D(2027, 3, 1)
    assert end("2026-12-30") == D(2026, 12, 30)  # received 30.11. + one month
    assert end("2026-12-29") == D(2026, 12, 30)
    assert end("2026-10-01") == D(2026, 12, 30)  # already moved


def test_unknown_ground_is_rejected():
    with pytest.raises(ValueError):
        next_question("boredom", {}, ctx())


def test_every_question_has_a_response_in_both_languages_with_reply_buttons():
    catalogue = Catalogue.load()
    for question in QUESTIONS.values():
        for language in (Language.DE, Language.EN):
            variation = catalogue.variation(question.response, language)
            assert variation.text
            if question.kind is FactKind.REPLY:
                assert [b["payload"] for b in variation.buttons] == ["ja", "nein", "weiß nicht"]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_letter_part_names_only_clauses_that_exist_with_all_their_values(case):
    assessment = assess(case.ground, case.facts, ctx(case.contract_type, case.sector, case.today))
    letter = assessment.to_letter()
    if letter is None:
        return
    if letter.terms:
        assert letter.terms in clauses()["special_terms"]
    for item in letter.preamble + letter.statements:
        template = clauses()["statements"][item.clause]
        assert set(placeholders(" ".join(str(template).split()))) == {name for name, _ in item.values}
    assert set(assessment.enclosures) <= set(clauses()["enclosures"])


def test_the_letter_part_survives_the_slot_and_the_log():
    from cancellation.special import from_slot

    for case in CASES:
        assessment = assess(case.ground, case.facts, ctx(case.contract_type, case.sector, case.today))
        assert from_slot(assessment.as_slot()) == assessment.to_letter()


def test_every_ground_has_an_assessor():
    from cancellation.special import ASSESSORS

    assert set(ASSESSORS) == set(SpecialGround)


def test_every_response_name_built_from_a_value_exists():
    catalogue = Catalogue.load()
    names = set(catalogue.names)
    assert {f"utter_special_ground_{ground.value}" for ground in SpecialGround} <= names
    assert {f"utter_special_enclosure_{key}" for key in clauses()["enclosures"]} <= names
    assert {question.response for question in QUESTIONS.values()} <= names


@pytest.mark.parametrize(
    "categories, sector",
    [
        (("mobile", "dsl", "cable", "landline", "tv"), Sector.TELECOM),  # Vodafone: cable TV is telecom
        (("tv",), Sector.OTHER),  # Sky: pay TV alone
        (("energy", "gas"), Sector.ENERGY),
        (("mobile", "energy"), None),
        ((), None),
    ],
)
def test_the_providers_sector_when_its_contracts_agree(categories, sector):
    from cancellation.special.facts import provider_sector

    assert provider_sector(categories) is sector


def test_tv_from_a_telecom_provider_follows_the_telecom_rule():
    answers = {"notice_received": "2026-11-15", "change_effective": "2027-01-01", "change_description": "x",
               "has_notice_copy": "no", "notice_grants_right": "no"}
    assert assess("price_change", answers, ctx(ContractType.TV, Sector.TELECOM)).legal_basis == "§ 57 Abs. 1 TKG"
    assert assess("price_change", answers, ctx(ContractType.TV)).legal_basis == ""

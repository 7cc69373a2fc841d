"""The deadline engine: month arithmetic (§§ 187, 188 BGB) and properties of every result.

Dated examples per rule set are in the case table (deadline_cases.yml, test_deadline_cases.py).
"""

import calendar
import re
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cancellation.deadlines import (
    ContractTerms,
    Phase,
    RuleSet,
    add_months,
    compute_deadline,
    explanation_text,
    latest_receipt_day,
    notice_period_end,
    term_end,
)
from cancellation.posting import is_business_day, last_business_day_until
from cancellation.vocabulary import Sector

D = dt.date


def reference_add_months(day: dt.date, months: int) -> dt.date:
    """Independent § 188 Abs. 2/3 BGB oracle: walk month by month, clamp at the end."""
    year, month = day.year, day.month
    step = 1 if months >= 0 else -1
    for _ in range(abs(months)):
        month += step
        if month == 13:
            year, month = year + 1, 1
        elif month == 0:
            year, month = year - 1, 12
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def brute_force_latest_receipt(end: dt.date, months: int) -> dt.date:
    """The largest day whose notice period (counted forward) still ends on or before `end`."""
    day = end
    while reference_add_months(day, months) > end:
        day -= dt.timedelta(days=1)
    return day


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2032, 12, 31))
terms_strategy = st.builds(
    ContractTerms,
    start=dates,
    initial_term_months=st.integers(min_value=0, max_value=72),
    notice_months=st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
    concluded=st.one_of(st.none(), dates),
    sector=st.sampled_from(list(Sector)),
    extension_months=st.one_of(st.none(), st.integers(min_value=0, max_value=18)),
)


# --- the month-end rule, both ways ------------------------------------------------------------


@pytest.mark.parametrize(
    "end, months, latest",
    [
        (D(2026, 6, 30), 1, D(2026, 5, 31)),  # not 30.05.: 31.05. + 1 month = 30.06. (§ 188 Abs. 3)
        (D(2026, 2, 28), 1, D(2026, 1, 31)),
        (D(2026, 4, 30), 1, D(2026, 3, 31)),
        (D(2028, 2, 29), 1, D(2028, 1, 31)),  # leap year
        (D(2026, 5, 31), 1, D(2026, 4, 30)),  # LEGAL.md: end 31 May -> received by 30 April
        (D(2026, 3, 14), 1, D(2026, 2, 14)),
        (D(2026, 3, 30), 1, D(2026, 2, 28)),  # February lacks the 30th
        (D(2026, 6, 30), 3, D(2026, 3, 31)),
        (D(2026, 12, 31), 3, D(2026, 9, 30)),
        (D(2026, 9, 30), 3, D(2026, 6, 30)),
        (D(2026, 6, 30), 0, D(2026, 6, 30)),
    ],
)
def test_latest_receipt_counts_back_to_the_largest_day_still_in_time(end, months, latest):
    assert latest_receipt_day(end, months) == latest
    assert notice_period_end(latest, months) <= end
    assert notice_period_end(latest + dt.timedelta(days=1), months) > end


@settings(max_examples=500, deadline=None)
@given(end=dates, months=st.integers(min_value=0, max_value=12))
def test_counting_back_from_an_end_is_the_largest_receipt_whose_period_ends_by_then(end, months):
    latest = latest_receipt_day(end, months)
    assert latest == brute_force_latest_receipt(end, months)
    assert notice_period_end(latest, months) <= end
    assert notice_period_end(latest + dt.timedelta(days=1), months) > end


@settings(max_examples=500, deadline=None)
@given(received=dates, months=st.integers(min_value=0, max_value=12))
def test_counting_forward_from_receipt_is_in_time_for_the_period_end_and_not_for_the_day_before(received, months):
    end = notice_period_end(received, months)
    assert end == reference_add_months(received, months)
    assert latest_receipt_day(end, months) >= received
    if months:
        assert latest_receipt_day(end - dt.timedelta(days=1), months) < received


@settings(max_examples=300, deadline=None)
@given(
    start=dates,
    term=st.integers(min_value=1, max_value=36),
    notice=st.integers(min_value=1, max_value=3),
    sector=st.sampled_from([Sector.TELECOM, Sector.OTHER, Sector.ENERGY, Sector.INSURANCE]),
)
def test_receipt_on_the_true_last_day_ends_with_the_term_and_a_day_later_does_not(start, term, notice, sector):
    concluded = max(start, D(2022, 3, 1))  # new rules: no cap below the given notice for 1 month
    terms = ContractTerms(start=concluded, initial_term_months=term, notice_months=notice if sector is Sector.INSURANCE else 1,
                          sector=sector, extension_months=12)
    end = term_end(terms.start, term)
    applied = terms.notice_months
    last_day = latest_receipt_day(end, applied)
    in_time = compute_deadline(terms, last_day)
    assert in_time.earliest_end == end and in_time.phase is Phase.INITIAL_TERM
    assert in_time.latest_receipt == last_day
    text = explanation_text(in_time)
    assert f"bis zum {last_day:%d.%m.%Y}" in text and f"am {end:%d.%m.%Y}" in text
    late = compute_deadline(terms, last_day + dt.timedelta(days=1))
    assert late.earliest_end > end


# --- month arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, months, end",
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # § 188 Abs. 3 in a leap year
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 28)),
        (D(2024, 3, 1), 12, D(2025, 2, 28)),
        (D(2024, 3, 1), 1, D(2024, 3, 31)),
        (D(2024, 8, 31), 1, D(2024, 9, 30)),
        (D(2024, 12, 1), 1, D(2024, 12, 31)),
        (D(2024, 3, 15), 24, D(2026, 3, 14)),  # LEGAL.md example
    ],
)
def test_term_end_month_ends_and_leap_years(start, months, end):
    assert term_end(start, months) == end


@given(day=dates, months=st.integers(min_value=-40, max_value=40))
def test_add_months_matches_reference(day, months):
    assert add_months(day, months) == reference_add_months(day, months)


@given(start=dates, months=st.integers(min_value=1, max_value=40))
def test_term_end_is_day_before_same_number_or_month_end(start, months):
    end = term_end(start, months)
    target = reference_add_months(start, months)
    if target.day == start.day:
        assert end == target - dt.timedelta(days=1)
    else:  # the final month has no such day: its last day (§ 188 Abs. 3 BGB)
        assert end == target
        assert end.day == calendar.monthrange(end.year, end.month)[1]


def test_negative_input_is_rejected():
    with pytest.raises(ValueError):
        compute_deadline(ContractTerms(start=D(2024, 1, 1), initial_term_months=-1), D(2024, 2, 1))
    with pytest.raises(ValueError):
        compute_deadline(ContractTerms(start=D(2024, 1, 1), initial_term_months=12, extension_months=-1), D(2024, 2, 1))


# --- which rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sector, concluded, rule_set",
    [
        (Sector.TELECOM, D(2020, 1, 1), RuleSet.TKG),
        (Sector.TELECOM, D(2024, 1, 1), RuleSet.TKG),
        (Sector.ENERGY, D(2022, 3, 1), RuleSet.BGB),
        (Sector.OTHER, D(2022, 2, 28), RuleSet.BGB_OLD),
        (Sector.INSURANCE, D(2024, 1, 1), RuleSet.VVG),
        (Sector.INSURANCE, D(2019, 1, 1), RuleSet.VVG),
    ],
)
def test_the_sector_and_the_conclusion_date_pick_the_rule_set(sector, concluded, rule_set):
    terms = ContractTerms(start=concluded, initial_term_months=12, sector=sector)
    assert compute_deadline(terms, D(2026, 1, 1)).rule_set is rule_set


@settings(max_examples=200, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_insurance_never_gets_the_bgb_rule_or_hears_its_notice_is_invalid(terms, received):
    insured = ContractTerms(
        start=terms.start, initial_term_months=terms.initial_term_months,
        notice_months=terms.notice_months if terms.notice_months is None else min(terms.notice_months, 3),
        sector=Sector.INSURANCE, extension_months=terms.extension_months,
    )
    result = compute_deadline(insured, received)
    assert not any("309" in rule or "TKG" in rule for rule in result.rules_applied)
    assert "§ 11 Abs. 3 VVG" in result.rules_applied
    for language in ("de", "en"):
        text = explanation_text(result, language).lower()
        assert "unwirksam" not in text and "invalid" not in text


@settings(max_examples=200, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_only_telecom_cites_the_tkg(terms, received):
    result = compute_deadline(terms, received)
    cites_tkg = any("TKG" in rule for rule in result.rules_applied)
    if terms.sector is not Sector.TELECOM:
        assert not cites_tkg
    elif result.phase is Phase.EXTENDED:
        assert "§ 56 Abs. 3 TKG" in result.rules_applied


# --- properties of every result ---------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_end_never_before_received_plus_notice_and_latest_receipt_fits_the_end(terms, received):
    result = compute_deadline(terms, received)
    assert result.earliest_end >= notice_period_end(received, result.notice_months_applied)
    assert result.earliest_end >= received
    if result.latest_receipt is not None:
        assert received <= result.latest_receipt
        assert result.latest_receipt == latest_receipt_day(result.earliest_end, result.notice_months_applied)
    if result.initial_term_end is not None and result.phase is not Phase.INSURANCE_YEAR:
        assert result.earliest_end >= result.initial_term_end


@settings(max_examples=300, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_explanation_names_every_rule_applied_in_both_languages(terms, received):
    result = compute_deadline(terms, received)
    assert result.rules_applied
    for language in ("de", "en"):
        text = explanation_text(result, language)
        for rule in result.rules_applied:
            assert rule in text
    german = explanation_text(result)
    assert "in der Regel" in german
    assert not re.search(r"\b(sicher|garantiert|auf jeden fall)\b", german.lower())  # never a promise


@settings(max_examples=300, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_the_explanation_states_the_dates_of_the_result(terms, received):
    result = compute_deadline(terms, received)
    text = explanation_text(result)
    assert f"{result.earliest_end:%d.%m.%Y}" in text
    if result.latest_receipt is not None:
        assert f"bis zum {result.latest_receipt:%d.%m.%Y}" in text


@settings(max_examples=300, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_phase_consistent_with_latest_receipt(terms, received):
    result = compute_deadline(terms, received)
    if result.phase is Phase.INITIAL_TERM:
        assert result.earliest_end == result.initial_term_end
    if result.phase is Phase.EXTENDED:
        assert result.latest_receipt is None
    else:
        assert result.latest_receipt is not None
    if terms.initial_term_months and terms.sector is not Sector.INSURANCE:
        # a receipt long before the start is always in time and reveals the last day for receipt
        last_day = compute_deadline(terms, D(1990, 1, 1)).latest_receipt
        assert (result.phase is Phase.INITIAL_TERM) == (received <= last_day)


@settings(max_examples=200, deadline=None)
@given(terms=terms_strategy, first=dates, second=dates)
def test_later_receipt_never_gives_earlier_end(terms, first, second):
    early, late = sorted((first, second))
    assert compute_deadline(terms, early).earliest_end <= compute_deadline(terms, late).earliest_end


@settings(max_examples=200, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_uncertain_results_recommend_the_earliest_possible_date(terms, received):
    result = compute_deadline(terms, received)
    if not result.certain or result.term_too_long:
        assert result.recommend_asap
    # § 56 Abs. 1 TKG, § 309 Nr. 9 a BGB: more than 24 months' binding, counted from the conclusion
    # (BGH 08.01.2026, III ZR 8/25); § 11 VVG has no such limit.
    binds_too_long = terms.initial_term_months > 24 or (
        terms.initial_term_months > 0
        and term_end(terms.start, terms.initial_term_months) > term_end(terms.conclusion_date, 24)
    )
    assert result.term_too_long == (binds_too_long and terms.sector is not Sector.INSURANCE)


# --- § 193 BGB never extends the last day of receipt (BGH 17.02.2005, III ZR 172/04) -------------


@settings(max_examples=200, deadline=None)
@given(terms=terms_strategy, received=dates)
def test_a_last_day_of_receipt_on_a_weekend_or_holiday_is_never_moved_later(terms, received):
    result = compute_deadline(terms, received)
    text = explanation_text(result)
    if result.latest_receipt is None:
        return
    if is_business_day(result.latest_receipt):
        assert "§ 193 BGB" not in text
    else:
        business_day = last_business_day_until(result.latest_receipt)
        assert business_day < result.latest_receipt
        assert f"Sorgen Sie deshalb für Zugang bis zum {business_day:%d.%m.%Y}" in text
        # The day the engine names is the legal last day itself, never the next working day.
        assert result.latest_receipt == latest_receipt_day(result.earliest_end, result.notice_months_applied)


# --- basic supply: two weeks, any day (§ 20 Abs. 1 StromGVV / GasGVV) --------------------------


@settings(max_examples=100, deadline=None)
@given(start=dates, term=st.integers(min_value=0, max_value=36), received=dates)
def test_basic_supply_ends_two_weeks_after_receipt_on_the_same_weekday(start, term, received):
    result = compute_deadline(
        ContractTerms(start=start, initial_term_months=term, sector=Sector.ENERGY, basic_supply=True), received
    )
    assert result.earliest_end == received + dt.timedelta(days=14)
    assert result.earliest_end.weekday() == received.weekday()
    assert result.rule_set is RuleSet.BASIC_SUPPLY and result.certain and not result.recommend_asap
    assert not [rule for rule in result.rules_applied if "309" in rule or "TKG" in rule]


def test_basic_supply_is_energy_only():
    with pytest.raises(ValueError):
        compute_deadline(ContractTerms(start=D(2024, 1, 1), initial_term_months=0, sector=Sector.OTHER,
                                       basic_supply=True), D(2026, 1, 1))

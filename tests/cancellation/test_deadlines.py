import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cancellation.deadlines import (
    ContractTerms,
    add_months,
    compute_deadline,
    receipt_assumption_text,
    suggest_receipt_date,
    term_end,
)

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


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2032, 12, 31))
terms_strategy = st.builds(
    ContractTerms,
    start=dates,
    initial_term_months=st.integers(min_value=0, max_value=36),
    notice_months=st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
    concluded=st.one_of(st.none(), dates),
    telecom=st.booleans(),
)


# --- examples from LEGAL.md ------------------------------------------------------------------


def test_24_month_term_from_15_march_2024_ends_14_march_2026():
    assert term_end(D(2024, 3, 15), 24) == D(2026, 3, 14)
    result = compute_deadline(ContractTerms(start=D(2024, 3, 15), initial_term_months=24), D(2026, 1, 10))
    assert result.initial_term_end == D(2026, 3, 14)
    assert result.earliest_end == D(2026, 3, 14)
    assert result.phase == "initial_term"


def test_received_25_november_after_extension_ends_25_december():
    terms = ContractTerms(start=D(2024, 3, 15), initial_term_months=24)
    result = compute_deadline(terms, D(2026, 11, 25))
    assert result.phase == "extended"
    assert result.earliest_end == D(2026, 12, 25)
    assert result.latest_receipt_for_initial_term_end is None
    assert "§ 56 Abs. 3 TKG" in result.rules_applied
    assert "25.12.2026" in result.explanation


@pytest.mark.parametrize("year, last_day", [(2025, 28), (2028, 29)])
def test_received_31_january_ends_last_day_of_february(year, last_day):
    terms = ContractTerms(start=D(2022, 6, 1), initial_term_months=24, telecom=False)
    result = compute_deadline(terms, D(year, 1, 31))
    assert result.earliest_end == D(year, 2, last_day)
    assert "§ 188 Abs. 3 BGB" in result.rules_applied
    assert "§ 309 Nr. 9 BGB" in result.rules_applied


def test_term_ending_31_may_with_one_month_notice_needs_receipt_by_30_april():
    terms = ContractTerms(start=D(2024, 6, 1), initial_term_months=24, notice_months=1)
    on_time = compute_deadline(terms, D(2026, 4, 30))
    assert on_time.initial_term_end == D(2026, 5, 31)
    assert on_time.latest_receipt_for_initial_term_end == D(2026, 4, 30)
    assert on_time.earliest_end == D(2026, 5, 31)
    too_late = compute_deadline(terms, D(2026, 5, 1))
    assert too_late.phase == "extended"
    assert too_late.earliest_end == D(2026, 6, 1)


# --- defaults and flags ----------------------------------------------------------------------


def test_missing_notice_is_one_month_for_new_contracts_and_said_so():
    result = compute_deadline(ContractTerms(start=D(2024, 3, 15), initial_term_months=24), D(2026, 1, 1))
    assert result.notice_assumed and result.notice_months_applied == 1
    assert result.latest_receipt_for_initial_term_end == D(2026, 2, 14)
    assert "angenommen" in result.explanation


def test_missing_notice_is_three_months_for_contracts_before_march_2022():
    terms = ContractTerms(start=D(2021, 5, 1), initial_term_months=24)
    result = compute_deadline(terms, D(2023, 1, 15))
    assert result.notice_months_applied == 3
    assert result.latest_receipt_for_initial_term_end == D(2023, 1, 30)
    assert "drei Monate" in result.explanation and "angenommen" in result.explanation
    assert compute_deadline(terms, D(2023, 1, 31)).phase == "extended"


def test_old_non_telecom_contract_is_flagged_uncertain_but_still_computed():
    terms = ContractTerms(start=D(2020, 1, 1), initial_term_months=12, notice_months=1, telecom=False)
    result = compute_deadline(terms, D(2026, 11, 25))
    assert not result.certain
    assert result.earliest_end == D(2026, 12, 25)
    assert "vor dem 01.03.2022" in result.explanation


def test_new_telecom_contract_with_given_notice_is_certain():
    terms = ContractTerms(start=D(2024, 3, 15), initial_term_months=24, notice_months=1)
    assert compute_deadline(terms, D(2026, 11, 25)).certain


def test_longer_notice_in_new_contract_is_capped_to_one_month_with_warning():
    terms = ContractTerms(start=D(2024, 3, 15), initial_term_months=24, notice_months=3)
    result = compute_deadline(terms, D(2026, 2, 1))
    assert result.phase == "initial_term"
    assert result.earliest_end == D(2026, 3, 14)
    assert "§ 309 Nr. 9 c BGB" in result.rules_applied
    assert not result.certain
    assert "14.12.2025" in result.explanation  # the cautious date with the agreed three months


def test_old_three_month_notice_missed_contract_ends_after_initial_term():
    terms = ContractTerms(start=D(2020, 3, 15), initial_term_months=24, notice_months=3)
    result = compute_deadline(terms, D(2022, 1, 10))
    assert result.phase == "extended"
    assert result.earliest_end > result.initial_term_end
    assert not result.certain


def test_contract_without_initial_term_is_one_month_from_receipt():
    result = compute_deadline(ContractTerms(start=D(2023, 5, 5), initial_term_months=0), D(2026, 11, 25))
    assert result.phase == "extended"
    assert result.initial_term_end is None
    assert result.earliest_end == D(2026, 12, 25)


def test_negative_input_is_rejected():
    with pytest.raises(ValueError):
        compute_deadline(ContractTerms(start=D(2024, 1, 1), initial_term_months=-1), D(2024, 2, 1))


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


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300)
@given(terms=terms_strategy, received=dates)
def test_end_never_before_received_plus_notice(terms, received):
    result = compute_deadline(terms, received)
    assert result.earliest_end >= reference_add_months(received, result.notice_months_applied)
    assert result.earliest_end >= received
    if result.initial_term_end is not None:
        assert result.earliest_end >= result.initial_term_end


@settings(max_examples=300)
@given(terms=terms_strategy, received=dates)
def test_explanation_names_every_rule_applied(terms, received):
    result = compute_deadline(terms, received)
    assert result.rules_applied
    for rule in result.rules_applied:
        assert rule in result.explanation
    assert "in der Regel" in result.explanation
    assert "sicher" not in result.explanation.lower().replace("vorsichtig", "")


@settings(max_examples=300)
@given(terms=terms_strategy, received=dates)
def test_phase_consistent_with_latest_receipt(terms, received):
    result = compute_deadline(terms, received)
    latest = result.latest_receipt_for_initial_term_end
    if result.phase == "initial_term":
        assert latest is not None and received <= latest
        assert result.earliest_end == result.initial_term_end
    else:
        assert latest is None
    if terms.initial_term_months:
        # a receipt long before the start is always in time and reveals the last day for receipt
        last_day = compute_deadline(terms, D(1990, 1, 1)).latest_receipt_for_initial_term_end
        assert (result.phase == "initial_term") == (received <= last_day)
    else:
        assert result.phase == "extended"


@settings(max_examples=200)
@given(terms=terms_strategy, first=dates, second=dates)
def test_later_receipt_never_gives_earlier_end(terms, first, second):
    early, late = sorted((first, second))
    assert compute_deadline(terms, early).earliest_end <= compute_deadline(terms, late).earliest_end


# --- receipt ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent_on, expected",
    [
        (D(2026, 11, 26), D(2026, 11, 27)),  # Thursday -> Friday
        (D(2026, 11, 27), D(2026, 11, 28)),  # Friday -> Saturday
        (D(2026, 11, 28), D(2026, 11, 30)),  # Saturday -> Monday, no Sunday delivery
        (D(2026, 11, 29), D(2026, 12, 1)),  # Sunday: collected Monday, delivered Tuesday
    ],
)
@pytest.mark.parametrize("method", ["post", "einschreiben", "Einschreiben"])
def test_letters_arrive_next_delivery_day(sent_on, expected, method):
    assert suggest_receipt_date(sent_on, method) == expected


@pytest.mark.parametrize("method", ["fax", "email"])
def test_fax_and_email_arrive_same_day(method):
    assert suggest_receipt_date(D(2026, 11, 29), method) == D(2026, 11, 29)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError):
        suggest_receipt_date(D(2026, 11, 29), "brieftaube")


def test_receipt_assumption_names_the_assumption_and_dates():
    text = receipt_assumption_text("einschreiben", D(2026, 11, 28))
    assert "Angenommen" in text and "Feiertage" in text
    assert "30.11.2026" in text
    assert "selben Tag" in receipt_assumption_text("fax")

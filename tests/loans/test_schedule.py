"""The repayment schedule and the interest subsidy: pure functions, exact integer won."""

import datetime
from decimal import Decimal

import pytest

from loans.schedule import (
    EQUAL_PAYMENT,
    EQUAL_PRINCIPAL,
    interest_subsidy_by_year,
    repayment_schedule,
)

START = datetime.date(2018, 3, 15)


def plan(principal, *, rate="1.8", years=4, method=EQUAL_PRINCIPAL, grace=1, per_year=2, start=START):
    return repayment_schedule(
        principal_won=principal,
        annual_rate_pct=Decimal(rate),
        start_on=start,
        grace_years=grace,
        repayment_years=years,
        payments_per_year=per_year,
        method=method,
    )


@pytest.mark.parametrize("method", [EQUAL_PRINCIPAL, EQUAL_PAYMENT])
@pytest.mark.parametrize("years", [3, 4])
@pytest.mark.parametrize("principal", [100_000_000, 123_456_789, 50_000_001, 7, 199_999_999])
def test_principal_parts_sum_exactly_to_the_loan(method, years, principal):
    payments = plan(principal, years=years, method=method, rate="3.7")
    assert sum(p.principal_won for p in payments) == principal
    assert payments[-1].balance_after_won == 0
    assert all(isinstance(p.principal_won, int) and isinstance(p.interest_won, int) for p in payments)
    assert all(p.balance_before_won - p.principal_won == p.balance_after_won for p in payments)


@pytest.mark.parametrize("years, count", [(3, 8), (4, 10)])
def test_one_grace_year_pays_interest_only_then_two_payments_a_year(years, count):
    payments = plan(100_000_000, years=years)
    assert len(payments) == count
    assert [p.principal_won for p in payments[:2]] == [0, 0]
    # 1.8% a year on 1억, twice a year: 900,000원 each half year.
    assert [p.interest_won for p in payments[:2]] == [900_000, 900_000]
    assert [p.due_on for p in payments[:3]] == [
        datetime.date(2018, 9, 15),
        datetime.date(2019, 3, 15),
        datetime.date(2019, 9, 15),
    ]


def test_equal_principal_is_the_same_principal_each_time_with_the_remainder_last():
    payments = plan(100_000_001, years=4)
    repaying = payments[2:]
    assert [p.principal_won for p in repaying] == [12_500_000] * 7 + [12_500_001]
    # interest falls with the balance
    assert repaying[0].interest_won == 900_000
    assert repaying[1].interest_won == 787_500


def test_equal_payment_keeps_the_total_level_except_the_last_rounding():
    payments = plan(100_000_000, method=EQUAL_PAYMENT, rate="3.0")
    totals = [p.total_won for p in payments[2:]]
    assert max(totals[:-1]) - min(totals[:-1]) <= 1
    assert abs(totals[-1] - totals[0]) <= 10
    assert payments[2].principal_won < payments[-1].principal_won


def test_a_zero_rate_equal_payment_loan_is_equal_principal():
    payments = plan(10_000_003, method=EQUAL_PAYMENT, rate="0")
    assert [p.interest_won for p in payments] == [0] * 10
    assert [p.principal_won for p in payments[2:]] == [1_250_000] * 7 + [1_250_003]


def test_bad_terms_are_refused():
    with pytest.raises(ValueError):
        plan(0)
    with pytest.raises(ValueError):
        plan(100, years=0)
    with pytest.raises(ValueError):
        plan(100, method="balloon")


def test_the_district_subsidises_the_capped_rate_on_the_balance_each_year():
    payments = plan(200_000_000, rate="3.5")
    by_year = interest_subsidy_by_year(
        payments=payments, bank_rate_pct=Decimal("3.5"), subsidy_cap_pct=Decimal("1.00"), payments_per_year=2
    )
    # 2018: one half year on 2억 at 1% → 1,000,000; 2019: two half years on 2억 → 2,000,000.
    assert by_year[2018] == 1_000_000
    assert by_year[2019] == 2_000_000
    # 2020: balances 1.75억 and 1.5억 → 875,000 + 750,000
    assert by_year[2020] == 1_625_000
    assert sum(by_year.values()) == 6_500_000


def test_a_bank_rate_below_the_cap_is_subsidised_in_full():
    payments = plan(100_000_000, rate="0.8")
    by_year = interest_subsidy_by_year(
        payments=payments, bank_rate_pct=Decimal("0.8"), subsidy_cap_pct=Decimal("1.00"), payments_per_year=2
    )
    assert by_year[2019] == 800_000  # 0.8% of 1억 over a full year

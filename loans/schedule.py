"""The repayment schedule and the district's interest-subsidy cost: pure functions, no database.

A loan is repaid after a grace period of interest-only payments, then in equal principal parts
(원금균등, the default) or equal total payments (원리금균등), `payments_per_year` times a year.
Everything is integer won; interest is rounded down to the won each period, and the principal's
rounding remainder goes on the last payment so the principal parts sum exactly to the loan.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from guro_sme.dates import add_months

EQUAL_PRINCIPAL = "equal_principal"
EQUAL_PAYMENT = "equal_payment"


@dataclass(frozen=True)
class ScheduledPayment:
    number: int
    due_on: datetime.date
    principal_won: int
    interest_won: int
    balance_before_won: int
    balance_after_won: int

    @property
    def total_won(self) -> int:
        return self.principal_won + self.interest_won


def _won(value: Decimal, rounding=ROUND_DOWN) -> int:
    return int(value.quantize(Decimal(1), rounding=rounding))


def repayment_schedule(
    *,
    principal_won: int,
    annual_rate_pct: Decimal,
    start_on: datetime.date,
    grace_years: int,
    repayment_years: int,
    payments_per_year: int,
    method: str = EQUAL_PRINCIPAL,
) -> list[ScheduledPayment]:
    """Every payment of a loan executed on `start_on`; principal parts sum exactly to `principal_won`."""
    if principal_won <= 0:
        raise ValueError("principal_won must be positive")
    if repayment_years <= 0 or payments_per_year <= 0 or grace_years < 0:
        raise ValueError("repayment_years and payments_per_year must be positive, grace_years not negative")
    if method not in (EQUAL_PRINCIPAL, EQUAL_PAYMENT):
        raise ValueError(f"unknown repayment method {method!r}")

    period_rate = Decimal(annual_rate_pct) / Decimal(100) / Decimal(payments_per_year)
    months_between = 12 // payments_per_year if 12 % payments_per_year == 0 else None
    grace_periods = grace_years * payments_per_year
    repay_periods = repayment_years * payments_per_year

    def due(number: int) -> datetime.date:
        if months_between is not None:
            return add_months(start_on, months_between * number)
        return start_on + datetime.timedelta(days=round(365 * number / payments_per_year))

    payments: list[ScheduledPayment] = []
    balance = principal_won
    for number in range(1, grace_periods + 1):
        interest = _won(balance * period_rate)
        payments.append(ScheduledPayment(number, due(number), 0, interest, balance, balance))

    level_payment = None
    if method == EQUAL_PAYMENT and period_rate > 0:
        factor = (1 + period_rate) ** repay_periods
        level_payment = _won(principal_won * period_rate * factor / (factor - 1), ROUND_HALF_UP)
    equal_part = principal_won // repay_periods

    for k in range(1, repay_periods + 1):
        number = grace_periods + k
        interest = _won(balance * period_rate)
        if k == repay_periods:
            principal = balance  # the rounding remainder lands here
        elif level_payment is not None:
            principal = min(max(level_payment - interest, 0), balance)
        else:
            principal = equal_part
        payments.append(
            ScheduledPayment(number, due(number), principal, interest, balance, balance - principal)
        )
        balance -= principal
    return payments


def interest_subsidy_by_year(
    *,
    payments,
    bank_rate_pct: Decimal,
    subsidy_cap_pct: Decimal,
    payments_per_year: int,
) -> dict[int, int]:
    """The district's interest subsidy per calendar year for a bank-partnership loan.

    Each period the district pays balance × min(cap, bank rate) / payments a year, counted in
    the year the payment falls due. `payments` are ScheduledPayment or Installment rows.
    """
    by_year: dict[int, int] = {}
    for payment in payments:
        amount = period_subsidy_won(
            balance_before_won=payment.balance_before_won,
            bank_rate_pct=bank_rate_pct,
            subsidy_cap_pct=subsidy_cap_pct,
            payments_per_year=payments_per_year,
        )
        by_year[payment.due_on.year] = by_year.get(payment.due_on.year, 0) + amount
    return dict(sorted(by_year.items()))


def period_subsidy_won(
    *, balance_before_won: int, bank_rate_pct: Decimal, subsidy_cap_pct: Decimal, payments_per_year: int
) -> int:
    """The district's subsidy on one payment: balance × min(cap, bank rate) / payments a year."""
    subsidy_rate = min(Decimal(subsidy_cap_pct), Decimal(bank_rate_pct)) / Decimal(100)
    return _won(Decimal(balance_before_won) * subsidy_rate / Decimal(payments_per_year))

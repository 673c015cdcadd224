"""Guarantee capacity: the pool (contribution × multiplier) and the year's scale, and what holds them.

- The pool is shared by every year of the fund (same name): it counts the guaranteed balance of
  executed loans (outstanding principal × 보증비율: repaid principal frees it) plus what is
  recommended, sent or approved but not yet lent (the recommended or guaranteed amount).
- A year's scale (the fund row's allocation, 10억 in 2018) counts that year's guarantee lending:
  every recommended, approved or executed amount of the year's fund, repaid or not.
- The per-firm cap counts the firm's own live guarantee loans (their balance, not × ratio).
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from loans.aftercare.selectors import loan_balance, with_repayment_data
from loans.models import LoanApplication, LoanFund

S = LoanApplication.Status

PENDING_STATUSES = (S.RECOMMENDED, S.GUARANTEE_REQUESTED, S.GUARANTEE_APPROVED)
LENT_STATUSES = (S.EXECUTED, S.REPAYING)
# Statuses that hold part of the pool / of the firm's cap.
POOL_STATUSES = (*PENDING_STATUSES, *LENT_STATUSES)
# Statuses that count in the year's lending against its scale.
YEAR_LENDING_STATUSES = (*POOL_STATUSES, S.REPAID)


def guaranteed_share(amount_won: int, ratio_pct) -> int:
    """The part of a loan the foundation guarantees: amount × 보증비율 (100% until known), down to won."""
    ratio = Decimal(100) if ratio_pct is None else Decimal(ratio_pct)
    return int((Decimal(amount_won) * ratio / 100).to_integral_value(rounding=ROUND_DOWN))


def loan_amount_of(application) -> int:
    """The loan an application stands for now: lent, else guaranteed, else recommended."""
    if application.status in (*LENT_STATUSES, S.REPAID):
        return int(application.executed_amount_won or 0)
    if application.status == S.GUARANTEE_APPROVED:
        return int(application.guarantee_amount_won or 0)
    return int(application.approved_amount_won or 0)


def balance_of(application) -> int:
    """The loan still owed (principal outstanding, derived from the payments), or what is pending
    before lending. `application` comes with_repayment_data."""
    if application.status in LENT_STATUSES:
        return loan_balance(application).outstanding_principal_won
    if application.status in PENDING_STATUSES:
        return loan_amount_of(application)
    return 0


def pool_exposure_of(application) -> int:
    """What the application holds of the pool: its balance × 보증비율 (100% until the ratio is known)."""
    if application.status in (S.RECOMMENDED, S.GUARANTEE_REQUESTED):
        return balance_of(application)
    return guaranteed_share(balance_of(application), application.guarantee_ratio_pct)


def pool_funds(fund: LoanFund):
    """Every year's row of the fund: the pool carries from year to year."""
    return LoanFund.objects.filter(kind=LoanFund.Kind.GUARANTEE, name=fund.name)


@dataclass(frozen=True)
class GuaranteeCapacity:
    fund: LoanFund
    pool_won: int
    outstanding_won: int  # guaranteed balance of executed loans, all years
    pending_won: int  # recommended / sent / approved, not yet lent, all years
    scale_won: int  # the fund year's scale
    year_lending_won: int  # the year's recommended + approved + executed amounts
    year_count: int

    @property
    def pool_used_won(self) -> int:
        return self.outstanding_won + self.pending_won

    @property
    def pool_left_won(self) -> int:
        return max(self.pool_won - self.pool_used_won, 0)

    @property
    def scale_left_won(self) -> int:
        return max(self.scale_won - self.year_lending_won, 0)

    @property
    def left_won(self) -> int:
        """What may still be recommended this year: the smaller of the scale and the pool left."""
        return min(self.pool_left_won, self.scale_left_won)

    @property
    def pool_used_pct(self) -> int:
        return self.pool_used_won * 100 // self.pool_won if self.pool_won else 0

    @property
    def scale_used_pct(self) -> int:
        return self.year_lending_won * 100 // self.scale_won if self.scale_won else 0


def guarantee_capacity(*, fund: LoanFund, exclude_pk: int | None = None) -> GuaranteeCapacity:
    """The fund's pool and the year's scale, in one query; `exclude_pk` leaves one application out
    (the one being re-committed, so its own earlier amount is not counted twice)."""
    rows = with_repayment_data(
        LoanApplication.objects.filter(fund__in=pool_funds(fund), status__in=YEAR_LENDING_STATUSES)
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    outstanding = pending = year_lending = year_count = 0
    for application in rows:
        if application.status in LENT_STATUSES:
            outstanding += pool_exposure_of(application)
        elif application.status in PENDING_STATUSES:
            pending += pool_exposure_of(application)
        if application.fund_id == fund.pk:
            year_lending += loan_amount_of(application)
            year_count += 1
    return GuaranteeCapacity(
        fund=fund,
        pool_won=fund.guarantee_pool_won or 0,
        outstanding_won=outstanding,
        pending_won=pending,
        scale_won=fund.allocation_won,
        year_lending_won=year_lending,
        year_count=year_count,
    )


def firm_guarantee_balance_won(*, fund: LoanFund, firm, exclude_pk: int | None = None) -> int:
    """The firm's live guarantee loans of this fund (every year): balance owed or pending."""
    rows = with_repayment_data(
        LoanApplication.objects.filter(fund__in=pool_funds(fund), firm=firm, status__in=POOL_STATUSES)
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return sum(balance_of(application) for application in rows)


def intake_register(*, fund: LoanFund):
    """The year's intake register (접수대장) of a year-round fund, in intake order."""
    return (
        LoanApplication.objects.filter(fund=fund)
        .exclude(status=S.DRAFT)
        .select_related("firm", "fund")
        .order_by("submitted_on", "intake_number", "pk")
    )

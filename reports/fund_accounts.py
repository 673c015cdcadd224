"""The district's real cost of the loans and the funds' own accounts (기금 결산): reads only.

Three funds lend, but only the 구 기금 (중소기업육성기금) lends the district's own money. The bank
partnership fund lends the bank's money and costs the district the interest subsidy (at most
1%p of the bank rate); the guarantee programme lends the bank's money under the foundation's
guarantee and costs the district its contribution (출연금). The report keeps the district's cost
apart from the lending it mobilised.

A fund's account is kept per fund name and year (a LoanFund row is one fund in one year; the
loans of every year's row of that name repay into the same account):

    closing = opening + transfers in + principal repaid + interest received
              − loans executed − interest subsidies paid − guarantee contribution paid

Loans executed, principal and interest move the account only for a fund that lends its own
money; for the others they are shown as mobilised lending. Outstanding = executed principal −
principal repaid by the year's end (the unpaid principal).

Money received after the loan is read through loans.aftercare's selectors only (payments
allocated interest first, oldest first; subsidy due by day; subsidy paid = approved claims).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q

from guro_sme.collector import collector_paused
from guro_sme.support import YearlyFigure
from loans.models import LoanApplication, LoanFund
from loans.selectors import EXECUTED_STATUSES

from .models import FundAccountInput

Kind = LoanFund.Kind


@dataclass(frozen=True)
class LoanPayment:
    """Money a borrower paid on a loan: principal and interest, and when."""

    application_id: int
    due_on: datetime.date
    paid_on: datetime.date | None
    principal_won: int
    interest_won: int
    balance_before_won: int


def loan_payments(loans) -> list[LoanPayment]:
    """The money borrowers paid on `loans` (read with loans.aftercare's repayment data): each
    payment's split over the installments (interest first, oldest first, as loans.aftercare
    allocates it), dated the day paid. The one read of repayments in this module."""
    from loans.aftercare.selectors import loan_state, repayment_rows

    rows = []
    for loan in loans:
        schedule, in_force = repayment_rows(loan)
        installments = {i.number: i for i in schedule}
        paid_on = {p.pk: p.paid_on for p in in_force}
        state = loan_state(loan, as_of=FAR_FUTURE)
        for key, splits in state.splits.items():
            for number, interest, principal in splits:
                installment = installments.get(number)
                rows.append(
                    LoanPayment(
                        application_id=loan.pk,
                        due_on=installment.due_on if installment else paid_on[key],
                        paid_on=paid_on[key],
                        principal_won=principal,
                        interest_won=interest,
                        balance_before_won=installment.balance_before_won if installment else 0,
                    )
                )
    return rows


FAR_FUTURE = datetime.date(9999, 12, 31)


def _executed_loans(pks=None) -> list[LoanApplication]:
    from loans.aftercare.selectors import with_repayment_rows

    loans = LoanApplication.objects.filter(status__in=EXECUTED_STATUSES, executed_on__isnull=False)
    if pks is not None:
        loans = loans.filter(pk__in=pks)
    return with_repayment_rows(
        loans.exclude(executed_amount_won__isnull=True).select_related("fund").order_by("pk")
    )


def subsidy_won(loan: LoanApplication, payment: LoanPayment) -> int:
    """The district's interest subsidy on one payment of a bank-partnership loan (0 otherwise)."""
    return loan.installment_subsidy_won(payment.balance_before_won)


# Set by one_ledger(): [] until the first read builds the ledger, then [ledger].
_SHARED_LEDGER: ContextVar[list | None] = ContextVar("reports_shared_ledger", default=None)


@contextmanager
def one_ledger():
    """Within this block every fund-account read shares one ledger (one read of the loans)."""
    token = _SHARED_LEDGER.set([])
    try:
        yield
    finally:
        _SHARED_LEDGER.reset(token)


_LEDGER_MEMO: dict[str, tuple] = {}


def _ledger_tables():
    """Every table the ledger reads, with the field naming the loan a row belongs to (None: the
    claims, funds and fund inputs, read again whole with the funds)."""
    from loans.aftercare.models import LoanPayment as Payment
    from loans.aftercare.models import ScheduleVersion, SubsidyClaim
    from loans.models import Installment

    return (
        (LoanApplication, "id"),
        (Installment, "application_id"),
        (Payment, "application_id"),
        (ScheduleVersion, "application_id"),
        (SubsidyClaim, None),
        (LoanFund, None),
        (FundAccountInput, None),
    )


def data_version() -> tuple:
    """What changes whenever a row the ledger reads is written, in one query: each table's
    newest history id (every save and delete through the ORM records one, the services' bulk
    writes included) and its row count (rows loaded without history: restore, loaddata)."""
    quote = connection.ops.quote_name
    parts = []
    for model, _ in _ledger_tables():
        parts.append(f"(SELECT MAX(history_id) FROM {quote(model.history.model._meta.db_table)})")
        parts.append(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return (connection.alias, *cursor.fetchone())


def _loans_written_between(old: tuple, new: tuple) -> set[int] | None:
    """The loans whose rows were written between two data versions (from the history tables), or
    None when only a full rebuild is safe: another database, a fund changed (every loan points at
    its fund), rows that came or went without history (restore, loaddata), or so many loans that
    reading them all is as quick."""
    if old[0] != new[0]:
        return None
    loans: set[int] = set()
    for index, (model, loan_field) in enumerate(_ledger_tables()):
        old_last, old_count = old[1 + 2 * index], old[2 + 2 * index]
        new_last, new_count = new[1 + 2 * index], new[2 + 2 * index]
        if (old_last, old_count) == (new_last, new_count):
            continue
        if model is LoanFund:
            return None
        history = model.history.model.objects.filter(
            history_id__gt=old_last or 0, history_id__lte=new_last or 0
        )
        rows = list(
            history.values_list("history_type", loan_field)
            if loan_field
            else history.values_list("history_type")
        )
        added = sum(1 for row in rows if row[0] == "+") - sum(1 for row in rows if row[0] == "-")
        if old_count + added != new_count:
            return None
        if loan_field:
            loans.update(row[1] for row in rows)
    return loans if len(loans) <= _REREAD_AT_MOST else None


_REREAD_AT_MOST = 2000


class _Ledger:
    """Executed loans and their payments, read once (a constant number of queries), asked per year."""

    def __init__(self, loans: dict | None = None, payments_by_loan: dict | None = None):
        # Several hundred thousand rows and states at scale: built with the collector paused.
        with collector_paused():
            self._build(loans, payments_by_loan)

    def _build(self, loans, payments_by_loan):
        if loans is None:
            loans = {loan.pk: loan for loan in _executed_loans()}
        self.loans = loans
        if payments_by_loan is None:
            payments_by_loan = {}
            for payment in loan_payments(loans.values()):
                payments_by_loan.setdefault(payment.application_id, []).append(payment)
        self._payments_by_loan: dict[int, list[LoanPayment]] = payments_by_loan
        self.payments = [p for pk in loans for p in payments_by_loan.get(pk, [])]
        # Indexes for the per-fund and per-kind questions (each loan and payment once, in order).
        self._loans_by: dict[tuple, list[LoanApplication]] = {}
        for loan in self.loans.values():
            for key in ((None, None), (loan.fund.kind, None), (None, loan.fund.name)):
                self._loans_by.setdefault(key, []).append(loan)
        self._read_funds()

    def with_loans_reread(self, pks: set[int]) -> _Ledger:
        """A new ledger: this one's loans, those in `pks` read again (the few a payment, a
        reversal or an execution touched), everything per year worked out afresh."""
        fresh = {loan.pk: loan for loan in _executed_loans(pks)} if pks else {}
        loans = {pk: loan for pk, loan in self.loans.items() if pk not in pks} | fresh
        payments = {pk: rows for pk, rows in self._payments_by_loan.items() if pk not in pks}
        for payment in loan_payments(fresh.values()):
            payments.setdefault(payment.application_id, []).append(payment)
        return _Ledger(dict(sorted(loans.items())), payments)

    def _read_funds(self):
        from django.db.models import Sum

        from loans.aftercare.models import SubsidyClaim

        self._year_totals: dict[str, _YearTotals] = {}
        self._costs: dict[int, DistrictCost] = {}
        self.funds = list(FundAccountInput.attach(LoanFund.objects.order_by("kind", "name", "year")))
        # Approved interest subsidy per (fund, year its claim period ends): one grouped query
        # (loans.aftercare.selectors.subsidy_approved asks one fund and year at a time).
        approved = (
            SubsidyClaim.objects.filter(status=SubsidyClaim.Status.APPROVED)
            .values("fund_id", "period_end__year")
            .annotate(total=Sum("approved_won"))
            .order_by()
        )
        self.subsidy_paid = {(row["fund_id"], row["period_end__year"]): row["total"] or 0 for row in approved}

    @classmethod
    def shared(cls) -> _Ledger:
        """The report's one ledger while `one_ledger()` is open (a report reads it several
        times), else the latest one this process built from the same data (`remembered`)."""
        holder = _SHARED_LEDGER.get()
        if holder is None:
            return cls.remembered()
        if not holder:
            holder.append(cls.remembered())
        return holder[0]

    @classmethod
    def remembered(cls) -> _Ledger:
        """The ledger of the data as it is now: built again only when a row it reads has been
        written since (data_version), so the fund dashboard and the report do not read every
        loan on every view. Only what is committed is remembered: inside a transaction (a
        service's, or a test's) the data may still roll back and its version be given again
        to other rows, so a fresh ledger is built. FUND_LEDGER_MEMO = False turns it off."""
        if not getattr(settings, "FUND_LEDGER_MEMO", True) or connection.in_atomic_block:
            return cls()
        version = data_version()
        memo = _LEDGER_MEMO.get("ledger")
        if memo is None:
            memo = (version, cls())
        elif memo[0] != version:
            written = _loans_written_between(memo[0], version)
            memo = (version, cls() if written is None else memo[1].with_loans_reread(written))
        _LEDGER_MEMO["ledger"] = memo  # one per process: the newest data's
        return memo[1]

    def executed_loans(self) -> list[LoanApplication]:
        return list(self.loans.values())

    def loans_of(self, *, kind=None, fund_name=None):
        if kind is not None and fund_name is not None:
            return [loan for loan in self.loans_of(fund_name=fund_name) if loan.fund.kind == kind]
        return list(self._loans_by.get((kind, fund_name), []))

    def district_cost(self, year: int) -> DistrictCost:
        """The district's cost for `year`, worked out once per ledger (the budget table, the cost
        table and the fund dashboard all ask)."""
        if year not in self._costs:
            self._costs[year] = _district_cost(self, year)
        return self._costs[year]

    def year_totals(self, fund_name: str) -> _YearTotals:
        """The fund name's yearly sums, worked out once per ledger."""
        if fund_name not in self._year_totals:
            loans = self.loans_of(fund_name=fund_name)
            self._year_totals[fund_name] = _YearTotals.of(loans, self.payments_of(loans))
        return self._year_totals[fund_name]

    def payments_of(self, loans):
        """The payments of `loans`, in the ledger's order (loans by pk, then as allocated)."""
        ids = {loan.pk for loan in loans}
        return [p for pk in sorted(ids) for p in self._payments_by_loan.get(pk, [])]


def executed_loans() -> list[LoanApplication]:
    """The executed loans with their repayment data: the report's shared ledger's, read once."""
    return _Ledger.shared().executed_loans()


# --------------------------------------------------------------------------------------------
# The district's real cost per year


@dataclass(frozen=True)
class DistrictCost:
    year: int
    own_lending_won: int  # the 구 기금's loans executed (the district's money)
    subsidy_due_won: int  # interest subsidy owed the bank for this year (daily balance × rate)
    subsidy_paid_won: int  # subsidy approved for paying on claims whose period ends this year
    guarantee_contribution_won: int  # 출연금 on this year's guarantee fund rows
    bank_lending_won: int  # mobilised: the bank's money lent through the partnership fund
    guarantee_lending_won: int  # mobilised: the bank's money lent under the guarantee
    own_loans: int = 0
    bank_loans: int = 0
    guarantee_loans: int = 0

    @property
    def district_total_won(self) -> int:
        """What the district spent: its fund's lending, subsidies paid, guarantee contribution."""
        return self.own_lending_won + self.subsidy_paid_won + self.guarantee_contribution_won

    @property
    def mobilised_won(self) -> int:
        return self.bank_lending_won + self.guarantee_lending_won


def _executed_in(loans, year: int) -> tuple[int, int]:
    chosen = [loan for loan in loans if loan.executed_on.year == year]
    return sum(loan.executed_amount_won for loan in chosen), len(chosen)


def _subsidy_due(loans, year: int) -> int:
    """Interest subsidy the district owes the bank for `year` (loans.aftercare.subsidy_due)."""
    from loans.aftercare.selectors import subsidy_due

    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    return sum(subsidy_due(loan, start=start, end=end) for loan in loans)


def _subsidy_paid(ledger: _Ledger, funds, year: int) -> int:
    """Interest subsidy approved for paying on the funds' claims whose period ends in `year`."""
    return sum(ledger.subsidy_paid.get((fund.pk, year), 0) for fund in funds)


def _district_cost(ledger: _Ledger, year: int) -> DistrictCost:
    bank_loans = ledger.loans_of(kind=Kind.BANK_PARTNERSHIP)
    due = _subsidy_due(bank_loans, year)
    paid = _subsidy_paid(ledger, [f for f in ledger.funds if f.kind == Kind.BANK_PARTNERSHIP], year)
    own, own_count = _executed_in(ledger.loans_of(kind=Kind.DISTRICT_FUND), year)
    bank, bank_count = _executed_in(bank_loans, year)
    guaranteed, guaranteed_count = _executed_in(ledger.loans_of(kind=Kind.GUARANTEE), year)
    contribution = sum(
        fund.guarantee_contribution_won or 0
        for fund in ledger.funds
        if fund.kind == Kind.GUARANTEE and fund.year == year
    )
    return DistrictCost(
        year=year,
        own_lending_won=own,
        subsidy_due_won=due,
        subsidy_paid_won=paid,
        guarantee_contribution_won=contribution,
        bank_lending_won=bank,
        guarantee_lending_won=guaranteed,
        own_loans=own_count,
        bank_loans=bank_count,
        guarantee_loans=guaranteed_count,
    )


def district_cost_by_year(years: list[int]) -> list[DistrictCost]:
    ledger = _Ledger.shared()
    return [ledger.district_cost(year) for year in years]


def loan_district_spending_by_year(year: int) -> YearlyFigure:
    """The loans' spending for the budget table: the district's own cost, not the bank's money."""
    cost = district_cost_by_year([year])[0]
    return YearlyFigure(firms=cost.own_loans, amount_won=cost.district_total_won)


# --------------------------------------------------------------------------------------------
# 기금 결산


@dataclass(frozen=True)
class FundAccount:
    fund: LoanFund
    year: int
    lends_own_money: bool
    opening_won: int
    opening_carried: bool  # True: the previous year's closing; False: typed for this year
    transfers_in_won: int
    loans_executed_won: int
    principal_repaid_won: int
    interest_received_won: int
    subsidies_paid_won: int
    guarantee_contribution_won: int
    outstanding_won: int  # unpaid principal at the year's end
    mobilised_executed_won: int = 0  # the bank's money lent (funds that don't lend their own)

    @property
    def inflows_won(self) -> int:
        return self.transfers_in_won + self.principal_repaid_won + self.interest_received_won

    @property
    def outflows_won(self) -> int:
        return self.loans_executed_won + self.subsidies_paid_won + self.guarantee_contribution_won

    @property
    def closing_won(self) -> int:
        return self.opening_won + self.inflows_won - self.outflows_won

    @property
    def next_year_capacity_won(self) -> int | None:
        """What the fund can lend next year: its cash at the year's end (own-money funds only)."""
        return max(self.closing_won, 0) if self.lends_own_money else None


@dataclass
class FundAccounts:
    year: int
    accounts: list[FundAccount] = field(default_factory=list)
    cost: DistrictCost | None = None


@dataclass
class _YearTotals:
    """One fund name's loans and payments summed per calendar year (a fund has a row a year
    under the same name, and its loans are repaid over the following years)."""

    executed_won: dict[int, int] = field(default_factory=dict)  # by the year executed
    principal_won: dict[int, int] = field(default_factory=dict)  # by the year paid
    interest_won: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, loans, payments) -> _YearTotals:
        totals = cls()
        for loan in loans:
            year = loan.executed_on.year
            totals.executed_won[year] = totals.executed_won.get(year, 0) + loan.executed_amount_won
        for payment in payments:
            if payment.paid_on is None:
                continue
            year = payment.paid_on.year
            totals.principal_won[year] = totals.principal_won.get(year, 0) + payment.principal_won
            totals.interest_won[year] = totals.interest_won.get(year, 0) + payment.interest_won
        return totals

    @staticmethod
    def up_to(by_year: dict[int, int], year: int) -> int:
        return sum(amount for y, amount in by_year.items() if y <= year)


def _account(ledger: _Ledger, fund: LoanFund, opening: int, carried: bool) -> FundAccount:
    year = fund.year
    totals = ledger.year_totals(fund.name)
    own = fund.kind == Kind.DISTRICT_FUND
    executed = totals.executed_won.get(year, 0)
    executed_by_end = totals.up_to(totals.executed_won, year)
    repaid_by_end = totals.up_to(totals.principal_won, year)
    same_fund = [f for f in ledger.funds if f.name == fund.name]
    subsidies = _subsidy_paid(ledger, same_fund, year) if fund.kind == Kind.BANK_PARTNERSHIP else 0
    inputs = fund.account_input
    return FundAccount(
        fund=fund,
        year=year,
        lends_own_money=own,
        opening_won=opening,
        opening_carried=carried,
        transfers_in_won=inputs.transfers_in_won if inputs else 0,
        loans_executed_won=executed if own else 0,
        principal_repaid_won=totals.principal_won.get(year, 0) if own else 0,
        interest_received_won=totals.interest_won.get(year, 0) if own else 0,
        subsidies_paid_won=subsidies,
        guarantee_contribution_won=(fund.guarantee_contribution_won or 0) if fund.is_guarantee else 0,
        outstanding_won=executed_by_end - repaid_by_end,
        mobilised_executed_won=0 if own else executed,
    )


def fund_accounts_all(ledger: _Ledger | None = None) -> list[FundAccount]:
    """Every fund's account for every year it has a row, oldest first; openings carried forward."""
    ledger = ledger or _Ledger.shared()
    closing_by_name: dict[str, tuple[int, int]] = {}
    accounts = []
    for fund in sorted(ledger.funds, key=lambda f: (f.year, f.kind, f.name)):
        inputs = fund.account_input
        previous = closing_by_name.get(fund.name)
        if inputs is not None and inputs.opening_balance_won is not None:
            opening, carried = inputs.opening_balance_won, False
        elif previous is not None and previous[0] == fund.year - 1:
            opening, carried = previous[1], True
        else:
            opening, carried = 0, False
        account = _account(ledger, fund, opening, carried)
        closing_by_name[fund.name] = (fund.year, account.closing_won)
        accounts.append(account)
    return accounts


def fund_accounts_for(year: int) -> FundAccounts:
    """The year's fund accounts and the district's cost, from one read of the loans (5 queries)."""
    ledger = _Ledger.shared()
    accounts = [a for a in fund_accounts_all(ledger) if a.year == year]
    return FundAccounts(year=year, accounts=accounts, cost=ledger.district_cost(year))


def fund_account_years() -> list[int]:
    return sorted(set(LoanFund.objects.values_list("year", flat=True)))


# --------------------------------------------------------------------------------------------
# 성인지: beneficiaries by the representative's gender


@dataclass(frozen=True)
class GenderRow:
    programme: str
    counts: list[int]  # per GENDER_COLUMNS
    total: int


def gender_breakdown(year: int) -> tuple[list[str], list[GenderRow]]:
    """Firms supported in `year` per programme by the representative's gender ('미기재' counted)."""
    from guro_sme.models import Firm
    from kotra.models import Participant
    from marketing.models import Selection

    genders = Firm.Gender
    columns = [*genders.labels, "미기재"]
    keys = [*genders.values, ""]

    def row(name: str, firm_genders: dict[int, str]) -> GenderRow:
        counts = [sum(1 for g in firm_genders.values() if g == key) for key in keys]
        return GenderRow(name, counts, sum(counts))

    loans = dict(
        LoanApplication.objects.filter(status__in=EXECUTED_STATUSES, executed_on__year=year)
        .values_list("firm_id", "firm__representative_gender")
        .distinct()
    )
    marketing = dict(
        Selection.objects.filter(project__year=year)
        .values_list("firm_id", "firm__representative_gender")
        .distinct()
    )
    kotra = dict(
        Participant.objects.filter(Q(project__year=year))
        .values_list("firm_id", "firm__representative_gender")
        .distinct()
    )
    rows = [row("저리융자", loans), row("마케팅 지원", marketing), row("KOTRA 해외지사화", kotra)]
    everyone = {**loans, **marketing, **kotra}
    rows.append(row("계 (중복 제외 기업수)", everyone))
    return columns, rows

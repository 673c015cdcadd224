"""Reads after the loan: balances, arrears, yearly repaid principal and interest, all derived from
the payments (allocation.allocate) — nothing here reads a stored balance.

Loans are read with their installments and payments prefetched, so a list of any length asks the
database a fixed number of times.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Prefetch
from django.utils import timezone

from loans.models import Installment, LoanApplication

from .allocation import AGING_BUCKETS, LoanState, Paid, aging_bucket, allocate
from .models import LoanPayment

S = LoanApplication.Status
LIVE_STATUSES = (S.EXECUTED, S.REPAYING, S.REPAID)
UNREPAID_STATUSES = (S.EXECUTED, S.REPAYING)


def payments_in_force(payments) -> list[LoanPayment]:
    """Payments and prepayments without a reversal (reversal rows themselves excluded)."""
    rows = list(payments)
    reversed_ids = {p.reverses_id for p in rows if p.kind == LoanPayment.Kind.REVERSAL}
    return [p for p in rows if p.kind != LoanPayment.Kind.REVERSAL and p.pk not in reversed_ids]


def with_repayment_data(queryset):
    """Prefetch what loan_state needs: the schedule and every payment (two queries for any list)."""
    return queryset.prefetch_related(
        Prefetch("installments", queryset=Installment.objects.order_by("number")),
        Prefetch("payments", queryset=LoanPayment.objects.order_by("paid_on", "pk")),
    )


class ScheduleRow(NamedTuple):
    """An Installment row as plain values (what loan_state and the reports read of it)."""

    pk: int
    number: int
    due_on: datetime.date
    principal_won: int
    interest_won: int
    balance_before_won: int


class PaymentRow(NamedTuple):
    """A LoanPayment row as plain values (what loan_state reads of it)."""

    pk: int
    paid_on: datetime.date
    amount_won: int
    kind: str
    reverses_id: int | None


class _RepaymentRows:
    """One loan's schedule and payments in force, read as plain rows, and its states by as_of."""

    __slots__ = ("installments", "payments", "states")

    def __init__(self, installments, payments):
        self.installments = installments
        self.payments = payments_in_force(payments)
        self.states: dict = {}


IDS_INLINE_AT_MOST = 500


def with_repayment_rows(queryset) -> list[LoanApplication]:
    """The loans of `queryset` with their schedules and payments read as plain rows (two queries
    for any list, no model instances): for reads of many loans that need only the numbers (the
    yearly report). loan_state of such a loan is worked out once per as_of and then reused, so
    the loans are read-only: don't record payments on them."""
    loans = list(queryset)
    if not loans:
        return loans
    # A short list (the arrears, the week's dues) is named by its ids: with the narrowing as a
    # subquery the planner misjudged how many loans match and read every installment (30 ms at
    # scale 1; 1 ms by ids). A long one (the ledger's) stays a subquery.
    ids = [loan.pk for loan in loans] if len(loans) <= IDS_INLINE_AT_MOST else queryset.values("pk")
    installments: dict[int, list[ScheduleRow]] = {loan.pk: [] for loan in loans}
    payments: dict[int, list[PaymentRow]] = {loan.pk: [] for loan in loans}
    for application_id, *row in (
        Installment.objects.filter(application__in=ids)
        .order_by("application_id", "number")
        .values_list(
            "application_id", "pk", "number", "due_on", "principal_won", "interest_won", "balance_before_won"
        )
    ):
        installments[application_id].append(ScheduleRow(*row))
    for application_id, *row in (
        LoanPayment.objects.filter(application__in=ids)
        .order_by("application_id", "paid_on", "pk")
        .values_list("application_id", "pk", "paid_on", "amount_won", "kind", "reverses_id")
    ):
        payments[application_id].append(PaymentRow(*row))
    for loan in loans:
        loan._repayment_rows = _RepaymentRows(installments[loan.pk], payments[loan.pk])
    return loans


def repayment_rows(application: LoanApplication) -> tuple[list, list]:
    """(the schedule, the payments in force) of a loan read with_repayment_data or
    with_repayment_rows."""
    rows = getattr(application, "_repayment_rows", None)
    if rows is not None:
        return rows.installments, rows.payments
    return application.installments.all(), payments_in_force(application.payments.all())


def loan_state(application: LoanApplication, *, as_of: datetime.date | None = None) -> LoanState:
    """The loan as of `as_of` (default today): each installment's share, outstanding, overdue."""
    as_of = as_of or timezone.localdate()
    rows = getattr(application, "_repayment_rows", None)
    if rows is not None and as_of in rows.states:
        return rows.states[as_of]
    installments, payments = repayment_rows(application)
    state = allocate(
        loan_won=application.executed_amount_won or 0,
        installments=installments,
        payments=[
            Paid(p.paid_on, p.amount_won, p.kind == LoanPayment.Kind.PREPAYMENT, p.pk) for p in payments
        ],
        as_of=as_of,
    )
    if rows is not None:
        rows.states[as_of] = state
    return state


@dataclass(frozen=True)
class LoanBalance:
    loan_won: int
    principal_paid_won: int
    interest_paid_won: int
    outstanding_principal_won: int
    next_due_on: datetime.date | None
    next_due_won: int
    paid_to: datetime.date | None
    overdue_won: int
    days_past_due: int
    aging_bucket: str
    followup: bool  # overdue beyond the fund's 사후관리 threshold


def balance_from_state(application: LoanApplication, state: LoanState) -> LoanBalance:
    days = state.days_past_due()
    threshold = application.fund.followup_overdue_days
    next_due = state.next_due
    return LoanBalance(
        loan_won=state.loan_won,
        principal_paid_won=state.principal_paid_won,
        interest_paid_won=state.interest_paid_won,
        outstanding_principal_won=state.outstanding_principal_won,
        next_due_on=next_due.due_on if next_due else None,
        next_due_won=next_due.remaining_won if next_due else 0,
        paid_to=state.paid_to,
        overdue_won=state.overdue_won(),
        days_past_due=days,
        aging_bucket=aging_bucket(days),
        followup=bool(threshold) and days > threshold,
    )


def loan_balance(application: LoanApplication, *, as_of: datetime.date | None = None) -> LoanBalance:
    """Outstanding principal, next due date, paid-to date and arrears of one executed loan."""
    return balance_from_state(application, loan_state(application, as_of=as_of))


def _loans(fund=None, *, statuses=LIVE_STATUSES):
    """The loans in `statuses` (of `fund`, or all) with their fund and firm."""
    loans = LoanApplication.objects.filter(status__in=statuses).select_related("fund", "firm")
    return loans if fund is None else loans.filter(fund=fund)


def _fund_loans(fund=None, *, statuses=LIVE_STATUSES):
    return with_repayment_data(_loans(fund, statuses=statuses))


def _paid_in_year(fund, year: int) -> tuple[int, int]:
    """(principal, interest) the payments dated in `year` settled, over the fund's loans (or all)."""
    principal = interest = 0
    for application in _fund_loans(fund):
        state = loan_state(application, as_of=datetime.date(year, 12, 31))
        in_year = {p.pk for p in payments_in_force(application.payments.all()) if p.paid_on.year == year}
        for key, splits in state.splits.items():
            if key in in_year:
                interest += sum(s[1] for s in splits)
                principal += sum(s[2] for s in splits)
    return principal, interest


def principal_repaid(fund=None, year: int | None = None) -> int:
    """Principal repaid by payments dated in `year` (prepayments included), for a fund or all funds."""
    return _paid_in_year(fund, year)[0]


def interest_received(fund=None, year: int | None = None) -> int:
    """Interest settled by payments dated in `year`, for a fund or all funds."""
    return _paid_in_year(fund, year)[1]


def outstanding_principal(fund=None, *, as_of: datetime.date) -> int:
    """What the fund's borrowers still owe in principal on `as_of` (e.g. 31 Dec for 기금 결산)."""
    total = 0
    for application in _fund_loans(fund):
        if application.executed_on and application.executed_on <= as_of:
            total += loan_state(application, as_of=as_of).outstanding_principal_won
    return total


@dataclass(frozen=True)
class ArrearsRow:
    application: LoanApplication
    balance: LoanBalance


def _with_unsettled_installment(loans, *, due_from=None, due_to, as_of):
    """Only the loans with an installment due in the window and not settled by `as_of` according
    to Installment.paid_on, which the payment services keep in step with the allocation
    (services._sync after every payment, reversal and prepayment): a narrowing in the database so
    the allocation below runs on the few loans that can be behind, not on every loan."""
    from django.db.models import Exists, OuterRef, Q

    window = Q(due_on__lte=due_to) & (Q(paid_on__isnull=True) | Q(paid_on__gt=as_of))
    if due_from is not None:
        window &= Q(due_on__gte=due_from)
    return loans.filter(Exists(Installment.objects.filter(window, application=OuterRef("pk"))))


def arrears_rows(*, as_of: datetime.date | None = None, bucket: str = "") -> list[ArrearsRow]:
    """Every loan with an installment overdue on `as_of`, longest overdue first."""
    as_of = as_of or timezone.localdate()
    rows = []
    loans = _loans(statuses=UNREPAID_STATUSES).select_related("call")
    for application in with_repayment_rows(_with_unsettled_installment(loans, due_to=as_of, as_of=as_of)):
        balance = loan_balance(application, as_of=as_of)
        if balance.days_past_due and (not bucket or balance.aging_bucket == bucket):
            rows.append(ArrearsRow(application, balance))
    return sorted(rows, key=lambda r: (-r.balance.days_past_due, r.application.pk))


def arrears_summary(rows: list[ArrearsRow]) -> list[dict]:
    """Loans and overdue amount per aging bucket, in bucket order (every bucket shown)."""
    summary = {label: {"bucket": label, "loans": 0, "overdue_won": 0} for _, _, label in AGING_BUCKETS}
    for row in rows:
        entry = summary[row.balance.aging_bucket]
        entry["loans"] += 1
        entry["overdue_won"] += row.balance.overdue_won
    return list(summary.values())


def due_between(start: datetime.date, end: datetime.date) -> list[tuple[LoanApplication, object]]:
    """(loan, installment state) for unsettled installments falling due from `start` to `end`."""
    found = []
    loans = _with_unsettled_installment(
        _loans(statuses=UNREPAID_STATUSES), due_from=start, due_to=end, as_of=end
    )
    for application in with_repayment_rows(loans):
        state = loan_state(application, as_of=end)
        for installment in state.installments:
            if start <= installment.due_on <= end and not installment.settled:
                found.append((application, installment))
    return sorted(found, key=lambda pair: (pair[1].due_on, pair[0].pk))


@dataclass(frozen=True)
class DueRow:
    application: LoanApplication
    installment: object  # allocation.InstallmentState
    installment_id: int  # the Installment row, for the due list's checkboxes


def due_rows(start: datetime.date, end: datetime.date) -> list[DueRow]:
    """due_between with each installment's id (read from the loan's schedule rows: no more queries)."""
    rows = []
    for application, state in due_between(start, end):
        ids = {i.number: i.pk for i in repayment_rows(application)[0]}
        rows.append(DueRow(application, state, ids[state.number]))
    return rows


# ---------------------------------------------------------------- firm page and home page


def firm_support(firm) -> list:
    """The firm's 환수 cases (loans themselves are listed by the loans app, with their arrears)."""
    from guro_sme.support import SupportRecord

    from .models import RecoveryCase

    return [
        SupportRecord(
            program="환수",
            year=case.opened_on.year,
            title=f"{case.support_title} ({case.get_cause_display()})",
            amount_won=case.amount_won,
            status=case.get_status_display(),
            url=case.get_absolute_url(),
            # Still being collected (also by instalments or the tax office): the firm's contacts
            # are needed, so they are not erased when their retention period runs out.
            ongoing=case.status not in (RecoveryCase.Status.REPAID, RecoveryCase.Status.WITHDRAWN),
        )
        for case in RecoveryCase.objects.filter(firm=firm).order_by("-opened_on", "-pk")
    ]


def attention_items(user) -> list:
    """For staff: installments falling due this week, and loans overdue (연체)."""
    from django.urls import reverse

    from guro_sme.roles import Role, has_role
    from guro_sme.support import AttentionItem

    if not has_role(user, Role.STAFF):
        return []
    today = timezone.localdate()
    due = due_between(today, today + datetime.timedelta(days=6))
    overdue = arrears_rows(as_of=today)
    items = []
    if due:
        items.append(
            AttentionItem(label="이번 주 상환 예정", count=len(due), url=reverse("aftercare:due_list"))
        )
    if overdue:
        items.append(
            AttentionItem(label="연체 중인 융자", count=len(overdue), url=reverse("aftercare:arrears"))
        )
    return items


# ---------------------------------------------------------------- the application page


def repayment_panel(application: LoanApplication) -> dict:
    """What the application page shows after execution: schedule rows with what each got,
    the balance, and every payment with where it went (uses the prefetched rows)."""
    if application.executed_amount_won is None:
        return {}
    state = loan_state(application)
    by_number = {i.number: i for i in state.installments}
    in_force = {p.pk for p in payments_in_force(application.payments.all())}
    reversed_ids = {p.reverses_id for p in application.payments.all() if p.reverses_id}
    payments = []
    for payment in application.payments.all():
        payments.append(
            {
                "payment": payment,
                "in_force": payment.pk in in_force,
                "reversed": payment.pk in reversed_ids,
                "splits": state.splits.get(payment.pk, []),
            }
        )
    installments = list(application.installments.all())
    subsidies = installment_subsidies(application, installments)
    return {
        "repayment": {
            "balance": balance_from_state(application, state),
            # (installment, what it got, the district's subsidy on it, what the firm pays)
            "rows": [
                (i, by_number[i.number], subsidies.get(i.number), i.total_won - subsidies.get(i.number, 0))
                for i in installments
            ],
            "shows_subsidy": bool(subsidies),
            "subsidy_total": sum(subsidies.values()),
            "firm_pays_total": sum(i.total_won for i in installments) - sum(subsidies.values()),
            "payments": payments,
            "versions": list(application.schedule_versions.all()),
            "today": state.as_of,
        }
    }


def installment_subsidies(application: LoanApplication, installments) -> dict[int, int]:
    """Per installment number, the district's interest subsidy on a bank-partnership loan ({}
    for the other funds): the firm pays the bank's installment less this."""
    if not application.has_interest_subsidy:
        return {}
    return {i.number: application.installment_subsidy_won(i.balance_before_won) for i in installments}


# ---------------------------------------------------------------- 환수


def recovery_cases(*, status: str = ""):
    from .models import RecoveryCase

    cases = RecoveryCase.objects.select_related("firm", "application__fund", "opened_by")
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-opened_on", "-pk")


def recovery_case_count(year: int) -> int:
    """환수 cases opened in `year` (the yearly report's count)."""
    from .models import RecoveryCase

    return RecoveryCase.objects.filter(opened_on__year=year).count()


def recovery_by_year(year: int) -> dict:
    """환수 in `year`: cases opened, per cause, the amount decided and the amount recovered."""
    from django.db.models import Count, F, Sum

    from .models import RecoveryCase

    cases = RecoveryCase.objects.filter(opened_on__year=year)
    totals = cases.aggregate(
        count=Count("pk"),
        amount=Sum(F("principal_won") + F("interest_won")),
        recovered=Sum(
            F("principal_won") + F("interest_won"), filter=models_q(status=RecoveryCase.Status.REPAID)
        ),
    )
    by_cause = dict(cases.values_list("cause").annotate(n=Count("pk")).order_by())
    return {
        "count": totals["count"] or 0,
        "amount_won": int(totals["amount"] or 0),
        "recovered_won": int(totals["recovered"] or 0),
        "by_cause": {label: by_cause.get(value, 0) for value, label in RecoveryCase.Cause.choices},
    }


@dataclass(frozen=True)
class YearAftercare:
    """사후관리 of `year` for the yearly report: loans behind at the year's end (or today, for the
    current year) per aging bucket, the year's 환수 and its interest-subsidy claims."""

    year: int
    as_of: datetime.date
    arrears: list[dict]  # arrears_summary rows
    arrears_loans: int
    arrears_won: int
    recovery: dict  # recovery_by_year
    claims: dict  # subsidy_claims_by_year


def aftercare_by_year(year: int, *, loans=None) -> YearAftercare:
    """`loans`: the executed loans with their repayment data (with_repayment_data), when the
    caller has read them already (the yearly report's fund ledger); else they are read here."""
    as_of = min(datetime.date(year, 12, 31), timezone.localdate())
    # Loans repaid since count too: what matters is whether they were behind on `as_of`.
    statuses = (*UNREPAID_STATUSES, S.REPAID)
    if loans is None:
        loans = _fund_loans(statuses=statuses).filter(executed_on__lte=as_of)
    else:
        loans = [
            loan
            for loan in loans
            if loan.status in statuses and loan.executed_on and loan.executed_on <= as_of
        ]
    rows = [
        ArrearsRow(application, balance_from_state(application, state))
        for application in loans
        if (state := loan_state(application, as_of=as_of)).days_past_due()
    ]
    return YearAftercare(
        year=year,
        as_of=as_of,
        arrears=arrears_summary(rows),
        arrears_loans=len(rows),
        arrears_won=sum(r.balance.overdue_won for r in rows),
        recovery=recovery_by_year(year),
        claims=subsidy_claims_by_year(year),
    )


def models_q(**kwargs):
    from django.db.models import Q

    return Q(**kwargs)


# ---------------------------------------------------------------- support history and repeat loans


def loans_held_by_representative(firm, *, exclude_pk=None) -> list[LoanApplication]:
    """Loans executed and not yet repaid, of the firm and the firms with the same representative."""
    from guro_sme.support import same_representative_firms

    loans = (
        LoanApplication.objects.filter(firm__in=same_representative_firms(firm), status__in=UNREPAID_STATUSES)
        .select_related("firm", "fund")
        .order_by("executed_on", "pk")
    )
    if exclude_pk:
        loans = loans.exclude(pk=exclude_pk)
    return list(loans)


# ---------------------------------------------------------------- 이자보전금


def subsidy_due(application: LoanApplication, *, start: datetime.date, end: datetime.date) -> int:
    """What the district owes the bank for one loan from `start` to `end` (end day excluded):
    Σ balance of each day × min(bank rate, the fund's cap) ÷ 365, the balance after the principal
    paid up to that day; rounded down to the won."""
    from decimal import Decimal

    fund = application.fund
    if fund.subsidy_cap_pct is None or application.bank_rate is None or not application.executed_on:
        return 0
    rate = min(Decimal(fund.subsidy_cap_pct), Decimal(application.bank_rate)) / Decimal(100)
    start = max(start, application.executed_on)
    if start >= end:
        return 0
    # Payments are allocated in date order, so the splits of those before `end` are the same in
    # the loan's whole-life state, which the report's ledger has already worked out (and keeps).
    state = loan_state(application, as_of=datetime.date.max)
    paid_on = {p.pk: p.paid_on for p in repayment_rows(application)[1]}
    principal_by_day: dict[datetime.date, int] = {}
    for key, splits in state.splits.items():
        principal_by_day[paid_on[key]] = principal_by_day.get(paid_on[key], 0) + sum(s[2] for s in splits)
    balance = state.loan_won - sum(v for d, v in principal_by_day.items() if d < start)
    won_days = 0
    day = start
    for change_day in sorted(d for d in principal_by_day if start <= d < end):
        won_days += balance * (change_day - day).days
        balance -= principal_by_day[change_day]
        day = change_day
    won_days += balance * (end - day).days
    return int(Decimal(won_days) * rate / Decimal(365))


def subsidy_approved(fund=None, year: int | None = None) -> int:
    """Interest subsidy the district approved paying for claims whose period ends in `year`."""
    from django.db.models import Sum

    from .models import SubsidyClaim

    claims = SubsidyClaim.objects.filter(status=SubsidyClaim.Status.APPROVED, period_end__year=year)
    if fund is not None:
        claims = claims.filter(fund=fund)
    return int(claims.aggregate(total=Sum("approved_won"))["total"] or 0)


def subsidy_claims_by_year(year: int) -> dict:
    """Claims ending in `year`: claimed, computed and approved totals (for the reports)."""
    from django.db.models import Sum

    from .models import SubsidyClaim, SubsidyClaimLine

    lines = SubsidyClaimLine.objects.filter(claim__period_end__year=year).aggregate(
        claimed=Sum("claimed_won"), computed=Sum("computed_won")
    )
    return {
        "claims": SubsidyClaim.objects.filter(period_end__year=year).count(),
        "claimed_won": int(lines["claimed"] or 0),
        "computed_won": int(lines["computed"] or 0),
        "approved_won": subsidy_approved(None, year),
    }

"""Reads of loans that other apps use (firm page, home page, reports) and the fund capacity."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse

from guro_sme.roles import Role, has_role
from guro_sme.search import SearchGroup, SearchHit, SearchQuery, list_url, take
from guro_sme.support import AttentionItem, FirmAction, SupportRecord, YearlyFigure

from .models import LoanApplication, LoanCall, LoanFund

S = LoanApplication.Status

# Statuses whose approved amount is committed money of the fund (bank-rejected, withdrawn and
# reserve applications hold none).
COMMITTED_STATUSES = (
    S.SELECTED,
    S.REFERRED,
    S.EXECUTED,
    S.REPAYING,
    S.REPAID,
    # The guarantee path: recommended, sent to and approved by the foundation.
    S.RECOMMENDED,
    S.GUARANTEE_REQUESTED,
    S.GUARANTEE_APPROVED,
)
EXECUTED_STATUSES = (S.EXECUTED, S.REPAYING, S.REPAID)
UNREPAID_STATUSES = (S.EXECUTED, S.REPAYING)


@dataclass(frozen=True)
class CommitteeDecision:
    """What a closed committee meeting decided on an application (the committee says; loans reads)."""

    meeting_id: int
    label: str  # the meeting, e.g. "2018년 제3차 기금운용심의위원회 (2018.10.20)"
    passed: bool
    amount_won: int | None  # the amount the committee agreed on, when passed
    text: str  # the decision with its vote, e.g. "원안가결: 찬성 3·반대 0·기권 0 (의결 참여 3명)"


CommitteeDecisions = Callable[[LoanApplication], list[CommitteeDecision]]
_committee_decisions: list[CommitteeDecisions] = []


def register_committee_decisions(finder: CommitteeDecisions) -> CommitteeDecisions:
    """The committee app tells loans what its closed meetings decided (loans never imports it)."""
    if finder not in _committee_decisions:
        _committee_decisions.append(finder)
    return finder


def committee_decisions(application: LoanApplication) -> list[CommitteeDecision]:
    """The closed meetings' decisions on `application`, latest first (none without the committee)."""
    return [decision for finder in _committee_decisions for decision in finder(application)]


CommitteeAgendas = Callable[[LoanApplication], list[str]]
_committee_agendas: list[CommitteeAgendas] = []


def register_committee_agendas(finder: CommitteeAgendas) -> CommitteeAgendas:
    """The committee app tells loans which open meetings will decide an application."""
    if finder not in _committee_agendas:
        _committee_agendas.append(finder)
    return finder


def committee_open_agendas(application: LoanApplication) -> list[str]:
    """The open meetings that will decide `application` (their labels; none without the committee)."""
    return [label for finder in _committee_agendas for label in finder(application)]


def committee_recommends(application: LoanApplication) -> bool:
    """A guarantee application whose fund has the committee recommend (구 추천 방식 = 심의위원회)."""
    return (
        application.fund.is_guarantee and application.fund.recommended_by == LoanFund.RecommendedBy.COMMITTEE
    )


def committee_next_step(application: LoanApplication, decisions: list[CommitteeDecision]) -> str:
    """What happens next to a guarantee application the committee recommends, said on its page:
    in 요건검토 it waits for 심의상정; in 심의상정 it is on an open meeting's agenda, or was passed by
    a closed meeting (구 추천 follows), or waits for the next meeting, which takes it on its agenda
    (also after 안건 제외 or 보류). `decisions` are committee_decisions(application)."""
    if not committee_recommends(application):
        return ""
    if application.status == S.REVIEW:
        return "심의상정하면 다음 심의위원회 회의가 안건으로 올립니다."
    if application.status != S.ON_AGENDA:
        return ""
    agendas = committee_open_agendas(application)
    if agendas:
        return (
            f"{agendas[0]} 안건입니다. 회의를 종료할 때 표결로 정해지며, 가결되면 그 회의를 골라 "
            "구 추천을 기록합니다."
        )
    passed = next((d for d in decisions if d.passed), None)
    if passed is not None:
        return f"{passed.label}에서 가결되었습니다({passed.text}). 그 회의를 골라 구 추천을 기록하세요."
    return (
        "다음 심의위원회 회의를 등록하면 그 회의 안건에 오릅니다. 표결로 정해지며, 가결되면 그 회의를 "
        "골라 구 추천을 기록합니다."
    )


def fund_committed_won(*, fund: LoanFund) -> int:
    total = LoanApplication.objects.filter(
        fund__pk=fund.pk, fund__year=fund.year, status__in=COMMITTED_STATUSES
    ).aggregate(total=Sum("approved_amount_won"))["total"]
    return int(total or 0)


def fund_available_won(*, fund: LoanFund) -> int:
    """What the fund has left: its capacity minus what is already approved.

    The capacity is the yearly allocation, or the guarantee pool (contribution × multiplier) for
    the guarantee fund. A fund row is one fund in one year, so every call of that year shares it.
    """
    if fund.is_guarantee:
        from loans.guarantee.selectors import guarantee_capacity

        # The year's scale and the pool across years (loans/guarantee/selectors.py).
        return guarantee_capacity(fund=fund).left_won
    return max(fund.capacity_won - fund_committed_won(fund=fund), 0)


def fund_dashboard_rows(year: int | None = None):
    """Every fund with approved/executed totals, in one query (the /loans/ dashboard)."""
    funds = LoanFund.objects.select_related("partner_bank", "guarantor").annotate(
        approved_total=Sum(
            "applications__approved_amount_won", filter=Q(applications__status__in=COMMITTED_STATUSES)
        ),
        executed_total=Sum(
            "applications__executed_amount_won", filter=Q(applications__status__in=EXECUTED_STATUSES)
        ),
        executed_count=Count("applications", filter=Q(applications__status__in=EXECUTED_STATUSES)),
        pending_count=Count(
            "applications",
            filter=Q(applications__status__in=(S.RECEIVED, S.REVIEW, S.ON_AGENDA, S.RESERVE)),
        ),
    )
    if year is not None:
        funds = funds.filter(year=year)
    rows = []
    for fund in funds.order_by("-year", "kind", "name"):
        approved = int(fund.approved_total or 0)
        capacity = None
        if fund.is_guarantee and fund.guarantee_pool_won:
            from loans.guarantee.selectors import guarantee_capacity

            # One query per guarantee fund row (the pool spans years, so it can't be annotated).
            capacity = guarantee_capacity(fund=fund)
        rows.append(
            {
                "fund": fund,
                "allocation": fund.allocation_won,
                "capacity": fund.capacity_won,
                "approved": approved,
                "executed": int(fund.executed_total or 0),
                "executed_count": fund.executed_count,
                "pending_count": fund.pending_count,
                "remaining": capacity.left_won if capacity else fund.capacity_won - approved,
                "pool": fund.guarantee_pool_won,
                "pool_used": capacity.pool_used_won if capacity else None,
                "pool_used_pct": capacity.pool_used_pct if capacity else None,
                "guarantee": capacity,
            }
        )
    return rows


def firm_support(firm) -> list[SupportRecord]:
    """Every loan application of the firm past the draft stage, newest first (shown on the firm page)."""
    from loans.aftercare.selectors import loan_balance, with_repayment_data

    applications = with_repayment_data(
        LoanApplication.objects.filter(firm=firm)
        .exclude(status=S.DRAFT)
        .select_related("fund", "call")
        .order_by("-fund__year", "-pk")
    )
    records = []
    for application in applications:
        status = application.get_status_display()
        if application.status in UNREPAID_STATUSES and application.executed_amount_won:
            # Arrears show where staff look first: the loan's row on the firm page.
            balance = loan_balance(application)
            status += f" · 잔액 {balance.outstanding_principal_won:,}원"
            if balance.days_past_due:
                status += f" · {balance.days_past_due}일 연체 ({balance.aging_bucket})"
            if balance.followup:
                status += " · 사후관리 대상"
        records.append(
            SupportRecord(
                program="저리융자",
                year=application.year,
                title=f"{application.fund.name} · {application.intake_title}",
                amount_won=application.executed_amount_won
                or application.approved_amount_won
                or application.requested_amount_won,
                status=status,
                url=reverse("loans:application_detail", args=[application.pk]),
                # A loan still being repaid keeps the firm's contacts (retention, guro_sme/privacy.py).
                ongoing=application.status in UNREPAID_STATUSES,
            )
        )
    return records


def attention_items(user) -> list[AttentionItem]:
    """For staff and managers: drafts, applications to check, selected firms to refer, loans to record."""
    if not has_role(user, Role.STAFF, Role.MANAGER):
        return []
    counts = LoanApplication.objects.aggregate(
        drafts=Count("pk", filter=Q(status=S.DRAFT)),
        received=Count("pk", filter=Q(status=S.RECEIVED)),
        review=Count("pk", filter=Q(status=S.REVIEW)),
        selected=Count("pk", filter=Q(status=S.SELECTED)),
        referred=Count("pk", filter=Q(status=S.REFERRED)),
    )
    url = reverse("loans:application_list")
    labels = [
        ("drafts", "융자 임시저장 신청", S.DRAFT),
        ("received", "융자 접수(요건검토 전)", S.RECEIVED),
        ("review", "융자 요건검토 중", S.REVIEW),
        ("selected", "은행 통보 대기(선정)", S.SELECTED),
        ("referred", "은행 결과 입력 대기", S.REFERRED),
    ]
    return [
        AttentionItem(label=label, count=counts[key], url=f"{url}?status={status}")
        for key, label, status in labels
        if counts[key]
    ]


def firm_actions(firm, user) -> list[FirmAction]:
    """On the firm page, for staff: a new loan application with the firm chosen (no query)."""
    if not has_role(user, Role.STAFF):
        return []
    return [FirmAction("융자 신청", f"{reverse('loans:application_create')}?firm={firm.pk}")]


def search_condition(text: str) -> Q:
    """Applications by firm name, business number (digits, a prefix matches) or intake number.
    The application list's `q` filter uses it too, so "더 보기" shows the same rows."""
    digits = "".join(text.replace("-", "").replace(".", "").split())
    if digits.isdigit() and len(digits) >= 4:
        # Digits only: a business number; "2018-0007" is also an intake number of a register.
        return Q(firm__business_number__startswith=digits) | Q(intake_number=text)
    # An intake number (2018-0007, services.next_intake_number) is digits and a dash, so it took
    # the branch above. Without an OR across the two tables, PostgreSQL reads the firm name's
    # trigram index and then the firm's applications (0.2 ms at scale 1; 60 ms with the OR).
    return Q(firm__name__icontains=text)


def search(query: SearchQuery, user, limit: int) -> SearchGroup | None:
    """The header search's 융자 신청 group (one query): newest first."""
    if not has_role(user, Role.STAFF, Role.MANAGER):
        return None
    applications, has_more = take(
        LoanApplication.objects.filter(search_condition(query.text))
        .select_related("firm", "fund", "call")
        .order_by("-pk"),
        limit,
    )
    hits = [
        SearchHit(
            title=f"{application.firm.name} · {application.intake_title}",
            url=application.get_absolute_url(),
            detail=application.get_status_display(),
        )
        for application in applications
    ]
    return SearchGroup("loans", "융자 신청", hits, has_more, list_url("loans:application_list", query.text))


def loan_support_by_year(year: int) -> YearlyFigure:
    """Loans executed in `year`: distinct firms and the executed amount (for the reports)."""
    figures = LoanApplication.objects.filter(status__in=EXECUTED_STATUSES, executed_on__year=year).aggregate(
        firms=Count("firm", distinct=True), amount=Sum("executed_amount_won")
    )
    return YearlyFigure(firms=figures["firms"] or 0, amount_won=int(figures["amount"] or 0))


# ---------------------------------------------------------------- after the loan
# Balances and yearly repayment figures, derived from the payments (loans.aftercare). They are
# here so the reports and other apps read one loans API.


def loan_balance(application, *, as_of=None):
    """Outstanding principal, next due date, paid-to date and arrears of an executed loan."""
    from loans.aftercare.selectors import loan_balance as balance

    return balance(application, as_of=as_of)


def principal_repaid(fund=None, year: int | None = None) -> int:
    """Principal repaid by payments dated in `year` (prepayments included); all funds if None."""
    from loans.aftercare.selectors import principal_repaid as repaid

    return repaid(fund, year)


def interest_received(fund=None, year: int | None = None) -> int:
    """Interest settled by payments dated in `year`; all funds if None."""
    from loans.aftercare.selectors import interest_received as received

    return received(fund, year)


def outstanding_principal(fund=None, *, as_of):
    """Principal still owed on `as_of` over the fund's loans (e.g. 31 Dec for the fund accounts)."""
    from loans.aftercare.selectors import outstanding_principal as outstanding

    return outstanding(fund, as_of=as_of)


@dataclass(frozen=True)
class IntakeFund:
    """One fund as the intake form's help panel shows it, before anyone presses 접수."""

    fund: LoanFund
    limits: list[tuple[str, int]]  # (기업구분 label, 업체당 한도) for the firm types it lends to
    remaining_won: int


@dataclass(frozen=True)
class IntakeCall:
    call: LoanCall
    is_open: bool  # 접수 중 today
    funds: list[IntakeFund]


@dataclass(frozen=True)
class IntakeGuide:
    today: object  # datetime.date
    calls: list[IntakeCall]
    year_round: list[IntakeFund]

    @property
    def any_open(self) -> bool:
        return any(row.is_open for row in self.calls)


def _intake_fund(fund: LoanFund) -> IntakeFund:
    from guro_sme.models import Firm

    labels = dict(Firm.FirmType.choices)
    limits = [
        (labels.get(limit.firm_type, limit.firm_type), limit.limit_won)
        for limit in sorted(fund.firm_limits.all(), key=lambda limit: list(labels).index(limit.firm_type))
    ]
    return IntakeFund(fund=fund, limits=limits, remaining_won=fund_available_won(fund=fund))


def intake_guide(*, today, call_id: int | None = None) -> IntakeGuide:
    """The calls open today or still to open (and the application's own call), each fund with its
    per-firm limits and what it has left, plus this year's year-round funds (no call needed)."""
    calls = (
        LoanCall.objects.filter(Q(closes_on__gte=today) | Q(pk=call_id or 0))
        .prefetch_related("funds__firm_limits")
        .order_by("opens_on", "pk")
    )
    year_round = LoanFund.objects.filter(year_round=True, year=today.year).prefetch_related("firm_limits")
    return IntakeGuide(
        today=today,
        calls=[
            IntakeCall(
                call=call,
                is_open=call.is_open_on(today),
                funds=[
                    _intake_fund(fund) for fund in sorted(call.funds.all(), key=lambda f: (f.kind, f.name))
                ],
            )
            for call in calls
        ],
        year_round=[_intake_fund(fund) for fund in year_round.order_by("kind", "name")],
    )

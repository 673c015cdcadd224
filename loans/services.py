"""Every write of the loans app: calls, applications and their workflow, bank outcome, repayment.

Each workflow step is one function that checks who may do it and whether the application's
status allows it (ALLOWED_TRANSITIONS), writes in one transaction with the row locked, and
records an ApplicationEvent (from, to, actor, when, why, amount). Refusals raise LoanRuleError
with a Korean message the views show as is.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from guro_sme.dates import add_months
from guro_sme.eligibility import out_of_district
from guro_sme.errors import RuleError
from guro_sme.korean import particle
from guro_sme.money import format_rate
from guro_sme.roles import Role, has_role

from . import schedule, workflow
from .guarantee.rules import capacity_refusals
from .guarantee.selectors import guaranteed_share
from .models import (
    ApplicationDocument,
    ApplicationEvent,
    FundFirmLimit,
    Installment,
    LoanApplication,
    LoanCall,
    LoanFund,
    RubricItem,
)
from .selectors import (
    UNREPAID_STATUSES,
    CommitteeDecision,
    committee_decisions,
    fund_available_won,
    fund_committed_won,
)

S = LoanApplication.Status


class LoanRuleError(RuleError):
    """A refused loan action; `.message` is Korean and shown to the user as is."""


# The workflow is declared in loans/workflow.py; these names stay for the callers that read them.
ALLOWED_TRANSITIONS = workflow.ALLOWED_TRANSITIONS
OPEN_STATUSES = workflow.OPEN_STATUSES
_TRANSITIONS_BY_KIND = {kind: workflow.transitions(kind) for kind in LoanFund.Kind.values}

STAFF_ONLY = (Role.STAFF,)

# The committee's outcome → the workflow action that records it.
DECISION_ACTIONS = {S.SELECTED: "select", S.RESERVE: "reserve", S.REJECTED: "decline"}
DECISION_OUTCOMES = frozenset(DECISION_ACTIONS)
# Said to anyone trying to promote a reserve anywhere but the committee's results page.
REFUSED_PROMOTION = workflow.ACTIONS["promote"].refused_elsewhere


def _check_role(actor, roles) -> None:
    if not has_role(actor, *roles):
        raise LoanRuleError("이 처리를 할 권한이 없습니다.")


def _check_action(actor, name: str) -> workflow.Action:
    """The declared action, after checking the actor holds one of its roles."""
    action = workflow.ACTIONS[name]
    _check_role(actor, action.roles)
    return action


def _lock(application: LoanApplication) -> LoanApplication:
    # Only the application's row: its call is nullable (guarantee intake), and PostgreSQL refuses
    # FOR UPDATE on the nullable side of an outer join.
    return (
        LoanApplication.objects.select_for_update(of=("self",))
        .select_related("fund", "call", "firm")
        .get(pk=application.pk)
    )


def _move(
    locked: LoanApplication, to_status: str, *, actor, reason: str = "", amount_won: int | None = None
) -> LoanApplication:
    """Change status and record the event; `locked` comes from _lock() inside the transaction."""
    from_status = locked.status
    allowed = _TRANSITIONS_BY_KIND.get(locked.fund.kind, ALLOWED_TRANSITIONS)
    if to_status not in allowed.get(from_status, ()):
        raise LoanRuleError(
            f"'{S(from_status).label}' 상태에서는 '{S(to_status).label}'{particle(S(to_status).label, '으로')} 바꿀 수 없습니다."
        )
    locked.status = to_status
    locked._history_user = actor
    locked.save()
    ApplicationEvent.objects.create(
        application=locked,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason[:500],
        amount_won=amount_won,
    )
    return locked


def _refresh(application: LoanApplication, locked: LoanApplication) -> LoanApplication:
    """Copy the saved row onto the caller's instance too, so both see the new state."""
    application.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# ---------------------------------------------------------------- funds and calls


@transaction.atomic
def fund_save(*, fund: LoanFund, limits: dict[str, int | None], actor) -> LoanFund:
    """Create or update a fund and its per-firm-type limits (no limit = that firm type may not apply).

    The allocation (or the guarantee pool) may not fall below what the fund has already committed:
    the remainder would turn negative. Every change is kept in the fund's history.
    """
    _check_role(actor, STAFF_ONLY)
    fund.full_clean()
    if fund.pk:
        # Lock the fund: a decision committing its money waits until the new allocation is saved.
        LoanFund.objects.select_for_update().filter(pk=fund.pk).first()
        committed = fund_committed_won(fund=fund)
        if fund.capacity_won < committed:
            what = "보증 한도(출연금 × 배수)" if fund.is_guarantee else "융자 규모"
            raise LoanRuleError(
                f"'{fund.name}'의 {what}를 {fund.capacity_won:,}원으로 줄일 수 없습니다: "
                f"이미 선정·실행된 금액이 {committed:,}원입니다."
            )
    fund._history_user = actor
    fund.save()
    for firm_type, limit_won in limits.items():
        existing = FundFirmLimit.objects.filter(fund=fund, firm_type=firm_type).first()
        if limit_won:
            limit = existing or FundFirmLimit(fund=fund, firm_type=firm_type)
            if limit.pk is None or limit.limit_won != limit_won:
                limit.limit_won = limit_won
                limit._history_user = actor
                limit.save()
        elif existing is not None:
            existing._history_user = actor
            existing.delete()
    return fund


@transaction.atomic
def call_save(
    *,
    call: LoanCall,
    funds,
    committee_members=None,
    rubric_items: Iterable[RubricItem] = (),
    removed_rubric_items: Iterable[RubricItem] = (),
    actor,
) -> LoanCall:
    """Create or update a call with its funds, default members and rubric, in one transaction:
    `rubric_items` are new or changed rows (unsaved), `removed_rubric_items` rows to delete."""
    _check_role(actor, STAFF_ONLY)
    call.full_clean()
    call._history_user = actor
    call.save()
    call.funds.set(funds)
    if committee_members is not None:
        call.committee_members.set(committee_members)
    for item in removed_rubric_items:
        if item.pk and item.call_id == call.pk:
            item._history_user = actor
            item.delete()
    for item in rubric_items:
        item.call = call
        item._history_user = actor
        item.save()
    return call


@transaction.atomic
def call_copy_from(
    *, previous: LoanCall, title: str, year: int, half: str, opens_on, closes_on, actor
) -> LoanCall:
    """A new call with the previous call's funds, rubric and default committee members.

    Funds are per year: when the new call is in another year, each fund is replaced by the fund of
    the same name in that year if it exists (staff add the new year's funds first), else kept.
    """
    _check_role(actor, STAFF_ONLY)
    call = LoanCall(
        title=title, year=year, half=half, opens_on=opens_on, closes_on=closes_on, copied_from=previous
    )
    call.full_clean()
    call._history_user = actor
    call.save()
    funds = []
    for fund in previous.funds.all():
        if fund.year != year:
            fund = LoanFund.objects.filter(name=fund.name, year=year).first() or fund
        funds.append(fund)
    call.funds.set(funds)
    call.committee_members.set(previous.committee_members.all())
    bulk_create_with_history(
        [
            RubricItem(
                call=call, name=item.name, weight=item.weight, max_score=item.max_score, order=item.order
            )
            for item in previous.rubric_items.all()
        ],
        RubricItem,
        default_user=actor,
    )
    return call


# ---------------------------------------------------------------- eligibility


@dataclass
class Eligibility:
    errors: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def months_before(day: datetime.date, months: int) -> datetime.date:
    return add_months(day, -months)


def check_eligibility(application: LoanApplication, *, on_date: datetime.date) -> Eligibility:
    """Every rule of the plan for an application entered on `on_date`; each failure a Korean message.

    An unrepaid loan from the same fund is not a refusal: it is a flag shown to the committee.
    """
    result = Eligibility()
    firm, call, fund = application.firm, application.call, application.fund
    outside = out_of_district(firm, what="신청", rule_first=True)
    if outside:
        result.errors.append(outside)
    if call is None:
        # A year-round fund takes applications any day of its year, into that year's register.
        if not fund.year_round:
            result.errors.append(
                f"'{fund.name}'{particle(fund.name, '은')} 공고 기간에만 접수합니다. 공고를 고르세요."
            )
        elif on_date.year != fund.year:
            result.errors.append(
                f"접수일({on_date:%Y.%m.%d})이 '{fund.name}' {fund.year}년 접수대장의 연도가 아닙니다. "
                f"{on_date.year}년 기금을 고르세요."
            )
    elif not call.funds.filter(pk=fund.pk).exists():
        result.errors.append(
            f"'{call.title}'에서는 '{fund.name}'{particle(fund.name, '을')} 지원하지 않습니다."
        )
    limit = fund.limit_for(firm.firm_type)
    if limit is None:
        result.errors.append(
            f"'{fund.name}'{particle(fund.name, '은')} {firm.get_firm_type_display()}{particle(firm.get_firm_type_display(), '이')} 신청할 수 없는 기금입니다."
        )
    amount = application.requested_amount_won
    if not amount:
        result.errors.append("신청금액을 입력하세요.")
    elif limit is not None and amount > limit:
        result.errors.append(
            f"신청금액 {amount:,}원이 업체당 한도 {limit:,}원({firm.get_firm_type_display()})을 넘습니다."
        )
    if not application.purpose:
        result.errors.append("자금용도(운전/시설)를 선택하세요.")
    years = application.repayment_years
    if years is not None and not (fund.repayment_years_min <= years <= fund.repayment_years_max):
        span = (
            f"{fund.repayment_years_min}년"
            if fund.repayment_years_min == fund.repayment_years_max
            else f"{fund.repayment_years_min}~{fund.repayment_years_max}년"
        )
        result.errors.append(f"'{fund.name}'의 분할상환기간은 {span}입니다. ({years}년은 선택할 수 없습니다)")
    if call is not None and not fund.year_round and not call.is_open_on(on_date):
        result.errors.append(
            f"접수일({on_date:%Y.%m.%d})에 '{call.title}'의 접수 기간"
            f"({call.opens_on:%Y.%m.%d}~{call.closes_on:%Y.%m.%d})이 아닙니다."
        )
    duplicate = (
        call is not None
        and LoanApplication.objects.filter(firm=firm, call=call)
        .exclude(status__in=(S.DRAFT, S.WITHDRAWN))
        .exclude(pk=application.pk)
        .exists()
    )
    if duplicate:
        result.errors.append(
            f"'{firm.name}'{particle(firm.name, '은')} '{call.title}'에 이미 신청했습니다. (공고당 1회)"
        )
    if firm.founded_on is None:
        result.errors.append("기업의 설립일(개업일)이 등록되어 있지 않습니다. 기업 정보에서 먼저 입력하세요.")
    else:
        # The fund's minimum business age, counted back from the call's opening day (the day of
        # entry for a year-round fund).
        months = fund.min_business_age_months
        base, base_label = (call.opens_on, "공고일") if call is not None else (on_date, "접수일")
        if firm.founded_on > months_before(base, months):
            result.errors.append(
                f"설립(개업) 후 {months}개월이 지나지 않은 기업은 신청할 수 없습니다. "
                f"(설립일 {firm.founded_on:%Y.%m.%d}, {base_label} {base:%Y.%m.%d})"
            )
    if fund.is_guarantee and amount and limit is not None and amount <= limit:
        result.errors.extend(
            capacity_refusals(
                fund=fund, firm=firm, amount_won=amount, what="신청금액", exclude_pk=application.pk
            )
        )
    unrepaid = (
        LoanApplication.objects.filter(firm=firm, fund__kind=fund.kind, status__in=UNREPAID_STATUSES)
        .exclude(pk=application.pk)
        .exists()
    )
    if unrepaid:
        result.flags.append(f"같은 기금({fund.get_kind_display()})에서 받은 대출을 아직 상환 중입니다.")
    if fund.repeat_loan_limit:
        _check_repeat_limit(application, result)
    return result


def _check_repeat_limit(application: LoanApplication, result: Eligibility) -> None:
    """The fund's limit on loans held at once, firms with the same representative counted together;
    over it the intake refuses or only warns, as the fund says (repeat_loan_limit_refuses)."""
    from loans.aftercare.selectors import loans_held_by_representative

    fund, firm = application.fund, application.firm
    held = loans_held_by_representative(firm, exclude_pk=application.pk)
    if len(held) < fund.repeat_loan_limit:
        return
    listed = ", ".join(f"{a.firm.name} {a.fund.name}" for a in held[:5])
    message = (
        f"대표자 {firm.representative}의 기업이 보유한 대출이 {len(held)}건({listed})으로 "
        f"'{fund.name}'의 보유 대출 한도({fund.repeat_loan_limit}건)에 이르렀습니다."
    )
    (result.errors if fund.repeat_loan_limit_refuses else result.flags).append(message)


# ---------------------------------------------------------------- applications


FUTURE_ENTRY_DATE = "접수일은 오늘보다 늦을 수 없습니다."


def submission_check(application: LoanApplication, *, on_date: datetime.date) -> Eligibility:
    """Every check 접수 on `on_date` runs, without writing: the draft's 요건 panel shows the same
    refusals application_submit would raise, so the panel never promises what 접수 refuses."""
    result = check_eligibility(application, on_date=on_date)
    if on_date > timezone.localdate():
        result.errors.insert(0, FUTURE_ENTRY_DATE)
    return result


@transaction.atomic
def application_save_draft(*, application: LoanApplication, actor) -> LoanApplication:
    """Save an application as a draft (임시저장): no eligibility check runs yet."""
    _check_role(actor, STAFF_ONLY)
    if application.pk:
        locked = _lock(application)
        if locked.status != S.DRAFT:
            raise LoanRuleError("임시저장 상태의 신청만 수정할 수 있습니다.")
    else:
        application.created_by = actor
    application.status = S.DRAFT
    application._history_user = actor
    application.save()
    if not application.events.exists():
        ApplicationEvent.objects.create(
            application=application, from_status="", to_status=S.DRAFT, actor=actor, reason="임시저장"
        )
    return application


@transaction.atomic
def application_submit(
    *, application: LoanApplication, actor, on_date: datetime.date | None = None
) -> LoanApplication:
    """Draft (or a new application) → 접수, after every eligibility rule passes.

    A refusal writes nothing: a new application stays unsaved, a draft stays a draft.
    """
    action = _check_action(actor, "submit")
    on_date = on_date or timezone.localdate()
    # The application form and the import both come through here, so neither can skip it.
    if on_date > timezone.localdate():
        raise LoanRuleError(FUTURE_ENTRY_DATE)
    if application.pk:
        locked = _lock(application)
        if locked.status not in action.from_statuses:
            raise LoanRuleError(f"'{locked.get_status_display()}' 상태의 신청은 다시 접수할 수 없습니다.")
    # Lock the fund so two submissions can't both take the last of a guarantee pool, nor the same
    # intake number.
    fund = LoanFund.objects.select_for_update().filter(pk=application.fund_id).first()
    if fund is not None:
        _lock_fund(fund)
    result = submission_check(application, on_date=on_date)
    if not result.ok:
        raise LoanRuleError(result.errors[0], result.errors)
    is_new = application.pk is None
    if is_new:
        application.created_by = actor
        application.status = S.DRAFT
    application.has_unrepaid_loan_flag = bool(result.flags)
    application.submitted_on = on_date
    if fund is not None and fund.year_round and not application.intake_number:
        application.intake_number = next_intake_number(fund=fund)
    application._history_user = actor
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise LoanRuleError("이 기업은 이 공고에 이미 신청했습니다. (공고당 1회)") from None
    if is_new:
        ApplicationEvent.objects.create(
            application=application, from_status="", to_status=S.DRAFT, actor=actor
        )
    locked = _lock(application)
    try:
        with transaction.atomic():
            _move(
                locked,
                S.RECEIVED,
                actor=actor,
                reason="; ".join(result.flags) or "접수",
                amount_won=application.requested_amount_won,
            )
    except IntegrityError:
        raise LoanRuleError("이 기업은 이 공고에 이미 신청했습니다. (공고당 1회)") from None
    return _refresh(application, locked)


@transaction.atomic
def application_start_review(*, application: LoanApplication, actor, reason: str = "") -> LoanApplication:
    """접수 → 요건검토."""
    action = _check_action(actor, "start_review")
    locked = _lock(application)
    if locked.status not in action.from_statuses:
        raise LoanRuleError("접수된 신청만 요건검토를 시작할 수 있습니다.")
    _move(locked, S.REVIEW, actor=actor, reason=reason or "요건검토 시작")
    return _refresh(application, locked)


@transaction.atomic
def application_reject_in_review(*, application: LoanApplication, actor, reason: str) -> LoanApplication:
    """요건검토 → 탈락 (requirements not met), with a reason."""
    action = _check_action(actor, "reject")
    if not reason.strip():
        raise LoanRuleError("탈락 사유를 입력하세요.")
    locked = _lock(application)
    if locked.status not in action.from_statuses:
        raise LoanRuleError("요건검토 중인 신청만 요건 미충족으로 탈락 처리할 수 있습니다.")
    _move(locked, S.REJECTED, actor=actor, reason=reason)
    return _refresh(application, locked)


@transaction.atomic
def application_put_on_agenda(*, application: LoanApplication, actor, reason: str = "") -> LoanApplication:
    """요건검토 → 심의상정 (on the guarantee path only when the fund has the committee recommend)."""
    action = _check_action(actor, "put_on_agenda")
    locked = _lock(application)
    if locked.status not in action.from_statuses:
        raise LoanRuleError("요건검토를 마친 신청만 심의에 상정할 수 있습니다.")
    fund = locked.fund
    if not action.starts_from(locked.status, fund.kind, workflow.recommended_by_of(locked)):
        raise LoanRuleError(
            f"'{fund.name}'{particle(fund.name, '은')} 담당자가 추천합니다. 심의에 상정하지 않습니다."
        )
    _move(locked, S.ON_AGENDA, actor=actor, reason=reason or "심의상정")
    return _refresh(application, locked)


@transaction.atomic
def application_remove_from_agenda(
    *, application: LoanApplication, actor, reason: str = ""
) -> LoanApplication:
    """심의상정 → 요건검토."""
    action = _check_action(actor, "remove_from_agenda")
    locked = _lock(application)
    if locked.status not in action.from_statuses:
        raise LoanRuleError("심의상정된 신청만 안건에서 뺄 수 있습니다.")
    _move(locked, S.REVIEW, actor=actor, reason=reason or "안건에서 제외")
    return _refresh(application, locked)


@transaction.atomic
def application_decide(
    *,
    application: LoanApplication,
    outcome: str,
    approved_amount_won: int | None,
    actor,
    reason: str = "",
) -> LoanApplication:
    """심의상정 → 선정 (with an approved amount, 0 < amount ≤ requested) / 예비선정 / 탈락.

    The committee's capacity cap (what the fund has left) is the caller's job via
    fund_available_won; this checks the amount itself and that the fund isn't overdrawn.
    """
    name = DECISION_ACTIONS.get(outcome)
    _check_action(actor, name or "select")  # the three outcomes share their roles
    if name is None:
        raise LoanRuleError("심의 결과는 선정, 예비선정, 탈락 중 하나여야 합니다.")
    locked = _lock(application)
    if locked.status not in workflow.ACTIONS[name].from_statuses:
        raise LoanRuleError("심의상정된 신청만 심의 결과를 정할 수 있습니다.")
    amount = None
    if outcome == S.SELECTED:
        amount = _valid_approved_amount(locked, approved_amount_won)
        _check_capacity(locked, amount)
        locked.approved_amount_won = amount
    elif outcome == S.RESERVE:
        # A reserve firm keeps its proposed amount for later, but holds no money yet.
        locked.approved_amount_won = approved_amount_won and _valid_approved_amount(
            locked, approved_amount_won
        )
        amount = locked.approved_amount_won
    else:
        locked.approved_amount_won = None
    _move(locked, outcome, actor=actor, reason=reason or S(outcome).label, amount_won=amount)
    return _refresh(application, locked)


def _valid_approved_amount(locked: LoanApplication, amount) -> int:
    if amount is None or int(amount) <= 0:
        raise LoanRuleError("선정금액을 0원보다 크게 입력하세요.")
    if int(amount) > (locked.requested_amount_won or 0):
        raise LoanRuleError(
            f"선정금액 {int(amount):,}원이 신청금액 {locked.requested_amount_won or 0:,}원보다 많습니다."
        )
    return int(amount)


def _check_capacity(locked: LoanApplication, amount: int) -> None:
    # Lock the fund row: concurrent decisions on one fund wait for each other.
    fund = LoanFund.objects.select_for_update().get(pk=locked.fund_id)
    available = fund_available_won(fund=fund)
    if amount > available:
        raise LoanRuleError(
            f"'{fund.name}'의 남은 재원({available:,}원)이 선정금액 {amount:,}원보다 적습니다."
        )


@transaction.atomic
def reserve_mark_selected(
    *, application: LoanApplication, approved_amount_won: int, actor, reason: str
) -> LoanApplication:
    """예비선정 → 선정 with the fund row locked: the workflow step under the one service that
    promotes a reserve, loans.committee.services.meeting_promote_reserve, which alone decides the
    amount (the committee's), the order (the reserve ranks) and the meeting's budget. Nothing else
    calls this; the application page refuses a promotion (REFUSED_PROMOTION)."""
    action = _check_action(actor, "promote")
    locked = _lock(application)
    if locked.status not in action.from_statuses:
        raise LoanRuleError("예비선정된 신청만 선정으로 올릴 수 있습니다.")
    amount = _valid_approved_amount(locked, approved_amount_won)
    _check_capacity(locked, amount)
    locked.approved_amount_won = amount
    _move(locked, S.SELECTED, actor=actor, reason=reason, amount_won=amount)
    return _refresh(application, locked)


@transaction.atomic
def application_withdraw(*, application: LoanApplication, actor, reason: str = "") -> LoanApplication:
    """Any open state → 취하."""
    action = _check_action(actor, "withdraw")
    locked = _lock(application)
    if locked.status not in action.from_statuses:
        raise LoanRuleError(f"'{locked.get_status_display()}' 상태의 신청은 취하할 수 없습니다.")
    _move(locked, S.WITHDRAWN, actor=actor, reason=reason or "취하")
    return _refresh(application, locked)


def application_perform(
    *,
    application: LoanApplication,
    action: str,
    actor,
    reason: str = "",
    amount_won: int | None = None,
    **arguments,
) -> LoanApplication:
    """Run one declared workflow action (see loans/workflow.py) through the service it names.

    The service checks the role, the status and its rules and records the event; an action that
    isn't declared, or belongs to another fund kind's path, is refused here. `arguments` are the
    service's own (e.g. bank_rate, executed_on; `installment` for a repayment).
    """
    declared = workflow.ACTIONS.get(action)
    if declared is None or not declared.applies_to(workflow.fund_kind_of(application)):
        raise LoanRuleError("알 수 없는 처리입니다.")
    call = {**declared.service_arguments, **arguments}
    if declared.passes_reason:
        call["reason"] = reason
    if declared.needs_amount:
        call[declared.amount_argument] = amount_won
    if declared.subject_argument == "application":
        call["application"] = application
    # Service functions are looked up by name: loans.workflow can't import this module.
    return globals()[declared.service](actor=actor, **call)


# ---------------------------------------------------------------- bank referral and outcome


@transaction.atomic
def call_refer_to_bank(*, call: LoanCall, actor, application_ids=None) -> list[LoanApplication]:
    """The selected applications staff chose (`application_ids`; None = every selected one of the
    call) → 은행통보; the letter and sheet list the same firms. A chosen id that is not a selected
    application of this call refuses the whole referral."""
    action = _check_action(actor, "refer")
    applications = (
        LoanApplication.objects.select_for_update(of=("self",))
        .select_related("fund", "firm")
        .filter(call=call)
    )
    if application_ids is not None:
        wanted = {int(pk) for pk in application_ids}
        if not wanted:
            raise LoanRuleError("은행에 통보할 업체를 한 곳 이상 선택하세요.")
        chosen = list(applications.filter(pk__in=wanted))
        wrong = [a for a in chosen if a.status not in action.from_statuses]
        if wrong or len(chosen) != len(wanted):
            names = ", ".join(f"{a.firm}({a.get_status_display()})" for a in wrong) or "목록에 없는 신청"
            raise LoanRuleError(f"선정 상태인 이 공고의 신청만 통보할 수 있습니다: {names}")
    else:
        chosen = list(applications.filter(status__in=action.from_statuses))
    referred = [
        _move(
            application,
            S.REFERRED,
            actor=actor,
            reason="은행 통보",
            amount_won=application.approved_amount_won,
        )
        for application in chosen
    ]
    if not referred:
        raise LoanRuleError("은행에 통보할 선정 신청이 없습니다.")
    return referred


@transaction.atomic
def application_refer_to_bank(*, application: LoanApplication, actor) -> LoanApplication:
    """One selected application → 은행통보."""
    _check_action(actor, "refer")
    locked = _lock(application)
    _move(locked, S.REFERRED, actor=actor, reason="은행 통보", amount_won=locked.approved_amount_won)
    return _refresh(application, locked)


@transaction.atomic
def application_record_bank_approval(
    *,
    application: LoanApplication,
    executed_amount_won: int,
    bank_rate: Decimal,
    executed_on: datetime.date,
    actor,
    reason: str = "",
) -> LoanApplication:
    """은행통보 (보증 승인 on the guarantee path) → 대출실행, and the repayment schedule stored as
    installments. A guarantee loan lends at most the guaranteed amount, within the cap and the pool,
    at a rate within the fund's band."""
    action = _check_action(actor, "bank_approval")
    locked = _lock(application)
    fund = locked.fund
    if locked.status not in action.from_statuses:
        raise LoanRuleError(_bank_outcome_refusal(fund))
    if not executed_amount_won or int(executed_amount_won) <= 0:
        raise LoanRuleError("실행금액을 0원보다 크게 입력하세요.")
    if fund.is_guarantee:
        if int(executed_amount_won) > (locked.guarantee_amount_won or 0):
            raise LoanRuleError(
                f"실행금액 {int(executed_amount_won):,}원이 보증금액 {locked.guarantee_amount_won or 0:,}원보다 많습니다."
            )
    elif int(executed_amount_won) > (locked.approved_amount_won or 0):
        raise LoanRuleError(
            f"실행금액 {int(executed_amount_won):,}원이 선정금액 {locked.approved_amount_won or 0:,}원보다 많습니다."
        )
    if bank_rate is None or Decimal(bank_rate) < 0 or Decimal(bank_rate) > 30:
        raise LoanRuleError("대출금리(연 %)를 0~30 사이로 입력하세요.")
    if executed_on is None:
        raise LoanRuleError("대출실행일을 입력하세요.")
    if (
        fund.rate_min is not None
        and fund.rate_max is not None
        and not (fund.rate_min <= Decimal(bank_rate) <= fund.rate_max)
    ):
        raise LoanRuleError(
            f"'{fund.name}'의 금리는 {fund.rate_display}입니다. (입력한 금리 연 {format_rate(Decimal(bank_rate))})"
        )
    if fund.is_guarantee:
        _refuse_over_capacity(
            locked,
            int(executed_amount_won),
            "실행금액",
            pool_amount_won=guaranteed_share(int(executed_amount_won), locked.guarantee_ratio_pct),
        )
    locked.executed_amount_won = int(executed_amount_won)
    locked.bank_rate = Decimal(bank_rate)
    locked.executed_on = executed_on
    _move(
        locked, S.EXECUTED, actor=actor, reason=reason or "은행 승인", amount_won=locked.executed_amount_won
    )
    _store_schedule(locked, actor=actor)
    from loans.aftercare.models import ScheduleVersion
    from loans.aftercare.services import schedule_version_record

    schedule_version_record(
        application=locked,
        cause=ScheduleVersion.Cause.EXECUTION,
        effective_on=executed_on,
        annual_rate_pct=locked.bank_rate,
        actor=actor,
        reason=reason or "은행 승인",
    )
    return _refresh(application, locked)


def _bank_outcome_refusal(fund: LoanFund) -> str:
    if fund.is_guarantee:
        return "보증기관이 보증을 승인한 신청만 은행 결과를 입력할 수 있습니다."
    return "은행에 통보된 신청만 은행 결과를 입력할 수 있습니다."


def schedule_for(application: LoanApplication) -> list[schedule.ScheduledPayment]:
    """The schedule of an executed loan, from its amount, rate, date and the fund's terms."""
    fund = application.fund
    rate = application.bank_rate if application.bank_rate is not None else (fund.interest_rate or Decimal(0))
    return schedule.repayment_schedule(
        principal_won=application.executed_amount_won,
        annual_rate_pct=rate,
        start_on=application.executed_on,
        grace_years=fund.grace_years,
        repayment_years=application.effective_repayment_years,
        payments_per_year=fund.payments_per_year,
        method=application.repayment_method,
    )


def _store_schedule(locked: LoanApplication, *, actor) -> None:
    for old in Installment.objects.filter(application=locked):
        old._history_user = actor
        old.delete()
    bulk_create_with_history(
        [
            Installment(
                application=locked,
                number=p.number,
                due_on=p.due_on,
                principal_won=p.principal_won,
                interest_won=p.interest_won,
                balance_before_won=p.balance_before_won,
                balance_after_won=p.balance_after_won,
            )
            for p in schedule_for(locked)
        ],
        Installment,
        default_user=actor,
    )


@transaction.atomic
def application_record_bank_rejection(*, application: LoanApplication, reason: str, actor) -> LoanApplication:
    """은행통보 → 은행부결, with the bank's reason."""
    action = _check_action(actor, "bank_rejection")
    if not reason.strip():
        raise LoanRuleError("은행 부결 사유를 입력하세요.")
    locked = _lock(application)
    if locked.status not in action.from_statuses:
        raise LoanRuleError(_bank_outcome_refusal(locked.fund))
    locked.bank_rejection_reason = reason.strip()[:300]
    _move(locked, S.BANK_REJECTED, actor=actor, reason=reason)
    return _refresh(application, locked)


# ---------------------------------------------------------------- the guarantee path (보증특례)
# 접수 and 요건검토 are the steps above; then 구 추천, 보증 신청, 보증 심사 결과, and the bank's
# execution (application_record_bank_approval). Every amount is checked when it is committed.


def next_intake_number(*, fund: LoanFund) -> str:
    """The next number of a year-round fund's register for its year: 2018-0001, 2018-0002 ...
    The caller holds the fund row locked."""
    numbers = fund.applications.exclude(intake_number="").values_list("intake_number", flat=True)
    last = max((int(n.rsplit("-", 1)[-1]) for n in numbers if n.rsplit("-", 1)[-1].isdigit()), default=0)
    return f"{fund.year}-{last + 1:04d}"


def _lock_fund(fund: LoanFund) -> None:
    """Lock the fund row, and for a guarantee fund every year's row of it (the pool spans years):
    commitments to one scale or one pool wait for each other. Always in pk order (no deadlock)."""
    rows = LoanFund.objects.filter(pk=fund.pk)
    if fund.is_guarantee:
        rows = LoanFund.objects.filter(kind=LoanFund.Kind.GUARANTEE, name=fund.name)
    list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))


# The foundation's fee is a yearly rate on the guaranteed amount; well above any real 보증료.
MAX_FEE_PCT = Decimal("10")


def _require_guarantee(locked: LoanApplication) -> LoanFund:
    if not locked.fund.is_guarantee:
        raise LoanRuleError(
            f"'{locked.fund.name}'{particle(locked.fund.name, '은')} 보증특례 기금이 아닙니다."
        )
    return locked.fund


def _refuse_over_capacity(locked: LoanApplication, amount_won: int, what: str, pool_amount_won=None) -> None:
    """Refuse committing `amount_won` of a guarantee fund past the per-firm cap, the year's scale or
    the pool (loans/guarantee/rules.py), with every figure named; the pool is locked first."""
    _lock_fund(locked.fund)
    refusals = capacity_refusals(
        fund=locked.fund,
        firm=locked.firm,
        amount_won=amount_won,
        what=what,
        exclude_pk=locked.pk,
        pool_amount_won=pool_amount_won,
    )
    if refusals:
        raise LoanRuleError(refusals[0], refusals)


@transaction.atomic
def application_recommend(
    *,
    application: LoanApplication,
    amount_won: int | None,
    actor,
    reason: str = "",
    meeting: int | None = None,
) -> LoanApplication:
    """요건검토 → 구 추천 (staff), or 심의상정 → 구 추천 when the fund has the committee recommend:
    staff or a manager record it with the closed meeting (`meeting`, its id) that passed it, and
    the meeting's decision with its vote goes on the timeline event.

    The recommended amount (0 < amount ≤ requested, and ≤ the committee's amount) is checked
    against the per-firm cap, the year's scale and the pool, and holds them from now on."""
    action = _check_action(actor, "recommend")
    locked = _lock(application)
    fund = _require_guarantee(locked)
    # Where and by whom it starts depends on the fund's 구 추천 방식 (declared in loans/workflow.py).
    recommended_by = workflow.recommended_by_of(locked)
    _check_role(actor, action.roles_for(fund.kind, recommended_by))
    starts = action.starts_from(locked.status, fund.kind, recommended_by)
    decision = None
    if fund.recommended_by == LoanFund.RecommendedBy.COMMITTEE:
        if not starts:
            raise LoanRuleError(
                f"'{fund.name}'{particle(fund.name, '은')} 심의위원회가 추천합니다: 심의상정된 신청만 추천할 수 있습니다."
            )
        decision = _committee_decision(locked, meeting)
    elif not starts:
        raise LoanRuleError("요건검토 중인 신청만 구 추천할 수 있습니다.")
    if amount_won is None or int(amount_won) <= 0:
        raise LoanRuleError("추천금액을 0원보다 크게 입력하세요.")
    amount = int(amount_won)
    if amount > (locked.requested_amount_won or 0):
        raise LoanRuleError(
            f"추천금액 {amount:,}원이 신청금액 {locked.requested_amount_won or 0:,}원보다 많습니다."
        )
    if decision is not None and decision.amount_won is not None and amount > decision.amount_won:
        raise LoanRuleError(
            f"추천금액 {amount:,}원이 심의위원회 의결 금액 {decision.amount_won:,}원보다 많습니다."
        )
    _refuse_over_capacity(locked, amount, "추천금액")
    locked.approved_amount_won = amount
    if decision is not None:
        reason = " — ".join(filter(None, [f"{decision.label} {decision.text}", reason.strip()]))
    _move(locked, S.RECOMMENDED, actor=actor, reason=reason.strip() or "구 추천", amount_won=amount)
    return _refresh(application, locked)


def _committee_decision(application: LoanApplication, meeting) -> CommitteeDecision:
    """The closed meeting's decision the recommendation follows; refused unless it passed."""
    if meeting in (None, ""):
        raise LoanRuleError(
            "심의위원회가 추천하는 기금입니다: 이 신청을 의결한 종료된 심의위원회 회의를 고르세요."
        )
    try:
        meeting_id = int(meeting)
    except (TypeError, ValueError):
        meeting_id = None
    decision = next((d for d in committee_decisions(application) if d.meeting_id == meeting_id), None)
    if decision is None:
        raise LoanRuleError("고른 회의는 이 신청을 의결한 종료된 심의위원회 회의가 아닙니다.")
    if not decision.passed:
        raise LoanRuleError(
            f"{decision.label}에서 가결되지 않은 신청은 구 추천할 수 없습니다 ({decision.text})."
        )
    return decision


@transaction.atomic
def application_send_to_guarantor(
    *, application: LoanApplication, sent_on: datetime.date | None, actor
) -> LoanApplication:
    """구 추천 → 보증 신청: the recommendation went to the foundation on `sent_on`."""
    _check_action(actor, "send_to_guarantor")
    if sent_on is None:
        raise LoanRuleError("보증 신청일을 입력하세요.")
    if sent_on > timezone.localdate():
        raise LoanRuleError("보증 신청일은 오늘보다 늦을 수 없습니다.")
    locked = _lock(application)
    fund = _require_guarantee(locked)
    if locked.status != S.RECOMMENDED:
        raise LoanRuleError("구 추천된 신청만 보증기관에 보낼 수 있습니다.")
    if locked.submitted_on and sent_on < locked.submitted_on:
        raise LoanRuleError(
            f"보증 신청일({sent_on:%Y.%m.%d})이 접수일({locked.submitted_on:%Y.%m.%d})보다 빠릅니다."
        )
    locked.guarantee_requested_on = sent_on
    _move(
        locked,
        S.GUARANTEE_REQUESTED,
        actor=actor,
        reason=f"{fund.guarantor or '보증기관'}에 보증 신청 ({sent_on:%Y.%m.%d})",
        amount_won=locked.approved_amount_won,
    )
    return _refresh(application, locked)


@transaction.atomic
def guarantee_send_batch(*, applications, sent_on: datetime.date | None, actor) -> list[LoanApplication]:
    """Several recommended applications sent together (one letter, one list): all or none."""
    sent = [
        application_send_to_guarantor(application=application, sent_on=sent_on, actor=actor)
        for application in applications
    ]
    if not sent:
        raise LoanRuleError("보증기관에 보낼 신청을 하나 이상 고르세요.")
    return sent


def _decimal(value, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise LoanRuleError(f"{what}{particle(what, '을')} 숫자로 입력하세요.") from None


@transaction.atomic
def application_record_guarantee_approval(
    *,
    application: LoanApplication,
    guarantee_amount_won: int | None,
    ratio_pct,
    fee_pct,
    certificate_number: str,
    decided_on: datetime.date | None,
    actor,
) -> LoanApplication:
    """보증 신청 → 보증 승인, with the foundation's figures: the guaranteed amount (≤ recommended),
    보증비율 (0 < % ≤ 100), 보증료 (연 %), 보증서 번호 and the decision date. The guaranteed share
    (amount × ratio) replaces the recommendation in the pool; the cap and scale are checked again."""
    _check_action(actor, "guarantee_approval")
    locked = _lock(application)
    fund = _require_guarantee(locked)
    if locked.status != S.GUARANTEE_REQUESTED:
        raise LoanRuleError("보증기관에 신청한 신청만 보증 심사 결과를 입력할 수 있습니다.")
    errors = []
    amount = int(guarantee_amount_won) if guarantee_amount_won not in (None, "") else 0
    if amount <= 0:
        errors.append("보증금액을 0원보다 크게 입력하세요.")
    elif amount > (locked.approved_amount_won or 0):
        errors.append(f"보증금액 {amount:,}원이 추천금액 {locked.approved_amount_won or 0:,}원보다 많습니다.")
    ratio = _decimal(ratio_pct, "보증비율") if ratio_pct not in (None, "") else None
    if ratio is None or not (0 < ratio <= 100):
        errors.append("보증비율(%)을 0보다 크고 100 이하로 입력하세요.")
    fee = _decimal(fee_pct, "보증료") if fee_pct not in (None, "") else None
    if fee is None or not (0 <= fee <= MAX_FEE_PCT):
        errors.append(f"보증료(연 %)를 0~{format_rate(MAX_FEE_PCT)} 사이로 입력하세요.")
    certificate = (certificate_number or "").strip()
    if not certificate:
        errors.append("보증서 번호를 입력하세요.")
    if decided_on is None:
        errors.append("보증 심사 결과일을 입력하세요.")
    elif locked.guarantee_requested_on and decided_on < locked.guarantee_requested_on:
        errors.append(
            f"보증 심사 결과일({decided_on:%Y.%m.%d})이 보증 신청일({locked.guarantee_requested_on:%Y.%m.%d})보다 빠릅니다."
        )
    if errors:
        raise LoanRuleError(errors[0], errors)
    _refuse_over_capacity(locked, amount, "보증금액", pool_amount_won=guaranteed_share(amount, ratio))
    locked.guarantee_amount_won = amount
    locked.guarantee_ratio_pct = ratio
    locked.guarantee_fee_pct = fee
    locked.guarantee_certificate_number = certificate[:50]
    locked.guarantee_decided_on = decided_on
    _move(
        locked,
        S.GUARANTEE_APPROVED,
        actor=actor,
        reason=(
            f"{fund.guarantor or '보증기관'} 보증 승인 ({decided_on:%Y.%m.%d}): 보증비율 {format_rate(ratio)}, "
            f"보증료 연 {format_rate(fee)}, 보증서 {certificate}"
        ),
        amount_won=amount,
    )
    return _refresh(application, locked)


@transaction.atomic
def application_record_guarantee_rejection(
    *, application: LoanApplication, reason: str, decided_on: datetime.date | None, actor
) -> LoanApplication:
    """보증 신청 → 보증 거절, with the foundation's reason; the pool and the scale are freed."""
    _check_action(actor, "guarantee_rejection")
    if not (reason or "").strip():
        raise LoanRuleError("보증 거절 사유를 입력하세요.")
    if decided_on is None:
        raise LoanRuleError("보증 심사 결과일을 입력하세요.")
    locked = _lock(application)
    fund = _require_guarantee(locked)
    if locked.status != S.GUARANTEE_REQUESTED:
        raise LoanRuleError("보증기관에 신청한 신청만 보증 심사 결과를 입력할 수 있습니다.")
    locked.guarantee_rejection_reason = reason.strip()[:300]
    locked.guarantee_decided_on = decided_on
    _move(
        locked,
        S.GUARANTEE_REJECTED,
        actor=actor,
        reason=f"{fund.guarantor or '보증기관'} 보증 거절 ({decided_on:%Y.%m.%d}): {reason.strip()}",
    )
    return _refresh(application, locked)


# ---------------------------------------------------------------- repayment


def installment_mark_paid(*, installment: Installment, paid_on: datetime.date, actor) -> Installment:
    """Pay one installment in full (the old "납입" button): now a recorded payment of what is left
    up to it (loans.aftercare.services.installment_settle); the loan becomes 상환중, and 상환완료
    once everything is paid."""
    from loans.aftercare.services import installment_settle

    installment_settle(installment=installment, paid_on=paid_on, actor=actor)
    row = Installment.objects.get(pk=installment.pk)
    installment.__dict__.update({k: v for k, v in row.__dict__.items() if not k.startswith("_")})
    return row


@transaction.atomic
def installments_mark_paid(
    *, installment_ids: Iterable[int], paid_on: datetime.date | None, actor
) -> list[Installment]:
    """The installments staff ticked on the due list, each paid in full on `paid_on`, all or none.

    Each goes through the declared repayment action (application_perform → installment_mark_paid),
    so its rules, payment row, history and events are those of the single 납입 button. The first
    refusal undoes the whole batch and names the firm and 회차; earlier installments of one loan
    are paid first. Ids that are not installments refuse the batch too.
    """
    _check_action(actor, "repayment")
    wanted = {int(pk) for pk in installment_ids}
    if not wanted:
        raise LoanRuleError("납입 처리할 회차를 한 건 이상 선택하세요.")
    if paid_on is None:
        raise LoanRuleError("납입일을 입력하세요.")
    chosen = list(
        Installment.objects.filter(pk__in=wanted)
        .select_related("application__firm", "application__fund")
        .order_by("application_id", "number")
    )
    if len(chosen) != len(wanted):
        raise LoanRuleError("선택한 회차 가운데 목록에 없는 회차가 있습니다. 목록을 다시 열어 선택하세요.")
    for installment in chosen:
        try:
            application_perform(
                application=installment.application,
                action="repayment",
                installment=installment,
                paid_on=paid_on,
                actor=actor,
            )
        except LoanRuleError as error:
            raise LoanRuleError(
                f"{installment.application.firm.name} {installment.number}회차를 납입 처리할 수 없습니다: "
                f"{error.message} 선택한 {len(chosen)}건 모두 기록하지 않았습니다."
            ) from error
    return chosen


def subsidy_cost_by_year(application: LoanApplication, installments=None) -> dict[int, int]:
    """The district's yearly interest-subsidy cost for a bank-partnership loan ({} for other funds)."""
    if not application.has_interest_subsidy or application.executed_amount_won is None:
        return {}
    fund = application.fund
    return schedule.interest_subsidy_by_year(
        payments=installments if installments is not None else application.installments.all(),
        bank_rate_pct=application.bank_rate,
        subsidy_cap_pct=fund.subsidy_cap_pct,
        payments_per_year=fund.payments_per_year,
    )


# ---------------------------------------------------------------- documents

ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_SUFFIX = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def sniff_document_type(head: bytes) -> str | None:
    """The document's real type from its first bytes (not its name): PDF, JPEG or PNG, else None."""
    for content_type, signatures in ALLOWED_DOCUMENT_TYPES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def document_add(*, application: LoanApplication, title: str, uploaded_file, actor) -> ApplicationDocument:
    """Attach a PDF/JPEG/PNG to an application, under a random name in MEDIA_ROOT.

    The type is checked from the file's bytes, so a .exe renamed .pdf is refused.
    """
    _check_role(actor, STAFF_ONLY)
    if application.status in (S.WITHDRAWN, S.REPAID):
        raise LoanRuleError("취하되었거나 상환이 끝난 신청에는 서류를 더할 수 없습니다.")
    if not title.strip():
        raise LoanRuleError("서류명을 입력하세요.")
    size = uploaded_file.size
    limit = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise LoanRuleError(f"파일이 너무 큽니다: {size:,}바이트 (최대 {limit:,}바이트).")
    if size == 0:
        raise LoanRuleError("빈 파일은 올릴 수 없습니다.")
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    content_type = sniff_document_type(head)
    if content_type is None:
        raise LoanRuleError("PDF, JPEG, PNG 파일만 올릴 수 있습니다. (파일 내용이 이 형식이 아닙니다)")
    original_name = str(uploaded_file.name)[:255]
    # The stored suffix follows the real type, never the uploaded name.
    uploaded_file.name = f"document{DOCUMENT_SUFFIX[content_type]}"
    # The file is written before the row; a failed insert leaves an orphan file, not a dangling row.
    return ApplicationDocument.objects.create(
        application=application,
        title=title.strip()[:100],
        file=uploaded_file,
        original_name=original_name,
        content_type=content_type,
        size_bytes=size,
        uploaded_by=actor,
    )

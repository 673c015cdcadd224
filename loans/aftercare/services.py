"""Writes after the loan: recording and reversing payments, prepayments, rate changes.

Every function checks the actor's role, locks the loan, writes and records in one transaction.
What a payment did to the schedule is derived (allocation.py); the only stored consequences are
the installments' paid_on (the day each was settled, kept in step for lists and the old pages)
and the loan's status (상환중 after the first payment, 상환완료 once nothing is left).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from guro_sme.korean import particle
from guro_sme.roles import Role
from loans.models import ApplicationEvent, Installment, LoanApplication, LoanFund
from loans.services import LoanRuleError, _check_action, _check_role, _lock, _move

from .models import LoanPayment, RecoveryCase, ScheduleVersion, SubsidyClaim, SubsidyClaimLine
from .selectors import loan_state

S = LoanApplication.Status
STAFF_ONLY = (Role.STAFF,)


def _locked_loan(application: LoanApplication) -> LoanApplication:
    locked = _lock(application)
    if locked.status not in (S.EXECUTED, S.REPAYING, S.REPAID):
        raise LoanRuleError("대출이 실행된 신청의 상환만 기록할 수 있습니다.")
    return locked


def _sync(locked: LoanApplication, *, actor, reason: str, amount_won: int) -> None:
    """Bring the installments' settled days and the loan's status in line with the payments."""
    state = loan_state(locked, as_of=datetime.date.max)
    settled = {i.number: i.settled_on for i in state.installments}
    for row in Installment.objects.filter(application=locked):
        if row.paid_on != settled.get(row.number):
            row.paid_on = settled.get(row.number)
            row.paid_by = actor if row.paid_on else None
            row._history_user = actor
            row.save(update_fields=["paid_on", "paid_by"])
    finished = state.outstanding_principal_won == 0 and state.remaining_scheduled_won == 0
    if finished and locked.status != S.REPAID:
        _move(locked, S.REPAID, actor=actor, reason=f"{reason}, 상환 완료", amount_won=amount_won)
    elif not finished and locked.status == S.EXECUTED:
        _move(locked, S.REPAYING, actor=actor, reason=reason, amount_won=amount_won)
    elif not finished and locked.status == S.REPAID:
        # A recorded reversal of the last payment reopens the loan: the one step back from a
        # closed status, written as an event like every other.
        locked.status = S.REPAYING
        locked.save(update_fields=["status", "updated_at"])
        ApplicationEvent.objects.create(
            application=locked,
            from_status=S.REPAID,
            to_status=S.REPAYING,
            actor=actor,
            reason=f"{reason}: 상환 재개"[:500],
            amount_won=amount_won,
        )


@transaction.atomic
def payment_record(
    *,
    application: LoanApplication,
    paid_on: datetime.date,
    amount_won: int,
    actor,
    source: str = LoanPayment.Source.STAFF,
    note: str = "",
    bank_principal_won: int | None = None,
    bank_interest_won: int | None = None,
) -> LoanPayment:
    """Record a repayment; it settles interest then principal of the oldest installment due.

    Refused: no date, an amount of 0 or less, a date before the loan's execution or in the
    future, or more than what the schedule still asks (a prepayment is loan_prepay).
    """
    _check_action(actor, "repayment")
    locked = _locked_loan(application)
    if paid_on is None:
        raise LoanRuleError("납입일을 입력하세요.")
    if amount_won is None or int(amount_won) <= 0:
        raise LoanRuleError("납입액을 0원보다 크게 입력하세요.")
    amount_won = int(amount_won)
    if locked.executed_on and paid_on < locked.executed_on:
        raise LoanRuleError(
            f"납입일({paid_on:%Y.%m.%d})이 대출실행일({locked.executed_on:%Y.%m.%d})보다 앞섭니다."
        )
    if paid_on > timezone.localdate():
        raise LoanRuleError(f"납입일({paid_on:%Y.%m.%d})이 오늘보다 뒤입니다.")
    left = loan_state(locked, as_of=datetime.date.max).remaining_scheduled_won
    if left == 0:
        raise LoanRuleError("이 대출은 남은 상환액이 없습니다.")
    if amount_won > left:
        raise LoanRuleError(
            f"납입액 {amount_won:,}원이 남은 상환액 {left:,}원보다 많습니다. (남은 원금을 미리 갚는 것은 중도상환으로 입력하세요)"
        )
    payment = LoanPayment.objects.create(
        application=locked,
        kind=LoanPayment.Kind.REGULAR,
        paid_on=paid_on,
        amount_won=amount_won,
        source=source,
        note=note.strip()[:300],
        bank_principal_won=bank_principal_won,
        bank_interest_won=bank_interest_won,
        entered_by=actor,
    )
    _sync(locked, actor=actor, reason=f"{paid_on:%Y.%m.%d} 납입 {amount_won:,}원", amount_won=amount_won)
    application.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return payment


@transaction.atomic
def payment_reverse(*, payment: LoanPayment, actor, reason: str) -> LoanPayment:
    """Undo a payment by recording its reversal (the payment itself stays, marked as reversed)."""
    _check_role(actor, STAFF_ONLY)
    if not reason.strip():
        raise LoanRuleError("납입 취소 사유를 입력하세요.")
    locked = _locked_loan(payment.application)
    original = LoanPayment.objects.select_for_update().get(pk=payment.pk, application=locked)
    if original.kind == LoanPayment.Kind.REVERSAL:
        raise LoanRuleError("취소 기록은 다시 취소할 수 없습니다.")
    if LoanPayment.objects.filter(reverses=original).exists():
        raise LoanRuleError("이미 취소된 납입입니다.")
    if original.kind == LoanPayment.Kind.PREPAYMENT:
        later = (
            LoanPayment.objects.filter(application=locked, pk__gt=original.pk)
            .exclude(kind=LoanPayment.Kind.REVERSAL)
            .exclude(reversal__isnull=False)
            .exists()
        )
        if later:
            raise LoanRuleError(
                "중도상환 뒤에 기록된 납입이 있어 취소할 수 없습니다. 뒤의 납입을 먼저 취소하세요."
            )
    reversal = LoanPayment.objects.create(
        application=locked,
        kind=LoanPayment.Kind.REVERSAL,
        paid_on=timezone.localdate(),
        amount_won=original.amount_won,
        source=LoanPayment.Source.STAFF,
        reverses=original,
        note=reason.strip()[:300],
        entered_by=actor,
    )
    if original.kind == LoanPayment.Kind.PREPAYMENT:
        _restore_schedule_before(locked, original, actor=actor, reason=reason)
    _sync(
        locked,
        actor=actor,
        reason=f"{original.paid_on:%Y.%m.%d} 납입 {original.amount_won:,}원 취소",
        amount_won=original.amount_won,
    )
    return reversal


def installment_settle(*, installment: Installment, paid_on: datetime.date, actor) -> LoanPayment:
    """Pay an installment in full: one payment of what is left up to and including it.

    What the old "납입" button did; earlier installments still open are settled first, since a
    payment always goes to the oldest due.
    """
    application = installment.application
    state = loan_state(application, as_of=datetime.date.max)
    up_to = [i for i in state.installments if i.number <= installment.number]
    amount = sum(i.remaining_won for i in up_to)
    if amount == 0:
        raise LoanRuleError(f"{installment.number}회차는 이미 납입 처리되었습니다.")
    return payment_record(application=application, paid_on=paid_on, amount_won=amount, actor=actor)


# ---------------------------------------------------------------- schedule versions


def _rows_of(application: LoanApplication) -> list[dict]:
    return [
        {
            "number": i.number,
            "due_on": i.due_on.isoformat(),
            "principal_won": i.principal_won,
            "interest_won": i.interest_won,
            "balance_before_won": i.balance_before_won,
            "balance_after_won": i.balance_after_won,
        }
        for i in Installment.objects.filter(application=application).order_by("number")
    ]


def schedule_version_record(
    *,
    application: LoanApplication,
    cause: str,
    effective_on: datetime.date,
    annual_rate_pct: Decimal,
    actor,
    reason: str = "",
) -> ScheduleVersion:
    """Keep the loan's current installments as its next schedule version (called inside a write)."""
    last = application.schedule_versions.order_by("-number").first()
    return ScheduleVersion.objects.create(
        application=application,
        number=(last.number + 1) if last else 1,
        cause=cause,
        reason=reason[:300],
        effective_on=effective_on,
        annual_rate_pct=annual_rate_pct,
        rows=_rows_of(application),
        created_by=actor,
    )


def _restore_schedule_before(locked, prepayment: LoanPayment, *, actor, reason: str) -> None:
    version = (
        locked.schedule_versions.filter(
            cause=ScheduleVersion.Cause.PREPAYMENT, effective_on=prepayment.paid_on
        )
        .order_by("-number")
        .first()
    )
    previous = version and locked.schedule_versions.filter(number=version.number - 1).first()
    if previous is None:
        raise LoanRuleError("이 중도상환 전의 상환 일정을 찾을 수 없어 취소할 수 없습니다.")
    for old in Installment.objects.filter(application=locked):
        old._history_user = actor
        old.delete()
    bulk_create_with_history(
        [
            Installment(
                application=locked,
                number=row["number"],
                due_on=datetime.date.fromisoformat(row["due_on"]),
                principal_won=row["principal_won"],
                interest_won=row["interest_won"],
                balance_before_won=row["balance_before_won"],
                balance_after_won=row["balance_after_won"],
            )
            for row in previous.rows
        ],
        Installment,
        default_user=actor,
    )
    schedule_version_record(
        application=locked,
        cause=ScheduleVersion.Cause.RESTORED,
        effective_on=prepayment.paid_on,
        annual_rate_pct=previous.annual_rate_pct,
        actor=actor,
        reason=reason,
    )


# ---------------------------------------------------------------- 사후관리 and 환수

OBJECTION_DAYS = 20  # the 이의신청 window after the notice


def firm_moved_out_on(firm) -> datetime.date | None:
    """The day the registry's history first shows the firm outside the district (None if it is in)."""
    if firm.in_district:
        return None
    moved = None
    for entry in firm.history.order_by("history_date", "history_id"):
        if entry.in_district:
            moved = None
        elif moved is None:
            moved = timezone.localdate(entry.history_date)
    return moved


def recovery_amount(
    *, application: LoanApplication, cause_on: datetime.date, on_date: datetime.date
) -> tuple[int, int, Decimal, int]:
    """(principal, interest, rate, days) to recover on a loan: the principal outstanding on
    `on_date` plus interest at the fund's recovery rate (else the loan's rate) from `cause_on`."""
    principal = loan_state(application, as_of=on_date).outstanding_principal_won
    rate = application.fund.recovery_rate_pct
    if rate is None:
        rate = application.bank_rate or Decimal(0)
    days = max((on_date - cause_on).days, 0)
    interest = int(Decimal(principal) * Decimal(rate) / Decimal(100) * days / Decimal(365))
    return principal, interest, Decimal(rate), days


def _check_cause(*, firm, cause: str, application, detail: str, on_date) -> datetime.date | None:
    """The cause's own date when the records show it; a refusal when they contradict it."""
    C = RecoveryCase.Cause
    if cause == C.MOVED_OUT:
        moved = firm_moved_out_on(firm)
        if moved is None:
            raise LoanRuleError(
                f"'{firm.name}'{particle(firm.name, '은')} 기업 정보상 관내 소재입니다. 관외 이전을 먼저 기업 정보에 기록하세요."
            )
        return moved
    if cause == C.CLOSED:
        if firm.closed_on is None:
            raise LoanRuleError(f"'{firm.name}'의 폐업일이 기업 정보에 없습니다. 폐업일을 먼저 기록하세요.")
        return firm.closed_on
    if cause == C.OVERDUE:
        if application is None:
            raise LoanRuleError("장기 연체 환수는 융자에만 열 수 있습니다.")
        from .selectors import loan_balance

        balance = loan_balance(application, as_of=on_date)
        threshold = application.fund.followup_overdue_days
        if not threshold or balance.days_past_due <= threshold:
            raise LoanRuleError(
                f"연체 {balance.days_past_due}일로 기금의 사후관리 기준({threshold}일)을 넘지 않았습니다."
            )
        return on_date - datetime.timedelta(days=balance.days_past_due)
    if cause in (C.MISUSE, C.FALSE_APPLICATION):
        if not detail.strip():
            raise LoanRuleError("목적 외 사용·허위 신청은 확인한 내용을 사유 상세에 적으세요.")
        return None
    raise LoanRuleError("환수 사유를 고르세요.")


@transaction.atomic
def recovery_open(
    *,
    firm,
    cause: str,
    actor,
    application: LoanApplication | None = None,
    program: str = RecoveryCase.Program.LOAN,
    support_title: str = "",
    subsidy_won: int | None = None,
    cause_on: datetime.date | None = None,
    detail: str = "",
    on_date: datetime.date | None = None,
) -> RecoveryCase:
    """Open a 환수 case and fix the amount to recover (see recovery_amount; KOTRA/marketing: the
    whole subsidy). Refused when the firm's records don't show the cause or it's already open."""
    _check_role(actor, STAFF_ONLY)
    on_date = on_date or timezone.localdate()
    P = RecoveryCase.Program
    if program == P.LOAN:
        if application is None:
            raise LoanRuleError("환수할 융자를 고르세요.")
        application = _lock(application)
        if application.firm_id != firm.pk:
            raise LoanRuleError("이 기업의 융자가 아닙니다.")
        if application.status not in (S.EXECUTED, S.REPAYING):
            raise LoanRuleError("상환 중인 융자만 환수할 수 있습니다.")
        open_case = RecoveryCase.objects.filter(application=application).exclude(
            status__in=(RecoveryCase.Status.WITHDRAWN,)
        )
        if open_case.exists():
            raise LoanRuleError("이 융자에는 이미 환수 건이 있습니다.")
    else:
        application = None
        if not subsidy_won or int(subsidy_won) <= 0:
            raise LoanRuleError("환수할 지원금(원)을 입력하세요.")
    found_on = _check_cause(firm=firm, cause=cause, application=application, detail=detail, on_date=on_date)
    cause_on = cause_on or found_on or on_date
    if cause_on > on_date:
        raise LoanRuleError("사유 발생일이 환수 결정일보다 뒤입니다.")
    case = RecoveryCase(
        firm=firm,
        program=program,
        application=application,
        cause=cause,
        cause_on=cause_on,
        cause_detail=detail.strip(),
        opened_on=on_date,
        opened_by=actor,
        updated_by=actor,
    )
    if application is not None:
        principal, interest, rate, days = recovery_amount(
            application=application, cause_on=cause_on, on_date=on_date
        )
        case.principal_won, case.interest_won, case.recovery_rate_pct, case.interest_days = (
            principal,
            interest,
            rate,
            days,
        )
        case.support_title = support_title or f"{application.fund.name} · {application.call.title}"
    else:
        case.principal_won = int(subsidy_won)
        case.support_title = support_title.strip()[:200] or P(program).label
    case.save()
    return case


def _lock_case(case: RecoveryCase) -> RecoveryCase:
    return RecoveryCase.objects.select_for_update(of=("self",)).select_related("firm").get(pk=case.pk)


@transaction.atomic
def recovery_issue_notice(*, case: RecoveryCase, actor, on_date: datetime.date | None = None) -> RecoveryCase:
    """Give the case its 문서번호 and notice date; the 이의신청 window runs 20 days from it."""
    from guro_sme.letters import letter_number

    _check_role(actor, STAFF_ONLY)
    locked = _lock_case(case)
    if locked.status != RecoveryCase.Status.OPEN:
        raise LoanRuleError("이미 통지한 환수 건입니다. 통지문은 다시 인쇄할 수 있습니다.")
    on_date = on_date or timezone.localdate()
    year_count = RecoveryCase.objects.filter(notice_issued_on__year=on_date.year).count()
    locked.notice_number = letter_number(f"환수-{on_date.year}-{year_count + 1:04d}")
    locked.notice_issued_on = on_date
    locked.objection_deadline = on_date + datetime.timedelta(days=OBJECTION_DAYS)
    locked.status = RecoveryCase.Status.NOTIFIED
    locked.updated_by = actor
    locked.save()
    case.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


@transaction.atomic
def recovery_record_objection(
    *, case: RecoveryCase, received_on: datetime.date, text: str, actor
) -> RecoveryCase:
    """Record the firm's 이의신청, received within the 20-day window."""
    _check_role(actor, STAFF_ONLY)
    locked = _lock_case(case)
    if locked.status != RecoveryCase.Status.NOTIFIED:
        raise LoanRuleError("통지 후 이의신청 기간 중인 환수 건에만 이의신청을 기록할 수 있습니다.")
    if received_on is None or not text.strip():
        raise LoanRuleError("이의신청 접수일과 내용을 입력하세요.")
    if received_on < locked.notice_issued_on:
        raise LoanRuleError("이의신청 접수일이 통지일보다 앞섭니다.")
    if received_on > locked.objection_deadline:
        raise LoanRuleError(
            f"이의신청 기한({locked.objection_deadline:%Y.%m.%d})이 지난 뒤에 접수되었습니다."
        )
    locked.objection_received_on = received_on
    locked.objection_text = text.strip()
    locked.status = RecoveryCase.Status.OBJECTED
    locked.updated_by = actor
    locked.save()
    case.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


@transaction.atomic
def recovery_decide_objection(*, case: RecoveryCase, decision: str, reason: str, actor) -> RecoveryCase:
    """인용 withdraws the case; 기각 keeps it and it waits for payment. Who and when are kept."""
    _check_role(actor, STAFF_ONLY)
    locked = _lock_case(case)
    if locked.status != RecoveryCase.Status.OBJECTED:
        raise LoanRuleError("이의신청을 접수한 환수 건만 결정할 수 있습니다.")
    if decision not in RecoveryCase.Decision.values:
        raise LoanRuleError("인용 또는 기각을 고르세요.")
    if not reason.strip():
        raise LoanRuleError("결정 사유를 입력하세요.")
    locked.objection_decision = decision
    locked.objection_decision_reason = reason.strip()
    locked.objection_decided_by = actor
    locked.objection_decided_at = timezone.now()
    if decision == RecoveryCase.Decision.ACCEPTED:
        locked.status = RecoveryCase.Status.WITHDRAWN
        locked.outcome_on = timezone.localdate()
        locked.outcome_note = "이의신청 인용"
    else:
        locked.status = RecoveryCase.Status.AWAITING
    locked.updated_by = actor
    locked.save()
    case.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


OUTCOMES = (
    RecoveryCase.Status.REPAID,
    RecoveryCase.Status.INSTALMENTS,
    RecoveryCase.Status.COLLECTION,
    RecoveryCase.Status.WITHDRAWN,
)


@transaction.atomic
def recovery_close(
    *, case: RecoveryCase, outcome: str, on_date: datetime.date, actor, note: str = ""
) -> RecoveryCase:
    """The outcome: 환수 완료, 분할납부 약정, 징수 이관 or 환수 취소. Before the 20 days have run out
    (and no objection decided) only a withdrawal is allowed."""
    _check_role(actor, STAFF_ONLY)
    locked = _lock_case(case)
    St = RecoveryCase.Status
    if outcome not in OUTCOMES:
        raise LoanRuleError("종결 결과를 고르세요.")
    if locked.closed:
        raise LoanRuleError("이미 종결된 환수 건입니다.")
    if on_date is None:
        raise LoanRuleError("종결일을 입력하세요.")
    if outcome != St.WITHDRAWN:
        if locked.status == St.OPEN:
            raise LoanRuleError("환수 통지 전에는 취소만 할 수 있습니다.")
        if locked.status == St.OBJECTED:
            raise LoanRuleError("이의신청을 먼저 결정하세요.")
        if locked.status == St.NOTIFIED and on_date <= locked.objection_deadline:
            raise LoanRuleError(
                f"이의신청 기한({locked.objection_deadline:%Y.%m.%d})이 지난 뒤에 종결할 수 있습니다."
            )
    if outcome == St.WITHDRAWN and not note.strip():
        raise LoanRuleError("환수 취소 사유를 메모에 적으세요.")
    locked.status = outcome
    locked.outcome_on = on_date
    locked.outcome_note = note.strip()[:300]
    locked.updated_by = actor
    locked.save()
    case.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# ---------------------------------------------------------------- early repayment and rate change


class PrepaymentMode:
    SHORTER_TERM = "shorter_term"  # same principal per installment, the last ones fall away
    LOWER_INSTALMENTS = "lower_instalments"  # same number of installments, less principal in each

    choices = [(SHORTER_TERM, "상환기간 단축"), (LOWER_INSTALMENTS, "회차 상환액 감소")]


def _period_interest(balance: int, rate: Decimal, payments_per_year: int) -> int:
    return int(Decimal(balance) * Decimal(rate) / Decimal(100) / Decimal(payments_per_year))


def _open_tail(locked: LoanApplication, state, after: datetime.date) -> list[Installment]:
    """The installments due after `after` that no payment has touched (the part a change rewrites)."""
    untouched = {i.number for i in state.installments if i.paid_won == 0 and i.due_on > after}
    return [
        row
        for row in Installment.objects.filter(application=locked).order_by("number")
        if row.number in untouched
    ]


@transaction.atomic
def loan_prepay(
    *,
    application: LoanApplication,
    paid_on: datetime.date,
    amount_won: int,
    mode: str,
    actor,
    reason: str = "",
) -> LoanPayment:
    """중도상환: `amount_won` goes to principal on `paid_on`; the installments after it are rebuilt
    from the lower balance (shorter term or lower instalments, as chosen) as a new schedule version.
    Everything due by `paid_on` must be paid first. The full outstanding principal closes the loan."""
    _check_role(actor, STAFF_ONLY)
    locked = _locked_loan(application)
    if locked.status == S.REPAID:
        raise LoanRuleError("상환이 끝난 대출입니다.")
    if paid_on is None or amount_won is None or int(amount_won) <= 0:
        raise LoanRuleError("중도상환일과 0원보다 큰 금액을 입력하세요.")
    if mode not in (PrepaymentMode.SHORTER_TERM, PrepaymentMode.LOWER_INSTALMENTS):
        raise LoanRuleError("상환기간 단축 또는 회차 상환액 감소를 고르세요.")
    amount_won = int(amount_won)
    if paid_on > timezone.localdate() or (locked.executed_on and paid_on < locked.executed_on):
        raise LoanRuleError("중도상환일은 대출실행일과 오늘 사이여야 합니다.")
    if (
        locked.payments.filter(paid_on__gt=paid_on, reversal__isnull=True)
        .exclude(kind=LoanPayment.Kind.REVERSAL)
        .exists()
    ):
        raise LoanRuleError("중도상환일 뒤에 기록된 납입이 있습니다. 날짜를 확인하세요.")
    state = loan_state(locked, as_of=paid_on)
    due = state.overdue(on=paid_on + datetime.timedelta(days=1))
    if due:
        raise LoanRuleError(
            f"{due[0].number}회차({due[0].due_on:%Y.%m.%d})까지 도래한 상환액 {sum(i.remaining_won for i in due):,}원을 먼저 납입하세요."
        )
    tail = _open_tail(locked, state, paid_on)
    tail_principal = sum(row.principal_won for row in tail)
    if amount_won > tail_principal:
        raise LoanRuleError(f"중도상환액 {amount_won:,}원이 남은 원금 {tail_principal:,}원보다 많습니다.")
    payment = LoanPayment.objects.create(
        application=locked,
        kind=LoanPayment.Kind.PREPAYMENT,
        paid_on=paid_on,
        amount_won=amount_won,
        note=reason.strip()[:300],
        entered_by=actor,
    )
    left = tail_principal - amount_won
    rate = locked.bank_rate if locked.bank_rate is not None else (locked.fund.interest_rate or Decimal(0))
    per_year = locked.fund.payments_per_year
    amortizing = [row for row in tail if row.principal_won > 0]
    parts = {}
    if mode == PrepaymentMode.LOWER_INSTALMENTS and amortizing:
        each = left // len(amortizing)
        for row in amortizing:
            parts[row.number] = each
        parts[amortizing[-1].number] += left - each * len(amortizing)
    else:
        step = amortizing[0].principal_won if amortizing else 0
        remaining = left
        for row in amortizing:
            parts[row.number] = min(step, remaining) if row is not amortizing[-1] else remaining
            remaining -= parts[row.number]
    balance = (tail[0].balance_before_won - amount_won) if tail else 0
    for row in tail:
        principal = parts.get(row.number, 0)
        if balance == 0:
            row.delete()  # nothing left to pay: the term is shorter
            continue
        row.principal_won = principal
        row.balance_before_won = balance
        row.interest_won = _period_interest(balance, rate, per_year)
        row.balance_after_won = balance - principal
        row.save()
        balance -= principal
    label = dict(PrepaymentMode.choices)[mode]
    schedule_version_record(
        application=locked,
        cause=ScheduleVersion.Cause.PREPAYMENT,
        effective_on=paid_on,
        annual_rate_pct=rate,
        actor=actor,
        reason=f"중도상환 {amount_won:,}원, {label}" + (f" · {reason.strip()}" if reason.strip() else ""),
    )
    _sync(locked, actor=actor, reason=f"{paid_on:%Y.%m.%d} 중도상환 {amount_won:,}원", amount_won=amount_won)
    return payment


@transaction.atomic
def loan_change_rate(
    *, application: LoanApplication, effective_on: datetime.date, new_rate: Decimal, actor, reason: str
) -> ScheduleVersion:
    """A guarantee loan's rate moves within the fund's band from `effective_on`: the interest of
    every installment not yet paid is recomputed (the period the date falls in, day by day)."""
    _check_role(actor, STAFF_ONLY)
    locked = _locked_loan(application)
    fund = locked.fund
    if fund.rate_min is None or fund.rate_max is None:
        raise LoanRuleError(
            f"'{fund.name}'{particle(fund.name, '은')} 금리 범위가 정해진 기금이 아니어서 금리를 바꿀 수 없습니다."
        )
    if new_rate is None or not (fund.rate_min <= Decimal(new_rate) <= fund.rate_max):
        raise LoanRuleError(f"'{fund.name}'의 금리는 {fund.rate_display} 범위입니다.")
    if not reason.strip():
        raise LoanRuleError("금리 변경 사유를 입력하세요.")
    if effective_on is None or (locked.executed_on and effective_on <= locked.executed_on):
        raise LoanRuleError("변경 적용일은 대출실행일 뒤여야 합니다.")
    old_rate = Decimal(locked.bank_rate)
    new_rate = Decimal(new_rate)
    if new_rate == old_rate:
        raise LoanRuleError(f"지금 금리가 이미 연 {new_rate.normalize():f}%입니다.")
    state = loan_state(locked, as_of=datetime.date.max)
    untouched = {i.number for i in state.installments if i.paid_won == 0 and i.due_on > effective_on}
    rows = list(Installment.objects.filter(application=locked).order_by("number"))
    per_year = fund.payments_per_year
    previous_due = locked.executed_on
    for row in rows:
        if row.number in untouched:
            if previous_due < effective_on:
                old_days, new_days = (effective_on - previous_due).days, (row.due_on - effective_on).days
                blended = (old_rate * old_days + new_rate * new_days) / Decimal(old_days + new_days)
                row.interest_won = _period_interest(row.balance_before_won, blended, per_year)
            else:
                row.interest_won = _period_interest(row.balance_before_won, new_rate, per_year)
            row.save(update_fields=["interest_won"])
        previous_due = row.due_on
    locked.bank_rate = new_rate
    locked.save(update_fields=["bank_rate", "updated_at"])
    version = schedule_version_record(
        application=locked,
        cause=ScheduleVersion.Cause.RATE_CHANGE,
        effective_on=effective_on,
        annual_rate_pct=new_rate,
        actor=actor,
        reason=f"연 {old_rate.normalize():f}% → {new_rate.normalize():f}% · {reason.strip()}",
    )
    application.bank_rate = new_rate
    return version


# ---------------------------------------------------------------- 이자보전금 청구


def _check_claim_period(fund: LoanFund, start, end) -> None:
    if fund.kind != LoanFund.Kind.BANK_PARTNERSHIP:
        raise LoanRuleError(
            f"'{fund.name}'{particle(fund.name, '은')} 은행 협력자금이 아니어서 이자보전금을 청구할 수 없습니다."
        )
    if start is None or end is None or start >= end:
        raise LoanRuleError("청구기간의 시작일이 끝일보다 앞서야 합니다.")


@transaction.atomic
def subsidy_claim_open(*, fund: LoanFund, period_start, period_end, actor) -> SubsidyClaim:
    """The bank's claim for a fund and a period, or the one already entered for it."""
    _check_role(actor, STAFF_ONLY)
    _check_claim_period(fund, period_start, period_end)
    claim, _ = SubsidyClaim.objects.get_or_create(
        fund=fund, period_start=period_start, period_end=period_end, defaults={"entered_by": actor}
    )
    return claim


@transaction.atomic
def subsidy_claim_add_line(
    *, claim: SubsidyClaim, application: LoanApplication, claimed_won: int, actor
) -> SubsidyClaimLine:
    """One loan's claimed amount beside what is due for the period (selectors.subsidy_due)."""
    from .selectors import subsidy_due

    _check_role(actor, STAFF_ONLY)
    claim = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != SubsidyClaim.Status.ENTERED:
        raise LoanRuleError("지급 승인된 청구에는 내역을 더할 수 없습니다.")
    if claimed_won is None or int(claimed_won) < 0:
        raise LoanRuleError("청구액을 0원 이상으로 입력하세요.")
    if application.fund_id != claim.fund_id or not application.executed_on:
        raise LoanRuleError(
            f"'{application.firm.name}'의 융자는 이 청구의 기금({claim.fund.name})에서 실행된 대출이 아닙니다."
        )
    if application.executed_on >= claim.period_end:
        raise LoanRuleError("청구기간이 끝난 뒤에 실행된 대출입니다.")
    if claim.lines.filter(application=application).exists():
        raise LoanRuleError(f"'{application.firm.name}'의 청구 내역이 이미 있습니다.")
    return SubsidyClaimLine.objects.create(
        claim=claim,
        application=application,
        claimed_won=int(claimed_won),
        computed_won=subsidy_due(application, start=claim.period_start, end=claim.period_end),
        entered_by=actor,
    )


@transaction.atomic
def subsidy_claim_approve(*, claim: SubsidyClaim, approved_won: int, actor, note: str = "") -> SubsidyClaim:
    """Staff approve what the district pays (at most what the bank claimed); who and when are kept."""
    _check_role(actor, STAFF_ONLY)
    locked = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
    if locked.status == SubsidyClaim.Status.APPROVED:
        raise LoanRuleError("이미 지급 승인된 청구입니다.")
    claimed = sum(locked.lines.values_list("claimed_won", flat=True))
    if not locked.lines.exists():
        raise LoanRuleError("청구 내역이 없습니다.")
    if approved_won is None or int(approved_won) < 0:
        raise LoanRuleError("지급 승인액을 0원 이상으로 입력하세요.")
    if int(approved_won) > claimed:
        raise LoanRuleError(f"지급 승인액 {int(approved_won):,}원이 청구액 합계 {claimed:,}원보다 많습니다.")
    locked.approved_won = int(approved_won)
    locked.approval_note = note.strip()[:300]
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.status = SubsidyClaim.Status.APPROVED
    locked._history_user = actor
    locked.save()
    claim.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked

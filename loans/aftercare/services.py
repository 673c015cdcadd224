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

from guro_sme.roles import Role
from loans.models import ApplicationEvent, Installment, LoanApplication
from loans.services import LoanRuleError, _check_action, _check_role, _lock, _move

from .models import LoanPayment, ScheduleVersion
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

"""중도상환 (shorter term or lower instalments) and a guarantee loan's rate change: the schedule is
rebuilt as a new version with who, when and why; the balance stays whole."""

import datetime
from decimal import Decimal

import pytest

from loans.aftercare import services
from loans.aftercare.models import ScheduleVersion
from loans.aftercare.selectors import loan_balance
from loans.aftercare.services import PrepaymentMode
from loans.models import LoanApplication
from loans.services import LoanRuleError

S = LoanApplication.Status
SECOND_DUE = datetime.date(2019, 3, 15)


def pay_grace(loan, user):
    for row in loan.installments.filter(number__lte=2):
        services.payment_record(application=loan, paid_on=row.due_on, amount_won=row.total_won, actor=user)


def principals(loan):
    return list(loan.installments.order_by("number").values_list("principal_won", flat=True))


def test_a_prepayment_must_wait_for_what_is_due(loan, staff_user):
    with pytest.raises(LoanRuleError, match="먼저 납입하세요"):
        services.loan_prepay(
            application=loan,
            paid_on=SECOND_DUE,
            amount_won=1_000_000,
            mode=PrepaymentMode.SHORTER_TERM,
            actor=staff_user,
        )
    assert ScheduleVersion.objects.filter(application=loan).count() == 1


def test_lower_instalments_spread_the_rest_over_the_same_number(loan, staff_user):
    pay_grace(loan, staff_user)
    services.loan_prepay(
        application=loan,
        paid_on=SECOND_DUE,
        amount_won=20_000_000,
        mode=PrepaymentMode.LOWER_INSTALMENTS,
        reason="매출 회복",
        actor=staff_user,
    )
    assert principals(loan) == [0, 0] + [10_000_000] * 8
    third = loan.installments.get(number=3)
    assert (third.balance_before_won, third.interest_won) == (80_000_000, 720_000)
    balance = loan_balance(loan)
    assert balance.outstanding_principal_won == 80_000_000
    assert balance.principal_paid_won + balance.outstanding_principal_won == 100_000_000
    version = ScheduleVersion.objects.get(application=loan, number=2)
    assert (version.cause, version.created_by) == ("prepayment", staff_user)
    assert "회차 상환액 감소" in version.reason and version.principal_total_won == 80_000_000


def test_shorter_term_keeps_the_instalment_and_drops_the_last_ones(loan, staff_user):
    pay_grace(loan, staff_user)
    payment = services.loan_prepay(
        application=loan,
        paid_on=SECOND_DUE,
        amount_won=25_000_000,
        mode=PrepaymentMode.SHORTER_TERM,
        actor=staff_user,
    )
    assert principals(loan) == [0, 0] + [12_500_000] * 6
    assert loan.installments.order_by("number").last().balance_after_won == 0
    # Undoing the prepayment restores the schedule it replaced.
    services.payment_reverse(payment=payment, reason="입금 착오", actor=staff_user)
    assert principals(loan) == [0, 0] + [12_500_000] * 8
    assert loan_balance(loan).outstanding_principal_won == 100_000_000
    assert list(loan.schedule_versions.values_list("cause", flat=True)) == [
        "execution",
        "prepayment",
        "restored",
    ]


def test_a_full_prepayment_closes_the_loan(loan, staff_user):
    pay_grace(loan, staff_user)
    services.loan_prepay(
        application=loan,
        paid_on=SECOND_DUE,
        amount_won=100_000_000,
        mode=PrepaymentMode.SHORTER_TERM,
        actor=staff_user,
    )
    loan.refresh_from_db()
    assert loan.status == S.REPAID
    assert loan_balance(loan).outstanding_principal_won == 0
    assert loan.installments.count() == 2


def test_a_guarantee_loans_rate_moves_within_the_band(make_application, execute, staff_user, loan):
    application = make_application(
        status=S.GUARANTEE_APPROVED,
        fund="guarantee",
        amount=50_000_000,
        approved_amount_won=50_000_000,
        guarantee_amount_won=50_000_000,
        guarantee_ratio_pct=Decimal("100"),
    )
    execute(application, amount=50_000_000, rate="4.0")
    with pytest.raises(LoanRuleError, match="범위"):
        services.loan_change_rate(
            application=application,
            effective_on=datetime.date(2018, 6, 15),
            new_rate=Decimal("6"),
            reason="x",
            actor=staff_user,
        )
    with pytest.raises(LoanRuleError, match="금리 범위가 정해진 기금이 아니어서"):
        services.loan_change_rate(
            application=loan,
            effective_on=datetime.date(2018, 6, 15),
            new_rate=Decimal("1"),
            reason="x",
            actor=staff_user,
        )
    services.loan_change_rate(
        application=application,
        effective_on=datetime.date(2018, 6, 15),
        new_rate=Decimal("3.0"),
        reason="보증재단 금리 조정",
        actor=staff_user,
    )
    rows = list(application.installments.order_by("number"))
    # 2018-03-15 → 06-15 at 4%, 06-15 → 09-15 at 3% (92 days each): 3.5% for the first period.
    assert rows[0].interest_won == 875_000
    assert rows[1].interest_won == 750_000
    application.refresh_from_db()
    assert application.bank_rate == Decimal("3.00")
    version = application.schedule_versions.get(number=2)
    assert (version.cause, version.annual_rate_pct, version.created_by) == (
        "rate_change",
        Decimal("3.00"),
        staff_user,
    )
    assert "4% → 3%" in version.reason


def test_staff_prepay_and_change_a_rate_from_the_page(staff_client, loan, staff_user):
    from django.urls import reverse

    url = reverse("aftercare:loan_prepay", args=[loan.pk])
    data = {"paid_on": "2019-03-15", "amount_won": "20000000", "mode": "lower_instalments"}
    refused = staff_client.post(url, data, follow=True).content.decode()
    assert "먼저 납입하세요" in refused
    pay_grace(loan, staff_user)
    done = staff_client.post(url, data, follow=True).content.decode()
    assert "중도상환 20,000,000원을 기록하고" in done and "2판" in done
    assert loan_balance(loan).outstanding_principal_won == 80_000_000
    rate = staff_client.post(
        reverse("aftercare:loan_rate_change", args=[loan.pk]),
        {"effective_on": "2019-06-15", "new_rate": "1.0", "reason": "조정"},
        follow=True,
    ).content.decode()
    assert "금리 범위가 정해진 기금이 아니어서" in rate

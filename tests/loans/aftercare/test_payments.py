"""Payments as they happen: full, partial, late; interest then principal of the oldest due;
balances derived from the payments; reversal only by a recorded reversal."""

import contextlib
import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loans.aftercare import services
from loans.aftercare.allocation import Due, Paid, aging_bucket, allocate
from loans.aftercare.models import LoanPayment, ScheduleVersion
from loans.models import ApplicationEvent, LoanApplication
from loans.selectors import interest_received, loan_balance, principal_repaid
from loans.services import LoanRuleError

S = LoanApplication.Status


def test_a_partial_payment_goes_to_interest_first(loan, staff_user):
    first = loan.installments.get(number=1)  # interest only: 900,000
    assert (first.principal_won, first.interest_won) == (0, 900_000)
    services.payment_record(application=loan, paid_on=first.due_on, amount_won=500_000, actor=staff_user)
    balance = loan_balance(loan, as_of=first.due_on)
    assert balance.interest_paid_won == 500_000
    assert balance.outstanding_principal_won == 100_000_000
    assert balance.next_due_on == first.due_on and balance.next_due_won == 400_000
    loan.refresh_from_db()
    assert loan.status == S.REPAYING
    first.refresh_from_db()
    assert first.paid_on is None  # not settled yet


def test_a_payment_spills_over_to_the_next_installment_oldest_first(loan, staff_user):
    rows = list(loan.installments.order_by("number"))
    # Installments 1 and 2 are interest only (900,000 each); 3 has 12,500,000 principal + 900,000.
    services.payment_record(
        application=loan,
        paid_on=rows[1].due_on,
        amount_won=900_000 * 2 + 900_000 + 2_000_000,
        actor=staff_user,
    )
    balance = loan_balance(loan, as_of=rows[1].due_on)
    assert balance.principal_paid_won == 2_000_000
    assert balance.outstanding_principal_won == 98_000_000
    assert balance.interest_paid_won == 2_700_000
    assert balance.paid_to == rows[1].due_on
    assert [r.paid_on for r in loan.installments.order_by("number")[:3]] == [
        rows[1].due_on,
        rows[1].due_on,
        None,
    ]


def test_a_late_payment_clears_the_arrears_and_stays_marked_late(loan, staff_user):
    first = loan.installments.get(number=1)
    late_day = first.due_on + datetime.timedelta(days=40)
    before = loan_balance(loan, as_of=late_day)
    assert (before.days_past_due, before.aging_bucket, before.overdue_won) == (40, "31~90일", 900_000)
    services.payment_record(application=loan, paid_on=late_day, amount_won=900_000, actor=staff_user)
    after = loan_balance(loan, as_of=late_day)
    assert (after.days_past_due, after.overdue_won, after.aging_bucket) == (0, 0, "")
    first.refresh_from_db()
    assert first.paid_on == late_day


def test_refused_payments_write_nothing(loan, staff_user, manager_user):
    day = loan.installments.get(number=1).due_on
    cases = [
        (dict(paid_on=day, amount_won=0), "0원보다 크게"),
        (dict(paid_on=None, amount_won=10), "납입일을 입력하세요"),
        (dict(paid_on=datetime.date(2018, 1, 1), amount_won=10), "대출실행일"),
        (dict(paid_on=datetime.date(2999, 1, 1), amount_won=10), "오늘보다 뒤"),
        (dict(paid_on=day, amount_won=200_000_000), "중도상환으로"),
    ]
    for kwargs, message in cases:
        with pytest.raises(LoanRuleError, match=message):
            services.payment_record(application=loan, actor=staff_user, **kwargs)
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        services.payment_record(application=loan, paid_on=day, amount_won=10, actor=manager_user)
    assert not LoanPayment.objects.exists()
    loan.refresh_from_db()
    assert loan.status == S.EXECUTED


def test_a_reversal_is_recorded_and_reopens_a_repaid_loan(loan, staff_user):
    last = loan.installments.order_by("number").last()
    total = sum(i.total_won for i in loan.installments.all())
    payment = services.payment_record(
        application=loan, paid_on=last.due_on, amount_won=total, actor=staff_user
    )
    loan.refresh_from_db()
    assert loan.status == S.REPAID
    assert loan_balance(loan).outstanding_principal_won == 0

    with pytest.raises(LoanRuleError, match="취소 사유"):
        services.payment_reverse(payment=payment, reason=" ", actor=staff_user)
    reversal = services.payment_reverse(payment=payment, reason="은행 착오 통보", actor=staff_user)
    assert (reversal.kind, reversal.reverses, reversal.entered_by) == (
        LoanPayment.Kind.REVERSAL,
        payment,
        staff_user,
    )
    assert LoanPayment.objects.filter(pk=payment.pk).exists()  # the payment stays on record
    loan.refresh_from_db()
    assert loan.status == S.REPAYING
    assert loan_balance(loan).outstanding_principal_won == 100_000_000
    assert not loan.installments.filter(paid_on__isnull=False).exists()
    event = ApplicationEvent.objects.filter(application=loan).last()
    assert (event.from_status, event.to_status, event.actor) == (S.REPAID, S.REPAYING, staff_user)
    with pytest.raises(LoanRuleError, match="이미 취소된"):
        services.payment_reverse(payment=payment, reason="again", actor=staff_user)
    assert payment.history.count() == 1 and reversal.history.count() == 1


def test_yearly_principal_and_interest_follow_the_payment_dates(loan, staff_user, loan_funds):
    rows = list(loan.installments.order_by("number"))
    for row in rows[:4]:  # 2018-09, 2019-03, 2019-09, 2020-03
        services.payment_record(
            application=loan, paid_on=row.due_on, amount_won=row.total_won, actor=staff_user
        )
    assert principal_repaid(loan_funds["district"], 2018) == 0
    assert interest_received(loan_funds["district"], 2018) == 900_000
    assert principal_repaid(None, 2019) == rows[2].principal_won == 12_500_000
    assert interest_received(None, 2019) == 900_000 + rows[2].interest_won
    assert principal_repaid(loan_funds["bank"], 2019) == 0


def test_execution_keeps_the_first_schedule_version(loan, staff_user):
    version = ScheduleVersion.objects.get(application=loan)
    assert (version.number, version.cause, version.created_by) == (1, "execution", staff_user)
    assert version.principal_total_won == 100_000_000 and len(version.rows) == 10


def test_staff_record_and_reverse_payments_on_the_page(client, staff_client, manager_user, loan):
    url = reverse("aftercare:payment_create", args=[loan.pk])
    day = loan.installments.get(number=1).due_on
    bad = staff_client.post(url, {"paid_on": day.isoformat(), "amount_won": "많이"}, follow=True)
    assert "납입액은 숫자(원)로 입력하세요." in bad.content.decode()
    response = staff_client.post(url, {"paid_on": day.isoformat(), "amount_won": "400000"}, follow=True)
    body = response.content.decode()
    assert f"{day:%Y.%m.%d} 납입 400,000원을 기록했습니다." in body
    assert "일부 납입 (남은 500,000원)" in body
    payment = LoanPayment.objects.get()
    reverse_url = reverse("aftercare:payment_reverse", args=[payment.pk])
    assert "납입 취소 사유를 입력하세요." in staff_client.post(reverse_url, {}, follow=True).content.decode()
    assert (
        "을 취소했습니다." in staff_client.post(reverse_url, {"reason": "중복"}, follow=True).content.decode()
    )
    client.force_login(manager_user)
    assert client.post(url, {"paid_on": day.isoformat(), "amount_won": "1"}).status_code == 403
    assert client.get(reverse("aftercare:arrears")).status_code == 200


def test_aging_buckets():
    assert [aging_bucket(d) for d in (0, 1, 30, 31, 90, 91, 180, 181, 900)] == [
        "",
        "1~30일",
        "1~30일",
        "31~90일",
        "31~90일",
        "91~180일",
        "91~180일",
        "181일 이상",
        "181일 이상",
    ]


SCHEDULE = [
    Due(n, datetime.date(2018, 3, 15) + datetime.timedelta(days=182 * n), p, i)
    for n, (p, i) in enumerate(
        [(0, 900_000), (0, 900_000)] + [(12_500_000, 900_000 - 100_000 * k) for k in range(8)], start=1
    )
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 30_000_000), st.booleans()), max_size=15))
def test_principal_paid_plus_outstanding_is_the_loan_for_any_payments(raw):
    payments = [
        Paid(datetime.date(2018, 3, 15) + datetime.timedelta(days=d), amount, prepayment, key)
        for key, (d, amount, prepayment) in enumerate(raw)
    ]
    state = allocate(loan_won=100_000_000, installments=SCHEDULE, payments=payments)
    assert state.principal_paid_won + state.outstanding_principal_won == 100_000_000
    for installment in state.installments:
        assert 0 <= installment.paid_interest_won <= installment.interest_won
        assert 0 <= installment.paid_principal_won <= installment.principal_won
    # Oldest first: no installment has anything while an older one still lacks something.
    open_seen = False
    for installment in state.installments:
        if open_seen:
            assert installment.paid_won == 0
        if not installment.settled:
            open_seen = True


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(1, 40_000_000), min_size=1, max_size=6))
def test_recorded_payments_keep_the_balance_whole(loan, staff_user, amounts):
    LoanPayment.objects.filter(application=loan, kind="reversal").delete()
    LoanPayment.objects.filter(application=loan).delete()
    day = loan.installments.get(number=1).due_on
    for amount in amounts:
        # More than is left is refused and writes nothing.
        with contextlib.suppress(LoanRuleError):
            services.payment_record(application=loan, paid_on=day, amount_won=amount, actor=staff_user)
    balance = loan_balance(loan)
    paid = sum(LoanPayment.objects.filter(application=loan).values_list("amount_won", flat=True))
    assert balance.principal_paid_won + balance.outstanding_principal_won == 100_000_000
    assert balance.principal_paid_won + balance.interest_paid_won == paid


def test_the_arrears_and_due_lists_follow_payments_and_their_reversal(loan, staff_user):
    """The lists narrow in the database by paid_on; a payment and its reversal keep it in step."""
    from loans.aftercare.selectors import arrears_rows, due_between

    first = loan.installments.get(number=1)
    week_after = first.due_on + datetime.timedelta(days=6)
    month_after = first.due_on + datetime.timedelta(days=30)
    assert [a.pk for a, _ in due_between(first.due_on, week_after)] == [loan.pk]
    assert [r.application.pk for r in arrears_rows(as_of=month_after)] == [loan.pk]

    payment = services.payment_record(
        application=loan, paid_on=first.due_on, amount_won=900_000, actor=staff_user
    )
    assert due_between(first.due_on, week_after) == [] and arrears_rows(as_of=month_after) == []

    services.payment_reverse(payment=payment, reason="이중 입력", actor=staff_user)
    assert [a.pk for a, _ in due_between(first.due_on, week_after)] == [loan.pk]
    assert [r.application.pk for r in arrears_rows(as_of=month_after)] == [loan.pk]

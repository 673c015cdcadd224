"""The audit trail of the loans money: who changed a fund, a limit, a call, an amount, a rate, when,
from what to what; and a fund's allocation may never fall below what it has committed."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from guro_sme.history import history_trail
from loans import services
from loans.models import FundFirmLimit, Installment, LoanApplication, LoanFund
from loans.services import LoanRuleError

S = LoanApplication.Status


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_a_fund_allocation_below_what_is_committed_is_refused_and_nothing_changes(
    loan_funds, make_application, staff_user
):
    fund = loan_funds["district"]
    make_application(status=S.SELECTED, amount=300_000_000, approved_amount_won=300_000_000)
    make_application(status=S.RESERVE, amount=900_000_000)  # a reserve holds no money
    rows = LoanFund.history.count()

    fund.allocation_won = 299_999_999
    with pytest.raises(LoanRuleError) as refused:
        services.fund_save(fund=fund, limits={}, actor=staff_user)

    assert refused.value.message == (
        "'구기금'의 융자 규모를 299,999,999원으로 줄일 수 없습니다: 이미 선정·실행된 금액이 300,000,000원입니다."
    )
    assert LoanFund.objects.get(pk=fund.pk).allocation_won == 5_000_000_000
    assert LoanFund.history.count() == rows


def test_a_guarantee_pool_below_what_is_committed_is_refused(loan_funds, make_application, staff_user):
    fund = loan_funds["guarantee"]
    make_application(status=S.REFERRED, fund="guarantee", amount=50_000_000, approved_amount_won=50_000_000)
    fund.guarantee_contribution_won = 4_000_000
    with pytest.raises(LoanRuleError, match=r"보증 한도.*40,000,000원으로 줄일 수 없습니다.*50,000,000원"):
        services.fund_save(fund=fund, limits={}, actor=staff_user)


def test_staff_lower_an_allocation_to_exactly_what_is_committed_and_the_trail_keeps_old_and_new(
    loan_funds, make_application, staff_user
):
    fund = loan_funds["district"]
    make_application(status=S.SELECTED, amount=300_000_000, approved_amount_won=300_000_000)
    fund.allocation_won = 300_000_000
    services.fund_save(fund=fund, limits={"sme": 100_000_000, "small_business": None}, actor=staff_user)

    change = LoanFund.history.filter(id=fund.pk).latest("history_date")
    assert (change.history_type, change.allocation_won, change.history_user) == ("~", 300_000_000, staff_user)
    assert change.prev_record.allocation_won == 5_000_000_000
    limits = FundFirmLimit.history.filter(fund_id=fund.pk).order_by("history_date")
    # created by the fixture, then the SME limit lowered and the small-business limit removed
    assert [(row.firm_type, row.history_type, row.limit_won, row.history_user) for row in limits][-2:] == [
        ("sme", "~", 100_000_000, staff_user),
        ("small_business", "-", 50_000_000, staff_user),
    ]


def test_the_fund_form_shows_the_refusal_in_korean(staff_client, loan_funds, make_application):
    fund = loan_funds["district"]
    make_application(status=S.SELECTED, amount=300_000_000, approved_amount_won=300_000_000)
    data = {
        "name": fund.name,
        "kind": fund.kind,
        "year": fund.year,
        "allocation_won": "100000000",
        "interest_rate": "1.8",
        "grace_years": "1",
        "repayment_years_min": "4",
        "repayment_years_max": "4",
        "payments_per_year": "2",
        "limit_sme": "200000000",
    }
    response = staff_client.post(reverse("loans:fund_edit", args=[fund.pk]), data)
    assert response.status_code == 200
    assert "이미 선정·실행된 금액이 300,000,000원입니다." in text(response)
    assert LoanFund.objects.get(pk=fund.pk).allocation_won == 5_000_000_000


def test_a_drafts_requested_amount_change_is_kept_with_who_and_old_and_new(
    loan_call, loan_funds, loan_firm, staff_user
):
    application = LoanApplication(
        firm=loan_firm(), call=loan_call, fund=loan_funds["district"], requested_amount_won=100_000_000
    )
    services.application_save_draft(application=application, actor=staff_user)
    application.requested_amount_won = 150_000_000
    services.application_save_draft(application=application, actor=staff_user)

    trail = history_trail(application, fields=["requested_amount_won"])
    assert [(e.kind, e.user, [(c.old, c.new) for c in e.changes]) for e in trail] == [
        ("수정", "김담당", [("100,000,000원", "150,000,000원")]),
        ("등록", "김담당", [("—", "100,000,000원")]),
    ]


def test_the_banks_rate_and_the_installments_keep_their_trail(make_application, staff_user, make_user):
    application = make_application(status=S.REFERRED, amount=100_000_000, approved_amount_won=100_000_000)
    services.application_record_bank_approval(
        application=application,
        executed_amount_won=100_000_000,
        bank_rate=Decimal("2.10"),
        executed_on=datetime.date(2018, 3, 1),
        actor=staff_user,
    )
    rate = history_trail(application, fields=["bank_rate"])[0]
    assert (rate.user, rate.changes[0].old, rate.changes[0].new) == ("김담당", "—", "2.10")
    created = Installment.history.filter(application_id=application.pk, history_type="+")
    assert created.count() == application.installments.count() > 0
    assert {row.history_user for row in created} == {staff_user}

    first = application.installments.get(number=1)
    services.installment_mark_paid(installment=first, paid_on=datetime.date(2018, 9, 1), actor=staff_user)
    paid = history_trail(application.installments, fields=["paid_on"])[0]
    assert (paid.record, paid.user, paid.changes[0].new) == ("상환 회차 1", "김담당", "2018-09-01")


def _application_with_schedule(make_application, staff_user, firm=None):
    application = make_application(
        status=S.REFERRED, amount=100_000_000, approved_amount_won=100_000_000, firm=firm
    )
    services.application_record_bank_approval(
        application=application,
        executed_amount_won=100_000_000,
        bank_rate=Decimal("2.10"),
        executed_on=datetime.date(2018, 3, 1),
        actor=staff_user,
    )
    return application


def test_managers_read_the_trail_on_the_application_page_in_constant_queries(
    client, manager_user, make_application, staff_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = _application_with_schedule(make_application, staff_user)
    large = _application_with_schedule(make_application, staff_user)
    for application, paid in ((small, 1), (large, 6)):
        for installment in application.installments.order_by("number")[:paid]:
            services.installment_mark_paid(
                installment=installment, paid_on=installment.due_on, actor=staff_user
            )

    client.force_login(manager_user)
    counts = []
    for application in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("loans:application_detail", args=[application.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    body = text(response)
    assert "변경 이력" in body
    assert "상환 회차 6" in body and "납입 확인일: — → " in body
    assert "대출금리(연 %): — → 2.10" in body

    client.force_login(staff_user)
    staff_page = text(client.get(reverse("loans:application_detail", args=[large.pk])))
    assert "변경 이력" not in staff_page  # the trail is the managers' reading

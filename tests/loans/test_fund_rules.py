"""Eligibility rules are fund data: minimum business age, firm types, per-firm cap, repeat-loan limit."""

import datetime
import html

import pytest
from django.urls import reverse

from loans.models import LoanApplication, LoanFund
from loans.services import LoanRuleError, application_submit

from .conftest import ENTRY_DAY

S = LoanApplication.Status


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_card_values_are_the_defaults(loan_funds):
    fund = LoanFund.objects.get(pk=loan_funds["district"].pk)
    assert fund.min_business_age_months == 6
    assert fund.repeat_loan_limit is None


def test_the_minimum_business_age_is_read_from_the_fund(loan_call, loan_funds, loan_firm, staff_user):
    fund = loan_funds["district"]
    fund.min_business_age_months = 12
    fund.save()
    # Founded 2017-03-01: more than six months before the call (2018-01-08) but less than twelve.
    firm = loan_firm(founded_on=datetime.date(2017, 3, 1))
    application = LoanApplication(
        firm=firm, call=loan_call, fund=fund, requested_amount_won=10_000_000, purpose="operating"
    )
    with pytest.raises(LoanRuleError) as caught:
        application_submit(application=application, actor=staff_user, on_date=ENTRY_DAY)
    assert "설립(개업) 후 12개월이 지나지 않은 기업은 신청할 수 없습니다." in caught.value.message
    assert not LoanApplication.objects.exists()

    fund.min_business_age_months = 6
    fund.save()
    application.fund = LoanFund.objects.get(pk=fund.pk)
    assert (
        application_submit(application=application, actor=staff_user, on_date=ENTRY_DAY).status == S.RECEIVED
    )


def test_the_fund_page_shows_its_rules(manager_client, loan_funds):
    fund = loan_funds["guarantee"]
    fund.repeat_loan_limit = 1
    fund.save()
    body = text(manager_client.get(reverse("loans:fund_detail", args=[fund.pk])))
    assert "설립(개업) 후 6개월 이상" in body
    assert "소상공인 50백만원" in body
    assert "동일 기업(대표자) 1건까지" in body
    assert "연중 수시 접수" in body
    assert "구 출연금 500백만원 × 10배 = 5,000백만원" in body


def test_committee_members_and_outsiders_may_not_see_the_fund_page(
    committee_client, norole_client, loan_funds
):
    url = reverse("loans:fund_detail", args=[loan_funds["district"].pk])
    assert committee_client.get(url).status_code == 403
    assert norole_client.get(url).status_code == 403


def test_staff_edit_the_rules_and_a_blank_age_is_the_card_default(staff_client, loan_funds):
    fund = loan_funds["bank"]
    data = {
        "name": fund.name,
        "kind": fund.kind,
        "year": "2018",
        "allocation_won": "3000000000",
        "subsidy_cap_pct": "1.00",
        "grace_years": "1",
        "repayment_years_min": "4",
        "repayment_years_max": "4",
        "payments_per_year": "2",
        "limit_sme": "200000000",
        "min_business_age_months": "24",
        "repeat_loan_limit": "2",
    }
    response = staff_client.post(reverse("loans:fund_edit", args=[fund.pk]), data)
    assert response.status_code == 302
    fund.refresh_from_db()
    assert (fund.min_business_age_months, fund.repeat_loan_limit) == (24, 2)
    data["min_business_age_months"] = ""
    staff_client.post(reverse("loans:fund_edit", args=[fund.pk]), data)
    fund.refresh_from_db()
    assert fund.min_business_age_months == 6

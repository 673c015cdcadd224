"""What loans tell the rest of the system (firm page, home page, reports) and copying a call."""

import datetime

import pytest

from guro_sme.support import YearlyFigure
from loans import selectors, services
from loans.models import LoanApplication, LoanCall, LoanFund

S = LoanApplication.Status


def test_firm_support_lists_the_firms_applications_past_draft(make_application, loan_firm):
    firm = loan_firm(name="(주)지원")
    make_application(status=S.DRAFT, firm=firm)
    other_call = LoanCall.objects.create(
        title="2018년 하반기",
        year=2018,
        opens_on=datetime.date(2018, 7, 2),
        closes_on=datetime.date(2018, 7, 20),
    )
    executed = make_application(
        status=S.REPAYING,
        firm=firm,
        call=other_call,
        approved_amount_won=90_000_000,
        executed_amount_won=80_000_000,
    )
    records = selectors.firm_support(firm)
    assert len(records) == 1
    record = records[0]
    assert (record.program, record.year, record.amount_won, record.status) == (
        "저리융자",
        2018,
        80_000_000,
        "상환중 · 잔액 80,000,000원",  # a loan being repaid shows its balance (and arrears)
    )
    assert record.url == executed.get_absolute_url()


def test_attention_items_count_what_staff_must_do_in_constant_queries(
    make_application, staff_user, committee_user, django_assert_max_num_queries
):
    make_application(status=S.DRAFT)
    make_application(status=S.DRAFT)
    make_application(status=S.SELECTED, approved_amount_won=1)
    with django_assert_max_num_queries(2):
        items = selectors.attention_items(staff_user)
    assert {(i.label, i.count) for i in items} == {("융자 임시저장 신청", 2), ("은행 통보 대기(선정)", 1)}
    assert selectors.attention_items(committee_user) == []


def test_loan_support_by_year_counts_distinct_firms_and_executed_won(make_application, loan_firm):
    firm = loan_firm()
    make_application(
        status=S.EXECUTED,
        firm=firm,
        approved_amount_won=100_000_000,
        executed_amount_won=90_000_000,
        executed_on=datetime.date(2018, 3, 15),
    )
    other_call = LoanCall.objects.create(
        title="하반기", year=2018, opens_on=datetime.date(2018, 7, 2), closes_on=datetime.date(2018, 7, 20)
    )
    make_application(
        status=S.REPAID,
        firm=firm,
        call=other_call,
        fund="bank",
        approved_amount_won=50_000_000,
        executed_amount_won=50_000_000,
        executed_on=datetime.date(2018, 9, 1),
    )
    make_application(status=S.SELECTED, approved_amount_won=70_000_000)
    make_application(
        status=S.REPAYING,
        approved_amount_won=10_000_000,
        executed_amount_won=10_000_000,
        executed_on=datetime.date(2019, 1, 5),
    )
    assert selectors.loan_support_by_year(2018) == YearlyFigure(firms=1, amount_won=140_000_000)
    assert selectors.loan_support_by_year(2019) == YearlyFigure(firms=1, amount_won=10_000_000)
    assert selectors.loan_support_by_year(2017) == YearlyFigure()


def test_a_new_call_copies_funds_rubric_and_members_from_the_previous_one(
    loan_call, loan_funds, staff_user, make_user
):
    members = [make_user("심의위원", username=f"m{i}") for i in range(3)]
    loan_call.committee_members.set(members)
    new_district = LoanFund.objects.create(
        name=loan_funds["district"].name, kind=loan_funds["district"].kind, year=2019, allocation_won=1
    )
    call = services.call_copy_from(
        previous=loan_call,
        title="2019년 상반기",
        year=2019,
        half=LoanCall.Half.FIRST,
        opens_on=datetime.date(2019, 1, 7),
        closes_on=datetime.date(2019, 1, 25),
        actor=staff_user,
    )
    assert call.copied_from == loan_call
    assert set(call.funds.all()) == {new_district, loan_funds["bank"], loan_funds["guarantee"]}
    assert list(call.rubric_items.values_list("name", "weight")) == [
        ("사업성", 30),
        ("기술성", 20),
        ("상환능력", 30),
        ("지역기여도", 20),
    ]
    assert set(call.committee_members.all()) == set(members)
    assert loan_call.rubric_items.count() == 4  # the previous call keeps its own


def test_only_staff_copy_calls(loan_call, manager_user):
    with pytest.raises(services.LoanRuleError):
        services.call_copy_from(
            previous=loan_call,
            title="x",
            year=2019,
            half="first",
            opens_on=datetime.date(2019, 1, 1),
            closes_on=datetime.date(2019, 1, 2),
            actor=manager_user,
        )

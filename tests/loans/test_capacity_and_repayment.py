"""Fund capacity (fund_available_won), the bank outcome, the stored schedule, payments and the subsidy."""

import datetime
from decimal import Decimal

import pytest

from loans import services
from loans.models import Installment, LoanApplication
from loans.selectors import fund_available_won
from loans.services import LoanRuleError

S = LoanApplication.Status


def test_available_is_the_allocation_minus_money_committed_by_selection(
    make_application, loan_funds, loan_call
):
    fund = loan_funds["district"]
    for status in (S.SELECTED, S.REFERRED, S.EXECUTED, S.REPAYING, S.REPAID):
        make_application(status=status, approved_amount_won=100_000_000)
    for status in (S.RESERVE, S.BANK_REJECTED, S.WITHDRAWN, S.ON_AGENDA):
        make_application(status=status, approved_amount_won=100_000_000)
    make_application(status=S.SELECTED, fund="bank", approved_amount_won=100_000_000)
    assert fund_available_won(fund=fund) == 5_000_000_000 - 500_000_000


def test_the_guarantee_fund_lends_up_to_its_years_scale_within_its_pool(
    make_application, loan_funds, loan_call
):
    fund = loan_funds["guarantee"]
    assert fund.capacity_won == 5_000_000_000  # 5억 × 10
    make_application(
        status=S.EXECUTED,
        fund="guarantee",
        amount=50_000_000,
        approved_amount_won=50_000_000,
        guarantee_amount_won=50_000_000,
        executed_amount_won=50_000_000,
    )
    # The 2018 scale (10억) binds before the pool (50억): 10억 − 5천만.
    assert fund_available_won(fund=fund) == 950_000_000


def test_a_selection_beyond_what_the_fund_has_left_is_refused(make_application, loan_funds, manager_user):
    fund = loan_funds["district"]
    fund.allocation_won = 150_000_000
    fund.save()
    make_application(status=S.SELECTED, approved_amount_won=100_000_000)
    application = make_application(status=S.ON_AGENDA, amount=100_000_000)
    with pytest.raises(
        LoanRuleError, match=r"남은 재원\(50,000,000원\)이 선정금액 60,000,000원보다 적습니다"
    ):
        services.application_decide(
            application=application, outcome=S.SELECTED, approved_amount_won=60_000_000, actor=manager_user
        )
    services.application_decide(
        application=application, outcome=S.SELECTED, approved_amount_won=50_000_000, actor=manager_user
    )
    assert fund_available_won(fund=fund) == 0


def test_the_reserve_step_selects_only_when_money_frees_up(make_application, loan_funds, staff_user):
    fund = loan_funds["district"]
    fund.allocation_won = 100_000_000
    fund.save()
    selected = make_application(status=S.REFERRED, approved_amount_won=100_000_000)
    reserve = make_application(status=S.RESERVE, amount=80_000_000)
    with pytest.raises(LoanRuleError, match="남은 재원"):
        services.reserve_mark_selected(
            application=reserve, approved_amount_won=80_000_000, actor=staff_user, reason="예비 1순위"
        )
    services.application_record_bank_rejection(application=selected, reason="담보 부족", actor=staff_user)
    services.reserve_mark_selected(
        application=reserve, approved_amount_won=80_000_000, actor=staff_user, reason="예비 1순위"
    )
    reserve.refresh_from_db()
    assert (reserve.status, reserve.approved_amount_won) == (S.SELECTED, 80_000_000)


@pytest.fixture
def referred(make_application):
    return make_application(status=S.REFERRED, amount=100_000_000, approved_amount_won=100_000_000)


def approve(application, actor, amount=100_000_000, rate="1.80", day=datetime.date(2018, 3, 15)):
    return services.application_record_bank_approval(
        application=application,
        executed_amount_won=amount,
        bank_rate=Decimal(rate),
        executed_on=day,
        actor=actor,
    )


def test_bank_approval_executes_the_loan_and_stores_the_schedule(referred, staff_user):
    approve(referred, staff_user, amount=99_999_999)
    referred.refresh_from_db()
    assert referred.status == S.EXECUTED
    assert (referred.executed_amount_won, referred.bank_rate) == (99_999_999, Decimal("1.80"))
    installments = list(referred.installments.all())
    assert len(installments) == 10  # 1 grace year + 4 years, twice a year
    assert sum(i.principal_won for i in installments) == 99_999_999
    assert installments[0].due_on == datetime.date(2018, 9, 15)
    assert referred.events.last().amount_won == 99_999_999


def test_the_guarantee_loan_uses_the_chosen_three_years(make_application, staff_user):
    application = make_application(
        status=S.GUARANTEE_APPROVED,
        fund="guarantee",
        amount=50_000_000,
        approved_amount_won=50_000_000,
        guarantee_amount_won=50_000_000,
        repayment_years=3,
    )
    approve(application, staff_user, amount=50_000_000, rate="3.50")
    assert application.installments.count() == 8


def test_the_guarantee_loan_rate_must_be_in_the_funds_range(make_application, staff_user):
    application = make_application(
        status=S.GUARANTEE_APPROVED,
        fund="guarantee",
        amount=50_000_000,
        approved_amount_won=50_000_000,
        guarantee_amount_won=50_000_000,
    )
    with pytest.raises(LoanRuleError, match="연 3%~5%"):
        approve(application, staff_user, amount=50_000_000, rate="6.0")


@pytest.mark.parametrize(
    "amount, rate, message",
    [
        (100_000_001, "1.8", "선정금액 100,000,000원보다 많습니다"),
        (0, "1.8", "실행금액을 0원보다 크게"),
        (100_000_000, "-1", "대출금리"),
    ],
)
def test_bad_bank_outcomes_are_refused_and_nothing_changes(referred, staff_user, amount, rate, message):
    with pytest.raises(LoanRuleError, match=message):
        approve(referred, staff_user, amount=amount, rate=rate)
    referred.refresh_from_db()
    assert referred.status == S.REFERRED
    assert Installment.objects.count() == 0


def test_a_bank_rejection_keeps_the_reason(referred, staff_user):
    services.application_record_bank_rejection(
        application=referred, reason="담보 평가액 부족", actor=staff_user
    )
    referred.refresh_from_db()
    assert (referred.status, referred.bank_rejection_reason) == (S.BANK_REJECTED, "담보 평가액 부족")
    with pytest.raises(LoanRuleError, match="부결 사유"):
        services.application_record_bank_rejection(application=referred, reason="", actor=staff_user)


def test_payments_move_the_loan_to_repaying_then_repaid(referred, staff_user):
    approve(referred, staff_user)
    installments = list(referred.installments.all())
    services.installment_mark_paid(
        installment=installments[0], paid_on=installments[0].due_on, actor=staff_user
    )
    referred.refresh_from_db()
    assert referred.status == S.REPAYING
    with pytest.raises(LoanRuleError, match="이미 납입 처리"):
        services.installment_mark_paid(
            installment=installments[0], paid_on=installments[0].due_on, actor=staff_user
        )
    for installment in installments[1:]:
        services.installment_mark_paid(installment=installment, paid_on=installment.due_on, actor=staff_user)
    referred.refresh_from_db()
    assert referred.status == S.REPAID
    assert list(referred.events.values_list("to_status", flat=True)) == [S.EXECUTED, S.REPAYING, S.REPAID]


def test_the_bank_fund_shows_the_districts_yearly_subsidy(make_application, staff_user):
    application = make_application(
        status=S.REFERRED, fund="bank", amount=200_000_000, approved_amount_won=200_000_000
    )
    approve(application, staff_user, amount=200_000_000, rate="3.50")
    subsidy = services.subsidy_cost_by_year(application)
    assert subsidy[2018] == 1_000_000 and subsidy[2019] == 2_000_000
    assert sum(subsidy.values()) == 6_500_000


def test_other_funds_have_no_subsidy(referred, staff_user):
    approve(referred, staff_user)
    assert services.subsidy_cost_by_year(referred) == {}

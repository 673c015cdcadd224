"""The guarantee path (보증특례): year-round intake into a yearly register, 구 추천, 보증 신청, the
foundation's result, the bank's execution within the rate band; the pool and the year's scale."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from loans import services, workflow
from loans.guarantee.selectors import guarantee_capacity
from loans.models import ApplicationEvent, LoanApplication, LoanFund
from loans.services import LoanRuleError

S = LoanApplication.Status
OCTOBER = datetime.date(2018, 10, 15)


@pytest.fixture
def fund(loan_funds):
    return loan_funds["guarantee"]


@pytest.fixture
def intake(fund, loan_firm, staff_user):
    """intake(amount, firm=None, on_date=OCTOBER) → a guarantee application received without a call."""

    def take(amount=50_000_000, firm=None, on_date=OCTOBER, into=None):
        application = LoanApplication(
            firm=firm or loan_firm(firm_type="small_business"),
            call=None,
            fund=into or fund,
            requested_amount_won=amount,
            purpose="operating",
        )
        return services.application_submit(application=application, actor=staff_user, on_date=on_date)

    return take


def recommend(application, staff_user, amount=None):
    services.application_start_review(application=application, actor=staff_user)
    return services.application_recommend(
        application=application, amount_won=amount or application.requested_amount_won, actor=staff_user
    )


def approve(application, staff_user, amount=None, ratio="100", fee="0.8"):
    services.application_send_to_guarantor(application=application, sent_on=OCTOBER, actor=staff_user)
    return services.application_record_guarantee_approval(
        application=application,
        guarantee_amount_won=amount or application.approved_amount_won,
        ratio_pct=Decimal(ratio),
        fee_pct=Decimal(fee),
        certificate_number=f"제2018-{application.pk:05d}호",
        decided_on=OCTOBER + datetime.timedelta(days=7),
        actor=staff_user,
    )


def execute(application, staff_user, rate="4.20", amount=None):
    return services.application_record_bank_approval(
        application=application,
        executed_amount_won=amount or application.guarantee_amount_won,
        bank_rate=Decimal(rate),
        executed_on=OCTOBER + datetime.timedelta(days=14),
        actor=staff_user,
    )


def test_an_october_application_is_received_without_a_call_into_the_years_register(intake):
    first, second = intake(30_000_000), intake(20_000_000)
    assert (first.status, first.call, first.intake_number) == (S.RECEIVED, None, "2018-0001")
    assert second.intake_number == "2018-0002"
    assert first.submitted_on == OCTOBER


def test_a_fund_that_takes_calls_refuses_an_application_without_one(loan_funds, loan_firm, staff_user):
    application = LoanApplication(
        firm=loan_firm(),
        call=None,
        fund=loan_funds["district"],
        requested_amount_won=10_000_000,
        purpose="operating",
    )
    with pytest.raises(LoanRuleError, match="공고 기간에만 접수합니다"):
        services.application_submit(application=application, actor=staff_user, on_date=OCTOBER)
    assert not LoanApplication.objects.exists()


def test_an_entry_in_another_year_goes_to_that_years_fund(intake):
    with pytest.raises(LoanRuleError, match="2018년 접수대장의 연도가 아닙니다"):
        intake(on_date=datetime.date(2019, 1, 3))


def test_the_business_age_is_counted_from_the_day_of_entry(intake, loan_firm):
    young = loan_firm(firm_type="small_business", founded_on=datetime.date(2018, 4, 16))
    with pytest.raises(LoanRuleError, match=r"6개월이 지나지 않은 .* 접수일 2018.10.15"):
        intake(firm=young)
    assert intake(firm=loan_firm(firm_type="small_business", founded_on=datetime.date(2018, 4, 15)))


def test_the_whole_path_with_an_event_for_each_step(intake, staff_user, fund):
    application = intake(50_000_000)
    recommend(application, staff_user, amount=45_000_000)
    approve(application, staff_user, amount=40_000_000, ratio="90", fee="1.0")
    execute(application, staff_user, rate="4.20")
    application.refresh_from_db()
    assert application.status == S.EXECUTED
    assert (application.approved_amount_won, application.guarantee_amount_won) == (45_000_000, 40_000_000)
    assert (application.guarantee_ratio_pct, application.guarantee_fee_pct) == (Decimal("90"), Decimal("1.0"))
    assert application.bank_rate == Decimal("4.20")
    assert application.guarantee_requested_on == OCTOBER
    steps = list(
        ApplicationEvent.objects.filter(application=application).values_list("to_status", "amount_won")
    )
    assert steps == [
        (S.DRAFT, None),
        (S.RECEIVED, 50_000_000),
        (S.REVIEW, None),
        (S.RECOMMENDED, 45_000_000),
        (S.GUARANTEE_REQUESTED, 45_000_000),
        (S.GUARANTEE_APPROVED, 40_000_000),
        (S.EXECUTED, 40_000_000),
    ]
    assert application.installments.count() > 0
    capacity = guarantee_capacity(fund=fund)
    assert capacity.year_lending_won == 40_000_000
    assert capacity.outstanding_won == 36_000_000  # 40,000,000 × 90%
    assert capacity.pending_won == 0


@pytest.mark.parametrize("rate", ["2.99", "5.01"])
def test_a_rate_outside_the_band_is_refused_naming_the_band(intake, staff_user, rate):
    application = approve(recommend(intake(30_000_000), staff_user), staff_user)
    with pytest.raises(LoanRuleError, match=rf"금리는 연 3%~5%입니다. \(입력한 금리 연 {rate}%\)"):
        execute(application, staff_user, rate=rate)
    application.refresh_from_db()
    assert application.status == S.GUARANTEE_APPROVED
    assert not application.installments.exists()


def test_the_band_ends_are_allowed(intake, staff_user):
    for rate in ("3.00", "5.00"):
        application = approve(recommend(intake(10_000_000), staff_user), staff_user)
        assert execute(application, staff_user, rate=rate).status == S.EXECUTED


def test_an_application_past_the_pool_is_refused_naming_the_figures(intake, staff_user, fund):
    fund.guarantee_contribution_won = 9_000_000  # pool 9,000만 = 900만 × 10
    fund.save()
    recommend(intake(50_000_000), staff_user)
    with pytest.raises(LoanRuleError) as caught:
        intake(50_000_000)
    assert (
        "보증한도를 넘습니다: 보증한도 90,000,000원(구 출연금 9,000,000원 × 10배) 중 보증잔액 0원과 "
        "진행 중인 추천·승인 50,000,000원을 빼면 남은 한도는 40,000,000원입니다. (신청금액 50,000,000원)"
    ) in caught.value.messages
    assert LoanApplication.objects.count() == 1
    assert intake(40_000_000).status == S.RECEIVED


def test_the_years_scale_caps_its_lending(intake, staff_user, fund):
    fund.allocation_won = 60_000_000
    fund.save()
    recommend(intake(50_000_000), staff_user)
    with pytest.raises(LoanRuleError) as caught:
        intake(20_000_000)
    assert caught.value.message == (
        "2018년 보증 규모를 넘습니다: 규모 60,000,000원 중 50,000,000원이 이미 추천·승인·실행되어 "
        "남은 규모는 10,000,000원입니다. (신청금액 20,000,000원)"
    )


def test_the_pool_is_checked_again_when_the_recommendation_is_committed(intake, staff_user, fund):
    first, second = intake(50_000_000), intake(50_000_000)
    fund.guarantee_contribution_won = 8_000_000  # the pool shrank after both were received
    fund.save()
    recommend(first, staff_user)
    with pytest.raises(LoanRuleError, match=r"남은 한도는 30,000,000원입니다. \(추천금액 50,000,000원\)"):
        recommend(second, staff_user)
    second.refresh_from_db()
    assert second.status == S.REVIEW


def test_repaid_principal_frees_the_pool_but_not_the_years_scale(intake, staff_user, fund):
    application = execute(approve(recommend(intake(50_000_000), staff_user), staff_user), staff_user)
    before = guarantee_capacity(fund=fund)
    assert before.outstanding_won == 50_000_000
    principal_paid = 0
    for installment in application.installments.order_by("number")[:4]:
        services.installment_mark_paid(installment=installment, paid_on=installment.due_on, actor=staff_user)
        principal_paid += installment.principal_won
    assert principal_paid > 0  # the grace year is interest only; the fourth payment repays principal
    after = guarantee_capacity(fund=fund)
    assert after.outstanding_won == 50_000_000 - principal_paid
    assert after.pool_left_won == before.pool_left_won + principal_paid
    assert after.year_lending_won == before.year_lending_won == 50_000_000


def test_the_pool_carries_into_the_next_year(intake, staff_user, fund):
    execute(approve(recommend(intake(50_000_000), staff_user), staff_user), staff_user)
    next_year = LoanFund.objects.create(
        name=fund.name,
        kind=fund.kind,
        year=2019,
        allocation_won=1_000_000_000,
        rate_min=fund.rate_min,
        rate_max=fund.rate_max,
        guarantee_contribution_won=500_000_000,
        guarantee_multiplier=12,
        year_round=True,
    )
    capacity = guarantee_capacity(fund=next_year)
    assert capacity.pool_won == 6_000_000_000  # this year's agreement: 5억 × 12
    assert capacity.outstanding_won == 50_000_000  # last year's loan still holds the pool
    assert capacity.year_lending_won == 0  # but not this year's scale


def test_a_firm_holding_a_guarantee_loan_may_borrow_only_up_to_the_cap(intake, staff_user, loan_firm):
    firm = loan_firm(firm_type="small_business")
    execute(approve(recommend(intake(30_000_000, firm=firm), staff_user), staff_user), staff_user)
    with pytest.raises(
        LoanRuleError,
        match="잔액 30,000,000원에 신청금액 30,000,000원을 더하면 60,000,000원으로 업체당 한도 50,000,000원",
    ):
        intake(30_000_000, firm=firm)
    assert intake(20_000_000, firm=firm).status == S.RECEIVED


def test_the_foundations_refusal_frees_the_pool(intake, staff_user, fund):
    application = recommend(intake(50_000_000), staff_user)
    services.application_send_to_guarantor(application=application, sent_on=OCTOBER, actor=staff_user)
    assert guarantee_capacity(fund=fund).pending_won == 50_000_000
    with pytest.raises(LoanRuleError, match="보증 거절 사유를 입력하세요"):
        services.application_record_guarantee_rejection(
            application=application, reason=" ", decided_on=OCTOBER, actor=staff_user
        )
    services.application_record_guarantee_rejection(
        application=application, reason="신용평점 미달", decided_on=OCTOBER, actor=staff_user
    )
    application.refresh_from_db()
    assert (application.status, application.guarantee_rejection_reason) == (
        S.GUARANTEE_REJECTED,
        "신용평점 미달",
    )
    assert guarantee_capacity(fund=fund).pool_used_won == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"guarantee_amount_won": 60_000_000}, "보증금액 60,000,000원이 추천금액 50,000,000원보다 많습니다."),
        ({"ratio_pct": Decimal("0")}, "보증비율(%)을 0보다 크고 100 이하로 입력하세요."),
        ({"ratio_pct": Decimal("101")}, "보증비율(%)을 0보다 크고 100 이하로 입력하세요."),
        ({"fee_pct": None}, "보증료(연 %)를 0~10% 사이로 입력하세요."),
        ({"certificate_number": " "}, "보증서 번호를 입력하세요."),
        (
            {"decided_on": datetime.date(2018, 10, 1)},
            "보증 심사 결과일(2018.10.01)이 보증 신청일(2018.10.15)보다 빠릅니다.",
        ),
    ],
)
def test_bad_foundation_results_are_refused_and_write_nothing(intake, staff_user, changes, message):
    application = recommend(intake(50_000_000), staff_user)
    services.application_send_to_guarantor(application=application, sent_on=OCTOBER, actor=staff_user)
    arguments = {
        "guarantee_amount_won": 50_000_000,
        "ratio_pct": Decimal("100"),
        "fee_pct": Decimal("0.8"),
        "certificate_number": "제1호",
        "decided_on": OCTOBER,
        **changes,
    }
    with pytest.raises(LoanRuleError) as caught:
        services.application_record_guarantee_approval(application=application, actor=staff_user, **arguments)
    assert message in caught.value.messages
    application.refresh_from_db()
    assert (application.status, application.guarantee_amount_won) == (S.GUARANTEE_REQUESTED, None)


def test_the_loan_may_not_exceed_the_guaranteed_amount(intake, staff_user):
    application = approve(recommend(intake(50_000_000), staff_user), staff_user, amount=40_000_000)
    with pytest.raises(LoanRuleError, match="실행금액 45,000,000원이 보증금액 40,000,000원보다 많습니다"):
        execute(application, staff_user, amount=45_000_000)


def test_the_send_date_may_not_be_in_the_future_or_before_entry(intake, staff_user):
    application = recommend(intake(50_000_000), staff_user)
    with pytest.raises(LoanRuleError, match="오늘보다 늦을 수 없습니다"):
        services.application_send_to_guarantor(
            application=application,
            sent_on=timezone.localdate() + datetime.timedelta(days=1),
            actor=staff_user,
        )
    with pytest.raises(LoanRuleError, match=r"접수일\(2018.10.15\)보다 빠릅니다"):
        services.application_send_to_guarantor(
            application=application, sent_on=datetime.date(2018, 10, 1), actor=staff_user
        )


def test_a_staff_recommending_fund_is_not_put_on_the_agenda(intake, staff_user):
    application = intake()
    services.application_start_review(application=application, actor=staff_user)
    with pytest.raises(LoanRuleError, match="담당자가 추천합니다"):
        services.application_put_on_agenda(application=application, actor=staff_user)


def test_a_committee_recommending_fund_recommends_only_from_the_agenda_with_a_closed_meeting(
    intake, staff_user, manager_user, fund
):
    fund.recommended_by = LoanFund.RecommendedBy.COMMITTEE
    fund.save()
    application = intake(30_000_000)
    services.application_start_review(application=application, actor=staff_user)
    with pytest.raises(LoanRuleError, match="심의상정된 신청만 추천할 수 있습니다"):
        services.application_recommend(application=application, amount_won=30_000_000, actor=staff_user)
    services.application_put_on_agenda(application=application, actor=staff_user)
    # A typed resolution is not a decision: the meeting's own record is (tests/loans/committee).
    with pytest.raises(LoanRuleError, match="종료된 심의위원회 회의를 고르세요"):
        services.application_recommend(
            application=application,
            amount_won=30_000_000,
            actor=manager_user,
            reason="2018.10.20 기금운용심의위원회 가결",
        )
    application.refresh_from_db()
    assert application.status == S.ON_AGENDA


def test_only_staff_recommend_when_the_fund_says_staff(intake, manager_user, committee_user, staff_user):
    application = intake()
    services.application_start_review(application=application, actor=staff_user)
    for user in (manager_user, committee_user):
        with pytest.raises(LoanRuleError, match="권한이 없습니다"):
            services.application_recommend(application=application, amount_won=10_000_000, actor=user)
    application.refresh_from_db()
    assert application.status == S.REVIEW


@pytest.mark.parametrize("user_fixture", ["manager_user", "committee_user"])
def test_only_staff_send_and_record_the_foundations_result(intake, staff_user, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    application = recommend(intake(), staff_user)
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        services.application_send_to_guarantor(application=application, sent_on=OCTOBER, actor=user)
    services.application_send_to_guarantor(application=application, sent_on=OCTOBER, actor=staff_user)
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        services.application_record_guarantee_rejection(
            application=application, reason="x", decided_on=OCTOBER, actor=user
        )


GUARANTEE_ACTIONS = [a for a in workflow.WORKFLOW if a.applies_to(LoanFund.Kind.GUARANTEE)]


def test_the_guarantee_path_is_declared_and_the_call_steps_are_not_on_it():
    names = {a.name for a in GUARANTEE_ACTIONS}
    assert {"recommend", "send_to_guarantor", "guarantee_approval", "guarantee_rejection"} <= names
    assert not names & {"select", "reserve", "decline", "promote", "refer"}
    table = workflow.transitions(LoanFund.Kind.GUARANTEE)
    assert table[S.REVIEW] >= {S.RECOMMENDED}
    assert S.SELECTED not in table[S.ON_AGENDA]
    assert workflow.transitions(LoanFund.Kind.DISTRICT_FUND)[S.REVIEW] == {
        S.ON_AGENDA,
        S.REJECTED,
        S.WITHDRAWN,
    }


def test_the_call_path_refuses_the_guarantee_steps(make_application, staff_user):
    application = make_application(status=S.REVIEW)
    with pytest.raises(LoanRuleError, match="알 수 없는 처리"):
        services.application_perform(
            application=application, action="recommend", actor=staff_user, amount_won=1
        )
    assert not ApplicationEvent.objects.exists()


def test_withdrawing_a_sent_application_frees_the_pool(intake, staff_user, fund):
    application = recommend(intake(50_000_000), staff_user)
    services.application_send_to_guarantor(application=application, sent_on=OCTOBER, actor=staff_user)
    services.application_withdraw(application=application, actor=staff_user, reason="업체 요청")
    assert guarantee_capacity(fund=fund).pool_used_won == 0


def _buttons(client, application) -> list[str]:
    from django.urls import reverse

    html = client.get(reverse("loans:application_detail", args=[application.pk])).content.decode()
    return [a.name for a in workflow.WORKFLOW if f'name="action" value="{a.name}"' in html]


def test_a_staff_recommending_fund_in_review_offers_no_agenda_button(
    intake, staff_user, manager_user, client
):
    """No committee for this fund: 심의상정 is not offered, 구 추천 is (to staff only)."""
    application = intake()
    services.application_start_review(application=application, actor=staff_user)
    offered = [a.name for a in workflow.actions_for(staff_user, application)]
    assert "put_on_agenda" not in offered and "recommend" in offered
    assert "recommend" not in [a.name for a in workflow.actions_for(manager_user, application)]
    client.force_login(staff_user)
    buttons = _buttons(client, application)
    assert "put_on_agenda" not in buttons and "recommend" in buttons
    assert "심의상정</button>" not in client.get(application.get_absolute_url()).content.decode()


def test_a_committee_recommending_fund_in_review_offers_the_agenda_not_the_recommendation(
    intake, staff_user, fund, client
):
    fund.recommended_by = LoanFund.RecommendedBy.COMMITTEE
    fund.save()
    application = intake()
    services.application_start_review(application=application, actor=staff_user)
    client.force_login(staff_user)
    buttons = _buttons(client, application)
    assert "put_on_agenda" in buttons and "recommend" not in buttons
    assert "심의상정</button>" in client.get(application.get_absolute_url()).content.decode()
    services.application_put_on_agenda(application=application, actor=staff_user)
    assert "recommend" in [a.name for a in workflow.actions_for(staff_user, application)]


@pytest.mark.parametrize("recommended_by", LoanFund.RecommendedBy.values)
@pytest.mark.parametrize("action_name", ["put_on_agenda", "recommend"])
@pytest.mark.parametrize("user_fixture", ["staff_user", "manager_user"])
def test_a_button_is_offered_in_review_exactly_when_its_service_accepts_it(
    intake, staff_user, fund, request, recommended_by, action_name, user_fixture
):
    fund.recommended_by = recommended_by
    fund.save()
    user = request.getfixturevalue(user_fixture)
    application = intake()
    services.application_start_review(application=application, actor=staff_user)
    offered = workflow.ACTIONS[action_name] in workflow.actions_for(user, application)
    try:
        services.application_perform(
            application=application, action=action_name, actor=user, amount_won=10_000_000
        )
        accepted = True
    except LoanRuleError:
        accepted = False
    assert offered == accepted

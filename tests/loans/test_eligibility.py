"""Every eligibility rule refuses with its own Korean message at submission; drafts are not checked."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from guro_sme.models import DistrictProfile
from loans.models import ApplicationEvent, LoanApplication
from loans.services import LoanRuleError, application_save_draft, application_submit, check_eligibility

from .conftest import ENTRY_DAY

S = LoanApplication.Status


@pytest.fixture
def new_application(loan_call, loan_funds, loan_firm):
    def build(fund="district", amount=100_000_000, firm=None, **firm_fields):
        firm = firm or loan_firm(**firm_fields)
        return LoanApplication(
            firm=firm, call=loan_call, fund=loan_funds[fund], requested_amount_won=amount, purpose="operating"
        )

    return build


def refusal(application, staff_user, on_date=ENTRY_DAY) -> str:
    with pytest.raises(LoanRuleError) as caught:
        application_submit(application=application, actor=staff_user, on_date=on_date)
    return " / ".join(caught.value.messages)


def test_an_eligible_application_is_received_with_its_event(new_application, staff_user):
    application = application_submit(application=new_application(), actor=staff_user, on_date=ENTRY_DAY)
    assert application.status == S.RECEIVED
    assert application.submitted_on == ENTRY_DAY
    events = list(application.events.values_list("from_status", "to_status", "actor", "amount_won"))
    assert events == [("", S.DRAFT, staff_user.pk, None), (S.DRAFT, S.RECEIVED, staff_user.pk, 100_000_000)]


def test_a_firm_outside_the_district_is_refused_naming_the_district(new_application, staff_user):
    DistrictProfile.objects.create(district_name="구로구", department="지역경제과")
    message = refusal(new_application(in_district=False), staff_user)
    assert "구로구 소재 기업만 신청할 수 있습니다." in message
    assert LoanApplication.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0


def test_the_guarantee_loan_refuses_an_sme(new_application, staff_user):
    message = refusal(new_application(fund="guarantee", amount=30_000_000, firm_type="sme"), staff_user)
    assert "'보증특례'는 중소기업이 신청할 수 없는 기금입니다." in message


def test_an_amount_over_the_per_firm_limit_of_the_firm_type_is_refused(new_application, staff_user):
    message = refusal(new_application(amount=50_000_001, firm_type="small_business"), staff_user)
    assert "신청금액 50,000,001원이 업체당 한도 50,000,000원(소상공인)을 넘습니다." in message


def test_the_limit_itself_is_allowed(new_application, staff_user):
    application = new_application(amount=200_000_000, firm_type="sme")
    assert (
        application_submit(application=application, actor=staff_user, on_date=ENTRY_DAY).status == S.RECEIVED
    )


@pytest.mark.parametrize("day", [datetime.date(2018, 1, 7), datetime.date(2018, 1, 27)])
def test_an_entry_outside_the_call_period_is_refused(new_application, staff_user, day):
    message = refusal(new_application(), staff_user, on_date=day)
    assert "의 접수 기간(2018.01.08~2018.01.26)이 아닙니다." in message


@pytest.mark.parametrize("day", [datetime.date(2018, 1, 8), datetime.date(2018, 1, 26)])
def test_the_first_and_last_day_of_the_call_are_open(new_application, staff_user, day):
    assert (
        application_submit(application=new_application(), actor=staff_user, on_date=day).status == S.RECEIVED
    )


def test_a_second_application_of_the_firm_to_the_same_call_is_refused(new_application, staff_user, loan_firm):
    firm = loan_firm()
    application_submit(application=new_application(firm=firm), actor=staff_user, on_date=ENTRY_DAY)
    message = refusal(new_application(firm=firm, fund="bank"), staff_user)
    assert "이미 신청했습니다. (공고당 1회)" in message
    assert LoanApplication.objects.count() == 1


def test_a_withdrawn_application_does_not_block_a_new_one(new_application, staff_user, loan_firm):
    firm = loan_firm()
    first = application_submit(application=new_application(firm=firm), actor=staff_user, on_date=ENTRY_DAY)
    LoanApplication.objects.filter(pk=first.pk).update(status=S.WITHDRAWN)
    second = application_submit(application=new_application(firm=firm), actor=staff_user, on_date=ENTRY_DAY)
    assert second.status == S.RECEIVED


def test_the_database_refuses_two_live_applications_of_a_firm_to_a_call(make_application, loan_firm):
    firm = loan_firm()
    make_application(status=S.RECEIVED, firm=firm)
    make_application(status=S.DRAFT, firm=firm)  # drafts don't count
    make_application(status=S.WITHDRAWN, firm=firm)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_application(status=S.REVIEW, firm=firm)


def test_a_firm_founded_less_than_six_months_before_the_call_is_refused(new_application, staff_user):
    # The call opens 2018-01-08: founded 2017-07-09 is one day short of six months.
    message = refusal(new_application(founded_on=datetime.date(2017, 7, 9)), staff_user)
    assert "설립(개업) 후 6개월이 지나지 않은 기업은 신청할 수 없습니다." in message


def test_a_firm_founded_exactly_six_months_before_the_call_may_apply(new_application, staff_user):
    application = new_application(founded_on=datetime.date(2017, 7, 8))
    assert (
        application_submit(application=application, actor=staff_user, on_date=ENTRY_DAY).status == S.RECEIVED
    )


def test_a_firm_without_a_founding_date_is_asked_for_it(new_application, staff_user, loan_firm):
    message = refusal(new_application(firm=loan_firm(founded_on=None)), staff_user)
    assert "설립일(개업일)이 등록되어 있지 않습니다." in message


def test_a_fund_not_offered_by_the_call_is_refused(new_application, staff_user, loan_call, loan_funds):
    loan_call.funds.remove(loan_funds["bank"])
    message = refusal(new_application(fund="bank"), staff_user)
    assert "'2018년 상반기 융자 공고'에서는 '은행협력자금'을 지원하지 않습니다." in message


def test_a_missing_amount_or_purpose_is_refused_at_submission(new_application, staff_user):
    application = new_application(amount=None)
    application.purpose = ""
    message = refusal(application, staff_user)
    assert "신청금액을 입력하세요." in message
    assert "자금용도(운전/시설)를 선택하세요." in message


def test_every_failure_is_reported_at_once(new_application, staff_user):
    application = new_application(
        in_district=False, founded_on=datetime.date(2017, 12, 1), amount=300_000_000
    )
    with pytest.raises(LoanRuleError) as caught:
        application_submit(application=application, actor=staff_user, on_date=datetime.date(2018, 2, 1))
    assert len(caught.value.messages) == 4


def test_the_guarantee_pool_may_not_be_exceeded(new_application, staff_user, loan_funds, make_application):
    fund = loan_funds["guarantee"]
    fund.guarantee_contribution_won = 6_000_000
    fund.save()  # pool: 6,000,000 × 10 = 60,000,000
    make_application(
        status=S.RECOMMENDED, fund="guarantee", amount=40_000_000, approved_amount_won=40_000_000
    )
    message = refusal(
        new_application(fund="guarantee", amount=30_000_000, firm_type="small_business"), staff_user
    )
    assert "남은 한도는 20,000,000원입니다. (신청금액 30,000,000원)" in message
    ok = new_application(fund="guarantee", amount=20_000_000, firm_type="small_business")
    assert application_submit(application=ok, actor=staff_user, on_date=ENTRY_DAY).status == S.RECEIVED


def test_an_unrepaid_loan_of_the_same_fund_is_flagged_not_refused(
    new_application, staff_user, make_application, loan_firm, loan_funds
):
    firm = loan_firm()
    from loans.models import LoanCall

    earlier = LoanCall.objects.create(
        title="2017년 하반기",
        year=2017,
        opens_on=datetime.date(2017, 7, 1),
        closes_on=datetime.date(2017, 7, 20),
    )
    make_application(
        status=S.REPAYING,
        firm=firm,
        call=earlier,
        approved_amount_won=100_000_000,
        executed_amount_won=100_000_000,
    )
    application = application_submit(
        application=new_application(firm=firm), actor=staff_user, on_date=ENTRY_DAY
    )
    assert application.status == S.RECEIVED
    assert application.has_unrepaid_loan_flag is True
    assert "아직 상환 중입니다" in application.events.last().reason


def test_a_repaid_loan_or_another_fund_raises_no_flag(
    new_application, staff_user, make_application, loan_firm
):
    from loans.models import LoanCall

    earlier = LoanCall.objects.create(
        title="2017년", year=2017, opens_on=datetime.date(2017, 7, 1), closes_on=datetime.date(2017, 7, 20)
    )
    firm = loan_firm()
    make_application(status=S.REPAID, firm=firm, call=earlier, approved_amount_won=1, executed_amount_won=1)
    other = LoanCall.objects.create(
        title="2017년 상반기",
        year=2017,
        opens_on=datetime.date(2017, 1, 1),
        closes_on=datetime.date(2017, 1, 20),
    )
    make_application(
        status=S.REPAYING, firm=firm, call=other, fund="bank", approved_amount_won=1, executed_amount_won=1
    )
    application = application_submit(
        application=new_application(firm=firm), actor=staff_user, on_date=ENTRY_DAY
    )
    assert application.has_unrepaid_loan_flag is False


def test_a_draft_is_saved_without_any_check(new_application, staff_user):
    application = new_application(in_district=False, amount=999_999_999_999)
    application_save_draft(application=application, actor=staff_user)
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert check_eligibility(application, on_date=ENTRY_DAY).errors  # it would fail on submission
    assert list(application.events.values_list("to_status", flat=True)) == [S.DRAFT]


def test_a_refused_draft_stays_a_draft(new_application, staff_user):
    application = new_application(in_district=False)
    application_save_draft(application=application, actor=staff_user)
    refusal(application, staff_user)
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.events.count() == 1


def test_a_submitted_draft_goes_to_received(new_application, staff_user):
    application = new_application()
    application_save_draft(application=application, actor=staff_user)
    application_submit(application=application, actor=staff_user, on_date=ENTRY_DAY)
    application.refresh_from_db()
    assert application.status == S.RECEIVED
    assert list(application.events.values_list("to_status", flat=True)) == [S.DRAFT, S.RECEIVED]


def test_only_staff_enter_applications(new_application, manager_user, committee_user):
    for user in (manager_user, committee_user):
        with pytest.raises(LoanRuleError, match="권한이 없습니다"):
            application_submit(application=new_application(), actor=user, on_date=ENTRY_DAY)
        with pytest.raises(LoanRuleError, match="권한이 없습니다"):
            application_save_draft(application=new_application(), actor=user)
    assert LoanApplication.objects.count() == 0


def test_repayment_years_outside_the_funds_terms_are_refused(new_application, staff_user):
    application = new_application()
    application.repayment_years = 3
    message = refusal(application, staff_user)
    assert "'구기금'의 분할상환기간은 4년입니다. (3년은 선택할 수 없습니다)" in message
    guarantee = new_application(fund="guarantee", amount=10_000_000, firm_type="small_business")
    guarantee.repayment_years = 5
    assert "분할상환기간은 3~4년입니다." in refusal(guarantee, staff_user)


def test_an_entry_date_in_the_future_is_refused_by_the_service(new_application, staff_user):
    """The rule lives in application_submit, so the form and the import both meet it."""
    from django.utils import timezone

    application = new_application()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(LoanRuleError, match="접수일은 오늘보다 늦을 수 없습니다"):
        application_submit(application=application, actor=staff_user, on_date=tomorrow)
    assert LoanApplication.objects.count() == 0

"""Loan pages: who may see and do what, entering applications, and constant-query lists."""

import datetime
import html

import pytest
from django.urls import reverse

from loans.models import LoanApplication, LoanCall, LoanFund

S = LoanApplication.Status


@pytest.fixture
def application(make_application):
    return make_application(status=S.REVIEW)


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_urls(application):
    call, fund = application.call, application.fund
    return [
        reverse("loans:index"),
        reverse("loans:call_list"),
        reverse("loans:call_detail", args=[call.pk]),
        reverse("loans:referral_pdf", args=[call.pk]),
        reverse("loans:referral_xlsx", args=[call.pk]) + "?reason=테스트",
        reverse("loans:application_list"),
        reverse("loans:application_detail", args=[application.pk]),
    ], [
        reverse("loans:call_create"),
        reverse("loans:call_edit", args=[call.pk]),
        reverse("loans:call_copy", args=[call.pk]),
        reverse("loans:fund_edit", args=[fund.pk]),
        reverse("loans:application_create"),
        reverse("loans:application_edit", args=[application.pk]),
    ]


def test_staff_see_every_page(staff_client, application):
    read, write = page_urls(application)
    for url in read + write:
        response = staff_client.get(url)
        assert response.status_code in (200, 302), url


def test_managers_read_and_download_but_get_no_forms(manager_client, application):
    read, write = page_urls(application)
    for url in read:
        assert manager_client.get(url).status_code == 200, url
    for url in write:
        assert manager_client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["committee_client", "norole_client"])
def test_committee_members_and_users_without_a_role_are_refused_every_loan_page(request, who, application):
    client = request.getfixturevalue(who)
    read, write = page_urls(application)
    for url in read + write:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "권한이 없습니다" in text(response)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("application_action", {"action": "start_review"}),
        ("application_bank_outcome", {}),
        ("document_upload", {}),
    ],
)
def test_managers_cannot_post_workflow_steps(manager_client, application, name, kwargs):
    response = manager_client.post(reverse(f"loans:{name}", args=[application.pk]), kwargs)
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == S.REVIEW


def test_a_get_of_a_workflow_step_only_asks(staff_client, application):
    response = staff_client.get(
        reverse("loans:application_action", args=[application.pk]) + "?action=put_on_agenda"
    )
    assert response.status_code == 200
    assert 'name="confirmed" value="1"' in text(response)
    application.refresh_from_db()
    assert application.status == S.REVIEW


def test_withdrawing_asks_once_saying_what_happens_and_needs_a_reason(staff_client, application):
    url = reverse("loans:application_action", args=[application.pk])
    page = text(staff_client.get(application.get_absolute_url()))
    consequence = f"{application.firm.name}의 신청({application.requested_amount_won:,}원)이 '취하'로 바뀌며 되돌릴 수 없습니다."
    assert f'data-confirm="{consequence}"' in page
    asked = text(staff_client.post(url, {"action": "withdraw", "reason": "업체 요청"}))
    assert consequence in asked and 'value="업체 요청"' not in asked.split("<textarea")[0]
    assert "업체 요청</textarea>" in asked
    application.refresh_from_db()
    assert application.status == S.REVIEW
    refused = text(
        staff_client.post(url, {"action": "withdraw", "reason": " ", "confirmed": "1"}, follow=True)
    )
    assert "'취하' 사유를 입력하세요." in refused
    application.refresh_from_db()
    assert application.status == S.REVIEW
    staff_client.post(url, {"action": "withdraw", "reason": "업체 요청", "confirmed": "1"})
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_staff_put_an_application_on_the_agenda_from_its_page(staff_client, application):
    response = staff_client.post(
        reverse("loans:application_action", args=[application.pk]), {"action": "put_on_agenda"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == S.ON_AGENDA
    body = text(response)
    assert "'심의상정'으로 처리했습니다." in body
    assert "요건검토 → <strong>심의상정</strong>" in body


def test_a_refused_step_shows_the_korean_reason(staff_client, application):
    response = staff_client.post(
        reverse("loans:application_action", args=[application.pk]), {"action": "refer"}, follow=True
    )
    assert "'요건검토' 상태에서는 '은행통보'로 바꿀 수 없습니다." in text(response)


def form_data(firm, call, fund, **overrides):
    data = {
        "firm": firm.pk,
        "call": call.pk,
        "fund": fund.pk,
        "requested_amount_won": "100000000",
        "purpose": "operating",
        "purpose_detail": "원자재",
        "repayment_method": "equal_principal",
        "repayment_years": "",
        "staff_notes": "",
        "received_on": "2018-01-15",
    }
    data.update(overrides)
    return data


def test_staff_enter_and_submit_an_application(staff_client, loan_firm, loan_call, loan_funds):
    firm = loan_firm()
    data = form_data(firm, loan_call, loan_funds["district"], submit="1")
    response = staff_client.post(reverse("loans:application_create"), data)
    application = LoanApplication.objects.get()
    assert response.status_code == 302
    assert (application.status, application.submitted_on) == (S.RECEIVED, datetime.date(2018, 1, 15))


def test_a_refused_submission_shows_every_message_and_writes_nothing(
    staff_client, loan_firm, loan_call, loan_funds
):
    firm = loan_firm(in_district=False, founded_on=datetime.date(2017, 12, 1))
    data = form_data(firm, loan_call, loan_funds["district"], submit="1")
    response = staff_client.post(reverse("loans:application_create"), data)
    body = text(response)
    assert response.status_code == 200
    assert "소재 기업만 신청할 수 있습니다." in body
    assert "설립(개업) 후 6개월이 지나지 않은 기업은 신청할 수 없습니다." in body
    assert LoanApplication.objects.count() == 0


def test_the_same_data_saves_as_a_draft_without_checks(staff_client, loan_firm, loan_call, loan_funds):
    firm = loan_firm(in_district=False)
    data = form_data(firm, loan_call, loan_funds["district"], draft="1", requested_amount_won="")
    staff_client.post(reverse("loans:application_create"), data)
    assert LoanApplication.objects.get().status == S.DRAFT


def test_a_future_entry_date_is_refused(staff_client, loan_firm, loan_call, loan_funds):
    data = form_data(loan_firm(), loan_call, loan_funds["district"], submit="1", received_on="2999-01-01")
    response = staff_client.post(reverse("loans:application_create"), data)
    assert "접수일은 오늘보다 늦을 수 없습니다." in text(response)
    assert LoanApplication.objects.count() == 0


def test_only_drafts_can_be_edited(staff_client, application):
    response = staff_client.get(reverse("loans:application_edit", args=[application.pk]), follow=True)
    assert "임시저장 상태의 신청만 수정할 수 있습니다." in text(response)


def test_an_unknown_application_is_a_404(staff_client, db):
    assert staff_client.get(reverse("loans:application_detail", args=[999])).status_code == 404


def test_bad_filter_values_do_not_break_the_list(staff_client, application):
    response = staff_client.get(reverse("loans:application_list") + "?status=nope&call=abc&fund=9999&page=x")
    assert response.status_code in (200, 404)


def test_the_list_filters_by_status(staff_client, make_application):
    make_application(status=S.REVIEW, firm=None)
    selected = make_application(status=S.SELECTED, approved_amount_won=1)
    response = staff_client.get(reverse("loans:application_list"), {"status": S.SELECTED})
    body = text(response)
    assert selected.firm.name in body
    assert body.count('class="status status-') == 1


@pytest.mark.parametrize("count", [3, 25])
def test_the_application_list_runs_a_constant_number_of_queries(
    staff_client, make_application, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_application(status=S.REVIEW)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("loans:application_list"))
    assert text(response).count('class="status status-') == count


@pytest.mark.parametrize("count", [2, 12])
def test_the_dashboard_and_call_pages_run_a_constant_number_of_queries(
    staff_client, make_application, loan_call, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_application(status=S.SELECTED, approved_amount_won=10_000_000)
        make_application(
            status=S.EXECUTED, fund="bank", approved_amount_won=10_000_000, executed_amount_won=10_000_000
        )
    for url in (
        reverse("loans:index"),
        reverse("loans:call_list"),
        reverse("loans:call_detail", args=[loan_call.pk]),
    ):
        with django_assert_max_num_queries(14):
            assert staff_client.get(url).status_code == 200


def test_the_dashboard_shows_allocation_approved_executed_and_remaining(staff_client, make_application):
    make_application(status=S.SELECTED, approved_amount_won=100_000_000)
    make_application(status=S.EXECUTED, approved_amount_won=50_000_000, executed_amount_won=40_000_000)
    make_application(
        status=S.EXECUTED,
        fund="guarantee",
        amount=50_000_000,
        approved_amount_won=50_000_000,
        executed_amount_won=50_000_000,
    )
    body = staff_client.get(reverse("loans:index")).content.decode()
    assert "5,000,000,000원" in body  # the district fund's allocation
    assert "150,000,000원" in body  # approved
    assert "4,850,000,000원" in body  # remaining
    assert "50백만원 / 5,000백만원 (1%)" in body  # the guarantee pool used vs its ceiling


def test_staff_create_a_call_with_its_rubric(staff_client, loan_funds, make_user):
    member = make_user("심의위원", username="m1")
    data = {
        "title": "2019년 상반기 공고",
        "year": "2019",
        "half": "first",
        "opens_on": "2019-01-07",
        "closes_on": "2019-01-25",
        "funds": [loan_funds["district"].pk],
        "committee_members": [member.pk],
        "rubric-TOTAL_FORMS": "1",
        "rubric-INITIAL_FORMS": "0",
        "rubric-0-name": "사업성",
        "rubric-0-weight": "40",
        "rubric-0-max_score": "10",
        "rubric-0-order": "1",
    }
    response = staff_client.post(reverse("loans:call_create"), data)
    call = LoanCall.objects.get(title="2019년 상반기 공고")
    assert response.status_code == 302
    assert list(call.rubric_items.values_list("name", "weight")) == [("사업성", 40)]
    assert list(call.committee_members.all()) == [member]


def test_a_call_closing_before_it_opens_is_refused(staff_client, loan_funds):
    data = {
        "title": "잘못된 공고",
        "year": "2019",
        "half": "first",
        "opens_on": "2019-01-25",
        "closes_on": "2019-01-07",
        "funds": [loan_funds["district"].pk],
        "rubric-TOTAL_FORMS": "0",
        "rubric-INITIAL_FORMS": "0",
    }
    response = staff_client.post(reverse("loans:call_create"), data)
    assert "마감일이 시작일보다 빠릅니다." in text(response)
    assert not LoanCall.objects.filter(title="잘못된 공고").exists()


def test_staff_edit_a_funds_rate_and_limits(staff_client, loan_funds):
    fund = loan_funds["district"]
    data = {
        "name": fund.name,
        "kind": fund.kind,
        "year": "2018",
        "allocation_won": "5000000000",
        "interest_rate": "0.80",
        "grace_years": "1",
        "repayment_years_min": "4",
        "repayment_years_max": "4",
        "payments_per_year": "2",
        "limit_sme": "300000000",
        "limit_small_business": "",
        "limit_venture": "",
    }
    response = staff_client.post(reverse("loans:fund_edit", args=[fund.pk]), data)
    assert response.status_code == 302
    fund = LoanFund.objects.prefetch_related("firm_limits").get(pk=fund.pk)
    assert str(fund.interest_rate) == "0.80"
    assert fund.limit_for("sme") == 300_000_000
    assert fund.limit_for("small_business") is None


def test_staff_register_a_new_years_fund_and_bad_terms_are_refused(staff_client):
    data = {
        "name": "보증특례",
        "kind": "guarantee",
        "year": "2019",
        "allocation_won": "1000000000",
        "rate_min": "5",
        "rate_max": "3",
        "grace_years": "1",
        "repayment_years_min": "3",
        "repayment_years_max": "4",
        "payments_per_year": "2",
        "limit_small_business": "50000000",
    }
    response = staff_client.post(reverse("loans:fund_create"), data)
    body = text(response)
    assert "최고 금리가 최저 금리보다 낮습니다." in body
    assert "보증특례 기금은 구 출연금과 보증 배수를 입력하세요." in body
    assert not LoanFund.objects.exists()
    data.update(rate_min="3", rate_max="5", guarantee_contribution_won="500000000", guarantee_multiplier="10")
    assert staff_client.post(reverse("loans:fund_create"), data).status_code == 302
    fund = LoanFund.objects.get()
    assert fund.capacity_won == 5_000_000_000
    assert fund.limit_for("small_business") == 50_000_000


def test_staff_mark_a_payment_from_the_application_page(staff_client, make_application, staff_user):
    from decimal import Decimal

    from loans import services

    application = make_application(status=S.REFERRED, approved_amount_won=100_000_000)
    services.application_record_bank_approval(
        application=application,
        executed_amount_won=100_000_000,
        bank_rate=Decimal("1.8"),
        executed_on=datetime.date(2018, 3, 15),
        actor=staff_user,
    )
    first = application.installments.first()
    bad = staff_client.post(
        reverse("loans:installment_paid", args=[first.pk]), {"paid_on": "not a date"}, follow=True
    )
    assert "납입일을 입력하세요." in text(bad)
    response = staff_client.post(
        reverse("loans:installment_paid", args=[first.pk]), {"paid_on": "2018-09-14"}, follow=True
    )
    assert "1회차 납입을 기록했습니다." in text(response)
    application.refresh_from_db()
    assert application.status == S.REPAYING


def test_bad_workflow_input_gives_a_message_not_an_error(staff_client, make_application):
    application = make_application(status=S.RESERVE)
    url = reverse("loans:application_action", args=[application.pk])
    assert "알 수 없는 처리입니다." in text(staff_client.post(url, {"action": "explode"}, follow=True))
    body = text(staff_client.post(url, {"action": "promote", "approved_amount_won": "lots"}, follow=True))
    assert "예비선정 업체는 심의 결과 화면에서 예비 순위대로" in body
    missing = staff_client.post(
        reverse("loans:document_upload", args=[application.pk]), {"title": "x"}, follow=True
    )
    assert missing.status_code == 200
    early = staff_client.post(reverse("loans:application_bank_outcome", args=[application.pk]), follow=True)
    assert "은행에 통보된 신청만 은행 결과를 입력할 수 있습니다." in text(early)
    referred = make_application(status=S.REFERRED, approved_amount_won=1)
    outcome = staff_client.post(
        reverse("loans:application_bank_outcome", args=[referred.pk]), {"outcome": "approved"}
    )
    assert outcome.status_code == 200
    assert "실행금액을 입력하세요." in text(outcome)


def test_the_application_page_shows_flag_schedule_subsidy_and_timeline(
    manager_client, make_application, staff_user, django_assert_max_num_queries
):
    from decimal import Decimal

    from loans import services

    application = make_application(
        status=S.REFERRED,
        fund="bank",
        amount=200_000_000,
        approved_amount_won=200_000_000,
        has_unrepaid_loan_flag=True,
    )
    services.application_record_bank_approval(
        application=application,
        executed_amount_won=200_000_000,
        bank_rate=Decimal("3.5"),
        executed_on=datetime.date(2018, 3, 15),
        actor=staff_user,
    )
    # 19: the manager also reads the 변경 이력 box (one query per source and foreign key shown).
    with django_assert_max_num_queries(19):
        response = manager_client.get(reverse("loans:application_detail", args=[application.pk]))
    body = text(response)
    assert "같은 기금에서 받은 대출을 아직 상환 중입니다" in body
    assert "상환 일정" in body and "2023.03.15" in body
    assert "구 이자보전 비용 (연도별)" in body and "6,500,000원" in body
    assert "은행통보 → <strong>대출실행</strong>" in body
    assert "결과 저장" not in body and "납입</button>" not in body  # managers only read


def test_staff_copy_a_call_from_its_page(staff_client, loan_call):
    data = {
        "title": "2018년 하반기 융자 공고",
        "year": "2018",
        "half": "second",
        "opens_on": "2018-07-02",
        "closes_on": "2018-07-20",
    }
    response = staff_client.post(reverse("loans:call_copy", args=[loan_call.pk]), data, follow=True)
    call = LoanCall.objects.get(title="2018년 하반기 융자 공고")
    body = text(response)
    assert "기금·평가항목·심의위원을 이어받아" in body
    assert "사업성 30, 기술성 20, 상환능력 30, 지역기여도 20" in body
    assert call.funds.count() == 3
    again = staff_client.post(reverse("loans:call_copy", args=[loan_call.pk]), data)
    assert "같은 이름의 공고가 있습니다." in text(again)


def test_the_call_page_shows_what_each_fund_has_left(staff_client, loan_call, make_application):
    make_application(
        status=S.RECOMMENDED, fund="guarantee", amount=50_000_000, approved_amount_won=50_000_000
    )
    body = text(staff_client.get(reverse("loans:call_detail", args=[loan_call.pk])))
    assert "950,000,000원" in body  # the guarantee fund's 2018 scale 10억 minus 5천만 recommended


def test_the_dashboard_shows_one_year_at_a_time(staff_client, loan_funds):
    from loans.models import LoanFund

    later = loan_funds["district"]
    later.pk, later.year, later.name = None, later.year + 1, "다음 해 기금"
    later.save()
    years = sorted(set(LoanFund.objects.values_list("year", flat=True)))
    url = reverse("loans:index")

    # The year before the newest: only that year's funds, with a link to the other year.
    body = staff_client.get(url, {"year": years[0]}).content.decode()
    assert f"<h2>{years[0]}년</h2>" in body and "다음 해 기금" not in body
    assert f'href="?year={years[1]}"' in body

    body = staff_client.get(url, {"year": years[1]}).content.decode()
    assert f"<h2>{years[1]}년</h2>" in body and "다음 해 기금" in body
    assert f"<h2>{years[0]}년</h2>" not in body

    for junk, message in (("abc", "연도를 바르게 입력하세요"), ("2010", "2010년에는 등록된 기금이 없습니다")):
        response = staff_client.get(url, {"year": junk})
        assert response.status_code == 200
        assert message in response.content.decode()


def test_the_call_page_lists_every_application_in_the_same_queries_at_any_size(
    staff_client, make_application, loan_call
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("loans:call_detail", args=[loan_call.pk])
    counts = []
    for _ in range(2):
        for _ in range(5):
            make_application(status=S.SELECTED, approved_amount_won=10_000_000)
            make_application(status=S.REVIEW)
        with CaptureQueriesContext(connection) as queries:
            body = text(staff_client.get(url))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    shown = LoanApplication.objects.filter(call=loan_call).select_related("firm", "fund")
    for application in shown:
        row = f'<a href="{application.get_absolute_url()}">{application.firm.name}</a>'
        assert row in body and f"<td>{application.fund.name}</td>" in body
    # The selected ones are offered for the bank referral, checked, with their status.
    assert body.count('name="application" value=') == 10 and body.count(" checked> ") == 10
    assert body.count(">선정</span>") == 20

"""The intake form guides before 접수: only the chosen call's funds, each fund's limits and what is
left, which calls are open today; a draft's 요건 panel says what 접수 would refuse; the primary
action comes first."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from loans import services
from loans.models import LoanApplication, LoanCall

S = LoanApplication.Status


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_data(firm, call, fund, **overrides):
    data = {
        "firm": firm.pk,
        "call": call.pk if call else "",
        "fund": fund.pk,
        "requested_amount_won": "30000000",
        "purpose": "operating",
        "repayment_method": "equal_principal",
        "repayment_years": "",
        "staff_notes": "",
        "received_on": "2018-01-15",
    }
    data.update(overrides)
    return data


@pytest.fixture
def district_only_call(loan_funds):
    call = LoanCall.objects.create(
        title="2018년 구기금 추가 공고",
        year=2018,
        opens_on=datetime.date(2018, 1, 8),
        closes_on=datetime.date(2018, 1, 26),
    )
    call.funds.set([loan_funds["district"]])
    return call


@pytest.fixture
def call_open_today(loan_funds):
    today = timezone.localdate()
    call = LoanCall.objects.create(
        title="오늘 접수 중인 공고",
        year=today.year,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=3),
    )
    call.funds.set([loan_funds["district"]])
    return call


def test_each_call_option_names_its_funds_so_the_fund_select_can_list_only_those(
    staff_client, district_only_call, loan_funds
):
    body = text(staff_client.get(reverse("loans:application_create")))
    district, guarantee = loan_funds["district"], loan_funds["guarantee"]
    assert f'<option value="{district_only_call.pk}" data-funds="{district.pk}">' in body
    assert 'data-fund-select="id_fund"' in body
    assert f'<option value="{guarantee.pk}" data-year-round="1">' in body
    assert "<script>" not in body  # CSP forbids inline scripts: the filter is in static/js/app.js


def test_a_fund_the_chosen_call_does_not_offer_is_refused_at_the_field_and_nothing_is_saved(
    staff_client, loan_firm, district_only_call, loan_funds
):
    for button in ("draft", "submit"):
        data = form_data(loan_firm(), district_only_call, loan_funds["bank"], **{button: "1"})
        response = staff_client.post(reverse("loans:application_create"), data)
        assert response.status_code == 200
        assert "선택한 공고의 기금이 아닙니다" in text(response)
    assert LoanApplication.objects.count() == 0


def test_a_year_round_fund_is_still_received_without_a_call(staff_client, loan_firm, loan_funds):
    firm = loan_firm(firm_type="small_business")
    data = form_data(firm, None, loan_funds["guarantee"], submit="1", repayment_years="3")
    response = staff_client.post(reverse("loans:application_create"), data)
    assert response.status_code == 302, text(response)
    assert LoanApplication.objects.get().status == S.RECEIVED


def test_the_form_shows_each_funds_limits_what_is_left_and_the_period_and_marks_the_open_call(
    staff_client, call_open_today
):
    body = text(staff_client.get(reverse("loans:application_create")))
    guide = body[body.index("접수 안내") :]
    today = timezone.localdate()
    assert "오늘 접수 중인 공고" in guide
    assert "접수 중</span>" in guide
    opens, closes = call_open_today.opens_on, call_open_today.closes_on
    assert f"접수 기간 {opens:%Y.%m.%d}~{closes:%Y.%m.%d}" in guide
    assert "중소기업 200,000,000원" in guide and "소상공인 50,000,000원" in guide
    assert "5,000,000,000원" in guide  # 남은 금액: nothing approved yet of the 50억
    assert f"오늘({today:%Y.%m.%d}) 접수 중인 공고가 없습니다" not in guide


def test_the_form_says_so_when_no_call_is_open_today(staff_client, loan_call):
    body = text(staff_client.get(reverse("loans:application_create")))
    assert f"오늘({timezone.localdate():%Y.%m.%d}) 접수 중인 공고가 없습니다." in body
    assert "접수 중</span>" not in body


def test_the_remaining_money_counts_what_is_already_approved(staff_client, call_open_today, make_application):
    make_application(
        status=S.SELECTED, call=call_open_today, amount=1_000_000_000, approved_amount_won=1_000_000_000
    )
    body = text(staff_client.get(reverse("loans:application_create")))
    assert "4,000,000,000원" in body[body.index("접수 안내") :]


def test_a_drafts_panel_lists_the_refusals_of_submitting_it_today_never_that_all_is_met(
    staff_client, make_application, staff_user
):
    # Eligible on the call's opening day, but its period ended in 2018: 접수 today refuses it.
    draft = make_application(status=S.DRAFT)
    LoanApplication.objects.filter(pk=draft.pk).update(submitted_on=None)
    body = text(staff_client.get(reverse("loans:application_detail", args=[draft.pk])))
    panel = body[body.index("요건 확인") : body.index("처리</h2>")]
    assert "모든 신청 요건을 충족합니다" not in panel
    assert "접수 기간(2018.01.08~2018.01.26)이 아닙니다" in panel
    assert "접수되지 않습니다" in panel

    draft.refresh_from_db()
    with pytest.raises(services.LoanRuleError, match="접수 기간"):
        services.application_submit(application=draft, actor=staff_user)


def test_a_drafts_panel_says_the_future_entry_date_rule_as_submitting_does(make_application):
    draft = make_application(status=S.DRAFT)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = services.submission_check(draft, on_date=tomorrow)
    assert result.errors[0] == "접수일은 오늘보다 늦을 수 없습니다."


def test_a_draft_withdrawn_before_submission_does_not_claim_it_was_checked(
    staff_client, make_application, staff_user
):
    draft = make_application(status=S.DRAFT)
    LoanApplication.objects.filter(pk=draft.pk).update(submitted_on=None)
    draft.refresh_from_db()
    services.application_perform(application=draft, action="withdraw", actor=staff_user, reason="기업 요청")
    body = text(staff_client.get(reverse("loans:application_detail", args=[draft.pk])))
    assert "접수 시 요건을 확인했습니다" not in body
    assert "접수되지 않은 신청이라 요건을 확인하지 않았습니다." in body


def test_a_drafts_primary_action_is_submitting_and_withdrawing_comes_after_in_red(
    staff_client, make_application
):
    draft = make_application(status=S.DRAFT)
    body = text(staff_client.get(reverse("loans:application_detail", args=[draft.pk])))
    actions = body[body.index("처리</h2>") :]
    edit = reverse("loans:application_edit", args=[draft.pk])
    buttons = re.findall(r'<(?:a|button)[^>]*class="(button[^"]*)"[^>]*>([^<]+)<', actions)
    assert buttons[:2] == [("button", "접수"), ("button danger", "취하")]
    assert f'<a class="button" href="{edit}">접수</a>' in actions
    assert f'<a class="button secondary" href="{edit}">수정</a>' in body


def test_a_guarantee_reviews_primary_buttons_come_before_the_red_ones(staff_client, make_application):
    application = make_application(status=S.REVIEW, fund="guarantee", amount=30_000_000)
    body = text(staff_client.get(reverse("loans:application_detail", args=[application.pk])))
    actions = body[body.index("처리</h2>") :]
    classes = re.findall(r'<button type="submit" class="(button[^"]*)">([^<]+)</button>', actions)
    labels = [label for _, label in classes]
    assert labels.index("구 추천") < labels.index("요건 미충족 탈락") < labels.index("취하")
    styles = [style for style, _ in classes]
    assert styles == sorted(styles, key=lambda s: s != "button")  # every primary before any danger

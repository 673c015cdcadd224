"""Staff journeys in a real browser: entering applications, the bank outcome, the referral downloads."""

import re

import pytest
from playwright.sync_api import expect

from guro_sme.models import DistrictProfile, PersonalDataAccess
from loans.models import LoanApplication

pytestmark = pytest.mark.browser
S = LoanApplication.Status


def fill_application(page, firm, call, fund, amount):
    page.get_by_label("기업").fill(firm.business_number)
    page.get_by_label("공고").select_option(label=call.title)
    page.get_by_label("기금").select_option(label=str(fund))
    page.get_by_label("신청금액(원)").fill(str(amount))
    page.get_by_label("자금용도").select_option(label="운전자금")
    page.get_by_label("접수일").fill("2018-01-15")


def test_staff_enter_a_refused_then_an_accepted_application(
    page, live_server, login, staff_user, loan_call, loan_funds, loan_firm
):
    DistrictProfile.objects.create(district_name="구로구", department="지역경제과")
    outside = loan_firm(name="(주)관외기업", in_district=False)
    inside = loan_firm(name="(주)관내기업")
    login(page, staff_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="저리융자").click()
    page.get_by_role("link", name="융자 신청 입력").click()

    fill_application(page, outside, loan_call, loan_funds["district"], 100_000_000)
    page.get_by_role("button", name="접수").click()
    expect(page.get_by_text("구로구 소재 기업만 신청할 수 있습니다.")).to_be_visible()
    assert LoanApplication.objects.count() == 0

    page.get_by_label("기업").fill(inside.business_number)
    page.get_by_role("button", name="접수").click()
    expect(page.get_by_role("heading", name="융자 신청: (주)관내기업")).to_be_visible()
    expect(page.get_by_text("'(주)관내기업'의 신청을 접수했습니다.")).to_be_visible()
    application = LoanApplication.objects.get()
    assert application.status == S.RECEIVED
    expect(page.locator(".timeline")).to_contain_text("임시저장 → 접수")


def test_staff_record_the_bank_approval_and_the_schedule_appears(
    page, live_server, login, staff_user, make_application
):
    application = make_application(status=S.REFERRED, amount=100_000_000, approved_amount_won=100_000_000)
    login(page, staff_user)
    page.goto(f"{live_server.url}/loans/applications/{application.pk}/")
    page.get_by_label("승인 (대출실행)").check()
    page.get_by_label("실행금액(원)").fill("99999999")
    page.get_by_label("대출금리(연 %)").fill("1.8")
    page.get_by_label("대출실행일").fill("2018-03-15")
    page.get_by_role("button", name="결과 저장").click()

    expect(page.get_by_text("대출실행을 기록하고 상환 일정을 만들었습니다.")).to_be_visible()
    schedule = page.locator("table.schedule")
    expect(schedule.locator("tbody tr")).to_have_count(10)
    expect(schedule.locator("tfoot")).to_contain_text("99,999,999원")
    expect(schedule.locator("tbody tr").last).to_contain_text("12,500,006원")
    application.refresh_from_db()
    assert application.status == S.EXECUTED


def test_staff_record_a_bank_rejection_with_its_reason(
    page, live_server, login, staff_user, make_application
):
    application = make_application(status=S.REFERRED, amount=100_000_000, approved_amount_won=100_000_000)
    login(page, staff_user)
    page.goto(f"{live_server.url}/loans/applications/{application.pk}/")
    page.get_by_label("부결", exact=True).check()
    page.get_by_role("button", name="결과 저장").click()
    expect(page.get_by_text("부결 사유를 입력하세요.")).to_be_visible()
    page.get_by_label("부결 사유 / 비고").fill("담보 평가액 부족")
    page.get_by_role("button", name="결과 저장").click()
    expect(page.locator(".page-head .status")).to_have_text("은행부결")


def test_staff_download_the_referral_excel_and_pdf(
    page, live_server, login, staff_user, make_application, loan_call, tmp_path
):
    make_application(status=S.SELECTED, approved_amount_won=100_000_000)
    login(page, staff_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="저리융자").click()
    page.get_by_role("link", name="공고", exact=True).click()
    page.get_by_role("link", name=loan_call.title).click()
    # Personal data (representatives): the download carries its reason (access log).
    page.get_by_label("내려받기 사유").fill("은행 추천 자료")
    with page.expect_download() as xlsx_info:
        page.get_by_role("button", name="선택 업체 명단 엑셀").click()
    assert re.search(r"\.xlsx$", xlsx_info.value.suggested_filename)
    xlsx = tmp_path / "r.xlsx"
    xlsx_info.value.save_as(xlsx)
    assert xlsx.read_bytes()[:2] == b"PK"
    with page.expect_download() as pdf_info:
        page.get_by_role("button", name="선택 업체 통보 공문 PDF").click()
    pdf = tmp_path / "r.pdf"
    pdf_info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    reasons = list(
        PersonalDataAccess.objects.filter(path__contains="referral").values_list("reason", flat=True)
    )
    assert reasons == ["은행 추천 자료", "은행 추천 자료"]


def test_choosing_a_call_offers_only_its_funds_and_a_drafts_primary_action_is_submitting(
    page, live_server, login, staff_user, loan_call, loan_funds, make_application
):
    from loans.models import LoanCall

    only_district = LoanCall.objects.create(
        title="구기금 전용 공고", year=2018, opens_on=loan_call.opens_on, closes_on=loan_call.closes_on
    )
    only_district.funds.set([loan_funds["district"]])
    draft = make_application(status=S.DRAFT)
    login(page, staff_user)
    page.goto(f"{live_server.url}/loans/applications/new/")
    funds = page.get_by_label("기금")
    page.get_by_label("공고").select_option(label=only_district.title)
    expect(funds.locator("option")).to_have_text(["---------", str(loan_funds["district"])])
    page.get_by_label("공고").select_option(label=loan_call.title)
    expect(funds.locator("option")).to_have_count(4)
    page.get_by_label("공고").select_option(index=0)
    expect(funds.locator("option")).to_have_text(["---------", str(loan_funds["guarantee"])])

    page.goto(f"{live_server.url}/loans/applications/{draft.pk}/")
    buttons = page.locator("section:has(h2:text-is('처리')) .button")
    expect(buttons.first).to_have_text("접수")
    expect(buttons.first).to_have_class("button")
    expect(buttons.nth(1)).to_have_class("button danger")

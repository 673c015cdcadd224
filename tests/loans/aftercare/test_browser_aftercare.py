"""Staff journeys after the loan, in a real browser: a late payment clears the arrears; a 환수 case
for a firm that moved out, its notice, an objection and its decision."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from loans.aftercare.models import LoanPayment, RecoveryCase
from loans.models import LoanApplication

pytestmark = pytest.mark.browser
S = LoanApplication.Status


@pytest.fixture
def recent_loan(make_application, execute, loan_firm):
    """A loan executed 200 days ago: its first installment fell due a couple of weeks ago, unpaid."""
    firm = loan_firm(name="(주)늦은상환")
    application = make_application(status=S.REFERRED, approved_amount_won=100_000_000, firm=firm)
    return execute(application, on=timezone.localdate() - datetime.timedelta(days=200))


def test_staff_record_a_late_payment_and_the_arrears_clear(page, live_server, login, staff_user, recent_loan):
    login(page, staff_user)
    expect(page.get_by_role("link", name="연체 중인 융자")).to_be_visible()
    page.get_by_role("link", name="연체 중인 융자").click()
    expect(page.get_by_role("heading", name="연체 현황")).to_be_visible()
    row = page.get_by_role("row", name="(주)늦은상환")
    expect(row).to_contain_text("1~30일")
    row.get_by_role("link", name="(주)늦은상환").click()

    expect(page.get_by_test_id("arrears")).to_contain_text("일 연체 (1~30일)")
    page.get_by_label("납입일", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="납입 기록").click()
    expect(page.get_by_text("900,000원을 기록했습니다.")).to_be_visible()
    expect(page.get_by_test_id("arrears")).to_have_text("연체 없음")
    expect(page.locator(".schedule")).to_contain_text("완납 (지연")
    payment = LoanPayment.objects.get()
    assert (payment.amount_won, payment.entered_by, payment.source) == (900_000, staff_user, "staff")

    page.goto(f"{live_server.url}/aftercare/arrears/")
    expect(page.get_by_text("연체 중인 대출이 없습니다.")).to_be_visible()


def test_staff_open_a_recovery_case_for_a_firm_that_moved_out(
    page, live_server, login, staff_user, recent_loan, tmp_path
):
    login(page, staff_user)
    page.goto(f"{live_server.url}{recent_loan.firm.get_absolute_url()}")
    page.get_by_role("link", name="수정").click()
    page.get_by_label("관내 소재").uncheck()
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_role("cell", name="정보 수정 (관외)")).to_be_visible()

    page.get_by_role("link", name="환수 개시").click()
    page.get_by_label("융자", exact=True).select_option(index=1)
    page.get_by_label("환수 사유").select_option(label="관외 이전")
    page.get_by_role("button", name="환수 개시").click()
    expect(page.get_by_text("환수 건을 열었습니다")).to_be_visible()
    case = RecoveryCase.objects.get()
    assert (case.cause, case.principal_won, case.opened_by) == ("moved_out", 100_000_000, staff_user)

    page.get_by_role("button", name="환수 통지").click()
    dialog = page.get_by_role("dialog", name="환수 통지 확인")
    expect(dialog).to_contain_text("환수 금액 100,000,000원을 통지합니다")
    dialog.get_by_role("button", name="환수 통지").click()
    expect(page.get_by_text("이의신청 기간은 통지일부터 20일입니다.")).to_be_visible()
    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="환수 통지문 PDF").click()
    pdf = tmp_path / "notice.pdf"
    pdf_info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"

    page.get_by_label("이의신청 접수일").fill(timezone.localdate().isoformat())
    page.get_by_label("이의신청 내용").fill("관내 영업소를 유지하고 있습니다.")
    page.get_by_role("button", name="이의신청 기록").click()
    expect(page.get_by_text("이의신청을 기록했습니다.")).to_be_visible()
    page.get_by_role("combobox", name="결정", exact=True).select_option(label="기각(환수 유지)")
    page.get_by_label("결정 사유").fill("본점 이전 확인")
    page.get_by_role("button", name="결정 기록").click()
    expect(page.get_by_text("이의신청 결정을 기록했습니다.")).to_be_visible()
    expect(page.locator(".page-head .status")).to_have_text("납부 대기")
    case.refresh_from_db()
    assert (case.status, case.objection_decision, case.objection_decided_by) == (
        "awaiting",
        "rejected",
        staff_user,
    )


def test_staff_tick_two_installments_due_this_week_and_record_them_paid(
    page, live_server, login, staff_user, make_application, execute, loan_firm
):
    from guro_sme.dates import add_months

    today = timezone.localdate()
    for days in range(7):  # an execution day six months back whose first installment is this week
        executed_on = add_months(today + datetime.timedelta(days=days), -6)
        if today <= add_months(executed_on, 6) <= today + datetime.timedelta(days=6):
            break
    for name in ("(주)가나상사", "(주)다라상사", "(주)마바상사"):
        application = make_application(
            status=S.REFERRED, approved_amount_won=100_000_000, firm=loan_firm(name=name)
        )
        execute(application, on=executed_on)

    login(page, staff_user)
    page.goto(f"{live_server.url}/aftercare/due/")
    page.get_by_label("(주)가나상사 1회차 선택").check()
    page.get_by_label("(주)다라상사 1회차 선택").check()
    expect(page.get_by_label("납입일")).to_have_value(today.isoformat())
    page.get_by_role("button", name="선택한 회차 납입 처리").click()
    dialog = page.get_by_role("dialog", name="선택한 회차 납입 처리")
    expect(dialog).to_contain_text("선택한 2건의 납입을 기록합니다.")
    dialog.get_by_role("button", name="선택한 회차 납입 처리").click()

    expect(page.get_by_text(f"2건의 납입을 기록했습니다 (납입일 {today:%Y.%m.%d}).")).to_be_visible()
    expect(page.get_by_role("row", name="(주)가나상사")).to_have_count(0)
    expect(page.get_by_role("row", name="(주)다라상사")).to_have_count(0)
    expect(page.get_by_role("row", name="(주)마바상사")).to_be_visible()
    payments = LoanPayment.objects.order_by("application__firm__name")
    assert [(p.application.firm.name, p.amount_won, p.entered_by) for p in payments] == [
        ("(주)가나상사", 900_000, staff_user),
        ("(주)다라상사", 900_000, staff_user),
    ]

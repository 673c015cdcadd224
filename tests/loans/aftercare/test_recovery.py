"""환수: a case opens only when the records show its cause; the amount is fixed at opening; the
notice has a 문서번호 and a 20-day 이의신청 window; objection, decision and outcome are recorded."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from guro_sme.services import firm_save
from loans.aftercare import services
from loans.aftercare.models import RecoveryCase
from loans.aftercare.selectors import recovery_by_year, recovery_case_count
from loans.services import LoanRuleError
from tests.pdftext import pdf_text_and_fonts

C, St = RecoveryCase.Cause, RecoveryCase.Status
DAY = datetime.date(2019, 6, 30)
MOVED = datetime.date(2019, 3, 31)


def move_out(firm, user):
    firm.in_district = False
    firm_save(firm=firm, actor=user, reason="관외 이전")


def test_a_moved_out_firm_repays_the_balance_and_recovery_interest(loan, staff_user, loan_funds):
    loan_funds["district"].recovery_rate_pct = Decimal("5.00")
    loan_funds["district"].save()
    loan.refresh_from_db()
    with pytest.raises(LoanRuleError, match="관내 소재"):
        services.recovery_open(
            firm=loan.firm, application=loan, cause=C.MOVED_OUT, cause_on=MOVED, actor=staff_user, on_date=DAY
        )
    move_out(loan.firm, staff_user)
    case = services.recovery_open(
        firm=loan.firm,
        application=loan,
        cause=C.MOVED_OUT,
        cause_on=datetime.date(2019, 3, 31),
        actor=staff_user,
        on_date=DAY,
    )
    # 1억 outstanding × 5% × 91 days / 365
    assert (case.principal_won, case.interest_days, case.interest_won) == (100_000_000, 91, 1_246_575)
    assert case.amount_won == 101_246_575 and case.status == St.OPEN
    with pytest.raises(LoanRuleError, match="이미 환수 건"):
        services.recovery_open(
            firm=loan.firm, application=loan, cause=C.MOVED_OUT, cause_on=MOVED, actor=staff_user, on_date=DAY
        )


def test_causes_must_be_on_record(loan, staff_user, make_firm):
    with pytest.raises(LoanRuleError, match="폐업일이 기업 정보에 없습니다"):
        services.recovery_open(
            firm=loan.firm, application=loan, cause=C.CLOSED, actor=staff_user, on_date=DAY
        )
    with pytest.raises(LoanRuleError, match="사후관리 기준"):
        services.recovery_open(
            firm=loan.firm,
            application=loan,
            cause=C.OVERDUE,
            actor=staff_user,
            on_date=datetime.date(2018, 10, 1),
        )
    with pytest.raises(LoanRuleError, match="사유 상세"):
        services.recovery_open(
            firm=loan.firm, application=loan, cause=C.MISUSE, actor=staff_user, on_date=DAY
        )
    with pytest.raises(LoanRuleError, match="이 기업의 융자가 아닙니다"):
        services.recovery_open(
            firm=make_firm(), application=loan, cause=C.MISUSE, detail="x", actor=staff_user
        )
    assert not RecoveryCase.objects.exists()
    # Overdue beyond the fund's 90 days: the first installment (2018-09-15) unpaid on 2019-01-01.
    case = services.recovery_open(
        firm=loan.firm, application=loan, cause=C.OVERDUE, actor=staff_user, on_date=datetime.date(2019, 1, 1)
    )
    assert case.cause_on == datetime.date(2018, 9, 15)


def test_a_kotra_case_recovers_the_whole_subsidy(make_firm, staff_user):
    firm = make_firm()
    case = services.recovery_open(
        firm=firm,
        program=RecoveryCase.Program.KOTRA,
        support_title="2017 KOTRA 해외지사화 런던(영국)",
        subsidy_won=1_750_000,
        cause=C.FALSE_APPLICATION,
        detail="참가비 영수증 위조",
        actor=staff_user,
        on_date=DAY,
    )
    assert (case.amount_won, case.interest_won, case.application) == (1_750_000, 0, None)


def test_notice_objection_decision_and_outcome(loan, staff_user, manager_user):
    move_out(loan.firm, staff_user)
    case = services.recovery_open(
        firm=loan.firm, application=loan, cause=C.MOVED_OUT, cause_on=MOVED, actor=staff_user, on_date=DAY
    )
    with pytest.raises(LoanRuleError, match="통지 전에는 취소만"):
        services.recovery_close(case=case, outcome=St.REPAID, on_date=DAY, actor=staff_user)
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        services.recovery_issue_notice(case=case, actor=manager_user, on_date=DAY)
    services.recovery_issue_notice(case=case, actor=staff_user, on_date=DAY)
    assert case.notice_number.endswith("환수-2019-0001")
    assert case.objection_deadline == datetime.date(2019, 7, 20)
    with pytest.raises(LoanRuleError, match=r"기한\(2019\.07\.20\)이 지난 뒤에 종결"):
        services.recovery_close(
            case=case, outcome=St.COLLECTION, on_date=datetime.date(2019, 7, 10), actor=staff_user
        )
    with pytest.raises(LoanRuleError, match="지난 뒤에 접수"):
        services.recovery_record_objection(
            case=case, received_on=datetime.date(2019, 7, 21), text="늦은 이의", actor=staff_user
        )
    services.recovery_record_objection(
        case=case, received_on=datetime.date(2019, 7, 15), text="관내 사업장 유지 중", actor=staff_user
    )
    with pytest.raises(LoanRuleError, match="이의신청을 먼저 결정"):
        services.recovery_close(
            case=case, outcome=St.REPAID, on_date=datetime.date(2019, 8, 1), actor=staff_user
        )
    services.recovery_decide_objection(
        case=case, decision=RecoveryCase.Decision.REJECTED, reason="본점 이전 확인", actor=staff_user
    )
    assert (case.status, case.objection_decided_by) == (St.AWAITING, staff_user)
    services.recovery_close(
        case=case,
        outcome=St.INSTALMENTS,
        on_date=datetime.date(2019, 8, 1),
        note="12개월 분할",
        actor=staff_user,
    )
    assert case.status == St.INSTALMENTS
    assert case.history.count() == 5  # opened, notified, objected, decided, closed
    assert recovery_case_count(2019) == 1 and recovery_case_count(2018) == 0
    assert recovery_by_year(2019)["by_cause"]["관외 이전"] == 1


def test_the_notice_pdf_is_an_official_letter(loan, staff_user, client, manager_user):
    move_out(loan.firm, staff_user)
    case = services.recovery_open(
        firm=loan.firm, application=loan, cause=C.MOVED_OUT, cause_on=MOVED, actor=staff_user, on_date=DAY
    )
    client.force_login(manager_user)
    url = reverse("aftercare:recovery_notice_pdf", args=[case.pk])
    assert client.get(url).status_code == 302  # no number yet
    services.recovery_issue_notice(case=case, actor=staff_user, on_date=DAY)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(response.content)
    assert case.notice_number in text and "지원금 환수 통지" in text
    assert "2019.07.20" in text and "100,000,000" in text and "끝." in text
    assert "NanumGothic" in fonts


def test_recovery_pages_need_the_right_role(loan, client, staff_user, committee_user, manager_user):
    move_out(loan.firm, staff_user)
    client.force_login(committee_user)
    assert client.get(reverse("aftercare:recovery_list")).status_code == 403
    client.force_login(manager_user)
    assert client.get(reverse("aftercare:recovery_list")).status_code == 200
    assert client.get(reverse("aftercare:recovery_create", args=[loan.firm.pk])).status_code == 403
    client.force_login(staff_user)
    url = reverse("aftercare:recovery_create", args=[loan.firm.pk])
    refused = client.post(url, {"program": "loan", "application": loan.pk, "cause": "closed"})
    assert "폐업일이 기업 정보에 없습니다" in refused.content.decode()
    assert not RecoveryCase.objects.exists()
    response = client.post(
        url, {"program": "loan", "application": loan.pk, "cause": "moved_out"}, follow=True
    )
    assert "환수 건을 열었습니다" in response.content.decode()
    case = RecoveryCase.objects.get()
    body = client.get(reverse("firm_detail", args=[loan.firm.pk])).content.decode()
    assert "관외 이전" in body and case.get_absolute_url() in body

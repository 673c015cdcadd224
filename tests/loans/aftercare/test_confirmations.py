"""환수 통지, 환수 종결 and 지급 승인 cannot be undone: each is asked once, saying what will happen,
and nothing is written until the user agrees (guro_sme/confirm.py)."""

import datetime

from django.urls import reverse

from guro_sme.services import firm_save
from loans.aftercare import services
from loans.aftercare.models import RecoveryCase, SubsidyClaim

C, St = RecoveryCase.Cause, RecoveryCase.Status


def open_case(loan, staff_user) -> RecoveryCase:
    loan.firm.in_district = False
    firm_save(firm=loan.firm, actor=staff_user, reason="관외 이전")
    return services.recovery_open(
        firm=loan.firm,
        application=loan,
        cause=C.MOVED_OUT,
        cause_on=datetime.date(2019, 3, 31),
        actor=staff_user,
        on_date=datetime.date(2019, 6, 30),
    )


def test_the_recovery_notice_is_asked_once_before_it_is_numbered(loan, staff_user, client):
    case = open_case(loan, staff_user)
    client.force_login(staff_user)
    detail = client.get(case.get_absolute_url()).content.decode()
    assert 'data-confirm="' in detail and "20일의 이의신청 기간이 시작됩니다. 되돌릴 수 없습니다." in detail

    url = reverse("aftercare:recovery_notice", args=[case.pk])
    asked = client.post(url).content.decode()
    assert "환수 통지: " in asked and f"환수 금액 {case.amount_won:,}원을 통지합니다" in asked
    assert 'name="confirmed" value="1"' in asked
    case.refresh_from_db()
    assert (case.status, case.notice_number) == (St.OPEN, "")

    done = client.post(url, {"confirmed": "1"}, follow=True).content.decode()
    assert "환수 통지문을 발송 처리했습니다" in done
    case.refresh_from_db()
    assert case.status == St.NOTIFIED and case.notice_number


def test_closing_a_recovery_case_is_asked_once_and_keeps_the_form(loan, staff_user, client):
    case = open_case(loan, staff_user)
    client.force_login(staff_user)
    url = reverse("aftercare:recovery_close", args=[case.pk])
    fields = {"outcome": St.WITHDRAWN, "on_date": "2019-07-01", "note": "오인 개시"}
    asked = client.post(url, fields).content.decode()
    assert "환수 건을 종결합니다" in asked and 'value="오인 개시"' in asked
    case.refresh_from_db()
    assert case.status == St.OPEN
    client.post(url, {**fields, "confirmed": "1"})
    case.refresh_from_db()
    assert case.status == St.WITHDRAWN and case.outcome_note == "오인 개시"


def test_a_claim_approval_is_asked_once_with_the_amount(bank_loan, staff_user, client, loan_funds):
    claim = services.subsidy_claim_open(
        fund=loan_funds["bank"],
        period_start=datetime.date(2018, 3, 15),
        period_end=datetime.date(2018, 9, 15),
        actor=staff_user,
    )
    services.subsidy_claim_add_line(
        claim=claim, application=bank_loan, claimed_won=1_010_000, actor=staff_user
    )
    client.force_login(staff_user)
    url = reverse("aftercare:claim_approve", args=[claim.pk])
    asked = client.post(url, {"approved_won": "1,008,219", "note": "산정액"}).content.decode()
    assert "지급 승인액 1,008,219원을 기록합니다" in asked
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.ENTERED and claim.approved_won is None

    client.post(url, {"approved_won": "1,008,219", "note": "산정액", "confirmed": "1"})
    claim.refresh_from_db()
    assert (claim.status, claim.approved_won) == (SubsidyClaim.Status.APPROVED, 1_008_219)


def test_a_refused_approval_amount_is_refused_without_asking(bank_loan, staff_user, client, loan_funds):
    claim = services.subsidy_claim_open(
        fund=loan_funds["bank"],
        period_start=datetime.date(2018, 3, 15),
        period_end=datetime.date(2018, 9, 15),
        actor=staff_user,
    )
    client.force_login(staff_user)
    url = reverse("aftercare:claim_approve", args=[claim.pk])
    response = client.post(url, {"approved_won": "abc"}, follow=True)
    assert response.redirect_chain and 'name="confirmed"' not in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.ENTERED and claim.approved_won is None


def test_a_close_without_its_outcome_is_refused_before_it_is_asked(loan, staff_user, client):
    case = open_case(loan, staff_user)
    client.force_login(staff_user)
    url = reverse("aftercare:recovery_close", args=[case.pk])
    response = client.post(url, {"on_date": "2019-07-01"}, follow=True)
    assert response.redirect_chain and 'name="confirmed"' not in response.content.decode()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    case.refresh_from_db()
    assert case.status == St.OPEN

"""수료증 취소: attendance behind a valid certificate stays; a revoked one (who, when, why) frees it."""

import datetime

import pytest
from django.urls import reverse

from programs.models import Attendance, Certificate
from programs.services import (
    ProgramRuleError,
    certificate_issue,
    certificate_pdf,
    certificate_revoke,
)
from tests.pdftext import pdf_text_and_fonts


@pytest.fixture
def holder(make_run, make_registration, staff_user):
    run = make_run(sessions=2, start=datetime.date(2018, 2, 26))
    registration = make_registration(run, name="김수료", attend=2)
    certificate_issue(registration=registration, actor=staff_user)
    return registration


def _remove_first_tick(client, registration):
    session = registration.run.sessions.first()
    shown = [f"{registration.pk}:{s.pk}" for s in registration.run.sessions.all()]
    keep = [pair for pair in shown if pair != f"{registration.pk}:{session.pk}"]
    return client.post(
        reverse("programs:attendance", args=[registration.run_id]),
        {"per_cell": "1", "shown": shown, "present": keep},
        follow=True,
    )


def test_removing_attendance_behind_a_valid_certificate_is_refused_and_says_to_revoke_first(
    staff_client, holder
):
    page = _remove_first_tick(staff_client, holder).content.decode()
    assert "수료증이 발급된 참가자(김수료)의 출석은 취소할 수 없습니다" in page
    assert "먼저 참가자 목록에서 수료증을 취소하세요" in page
    assert Attendance.objects.filter(registration=holder).count() == 2


def test_a_revoked_certificate_records_who_when_and_why_in_its_history(holder, staff_user):
    certificate = certificate_revoke(
        certificate=holder.certificate, actor=staff_user, reason="출석 입력 오류 (2회차 결석)"
    )
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == staff_user
    assert certificate.revocation_reason == "출석 입력 오류 (2회차 결석)"
    latest = certificate.history.first()
    assert latest.history_user == staff_user and latest.revoked_at is not None
    assert latest.history_change_reason == "수료증 취소"


def test_after_revoking_the_attendance_may_be_removed_and_the_completers_follow(
    staff_client, staff_user, holder
):
    run_url = reverse("programs:run_detail", args=[holder.run_id])
    assert "수료 1명" in staff_client.get(run_url).content.decode()
    response = staff_client.post(
        reverse("programs:certificate_revoke", args=[holder.pk]),
        {"confirmed": "1", "reason": "출석 입력 오류"},
        follow=True,
    )
    page = response.content.decode()
    assert "수료증 2018-창업-0001을 취소했습니다" in page
    assert "취소됨" in page
    page = _remove_first_tick(staff_client, holder).content.decode()
    assert "출석을 저장했습니다 (추가 0건, 취소 1건)" in page
    run_page = staff_client.get(run_url).content.decode()
    assert "수료 0명" in run_page and "취소됨" in run_page
    assert Certificate.objects.get().number == "2018-창업-0001"  # kept, never reused


def test_the_revoked_certificate_pdf_and_sheet_say_취소됨(holder, staff_user, district, manager_client):
    certificate_revoke(certificate=holder.certificate, actor=staff_user, reason="부정 수강 확인")
    text, _ = pdf_text_and_fonts(certificate_pdf(Certificate.objects.get()))
    text = " ".join(text.split())
    assert "취소됨" in text and "부정 수강 확인" in text and "효력이 없습니다" in text
    page = manager_client.get(reverse("programs:completers", args=[holder.run_id])).content.decode()
    assert '2018-창업-0001</a> <span class="status">취소됨</span>' in page


def test_a_revoked_certificate_is_not_issued_again(holder, staff_user):
    certificate_revoke(certificate=holder.certificate, actor=staff_user, reason="오류")
    with pytest.raises(ProgramRuleError, match="취소된 수료증은 다시 발급하지 않습니다"):
        certificate_issue(registration=holder, actor=staff_user)


def test_revoking_needs_a_reason_and_happens_once(holder, staff_user, staff_client):
    with pytest.raises(ProgramRuleError, match="취소 사유를 입력하세요"):
        certificate_revoke(certificate=holder.certificate, actor=staff_user, reason="  ")
    response = staff_client.post(
        reverse("programs:certificate_revoke", args=[holder.pk]), {"confirmed": "1", "reason": ""}
    )
    assert "수료증 취소 사유를 입력하세요" in response.content.decode()
    assert not Certificate.objects.get().is_revoked
    certificate_revoke(certificate=holder.certificate, actor=staff_user, reason="오류")
    with pytest.raises(ProgramRuleError, match=r"이미 .* 취소되었습니다"):
        certificate_revoke(certificate=Certificate.objects.get(), actor=staff_user, reason="다시")


def test_without_confirmation_nothing_is_revoked_and_the_page_asks(holder, staff_client):
    response = staff_client.post(reverse("programs:certificate_revoke", args=[holder.pk]), {"reason": "오류"})
    page = response.content.decode()
    assert "되돌릴 수 없습니다" in page and 'name="confirmed" value="1"' in page
    assert not Certificate.objects.get().is_revoked


@pytest.mark.parametrize("who", ["manager", "committee"])
def test_only_staff_may_revoke_a_certificate(holder, who, manager_client, committee_client, manager_user):
    client = {"manager": manager_client, "committee": committee_client}[who]
    response = client.post(
        reverse("programs:certificate_revoke", args=[holder.pk]), {"confirmed": "1", "reason": "오류"}
    )
    assert response.status_code == 403
    with pytest.raises(ProgramRuleError, match="담당자만 취소할 수 있습니다"):
        certificate_revoke(certificate=holder.certificate, actor=manager_user, reason="오류")
    assert not Certificate.objects.get().is_revoked

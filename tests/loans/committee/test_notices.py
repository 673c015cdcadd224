"""Decision notices after closing: one official letter per application (or all in one PDF), e-mailed
with every sending recorded (to, when, which notice, delivered or failed) and resendable."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from guro_sme.models import DistrictProfile, Firm
from loans.committee import notices
from loans.committee.models import NoticeDelivery
from loans.committee.services import CommitteeRuleError
from tests.pdftext import pdf_pages, pdf_text_and_fonts


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 서버에 연결할 수 없음")


@pytest.fixture
def closed(make_committee):
    """Three items: 100,000,000원 left: the first selected, the second a reserve, the third rejected."""
    DistrictProfile.objects.create(
        district_name="구로구",
        department="지역경제과",
        sender_title="구로구청장",
        contact_phone="02-860-2865",
    )
    c = make_committee(members=3, requested=[100_000_000, 100_000_000, 50_000_000], allocation=100_000_000)
    emails = ["first@example.com", "second@example.com", ""]
    for item, email in zip(c.items, emails, strict=True):
        Firm.objects.filter(pk=item.application.firm_id).update(email=email)
    c.vote(c.items[0], c.members)
    c.vote(c.items[1], c.members)
    c.vote(c.items[2], c.members[:1])
    c.vote(c.items[2], c.members[1:], "no")
    c.score(c.items[0], c.members[0], 9)
    c.score(c.items[1], c.members[0], 7)
    return c.close()


def test_each_application_gets_its_notice_in_the_official_layout_and_all_merge_in_one_pdf(client, closed):
    client.force_login(closed.staff)
    response = client.get(reverse("loans:meeting_notices_pdf", args=[closed.meeting.pk]))
    assert response.status_code == 200
    text, fonts = pdf_text_and_fonts(response.content)
    flat = " ".join(text.split())
    assert pdf_pages(response.content) == 3 and "NanumGothic" in fonts
    first, second, third = (item.application.firm.name for item in closed.items)
    assert f"{first} 대표 홍길동 귀하" in flat and "융자 지원 대상 선정 통지" in flat
    assert "선정금액 100,000,000원" in flat
    assert f"{second} 대표 홍길동 귀하" in flat and "예비선정 (예비 1순위)" in flat
    assert f"{third} 대표 홍길동 귀하" in flat
    assert (
        "미선정 사유 기금운용심의위원회 심의 결과 부결 (찬성 1명, 반대 2명, 기권 0명 / 의결 참여 3명)" in flat
    )
    assert flat.count("끝.") == 3 and text.replace(" ", "").count("구로구청장") == 3
    one = client.get(reverse("loans:meeting_notice_pdf", args=[closed.meeting.pk, closed.items[2].pk]))
    assert pdf_pages(one.content) == 1


def test_staff_send_the_notices_and_every_sending_is_recorded(client, closed):
    client.force_login(closed.staff)
    response = client.post(reverse("loans:meeting_notices_send", args=[closed.meeting.pk]), follow=True)
    body = response.content.decode()
    assert "완료 2건, 실패 0건, 이메일 주소 없음 1건" in body
    assert [m.to for m in mail.outbox] == [["first@example.com"], ["second@example.com"]]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    rows = NoticeDelivery.objects.order_by("pk")
    assert [(r.to_email, r.kind, r.status, r.sent_by) for r in rows] == [
        ("first@example.com", "selected", "delivered", closed.staff),
        ("second@example.com", "reserve", "delivered", closed.staff),
    ]
    assert "발송 완료" in body and "first@example.com" in body
    # Sending again sends nothing already delivered.
    client.post(reverse("loans:meeting_notices_send", args=[closed.meeting.pk]))
    assert len(mail.outbox) == 2


def test_a_failed_sending_is_recorded_and_can_be_sent_again(client, closed, settings):
    client.force_login(closed.staff)
    settings.EMAIL_BACKEND = "tests.loans.committee.test_notices.RefusingBackend"
    item = closed.items[0]
    url = reverse("loans:meeting_notice_send", args=[closed.meeting.pk, item.pk])
    body = client.post(url, follow=True).content.decode()
    assert "발송 실패" in body and "SMTP 서버에 연결할 수 없음" in body
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(url)
    assert list(NoticeDelivery.objects.order_by("pk").values_list("status", flat=True)) == [
        "failed",
        "delivered",
    ]
    assert len(mail.outbox) == 1


def test_a_firm_without_an_address_is_refused_with_a_reason(closed):
    with pytest.raises(CommitteeRuleError, match="이메일 주소가 없습니다"):
        notices.notice_send(item=closed.items[2], actor=closed.staff)
    assert not NoticeDelivery.objects.exists()


def test_only_staff_send_and_only_after_closing(client, closed, make_committee):
    client.force_login(closed.manager)
    assert client.get(reverse("loans:meeting_notices", args=[closed.meeting.pk])).status_code == 200
    assert client.post(reverse("loans:meeting_notices_send", args=[closed.meeting.pk])).status_code == 403
    client.force_login(closed.members[0])
    assert client.get(reverse("loans:meeting_notices", args=[closed.meeting.pk])).status_code == 403
    open_meeting = make_committee(members=3)
    with pytest.raises(CommitteeRuleError, match="회의를 종료한 뒤"):
        notices.meeting_send_notices(meeting=open_meeting.meeting, actor=open_meeting.staff)
    assert not mail.outbox

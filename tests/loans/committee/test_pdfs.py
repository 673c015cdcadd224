"""Minutes (회의록) and the per-member packet as PDFs: their text (pdftotext) and embedded font."""

import subprocess

import pytest
from django.urls import reverse

from guro_sme.models import DistrictProfile
from loans.committee import services


def _pdf_text(tmp_path, content: bytes) -> tuple[str, str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts


@pytest.fixture
def closed(make_committee):
    DistrictProfile.objects.create(district_name="구로구", city_name="서울특별시", department="지역경제과")
    c = make_committee(
        members=5, requested=[100_000_000, 80_000_000, 50_000_000, 30_000_000], allocation=150_000_000
    )
    first, second, third, _fourth = c.items  # nobody votes for the fourth: 부결
    services.item_set_amount(item=second, amount_won=50_000_000, actor=c.staff)
    services.item_recuse(item=third, member=c.members[0], reason="대표자와 친족 관계")
    c.attend(*c.members[:4])
    c.vote(first, c.members[:4])
    c.vote(second, c.members[:3])
    c.vote(third, c.members[1:3])
    c.vote(third, c.members[3:4], "no")
    for member in c.members[:4]:
        c.score(first, member, 9)
        c.score(second, member, 6)
    return c.close()


def test_the_minutes_hold_attendance_recusals_and_results(client, closed, tmp_path):
    client.force_login(closed.staff)
    response = client.get(reverse("loans:meeting_minutes_pdf", args=[closed.meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text, fonts = _pdf_text(tmp_path, response.content)
    assert "NanumGothic" in fonts
    assert "구로구 기금운용심의위원회 회의록" in text
    assert "서울특별시 구로구 지역경제과" in text
    assert "2018년 2월 20일" in text
    assert "재적 5명 중 4명 출석" in text
    assert "불참" in text
    assert "대표자와 친족 관계" in text
    assert "원안가결" in text and "수정가결" in text and "부결" in text
    assert "100,000,000원" in text and "50,000,000원" in text
    # The third item: 2 yes of 3 eligible (the recused member excluded) → passes, but no money left.
    assert closed.items[2].reserve_rank == 1
    assert "예비 1순위" in text
    assert "의사정족수(과반수 3명) 충족" in text


def test_the_minutes_are_for_the_meeting_once_it_is_closed(client, closed, committee, make_user):
    from guro_sme.roles import Role

    client.force_login(make_user(Role.COMMITTEE, username="outsider"))
    assert client.get(reverse("loans:meeting_minutes_pdf", args=[closed.meeting.pk])).status_code == 404
    client.force_login(closed.members[0])  # to confirm them
    assert client.get(reverse("loans:meeting_minutes_pdf", args=[closed.meeting.pk])).status_code == 200
    client.force_login(committee.staff)
    response = client.get(reverse("loans:meeting_minutes_pdf", args=[committee.meeting.pk]), follow=True)
    assert "회의를 종료한 뒤에" in response.content.decode()


def test_a_members_packet_leaves_out_the_items_they_recused_from(client, closed, tmp_path):
    client.force_login(closed.members[0])
    response = client.get(reverse("loans:meeting_packet_pdf", args=[closed.meeting.pk]))
    text, fonts = _pdf_text(tmp_path, response.content)
    assert "NanumGothic" in fonts
    first, second, third, _ = (i.application.firm.name for i in closed.items)
    assert first in text and second in text and third not in text
    assert "회피 신청한 안건 1건은 제외" in text
    assert "사업성" in text

    client.force_login(closed.members[1])
    text, _ = _pdf_text(
        tmp_path, client.get(reverse("loans:meeting_packet_pdf", args=[closed.meeting.pk])).content
    )
    assert third in text


def test_staff_print_any_members_packet_but_members_only_their_own(client, closed, tmp_path):
    url = reverse("loans:meeting_member_packet_pdf", args=[closed.meeting.pk, closed.members[0].pk])
    client.force_login(closed.staff)
    text, _ = _pdf_text(tmp_path, client.get(url).content)
    assert closed.items[2].application.firm.name not in text
    client.force_login(closed.members[1])
    assert client.get(url).status_code == 404

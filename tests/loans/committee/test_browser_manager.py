"""The manager's journey in a real browser: close a meeting the members have voted on, read the
results, download the minutes, follow the selected firm into the loans pages, and be refused entry."""

import pytest
from playwright.sync_api import expect

from guro_sme.models import DistrictProfile
from loans.committee import services
from loans.models import LoanApplication

pytestmark = pytest.mark.browser


def test_a_manager_closes_the_meeting_downloads_the_minutes_and_cannot_enter_applications(
    page, live_server, login, make_committee, tmp_path
):
    DistrictProfile.objects.create(district_name="구로구", department="지역경제과")
    c = make_committee(members=3, requested=[100_000_000, 80_000_000])
    services.meeting_set_attendance(
        meeting=c.meeting, present_member_ids=[m.pk for m in c.members], actor=c.staff
    )
    first, second = c.items
    c.vote(first, c.members, "yes")
    c.vote(second, c.members, "no")

    login(page, c.manager)
    page.get_by_role("navigation", name="주 메뉴").get_by_role(
        "link", name="기금운용심의위원회", exact=True
    ).click()
    page.get_by_role("link", name=c.meeting.title).click()
    page.get_by_role("button", name="회의 종료 및 의결").click()
    dialog = page.get_by_role("dialog", name="회의 종료 및 의결 확인")
    expect(dialog).to_contain_text("안건 2건이 의결되고")
    dialog.get_by_role("button", name="취소").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="회의 종료 및 의결").click()
    dialog.get_by_role("button", name="회의 종료 및 의결").click()
    expect(page.get_by_role("heading", name=f"심의 결과: {c.meeting.title}")).to_be_visible()
    rows = page.locator("table").first.get_by_role("row")  # the results, not the audit trail
    expect(rows.filter(has_text=first.application.firm.name)).to_contain_text("원안가결")
    expect(rows.filter(has_text=second.application.firm.name)).to_contain_text("부결")

    page.goto(f"{live_server.url}{c.meeting.get_absolute_url()}")
    with page.expect_download() as minutes:
        page.get_by_role("link", name="회의록 PDF").click()
    pdf = tmp_path / "minutes.pdf"
    minutes.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"

    # The selected firm, seen from the loans side: read-only for a manager.
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="저리융자", exact=True).click()
    expect(page.get_by_role("cell", name=c.fund.name).first).to_be_visible()
    page.goto(f"{live_server.url}/loans/applications/?status=selected")
    page.get_by_role("link", name=first.application.firm.name).click()
    expect(page.locator(".page-head .status")).to_have_text("선정")
    expect(page.get_by_role("button", name="결과 저장")).to_have_count(0)
    expect(page.get_by_role("link", name="융자 신청 입력")).to_have_count(0)

    response = page.goto(f"{live_server.url}/loans/applications/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="권한이 없습니다")).to_be_visible()
    assert LoanApplication.objects.filter(status="selected").count() == 1

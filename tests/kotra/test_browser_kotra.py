"""In a real browser: staff registers a KOTRA participant in both sub-programs and sees the cap."""

import pytest
from playwright.sync_api import expect

from kotra.models import KotraProject

pytestmark = pytest.mark.browser


def test_staff_registers_a_participant_in_both_sub_programs_and_sees_the_capped_subsidy(
    page, live_server, login, staff_user, make_firm
):
    KotraProject.objects.create(year=2018, budget_won=15_000_000)
    make_firm(name="(주)구로브라우저수출", industry="음향기기")
    login(page, staff_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="KOTRA 지사화").click()
    page.get_by_role("link", name="참여기업 등록").click()

    # The firm field suggests as staff type (/firms/lookup/), never listing every firm.
    field = page.get_by_label("기업")
    field.press_sequentially("브라우저수출", delay=30)
    suggestion = page.locator(f"#{field.get_attribute('list')} option")
    expect(suggestion).to_have_count(1)
    label = suggestion.get_attribute("value")
    assert label.startswith("(주)구로브라우저수출 (")
    field.fill(label)
    page.get_by_label("무역관 도시").fill("런던")
    page.get_by_label("무역관 국가").fill("영국")
    page.get_by_label("해외지사화 참가비(원)").fill("4,000,000")
    page.get_by_label("물류네트워크 참가비(원)").fill("500000")
    page.get_by_role("button", name="저장").click()

    expect(page.get_by_text("'(주)구로브라우저수출' 참여기업을 저장했습니다.")).to_be_visible()
    fees = page.locator("#kotra-fees")
    expect(fees.get_by_role("row").filter(has_text="해외지사화")).to_contain_text("1,750,000원")
    expect(fees.get_by_role("row").filter(has_text="물류네트워크")).to_contain_text("250,000원")
    expect(page.locator("#kotra-subsidy-total")).to_have_text("2,000,000원")

    page.get_by_role("link", name="2018년 KOTRA 해외지사화 사업 지원").click()
    page.get_by_role("link", name="지원 실적표").click()
    row = page.locator("#kotra-support-table").get_by_role("row").filter(has_text="(주)구로브라우저수출")
    expect(row).to_contain_text("런던(영국)")
    expect(row).to_contain_text("2,000,000")

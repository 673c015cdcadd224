"""In a real browser: staff selects a firm for the year's marketing support and enters its results."""

import datetime

import pytest
from playwright.sync_api import expect

from marketing.models import BloggerEvent, MarketingProject

pytestmark = pytest.mark.browser


def test_staff_selects_a_firm_sees_the_venture_notice_and_the_budget_left(
    page, live_server, login, staff_user, make_firm
):
    project = MarketingProject.objects.create(year=2018, budget_won=15_000_000)
    BloggerEvent.objects.create(project=project, held_on=datetime.date(2018, 4, 19), place="구로구청 대강당")
    firm = make_firm(name="(주)구로일반", firm_type="sme")
    login(page, staff_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="마케팅 지원").click()
    page.get_by_role("link", name="2018년").click()
    page.get_by_role("link", name="선정기업 등록").click()

    page.get_by_label("기업").fill(firm.business_number_display)
    page.get_by_label("품평회").select_option(index=1)
    page.get_by_label("지원비용(원)").fill("1,500,000")
    page.get_by_label("게시글 수").fill("12")
    page.get_by_role("button", name="저장").click()

    expect(page.get_by_text("'(주)구로일반' 선정 내용을 저장했습니다.")).to_be_visible()
    expect(page.get_by_text("'(주)구로일반'은 벤처기업이 아닙니다(중소기업).")).to_be_visible()
    row = page.locator("#marketing-selections").get_by_role("row").filter(has_text="(주)구로일반")
    expect(row).to_contain_text("벤처 아님")
    expect(row).to_contain_text("1,500,000원")
    expect(page.get_by_text("1,500,000원 (잔액 13,500,000원)")).to_be_visible()

"""In a real browser: staff type a firm's business number in the header box and see the results
grouped by kind (axe checks each page, and again at 390 px: the header must not overflow)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_staff_search_from_the_header_and_see_grouped_results(
    page, live_server, login, staff_user, make_firm
):
    from loans.models import LoanApplication, LoanFund

    firm = make_firm(name="(주)구로검색", business_number="2208162517", representative="박검색")
    fund = LoanFund.objects.create(
        name="구기금", kind=LoanFund.Kind.DISTRICT_FUND, year=2018, allocation_won=10**9
    )
    LoanApplication.objects.create(firm=firm, fund=fund, created_by=staff_user, intake_number="2018-0001")

    login(page, staff_user)
    box = page.get_by_role("searchbox", name="통합 검색어")
    box.fill("220-81-62517")
    box.press("Enter")

    expect(page.get_by_role("heading", name="통합 검색", exact=True)).to_be_visible()
    firms = page.get_by_role("region", name="기업")
    expect(firms.get_by_role("link", name="(주)구로검색")).to_be_visible()
    expect(firms).to_contain_text("대표자 박검색")
    loans = page.get_by_role("region", name="융자 신청")
    expect(loans.get_by_role("link")).to_have_text("(주)구로검색 · 2018년 구기금 연중 접수 2018-0001")
    expect(page.get_by_role("region", name="경영지원사업 참여자")).to_contain_text("찾은 항목이 없습니다.")
    expect(box).to_have_value("220-81-62517")

    firms.get_by_role("link", name="(주)구로검색").click()
    expect(page.get_by_role("heading", name="(주)구로검색")).to_be_visible()

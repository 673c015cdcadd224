"""In a real browser: a manager opens the 2018 report and downloads its PDF; a committee member is refused."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .pdftools import pdf_fonts, pdf_text

pytestmark = pytest.mark.browser


def test_a_manager_opens_the_report_and_downloads_the_pdf(
    page, live_server, login, manager_user, plan, figures
):
    login(page, manager_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="보고서", exact=True).click()
    expect(page.get_by_role("heading", name="추진실적 보고서")).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()
    page.get_by_role("link", name="2018년 보고서").click()
    expect(page.get_by_role("heading", name="2018년 추진실적 보고서")).to_be_visible()
    total = page.get_by_role("row").filter(has_text="총 계")
    expect(total).to_contain_text("26,670")
    expect(total).to_contain_text("5,350")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF 내려받기").click()
    download = download_info.value
    assert download.suggested_filename == "report_III-2-1_2018.pdf"
    data = Path(download.path()).read_bytes()
    assert "26,670" in pdf_text(data)
    assert "NanumGothic" in pdf_fonts(data)


def test_a_committee_member_is_refused_the_reports(page, live_server, login, committee_user, plan):
    login(page, committee_user)
    expect(page.get_by_role("link", name="보고서", exact=True)).to_have_count(0)
    for path in ("/reports/", "/reports/2018/", "/reports/2018/pdf/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403
        expect(page.get_by_role("heading", name="권한이 없습니다")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/reports/2018/pdf/$"))


def test_the_dashboard_charts_are_not_shrunk_on_a_phone(
    page, live_server, login, manager_user, plan, figures
):
    """At 390 px each chart panel keeps its drawn size, so its text is 12 px as the template says."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, manager_user)
    page.goto(f"{live_server.url}/reports/")
    expect(
        page.get_by_role("img", name=re.compile("예산 대비 집행 .* 중소기업 마케팅 지원사업"))
    ).to_be_visible()
    sizes = page.locator("figure.chart svg[role=img]").evaluate_all(
        """svgs => svgs.map(svg => ({
            scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
            fonts: [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize)),
        }))"""
    )
    assert len(sizes) == 4
    for svg in sizes:
        assert svg["scale"] >= 1
        assert min(svg["fonts"]) >= 12
    page.get_by_text("표로 보기").first.click()
    expect(page.get_by_role("row", name=re.compile("2018년 60 36"))).to_be_visible()

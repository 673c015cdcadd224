"""The first user journey, in a real browser: staff registers a firm; a committee member is refused."""

import re

import pytest
from playwright.sync_api import expect

from guro_sme.models import Firm

pytestmark = pytest.mark.browser


def test_staff_registers_a_firm_after_fixing_the_business_number(page, live_server, login, staff_user):
    login(page, staff_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="기업", exact=True).click()
    page.get_by_role("link", name="기업 등록").click()

    page.get_by_label("사업자등록번호").fill("220-81-62518")
    page.get_by_label("회사명").fill("(주)구로브라우저")
    page.get_by_role("textbox", name="대표자").fill("박브라")
    page.get_by_label("기업구분").select_option(label="벤처기업")
    page.get_by_label("개인정보 수집·이용에 동의함").check()
    page.get_by_role("button", name="저장").click()

    expect(page.get_by_text("검증번호(마지막 자리)가 맞지 않습니다")).to_be_visible()
    assert Firm.objects.count() == 0

    page.get_by_label("사업자등록번호").fill("220-81-62517")
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_role("heading", name="(주)구로브라우저")).to_be_visible()
    expect(page.get_by_text("'(주)구로브라우저'를 등록했습니다.")).to_be_visible()

    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="기업", exact=True).click()
    page.get_by_label("회사명·대표자").fill("구로브라우저")
    page.locator("#main").get_by_role("button", name="검색").click()  # not the header's search
    row = page.get_by_role("row").filter(has_text="(주)구로브라우저")
    expect(row).to_contain_text("220-81-62517")
    expect(row).to_contain_text("벤처기업")


def test_a_committee_member_is_refused_the_firm_form(page, live_server, login, committee_user):
    login(page, committee_user)
    expect(page.get_by_role("link", name="기업", exact=True)).to_have_count(0)
    response = page.goto(f"{live_server.url}/firms/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="권한이 없습니다")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/firms/new/$"))

"""In a real browser: staff uploads a firm list with one bad row, sees where, fixes it, imports."""

import pytest
from playwright.sync_api import expect

from guro_sme.models import Firm

from .conftest import bad_number, xlsx_bytes

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_staff_fixes_a_bad_row_and_imports_the_firms(page, live_server, login, staff_user, firm_rows):
    login(page, staff_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="엑셀 가져오기").click()
    page.get_by_role("row").filter(has_text="기업 명부").get_by_role("link", name="가져오기").click()
    expect(page.get_by_role("heading", name="기업 가져오기")).to_be_visible()

    firm_rows[2][0] = bad_number(2)
    page.get_by_label("파일").set_input_files(
        {"name": "기업명단.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(firm_rows)}
    )
    page.get_by_role("button", name="미리 보기").click()

    expect(page.get_by_text("오류 1건: 아무것도 저장하지 않았습니다")).to_be_visible()
    error_row = page.get_by_role("table", name="오류 목록").get_by_role("row").filter(has_text="3행")
    expect(error_row).to_contain_text("사업자등록번호")
    expect(error_row).to_contain_text("검증번호(마지막 자리)가 맞지 않습니다")
    expect(page.get_by_role("button", name="확인하고 가져오기")).to_have_count(0)
    assert Firm.objects.count() == 0

    firm_rows[2][0] = firm_rows[2][0][:-1] + str((int(firm_rows[2][0][-1]) - 1) % 10)
    page.get_by_label("파일").set_input_files(
        {"name": "기업명단.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(firm_rows)}
    )
    page.get_by_role("button", name="미리 보기").click()
    expect(page.get_by_text("신규 3건")).to_be_visible()
    preview = page.get_by_role("table", name="미리 보기")
    expect(preview.get_by_role("row").filter(has_text="가리봉상회")).to_contain_text("신규")
    assert Firm.objects.count() == 0

    page.get_by_role("button", name="확인하고 가져오기").click()
    expect(
        page.get_by_text("'기업명단.xlsx'를 가져왔습니다: 신규 3건, 변경 0건, 변경 없음 0건.")
    ).to_be_visible()
    assert set(Firm.objects.values_list("name", flat=True)) == {"(주)가져오기", "가리봉상회", "(주)벤처"}

    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="기업", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="가리봉상회")).to_contain_text("소상공인")

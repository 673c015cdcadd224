"""The guarantee journey in a real browser: an October application without a call, the district's
recommendation, 보증 신청, the foundation's approval imported from its file, the bank's execution at
4.2%, the pool and the year's scale moving; a second application past the pool refused by figures."""

import re

import pytest
from playwright.sync_api import expect

from loans.models import LoanApplication
from tests.imports.conftest import xlsx_bytes

pytestmark = pytest.mark.browser
S = LoanApplication.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def enter(page, live_server, firm, fund, amount):
    page.goto(f"{live_server.url}/loans/applications/new/")
    page.get_by_label("기업").fill(firm.business_number)
    page.get_by_label("기금").select_option(label=str(fund))
    page.get_by_label("신청금액(원)").fill(str(amount))
    page.get_by_label("자금용도").select_option(label="운전자금")
    page.get_by_label("접수일").fill("2018-10-15")
    page.get_by_role("button", name="접수").click()


def test_staff_follow_a_guarantee_application_through_the_foundation_to_the_bank(
    page, live_server, login, staff_user, loan_funds, loan_firm
):
    fund = loan_funds["guarantee"]
    fund.guarantee_contribution_won = 5_000_000  # a pool of 5,000만 (× 10) so the second one passes it
    fund.save()
    flower = loan_firm(name="개봉꽃집", firm_type="small_business")
    cafe = loan_firm(name="천왕카페", firm_type="small_business")
    login(page, staff_user)

    # October: no call is open; the guarantee fund takes the application into its 2018 register.
    enter(page, live_server, flower, fund, 40_000_000)
    expect(page.get_by_text("'개봉꽃집'의 신청을 접수했습니다.")).to_be_visible()
    expect(page.get_by_text("2018년 접수대장 2018-0001")).to_be_visible()
    page.get_by_role("button", name="요건검토 시작").click()
    page.get_by_label("구 추천 금액(원)").fill("40000000")
    page.get_by_role("button", name="구 추천", exact=True).click()
    expect(page.locator(".status").first).to_have_text("구 추천")

    page.get_by_role("link", name="2018년 접수대장 2018-0001").click()
    expect(page.locator(".guarantee-capacity")).to_contain_text("40,000,000원")  # 진행 중
    expect(page.locator(".guarantee-capacity")).to_contain_text("10,000,000원")  # 남은 보증 한도
    page.get_by_role("link", name="2018-0001").click()

    page.get_by_label("보증 신청일").fill("2018-10-16")
    page.get_by_role("button", name="보증 신청").click()
    expect(page.locator(".status").first).to_have_text("보증 신청")

    # The foundation's file comes back with its decision.
    application = LoanApplication.objects.get()
    rows = [
        [
            "사업자등록번호",
            "회사명",
            "접수번호",
            "심사결과",
            "보증금액(원)",
            "보증비율(%)",
            "보증료(%)",
            "보증서번호",
            "결과일",
        ],
        [
            flower.business_number,
            "개봉꽃집",
            "2018-0001",
            "승인",
            40_000_000,
            100,
            0.8,
            "제2018-0077호",
            "2018-10-22",
        ],
    ]
    page.goto(f"{live_server.url}/imports/guarantee-results/")
    page.get_by_label("파일").set_input_files(
        {"name": "보증결과.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}
    )
    page.get_by_role("button", name="미리 보기").click()
    expect(page.get_by_text("변경 1건")).to_be_visible()
    page.get_by_role("button", name="확인하고 가져오기").click()
    expect(page.get_by_text("가져왔습니다")).to_be_visible()
    application.refresh_from_db()
    assert (application.status, application.guarantee_certificate_number) == (
        S.GUARANTEE_APPROVED,
        "제2018-0077호",
    )

    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    expect(page.locator(".facts").first).to_contain_text("보증서 제2018-0077호")
    page.get_by_label("승인 (대출실행)").check()
    page.get_by_label("실행금액(원)").fill("40000000")
    page.get_by_label("대출금리(연 %)").fill("5.5")
    page.get_by_label("대출실행일").fill("2018-10-29")
    page.get_by_role("button", name="결과 저장").click()
    expect(page.get_by_text("금리는 연 3%~5%입니다. (입력한 금리 연 5.5%)")).to_be_visible()
    page.get_by_label("승인 (대출실행)").check()
    page.get_by_label("대출금리(연 %)").fill("4.2")
    page.get_by_role("button", name="결과 저장").click()
    expect(page.get_by_text("대출실행을 기록하고 상환 일정을 만들었습니다.")).to_be_visible()
    expect(page.locator(".facts").first).to_contain_text("연 4.2%")

    page.get_by_role("link", name="2018년 접수대장 2018-0001").click()
    capacity, scale = page.locator(".guarantee-capacity"), page.locator(".guarantee-scale")
    expect(capacity.get_by_role("row").filter(has_text="보증잔액")).to_contain_text("40,000,000원")
    expect(capacity.get_by_role("row").filter(has_text="남은 보증 한도")).to_contain_text("10,000,000원")
    expect(scale.get_by_role("row").filter(has_text="올해 추천·승인·실행")).to_contain_text("40,000,000원")
    expect(scale.get_by_role("row", name=re.compile("^남은 규모"))).to_contain_text("960,000,000원")
    expect(scale.get_by_role("row", name="새로 추천할 수 있는 금액")).to_contain_text("10,000,000원")

    # A second application that would pass the pool is refused with the figures named.
    enter(page, live_server, cafe, fund, 20_000_000)
    expect(
        page.get_by_text(
            "보증한도를 넘습니다: 보증한도 50,000,000원(구 출연금 5,000,000원 × 10배) 중 보증잔액 40,000,000원과 "
            "진행 중인 추천·승인 0원을 빼면 남은 한도는 10,000,000원입니다. (신청금액 20,000,000원)"
        )
    ).to_be_visible()
    assert LoanApplication.objects.count() == 1

"""In a real browser: staff record attendance for both days of the startup academy and download
the completion certificate."""

import subprocess

import pytest
from playwright.sync_api import expect

from programs.models import Certificate

pytestmark = pytest.mark.browser


def test_staff_records_attendance_and_downloads_the_certificate(
    page, live_server, login, staff_user, make_run, make_registration, district, seoul_guarantee, tmp_path
):
    run = make_run(co_host=seoul_guarantee)
    make_registration(run, name="김브라")
    make_registration(run, name="이결석")

    login(page, staff_user)
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="경영지원사업").click()
    page.get_by_role("link", name="소상공인 창업 아카데미").click()
    page.get_by_role("link", name="출석부").click()
    page.get_by_label("김브라 1회 출석").check()
    page.get_by_label("김브라 2회 출석").check()
    page.get_by_label("이결석 1회 출석").check()
    page.get_by_role("button", name="출석 저장").click()
    expect(page.get_by_text("출석을 저장했습니다 (추가 3건, 취소 0건).")).to_be_visible()
    expect(page.get_by_label("김브라 2회 출석")).to_be_checked()

    page.get_by_role("link", name="사업 회차로").click()
    row = page.get_by_role("row").filter(has_text="김브라")
    expect(row).to_contain_text("2/2")
    expect(row).to_contain_text("수료")
    expect(page.get_by_role("row").filter(has_text="이결석")).to_contain_text("미수료")

    with page.expect_download() as download_info:
        row.get_by_role("button", name="수료증 발급").click()
    download = download_info.value
    assert download.suggested_filename == "수료증_2018-창업-0001_김브라.pdf"
    path = tmp_path / "certificate.pdf"
    download.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "2018-창업-0001" in text and "김브라" in text and "서울신용보증재단" in text
    assert Certificate.objects.get().registration.person.name == "김브라"
    # Once the file is saved the page refreshes itself with the number and says so.
    expect(page.get_by_text("김브라님의 수료증 2018-창업-0001을 발급했습니다.")).to_be_visible()
    expect(
        page.get_by_role("row").filter(has_text="김브라").get_by_role("link", name="2018-창업-0001")
    ).to_be_visible()

    # The page now links the issued number for re-download instead of issuing again.
    page.reload()
    expect(
        page.get_by_role("row").filter(has_text="김브라").get_by_role("link", name="2018-창업-0001")
    ).to_be_visible()


def test_staff_issue_certificates_to_two_completers_at_once(
    page, live_server, login, staff_user, make_run, make_registration, district
):
    run = make_run()
    for name in ("김하나", "이두울", "박세엣"):
        make_registration(run, name=name, attend=2)

    login(page, staff_user)
    page.goto(f"{live_server.url}/programs/runs/{run.pk}/completers/")
    page.get_by_label("김하나 수료증 발급 선택").check()
    page.get_by_label("이두울 수료증 발급 선택").check()
    page.get_by_role("button", name="선택한 수료자 수료증 발급").click()
    dialog = page.get_by_role("dialog", name="선택한 수료자 수료증 발급")
    expect(dialog).to_contain_text("선택한 2명에게 수료증을 발급하고 번호를 매깁니다.")
    dialog.get_by_role("button", name="선택한 수료자 수료증 발급").click()

    expect(page.get_by_text("수료증 2건을 발급했습니다 (2018-창업-0001~2018-창업-0002).")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="김하나")).to_contain_text("2018-창업-0001")
    expect(page.get_by_role("row").filter(has_text="이두울")).to_contain_text("2018-창업-0002")
    expect(page.get_by_role("row").filter(has_text="박세엣")).to_contain_text("미발급")
    expect(page.get_by_label("박세엣 수료증 발급 선택")).to_be_visible()
    assert sorted(Certificate.objects.values_list("registration__person__name", "issued_by")) == [
        ("김하나", staff_user.pk),
        ("이두울", staff_user.pk),
    ]

"""The partner-bank referral of a call: the Excel sheet and the letter PDF list the selected firms."""

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guro_sme.models import DistrictProfile
from loans.models import LoanApplication

S = LoanApplication.Status


@pytest.fixture
def selected(make_application, loan_firm):
    DistrictProfile.objects.create(
        district_name="구로구", city_name="서울특별시", department="지역경제과", contact_phone="02-860-2865"
    )
    first = make_application(
        status=S.SELECTED,
        firm=loan_firm(name="(주)추천하나", business_number="2208162517"),
        amount=150_000_000,
        approved_amount_won=150_000_000,
    )
    second = make_application(
        status=S.REFERRED, fund="bank", firm=loan_firm(name="(주)추천둘"), approved_amount_won=70_000_000
    )
    make_application(status=S.REVIEW, firm=loan_firm(name="(주)심사중"))
    make_application(status=S.RESERVE, firm=loan_firm(name="(주)예비"))
    return [first, second]


def test_the_referral_sheet_lists_firm_number_fund_and_approved_amount(manager_client, selected, loan_call):
    response = manager_client.get(reverse("loans:referral_xlsx", args=[loan_call.pk]) + "?reason=테스트")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == [
        "연번",
        "회사명",
        "사업자등록번호",
        "대표자",
        "기금",
        "협력은행",
        "선정금액(원)",
        "상태",
    ]
    assert rows[1] == [
        1,
        "(주)추천하나",
        "220-81-62517",
        "홍길동",
        "구기금",
        "테스트은행",
        150_000_000,
        "선정",
    ]
    assert rows[2][1:7] == ["(주)추천둘", rows[2][2], "홍길동", "은행협력자금", "테스트은행", 70_000_000]
    assert rows[3][1] == "합계" and rows[3][6] == 220_000_000
    names = {row[1] for row in rows}
    assert "(주)심사중" not in names and "(주)예비" not in names


def test_the_referral_letter_names_the_bank_the_district_and_the_firms_in_nanum_gothic(
    manager_client, selected, loan_call, tmp_path
):
    response = manager_client.get(reverse("loans:referral_pdf", args=[loan_call.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "referral.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "구로구" in text and "구로구청장" in text.replace(" ", "")
    assert "끝." in text and "시행 지역경제과-" in text
    assert "테스트은행 은행장" in text
    assert "융자 지원 대상 업체 통보" in text
    assert "(주)추천하나" in text and "220-81-62517" in text and "150,000,000" in text
    assert "(주)추천둘" in text and "70,000,000" in text
    assert "220,000,000" in text
    assert "(주)심사중" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NanumGothic" in fonts


def test_staff_mark_the_selected_firms_as_referred(staff_client, selected, loan_call):
    staff_client.post(reverse("loans:call_refer", args=[loan_call.pk]))
    selected[0].refresh_from_db()
    assert selected[0].status == S.REFERRED
    assert selected[0].events.get().to_status == S.REFERRED


def test_managers_cannot_refer(manager_client, selected, loan_call):
    assert manager_client.post(reverse("loans:call_refer", args=[loan_call.pk])).status_code == 403


def test_staff_choose_which_selected_firms_go_in_a_referral(
    staff_client, selected, make_application, loan_call
):
    later = make_application(status=S.SELECTED, approved_amount_won=30_000_000)
    url = reverse("loans:call_refer", args=[loan_call.pk])
    staff_client.post(url, {"choose": "1", "application": [str(selected[0].pk)]})
    selected[0].refresh_from_db()
    later.refresh_from_db()
    assert (selected[0].status, later.status) == (S.REFERRED, S.SELECTED)
    pdf = staff_client.get(
        reverse("loans:referral_pdf", args=[loan_call.pk]), {"application": [selected[0].pk]}
    )
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True).stdout
    text = text.decode()
    assert "(주)추천하나" in text and "(주)추천둘" not in text and "합계 1개 업체" in text


def test_a_referral_of_nothing_or_of_a_firm_not_selected_is_refused(staff_client, selected, loan_call):
    url = reverse("loans:call_refer", args=[loan_call.pk])
    nothing = staff_client.post(url, {"choose": "1"}, follow=True).content.decode()
    assert "은행에 통보할 업체를 한 곳 이상 선택하세요." in nothing
    both = [str(selected[0].pk), str(selected[1].pk)]  # the second is already 은행통보
    refused = staff_client.post(url, {"choose": "1", "application": both}, follow=True).content.decode()
    assert "선정 상태인 이 공고의 신청만 통보할 수 있습니다" in refused
    selected[0].refresh_from_db()
    assert selected[0].status == S.SELECTED  # nothing written


def test_a_firm_name_or_representative_that_looks_like_a_formula_reaches_the_bank_as_text(
    manager_client, make_application, loan_firm, loan_call
):
    make_application(
        status=S.SELECTED,
        firm=loan_firm(name='=HYPERLINK("http://evil.example","클릭")', representative="+82-10-1234"),
        approved_amount_won=100_000_000,
    )
    response = manager_client.get(reverse("loans:referral_xlsx", args=[loan_call.pk]) + "?reason=테스트")
    sheet = load_workbook(io.BytesIO(response.content)).active
    name, representative = sheet.cell(row=3, column=2), sheet.cell(row=3, column=4)
    assert (name.value, name.data_type) == ('=HYPERLINK("http://evil.example","클릭")', "s")
    assert (representative.value, representative.data_type) == ("+82-10-1234", "s")


def _referral_of(count, make_application, loan_firm):
    for number in range(count):
        make_application(
            status=S.SELECTED,
            firm=loan_firm(name=f"(주)여러쪽{number:03d}"),
            approved_amount_won=10_000_000,
        )


def test_a_referral_over_several_pages_prints_the_total_once_after_the_last_firm(
    manager_client, selected, loan_call, make_application, loan_firm, settings
):
    from tests.pdftext import pdf_pages, pdf_text_and_fonts

    settings.BACKGROUND_PDF_ITEMS = 1000  # made in the request, not by the worker
    _referral_of(60, make_application, loan_firm)
    response = manager_client.get(reverse("loans:referral_pdf", args=[loan_call.pk]))
    assert pdf_pages(response.content) > 1
    text, _fonts = pdf_text_and_fonts(response.content)
    assert text.count("합계") == 1
    assert "합계 62개 업체" in text and "820,000,000" in text
    assert text.index("(주)여러쪽059") < text.index("합계") < text.index("끝.")


def test_the_referral_letter_runs_the_same_queries_for_few_or_many_firms(
    manager_client, selected, loan_call, make_application, loan_firm, django_assert_max_num_queries
):
    url = reverse("loans:referral_pdf", args=[loan_call.pk])
    with django_assert_max_num_queries(12) as few:
        assert manager_client.get(url).status_code == 200
    _referral_of(20, make_application, loan_firm)
    with django_assert_max_num_queries(len(few)) as many:
        assert manager_client.get(url).status_code == 200
    assert len(many) == len(few)

"""The guarantee pages: dashboard and register, 추천서 PDF, the foundation's list and its results
import, sending to the foundation and its result on the application page; who may do what."""

import datetime
import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from guro_sme.imports.engine import run_import
from loans import services
from loans.guarantee.resources import GuaranteeResultResource
from loans.models import LoanApplication
from tests.imports.conftest import xlsx_bytes, xlsx_rows
from tests.reports.pdftools import pdf_fonts, pdf_text

S = LoanApplication.Status
OCTOBER = datetime.date(2018, 10, 15)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def fund(loan_funds):
    return loan_funds["guarantee"]


@pytest.fixture
def recommended(fund, loan_firm, staff_user):
    """recommended(amount, name=...) → a guarantee application received in October and recommended."""

    def make(amount=30_000_000, **firm_fields):
        firm_fields.setdefault("firm_type", "small_business")
        application = LoanApplication(
            firm=loan_firm(**firm_fields),
            call=None,
            fund=fund,
            requested_amount_won=amount,
            purpose="operating",
        )
        services.application_submit(application=application, actor=staff_user, on_date=OCTOBER)
        services.application_start_review(application=application, actor=staff_user)
        return services.application_recommend(application=application, amount_won=amount, actor=staff_user)

    return make


def sent(application, staff_user):
    return services.application_send_to_guarantor(application=application, sent_on=OCTOBER, actor=staff_user)


def test_the_dashboard_shows_the_pool_the_years_scale_and_the_register(manager_client, fund, recommended):
    recommended(30_000_000, name="개봉꽃집")
    body = text(manager_client.get(reverse("loans:guarantee_dashboard", args=[fund.pk])))
    assert "5,000,000,000원" in body  # the pool
    assert "4,970,000,000원" in body  # what is left of it
    assert "1,000,000,000원" in body  # the year's scale
    assert "970,000,000원" in body  # left of the scale
    assert "2018-0001" in body and "개봉꽃집" in body and "구 추천" in body


def test_the_dashboard_asks_a_constant_number_of_queries(manager_client, fund, recommended):
    recommended(10_000_000)
    url = reverse("loans:guarantee_dashboard", args=[fund.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        manager_client.get(url)
    for _ in range(4):
        recommended(10_000_000)
    with CaptureQueriesContext(connection) as five:
        manager_client.get(url)
    assert len(five) == len(one)


def test_committee_members_may_not_see_the_guarantee_pages(committee_client, fund, recommended):
    application = recommended()
    for url in (
        reverse("loans:guarantee_dashboard", args=[fund.pk]),
        reverse("loans:guarantee_letter", args=[fund.pk]),
        reverse("loans:guarantee_list", args=[fund.pk]),
    ):
        assert committee_client.get(url).status_code == 403
    assert committee_client.post(reverse("loans:guarantee_result", args=[application.pk])).status_code == 403


def test_the_dashboard_of_a_fund_that_is_not_a_guarantee_fund_is_not_found(manager_client, loan_funds):
    assert (
        manager_client.get(reverse("loans:guarantee_dashboard", args=[loan_funds["district"].pk])).status_code
        == 404
    )


def test_the_recommendation_letter_names_the_foundation_and_each_firm_in_nanum_gothic(
    manager_client, fund, recommended
):
    first = recommended(30_000_000, name="개봉꽃집")
    recommended(20_000_000, name="천왕카페")
    url = reverse("loans:guarantee_letter", args=[fund.pk])
    batch = manager_client.get(url)
    assert batch["Content-Type"] == "application/pdf"
    words = pdf_text(batch.content)
    assert "테스트신용보증재단 이사장" in words
    assert "개봉꽃집" in words and "천왕카페" in words and "50,000,000" in words
    assert "NanumGothic" in pdf_fonts(batch.content)
    per_firm = manager_client.get(url, {"application": [first.pk], "per_firm": "1"})
    words = pdf_text(per_firm.content)
    assert "개봉꽃집" in words and "천왕카페" not in words


def test_the_foundation_list_has_a_row_per_recommended_firm(manager_client, fund, recommended):
    recommended(30_000_000, name="개봉꽃집")
    rows = xlsx_rows(manager_client.get(reverse("loans:guarantee_list", args=[fund.pk])).content)
    assert rows[0][:4] == ["연번", "접수번호", "회사명", "사업자등록번호"]
    assert rows[1][1:3] == ["2018-0001", "개봉꽃집"]
    assert rows[1][7] == 30_000_000


def test_staff_send_a_batch_to_the_foundation_and_a_bad_date_writes_nothing(staff_client, fund, recommended):
    first, second = recommended(), recommended()
    url = reverse("loans:guarantee_send", args=[fund.pk])
    response = staff_client.post(url, {"applications": [first.pk, second.pk]}, follow=True)
    assert "보증 신청일을 입력하세요." in text(response)
    assert set(LoanApplication.objects.values_list("status", flat=True)) == {S.RECOMMENDED}
    staff_client.post(url, {"applications": [first.pk, second.pk], "sent_on": "2018-10-16"})
    assert set(LoanApplication.objects.values_list("status", "guarantee_requested_on")) == {
        (S.GUARANTEE_REQUESTED, datetime.date(2018, 10, 16))
    }


def test_managers_may_not_send(manager_client, fund, recommended):
    application = recommended()
    url = reverse("loans:guarantee_send", args=[fund.pk])
    assert (
        manager_client.post(url, {"applications": [application.pk], "sent_on": "2018-10-16"}).status_code
        == 403
    )
    application.refresh_from_db()
    assert application.status == S.RECOMMENDED


def test_staff_record_the_foundations_approval_and_bad_figures_are_refused(
    staff_client, recommended, staff_user
):
    application = sent(recommended(30_000_000), staff_user)
    url = reverse("loans:guarantee_result", args=[application.pk])
    data = {
        "outcome": "approved",
        "guarantee_amount_won": "30000000",
        "ratio_pct": "120",
        "fee_pct": "0.8",
        "certificate_number": "제2018-1호",
        "decided_on": "2018-10-20",
    }
    body = text(staff_client.post(url, data))
    assert "보증비율(%)을 0보다 크고 100 이하로 입력하세요." in body
    application.refresh_from_db()
    assert application.status == S.GUARANTEE_REQUESTED
    data["ratio_pct"] = "100"
    assert staff_client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.guarantee_certificate_number) == (
        S.GUARANTEE_APPROVED,
        "제2018-1호",
    )


def test_staff_recommend_from_the_application_page_with_an_amount(staff_client, fund, loan_firm, staff_user):
    application = LoanApplication(
        firm=loan_firm(firm_type="small_business"),
        call=None,
        fund=fund,
        requested_amount_won=40_000_000,
        purpose="operating",
    )
    services.application_submit(application=application, actor=staff_user, on_date=OCTOBER)
    services.application_start_review(application=application, actor=staff_user)
    page = text(staff_client.get(application.get_absolute_url()))
    assert "구 추천" in page and "선정으로" not in page
    url = reverse("loans:application_action", args=[application.pk])
    staff_client.post(url, {"action": "recommend", "amount_won": "60000000"})
    application.refresh_from_db()
    assert application.status == S.REVIEW
    staff_client.post(url, {"action": "recommend", "amount_won": "35000000"})
    application.refresh_from_db()
    assert (application.status, application.approved_amount_won) == (S.RECOMMENDED, 35_000_000)


def result_rows(application, **changes):
    row = {
        "사업자등록번호": application.firm.business_number,
        "회사명": application.firm.name,
        "접수번호": application.intake_number,
        "심사결과": "승인",
        "보증금액(원)": application.approved_amount_won,
        "보증비율(%)": 100,
        "보증료(%)": 0.8,
        "보증서번호": "제2018-7호",
        "결과일": "2018-10-22",
        "거절사유": "",
    }
    row.update(changes)
    return [list(row), list(row.values())]


def test_the_foundations_results_import_with_a_preview_and_row_errors(recommended, staff_user):
    approved, refused = sent(recommended(30_000_000), staff_user), sent(recommended(20_000_000), staff_user)
    rows = result_rows(approved)
    rows += result_rows(
        refused, 심사결과="거절", **{"보증금액(원)": "", "보증비율(%)": "", "보증료(%)": "", "보증서번호": ""}
    )[1:]
    bad = xlsx_bytes(rows)
    report = run_import(GuaranteeResultResource, bad, "results.xlsx", user=staff_user, dry_run=True)
    assert not report.ok
    assert any(e.row == 3 and e.column == "거절사유" for e in report.errors), [str(e) for e in report.errors]
    rows[2][-1] = "신용평점 미달"
    good = xlsx_bytes(rows)
    preview = run_import(GuaranteeResultResource, good, "results.xlsx", user=staff_user, dry_run=True)
    assert preview.ok, [str(e) for e in preview.errors]
    assert (
        LoanApplication.objects.filter(status=S.GUARANTEE_REQUESTED).count() == 2
    )  # a preview writes nothing
    run_import(GuaranteeResultResource, good, "results.xlsx", user=staff_user, dry_run=False)
    approved.refresh_from_db()
    refused.refresh_from_db()
    assert (approved.status, approved.guarantee_amount_won, approved.guarantee_fee_pct) == (
        S.GUARANTEE_APPROVED,
        30_000_000,
        Decimal("0.80"),
    )
    assert (refused.status, refused.guarantee_rejection_reason) == (S.GUARANTEE_REJECTED, "신용평점 미달")


def test_an_imported_approval_past_the_recommendation_is_a_row_error(recommended, staff_user):
    application = sent(recommended(30_000_000), staff_user)
    data = xlsx_bytes(result_rows(application, **{"보증금액(원)": 40_000_000}))
    report = run_import(GuaranteeResultResource, data, "results.xlsx", user=staff_user, dry_run=False)
    assert any(
        "보증금액 40,000,000원이 추천금액 30,000,000원보다 많습니다." in e.message for e in report.errors
    )
    application.refresh_from_db()
    assert application.status == S.GUARANTEE_REQUESTED


def test_the_foundation_list_writes_a_firm_name_that_looks_like_a_formula_as_text(
    manager_client, fund, recommended
):
    recommended(30_000_000, name='=HYPERLINK("http://evil.example","개봉꽃집")')
    data = manager_client.get(reverse("loans:guarantee_list", args=[fund.pk])).content
    cell = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["C2"]
    assert cell.value == '=HYPERLINK("http://evil.example","개봉꽃집")'
    assert cell.data_type == "s"
    assert cell.quotePrefix

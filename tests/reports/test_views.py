"""What managers and staff see on the report pages and in the downloads; who is refused."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from guro_sme.models import DistrictProfile
from guro_sme.roles import Role
from guro_sme.support import YearlyFigure
from reports.models import HistoricalResult, Indicator, IndicatorTarget, ResultSeries

from .pdftools import dark_fraction, pdf_fonts, pdf_text, render_page_gray

SEED_FIGURES = ["26,670", "5,230", "5,400", "5,345", "5,350", "26,460", "210", "5,200", "5,360", "5,300"]


@pytest.fixture
def district(db):
    return DistrictProfile.objects.create(
        district_name="구로구", city_name="서울특별시", department="지역경제과", contact_phone="02-860-2865"
    )


def test_the_2018_report_page_shows_the_seeds_figures(manager_client, plan, figures, district):
    body = manager_client.get("/reports/2018/").content.decode()
    for figure in SEED_FIGURES:
        assert f">{figure}<" in body, figure
    assert "○ 중소기업·소상공인 자금 지원(업체수)" in body
    for target in ("60", "20", "25", "30"):
        assert f'<td class="num">{target}</td>' in body
    assert "20%" in body and "100%" in body
    assert "19개사" in body and "29개사" in body
    assert "※ 불일치: 계획서의 합계(19개사)가 연도별 실적의 합(29개사)과 다릅니다." in body
    assert "143" in body and "13,571" in body and "4,927" in body
    assert ">*10개사<" in body and "목표 대비 실적에는 기록으로 한 번만 셉니다" in body


def test_the_report_shows_achievement_from_records_beside_the_historical_results(
    manager_client, plan, figures, district
):
    figures.loans[2018] = YearlyFigure(firms=24, amount_won=2_000_000_000)
    figures.loan_cost[2018] = YearlyFigure(firms=24, amount_won=2_000_000_000)
    figures.programs[2018] = [{"program": "소상공인 창업 아카데미", "participants": 40, "completers": 34}]
    body = manager_client.get("/reports/2018/").content.decode()
    assert "<strong>60</strong>" in body  # 24 recorded + 36 historical
    assert "100.0%" in body
    assert "소상공인 창업 아카데미" in body and ">34<" in body
    assert "2,000,000" in body  # the district's 2,000백만원, in 천원


def test_the_pdf_shows_the_seeds_tables_in_nanum_gothic(manager_client, plan, figures, district):
    response = manager_client.get("/reports/2018/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="report_III-2-1_2018.pdf"' in response["Content-Disposition"]
    data = response.content
    text = pdf_text(data)
    for figure in SEED_FIGURES:
        assert figure in text, figure
    lines = [line.split() for line in text.splitlines()]
    assert ["○", "중소기업·소상공인", "자금", "지원(업체수)", "60", "60", "60", "60", "60"] in lines
    assert ["○", "중소기업", "마케팅", "지원사업(업체수)", "20", "20", "25", "25", "30"] in lines
    assert ["달성도", "20%", "40%", "60%", "80%", "100%"] in lines
    assert ["총계", "26,670", "5,230", "5,400", "5,345", "5,345", "5,350"] in lines
    assert ["구비(기금포함)", "26,670", "5,230", "5,400", "5,345", "5,345", "5,350"] in lines
    assert [
        "○",
        "중소기업·소상공인",
        "융자지원",
        "26,460",
        "5,200",
        "5,360",
        "5,300",
        "5,300",
        "5,300",
    ] in lines
    assert ["○", "중소기업", "마케팅", "지원사업", "210", "30", "40", "45", "45", "50"] in lines
    assert "서울특별시 구로구 지역경제과" in text  # the district header
    assert re.search(r"^\s*1 ?/ ?[2-9]\s*$", text, re.MULTILINE)  # page numbers: "n / N"
    assert "NanumGothic" in pdf_fonts(data)


def test_the_pdf_header_is_the_district_profiles(manager_client, plan, figures, district):
    DistrictProfile.objects.filter(pk=district.pk).update(district_name="금천구", department="일자리경제과")
    text = pdf_text(manager_client.get("/reports/2018/pdf/").content)
    assert "서울특별시 금천구 일자리경제과" in text
    assert "구로구" not in text.split("\n")[0]


def test_the_first_pdf_page_has_ink_where_the_korean_header_and_title_are(
    manager_client, plan, figures, district
):
    width, height, pixels = render_page_gray(manager_client.get("/reports/2018/pdf/").content)
    assert (width, height) == (414, 585)  # A4 at 50 dpi
    # The top 18% holds the running header and the title in Hangul: glyphs, not an empty page.
    assert dark_fraction(width, pixels, 0, int(height * 0.18)) > 0.01


def test_the_excel_workbook_has_a_sheet_per_table_with_the_seeds_figures(
    manager_client, plan, figures, district
):
    response = manager_client.get("/reports/2018/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "개요",
        "확인지표",
        "2018년 실적",
        "사업개요",
        "추진실적",
        "구의 부담",
        "KOTRA 지원",
        "경영지원사업",
        "경영지원사업 인원",
        "연도별 투자계획",
        "예산 대비 집행",
        "기금 결산",
        "성인지",
        "사후관리",
        "불일치",
    ]
    investment = [[c.value for c in row] for row in book["연도별 투자계획"].iter_rows(min_row=3)]
    assert investment[0] == [
        "구분",
        "추진내용",
        "계(백만원)",
        "2018년(백만원)",
        "2019년(백만원)",
        "2020년(백만원)",
        "2021년(백만원)",
        "2022년(백만원)",
    ]
    assert investment[1][1:] == ["중소기업·소상공인 융자지원", 26460, 5200, 5360, 5300, 5300, 5300]
    assert investment[2][1:] == ["중소기업 마케팅 지원사업", 210, 30, 40, 45, 45, 50]
    assert investment[3][2:] == [26670, 5230, 5400, 5345, 5345, 5350]
    assert investment[6][1:] == ["구비(기금포함)", 26670, 5230, 5400, 5345, 5345, 5350]
    assert book["연도별 투자계획"]["C4"].number_format == "#,##0"
    assert book["연도별 투자계획"]["A2"].value == "(단위: 백만원)"
    targets = [[c.value for c in row] for row in book["확인지표"].iter_rows(min_row=4)]
    assert targets[0] == ["중소기업·소상공인 자금 지원(업체수)", 60, 60, 60, 60, 60]
    assert targets[1] == ["중소기업 마케팅 지원사업(업체수)", 20, 20, 25, 25, 30]
    assert targets[2] == ["달성도(%)", 20, 40, 60, 80, 100]
    results = [[c.value for c in row] for row in book["추진실적"].iter_rows(min_row=3)]
    assert results[1][:5] == ["중소기업·소상공인 자금지원", 143, 143, 13571, 13571]
    mismatch = [[c.value for c in row] for row in book["불일치"].iter_rows(min_row=4)]
    assert mismatch == [["추진실적 합계: 중소기업 마케팅 지원 사업", "업체수", 19, 29]]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/reports/1999/", "2016년부터 2022년까지"),
        ("/reports/3000/", "2016년부터 2022년까지"),
        ("/reports/abc/", "연도가 아닙니다"),
        ("/reports/1999/pdf/", "2016년부터 2022년까지"),
        ("/reports/3000/xlsx/", "2016년부터 2022년까지"),
        ("/reports/2O18/pdf/", "연도가 아닙니다"),
    ],
)
def test_a_bad_year_gets_a_korean_message_not_an_error(manager_client, plan, figures, url, message):
    response = manager_client.get(url)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_without_a_plan_the_pages_say_what_is_missing(manager_client, figures):
    assert "구정 계획 자료가 없습니다" in manager_client.get("/reports/").content.decode()
    response = manager_client.get("/reports/2018/")
    assert response.status_code == 404
    assert "구정 계획 자료가 없습니다" in response.content.decode()
    assert manager_client.get("/reports/plan/").status_code == 404


REPORT_URLS = [
    "/reports/",
    "/reports/?year=2019",
    "/reports/2018/",
    "/reports/2018/pdf/",
    "/reports/2018/xlsx/",
    "/reports/plan/",
]
EDIT_URLS = [
    "/reports/plan/edit/",
    "/reports/plan/targets/",
    "/reports/plan/investment/",
    "/reports/plan/results/",
]


@pytest.mark.parametrize("url", REPORT_URLS + EDIT_URLS)
@pytest.mark.parametrize("role", [Role.COMMITTEE, None])
def test_committee_members_and_users_without_a_role_are_refused(client, make_user, plan, figures, url, role):
    client.force_login(make_user(role))
    response = client.get(url)
    assert response.status_code == 403
    assert "권한이 없습니다" in response.content.decode()


@pytest.mark.parametrize("url", REPORT_URLS)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF])
def test_managers_and_staff_see_and_download_every_report(client, make_user, plan, figures, url, role):
    client.force_login(make_user(role))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", EDIT_URLS)
def test_only_staff_edit_the_plan(manager_client, plan, url):
    assert manager_client.get(url).status_code == 403


def test_the_dashboard_shows_the_years_key_figures_and_charts(manager_client, plan, figures, district):
    figures.loans[2019] = YearlyFigure(firms=58, amount_won=5_000_000_000)
    body = manager_client.get("/reports/?year=2019").content.decode()
    assert "2019년 주요 현황" in body
    assert "58 <small>/ 목표 60</small>" in body
    assert body.count('role="img"') == 4  # two indicators; the budget in a panel per line
    assert "<title>2019년 실적 58</title>" in body
    assert "<title>2019년 목표 60</title>" in body
    for year in range(2016, 2023):
        assert f'href="/reports/{year}/pdf/"' in body


def test_the_dashboard_refuses_a_bad_year_with_a_message(manager_client, plan, figures):
    body = manager_client.get("/reports/?year=1999").content.decode()
    assert "1999년 보고서는 없습니다" in body
    assert "주요 현황" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/reports/", "/reports/2018/", "/reports/2018/xlsx/", "/reports/plan/"])
def test_report_pages_run_a_constant_number_of_queries(manager_client, plan, figures, url):
    # More indicators, targets and results must not mean more queries. The first indicator with
    # no programme linked adds a fixed look-up to the plan page (21 → 23, then 23 at any number),
    # so the count is taken with one such indicator and again with six.
    _add_indicators(plan, range(1))
    few = _queries(manager_client, url)
    _add_indicators(plan, range(1, 6))
    many = _queries(manager_client, url)
    assert many == few
    assert few <= 30  # the plan (9), the card tables from loans, KOTRA, programs, the firms


def _add_indicators(plan, numbers):
    for n in numbers:
        indicator = Indicator.objects.create(plan=plan, order=10 + n, name=f"추가 지표 {n}")
        for year in plan.term_years:
            IndicatorTarget.objects.create(indicator=indicator, year=year, target=10)
        series = ResultSeries.objects.create(
            plan=plan, indicator=indicator, order=10 + n, name=f"추가 실적 {n}"
        )
        HistoricalResult.objects.create(series=series, year=2017, firms=3, amount_won=1_000_000)


def test_the_dashboard_says_when_this_year_is_outside_the_plan(manager_client, plan, figures, monkeypatch):
    import datetime

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 11, 25))
    body = manager_client.get("/reports/").content.decode()
    assert "2022년 주요 현황" in body
    assert "올해(2026년)는 계획기간 밖이어서 가장 가까운 2022년을 보여 줍니다." in body


def test_a_long_table_repeats_its_header_on_every_pdf_page(manager_client, plan, figures, district):
    figures.programs[2018] = [
        {"program": f"경영지원 교육 {n:03d}회차", "participants": 30, "completers": 25} for n in range(1, 121)
    ]
    text = pdf_text(manager_client.get("/reports/2018/pdf/").content)
    pages = text.split("\f")
    with_rows = [page for page in pages if "회차" in page]
    assert len(with_rows) >= 3
    for page in with_rows:
        assert "참여 인원(명)" in page  # thead repeated on each page the table runs over
    assert all(f"경영지원 교육 {n:03d}회차" in text for n in range(1, 121))


def test_the_progress_formula_is_written_under_the_table_in_html_pdf_and_excel(
    manager_client, plan, figures, district
):
    figures.loans[2018] = YearlyFigure(firms=24)
    figures.marketing[2018] = YearlyFigure(firms=10)
    figures.kotra[2018] = YearlyFigure(firms=10)
    body = manager_client.get("/reports/2018/").content.decode()
    assert "산식: 달성도(해당 연도) = Σ" in body
    assert "실제 달성도 <strong>20.0%</strong>" in body
    text = pdf_text(manager_client.get("/reports/2018/pdf/").content)
    assert "산식: 달성도(해당 연도)" in " ".join(text.split())
    book = load_workbook(io.BytesIO(manager_client.get("/reports/2018/xlsx/").content))
    cells = [c.value for row in book["2018년 실적"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(value.startswith("산식: 달성도(해당 연도) = Σ") for value in cells)
    sheet = book["2018년 실적"]
    progress = next(row for row in sheet.iter_rows() if row[0].value == "실제 달성도(%)")
    assert progress[1].value == 20


def test_the_budget_total_row_fills_every_column(manager_client, plan, figures, district):
    figures.loan_cost[2018] = YearlyFigure(amount_won=1_000_000_000)
    figures.marketing[2018] = YearlyFigure(firms=10, amount_won=15_000_000)
    figures.kotra[2018] = YearlyFigure(firms=9, amount_won=13_900_000)
    book = load_workbook(io.BytesIO(manager_client.get("/reports/2018/xlsx/").content))
    sheet = book["예산 대비 집행"]
    total = [c.value for c in sheet[6]]
    assert total[0] == "계"
    assert total[2:] == [5_230_000, 1_028_900, 3_290_000, 4_318_900, 82.6]


def test_the_dashboard_opens_on_the_latest_year_with_results_and_marks_its_downloads(
    manager_client, plan, figures, monkeypatch
):
    import datetime

    from guro_sme.support import YearlyFigure

    figures.loans[2019] = YearlyFigure(firms=58, amount_won=0)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 11, 25))
    body = manager_client.get("/reports/").content.decode()
    assert "2019년 주요 현황" in body
    # Slow downloads say they are being prepared (static/js/app.js, links with data-download).
    assert '<a data-download href="/reports/2019/pdf/">PDF</a>' in body

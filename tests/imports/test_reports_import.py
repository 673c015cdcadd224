"""The plan card's historical results (추진실적) from Excel, typed as the seed's table writes them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from guro_sme.imports.engine import run_import
from reports.models import HistoricalResult
from reports.resources import HistoricalResultResource

from .conftest import xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.django_db

HEADERS = ["구분", "연도", "기간", "업체수", "금액"]
SERIES = "중소기업·소상공인 자금지원"


@pytest.fixture
def plan(db):
    call_command("loaddata", "fixtures/plan_iii_2_1.json", verbosity=0)
    HistoricalResult.objects.filter(series__name=SERIES).delete()


def seed_rows():
    # The seed: '16년 47개사 4,927 / '17년 60개사 5,354 / '18년 상반기 36개사 3,290 (백만원)
    return [
        list(HEADERS),
        [SERIES, "2016", "연간", "47", "4,927백만원"],
        [SERIES, "2017년", "", 60, 5_354_000_000],
        [SERIES, 2018, "상반기", "36개사", "32억 9,000만원"],
    ]


def snapshot():
    return sorted(
        HistoricalResult.objects.values_list(
            "series__name", "year", "period", "firms", "amount_won", "counted_in_records"
        )
    )


def test_the_seed_results_import_in_won(plan):
    report = run_import(HistoricalResultResource, xlsx_bytes(seed_rows()), "r.xlsx", dry_run=False)
    assert report.ok, [str(e) for e in report.errors]
    rows = [row for row in snapshot() if row[0] == SERIES]
    assert rows == [
        (SERIES, 2016, "year", 47, 4_927_000_000, False),
        (SERIES, 2017, "year", 60, 5_354_000_000, False),
        (SERIES, 2018, "h1", 36, 3_290_000_000, False),
    ]
    again = run_import(HistoricalResultResource, xlsx_bytes(seed_rows()), "r.xlsx", dry_run=False)
    assert again.counts == {"new": 0, "update": 0, "skip": 3}


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "구분", "없는 사업", "계획 카드에 없는 추진실적 구분입니다"),
        (3, "기간", "3분기", "연간, 상반기, 하반기 중 하나"),
        (4, "업체수", "서른", "업체수를 읽을 수 없습니다"),
        (4, "금액", "-3,290백만원", "0 이상"),
    ],
)
def test_bad_cells_are_refused_and_nothing_is_written(plan, row, column, value, message):
    before = snapshot()
    rows = seed_rows()
    rows[row - 1][HEADERS.index(column)] = value
    report = run_import(HistoricalResultResource, xlsx_bytes(rows), "r.xlsx", dry_run=False)
    assert any(e.row == row and e.column == column and message in e.message for e in report.errors), [
        str(e) for e in report.errors
    ]
    assert snapshot() == before


def test_an_amount_for_a_series_without_amounts_is_refused(plan):
    rows = [list(HEADERS), ["중소기업 마케팅 지원 사업", 2016, "연간", 9, "15,000천원"]]
    report = run_import(HistoricalResultResource, xlsx_bytes(rows), "r.xlsx", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "금액")]
    assert "금액 실적이 없는 구분입니다" in report.errors[0].message


def test_export_imports_back_unchanged(manager_client, staff_user, plan):
    run_import(HistoricalResultResource, xlsx_bytes(seed_rows()), "r.xlsx", dry_run=False)
    before = snapshot()
    data = manager_client.get(reverse("imports:export", args=["historical-results"])).content
    rows = xlsx_rows(data)
    assert rows[0] == ["관리번호", "구분", "연도", "기간", "업체수", "금액", "시스템 기록에 포함"]
    assert ["III-2-1", SERIES, 2016, "연간", 47, 4_927_000_000, "아니오"] in rows
    report = run_import(HistoricalResultResource, data, "export.xlsx", dry_run=False)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "update": 0, "skip": 6}
    assert snapshot() == before

"""Marketing support participants from Excel, through marketing's selection_save rules."""

import datetime

import pytest
from django.urls import reverse

from guro_sme.imports.engine import run_import
from marketing.models import BloggerEvent, MarketingProject, Selection
from marketing.resources import MarketingParticipantResource

from .conftest import number, xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.django_db

HEADERS = [
    "연도",
    "사업자등록번호",
    "회사명",
    "품평회 개최일",
    "홍보 제품·기술",
    "지원비용",
    "게시글 수",
    "도달 수",
]


@pytest.fixture
def project(db):
    project = MarketingProject.objects.create(year=2018, budget_won=15_000_000)
    BloggerEvent.objects.create(project=project, held_on=datetime.date(2018, 5, 10), place="구청 강당")
    return project


@pytest.fixture
def firms(make_firm):
    return [
        make_firm(
            business_number=number(300 + n).replace("-", ""), name=f"(주)마케팅{n}", firm_type="venture"
        )
        for n in range(1, 4)
    ]


def rows():
    return [
        list(HEADERS),
        [2018, number(301), "(주)마케팅1", "2018.5.10", "스마트 조명", "150만원", 3, "12,000"],
        ["2018년", number(302), "", "", "", "1,500,000", "", ""],
        [2018, number(303), "(주)마케팅3", datetime.datetime(2018, 5, 10), "", 1500000, 0, 0],
    ]


def run(data_rows, user=None, dry_run=False):
    return run_import(
        MarketingParticipantResource, xlsx_bytes(data_rows), "m.xlsx", user=user, dry_run=dry_run
    )


def snapshot():
    return sorted(
        Selection.objects.values_list(
            "firm__name", "cost_won", "posts_count", "reach", "event_id", "updated_at"
        )
    )


def test_participants_are_selected_with_their_costs_and_results(project, firms, staff_user):
    report = run(rows(), staff_user)
    assert report.ok, [str(e) for e in report.errors]
    first = Selection.objects.get(firm__name="(주)마케팅1")
    assert (first.cost_won, first.posts_count, first.reach, first.product) == (
        1_500_000,
        3,
        12_000,
        "스마트 조명",
    )
    assert first.event.held_on == datetime.date(2018, 5, 10)
    assert first.created_by == staff_user
    assert Selection.objects.get(firm__name="(주)마케팅2").event is None
    again = run(rows(), staff_user)
    assert again.counts == {"new": 0, "update": 0, "skip": 3}


def test_the_year_budget_is_enforced_by_the_marketing_rule(project, firms, staff_user):
    project.budget_won = 3_000_000
    project.save()
    report = run(rows(), staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(4, "사업자등록번호")]
    assert "예산 3,000,000원을 넘습니다" in report.errors[0].message
    assert Selection.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("연도", 2017, "등록되지 않은 마케팅 지원사업 연도입니다"),
        ("품평회 개최일", "2018.6.1", "2018.06.01에 열린 품평회가 없습니다"),
        ("지원비용", "-150만원", "0 이상"),
        ("지원비용", "", "필수 항목이 비어 있습니다"),
        ("사업자등록번호", number(399), "등록되지 않은 사업자등록번호입니다"),
    ],
)
def test_bad_cells_are_reported_and_nothing_is_written(project, firms, staff_user, column, value, message):
    data = rows()
    data[2][HEADERS.index(column)] = value
    report = run(data, staff_user)
    assert any(e.row == 3 and e.column == column and message in e.message for e in report.errors), [
        str(e) for e in report.errors
    ]
    assert Selection.objects.count() == 0


def test_an_out_of_district_firm_is_refused(project, firms, staff_user):
    firms[0].in_district = False
    firms[0].save()
    report = run(rows(), staff_user)
    assert "소재 기업이 아니어서 선정할 수 없습니다" in report.errors[0].message
    assert Selection.objects.count() == 0


def test_export_imports_back_unchanged(staff_client, project, firms, staff_user):
    run(rows(), staff_user)
    before = snapshot()
    data = staff_client.get(reverse("imports:export", args=["marketing-participants"]) + "?year=2018").content
    assert len(xlsx_rows(data)) == 4
    report = run_import(MarketingParticipantResource, data, "export.xlsx", user=staff_user, dry_run=False)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "update": 0, "skip": 3}
    assert snapshot() == before

"""The seed's KOTRA 2017 table, typed into xlsx files, imported through kotra's own rules."""

import pytest
from django.urls import reverse

from guro_sme.imports.engine import run_import
from guro_sme.models import Firm
from guro_sme.resources import FirmResource
from kotra.models import KotraProject, Participant, ParticipationFee
from kotra.resources import KotraSupportResource
from kotra.selectors import kotra_support_by_year

from .conftest import number, xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.django_db

# The seed: 연번, 회사명, 대표자, 생산품명, 무역관명, 지원금 — plus the fees that give each subsidy
# under the rule (50% of the fee, at most 1,750,000 per sub-program), as staff would type them.
SEED_2017 = [
    ("(주)시큐브", "홍기용", "정보보호솔루션", "런던(영국)", "3,500,000", "", "1,750,000"),
    ("(주)우신라보타치", "남택수", "의약품패치", "프라하(체코)", "250만원", "", "1,250,000"),
    ("(주)한드림넷", "서현원", "네트워크스위치", "호치민(베트남)", "3,500,000", "300,000", "1,900,000"),
    ("(주)티앤씨코리아", "장규화", "독립형태양광발전", "아디스아바바 (에티오피아)", 2500000, "", 1250000),
    ("에스엔패션그룹(주)", "구길기", "의류,잡화", "도쿄(일본)", "4,000,000원", "", "175만원"),
    ("(주)나일소프트", "이승재", "소프트웨어", "실리콘밸리(미국)", "3,000,000", "", "1,500,000"),
    ("(주)두니코프", "이승재", "음향변조기", "토론토(캐나다)", "3000000", "", "1,500,000"),
    ("포테닛(주)", "남형도", "자율주행물류로봇", "시카고(미국)", "3,600,000", "", "1,750,000"),
    ("(주)디자인비아트", "김진만", "모형", "알마티(카자흐스탄)", "2,500,000", "", "1,250,000"),
]
KOTRA_HEADERS = [
    "연번",
    "연도",
    "사업자등록번호",
    "회사명",
    "대표자",
    "생산품명",
    "무역관명",
    "해외지사화 참가비",
    "물류네트워크 참가비",
    "지원금",
]


def kotra_rows(seed=SEED_2017):
    rows = [["2017년 KOTRA 해외지사화 사업 지원 실적"], ["(단위: 원)"], list(KOTRA_HEADERS)]
    for serial, (name, rep, product, office, branch, logistics, subsidy) in enumerate(seed, start=1):
        rows.append(
            [serial, 2017, number(100 + serial), name, rep, product, office, branch, logistics, subsidy]
        )
    return rows


@pytest.fixture
def project_2017(db):
    return KotraProject.objects.create(year=2017, budget_won=15_000_000, target_firms=10)


@pytest.fixture
def seed_firms(db):
    """The nine firms, imported from the firms form typed from the seed table."""
    rows = [["사업자등록번호", "회사명", "대표자", "기업구분", "업종", "개인정보 동의일자"]]
    for serial, (name, rep, product, *_rest) in enumerate(SEED_2017, start=1):
        rows.append([number(100 + serial), name, rep, "중소기업", product, "2017-03-02"])
    report = run_import(FirmResource, xlsx_bytes(rows), "firms.xlsx", dry_run=False)
    assert report.ok, report.errors
    return Firm.objects.all()


def run(rows, dry_run=False, user=None):
    return run_import(KotraSupportResource, xlsx_bytes(rows), "kotra.xlsx", user=user, dry_run=dry_run)


def fees_snapshot():
    return sorted(
        ParticipationFee.objects.values_list(
            "participant__firm__name", "sub_program", "fee_won", "subsidy_won"
        )
    )


def test_the_seed_2017_table_imports_to_nine_firms_and_13_900_000_won(project_2017, seed_firms, staff_user):
    report = run(kotra_rows(), user=staff_user)
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts == {"new": 9, "update": 0, "skip": 0}
    figure = kotra_support_by_year(2017)
    assert (figure.firms, figure.amount_won) == (9, 13_900_000)
    handream = Participant.objects.get(firm__name="(주)한드림넷")
    assert str(handream.trade_office) == "호치민(베트남)"
    assert sorted(handream.fees.values_list("fee_won", "subsidy_won")) == [
        (300_000, 150_000),
        (3_500_000, 1_750_000),
    ]
    assert Participant.objects.get(firm__name="(주)티앤씨코리아").trade_office.city == "아디스아바바"
    assert Participant.objects.filter(created_by=staff_user).count() == 9


def test_reimporting_the_table_changes_nothing(project_2017, seed_firms):
    run(kotra_rows())
    before = fees_snapshot()
    report = run(kotra_rows())
    assert report.ok
    assert report.counts == {"new": 0, "update": 0, "skip": 9}
    assert fees_snapshot() == before


def test_a_changed_fee_recomputes_the_subsidy(project_2017, seed_firms):
    run(kotra_rows())
    seed = list(SEED_2017)
    seed[1] = ("(주)우신라보타치", "남택수", "의약품패치", "프라하(체코)", "3,000,000", "", "")
    report = run(kotra_rows(seed), dry_run=True)
    assert report.counts == {"new": 0, "update": 1, "skip": 8}
    assert ("해외지사화 참가비", 2_500_000, 3_000_000) in report.rows[1].changes
    run(kotra_rows(seed))
    assert kotra_support_by_year(2017).amount_won == 13_900_000 + 250_000


def test_a_subsidy_that_does_not_match_the_fees_is_refused(project_2017, seed_firms):
    rows = kotra_rows()
    rows[3 + 2][9] = "1,800,000"  # (주)한드림넷: the fees give 1,900,000
    report = run(rows)
    assert not report.ok
    (error,) = report.errors
    assert (error.row, error.column) == (6, "지원금")
    assert "1,800,000원이 참가비로 계산한 1,900,000원과 다릅니다" in error.message
    assert Participant.objects.count() == 0


def test_a_subsidy_above_the_cap_cannot_be_typed_in(project_2017, seed_firms):
    rows = kotra_rows()
    rows[3][7], rows[3][9] = "5,000,000", "2,500,000"
    report = run(rows)
    assert any(e.column == "지원금" and "최대 1,750,000원" in e.message for e in report.errors)
    assert Participant.objects.count() == 0


def test_the_budget_cap_of_the_year_refuses_the_row_that_passes_it(seed_firms):
    KotraProject.objects.create(year=2017, budget_won=10_000_000)
    report = run(kotra_rows())
    assert not report.ok
    # 9,400,000 won fit; each later row would pass the budget.
    assert [(e.row, e.column) for e in report.errors] == [
        (10, "사업자등록번호"),
        (11, "사업자등록번호"),
        (12, "사업자등록번호"),
    ]
    assert "예산 10,000,000원을 넘습니다: 이미 지원 9,400,000원" in report.errors[0].message
    assert Participant.objects.count() == 0
    assert ParticipationFee.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("연도", 2016, "등록되지 않은 KOTRA 사업 연도입니다: '2016'"),
        ("사업자등록번호", number(999), "등록되지 않은 사업자등록번호입니다"),
        ("사업자등록번호", "113-80-00000", "검증번호"),
        ("해외지사화 참가비", "-3,500,000", "금액은 0 이상이어야 합니다"),
        ("해외지사화 참가비", "삼백만원", "금액을 읽을 수 없습니다"),
        ("무역관명", "런던", "'도시(국가)' 형식"),
        ("무역관명", "", "필수 항목이 비어 있습니다"),
        ("회사명", "(주)다른회사", "등록된 회사명은 '(주)우신라보타치'입니다"),
    ],
)
def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_written(
    project_2017, seed_firms, column, value, message
):
    rows = kotra_rows()
    rows[4][KOTRA_HEADERS.index(column)] = value
    report = run(rows)
    assert not report.ok
    assert any(e.row == 5 and e.column == column and message in e.message for e in report.errors), [
        str(e) for e in report.errors
    ]
    assert Participant.objects.count() == 0


def test_a_firm_outside_the_district_is_refused_by_the_kotra_rule(project_2017, seed_firms):
    Firm.objects.filter(name="(주)시큐브").update(in_district=False)
    report = run(kotra_rows())
    assert [(e.row, e.column) for e in report.errors] == [(4, "사업자등록번호")]
    assert "소재 기업이 아니어서 참여할 수 없습니다" in report.errors[0].message
    assert Participant.objects.count() == 0


def test_the_same_firm_twice_in_a_year_is_a_duplicate_row(project_2017, seed_firms):
    rows = kotra_rows()
    rows.append(list(rows[3]))
    report = run(rows)
    assert any(e.row == 13 and "파일 안에서 중복된 행입니다" in e.message for e in report.errors)
    assert Participant.objects.count() == 0


def test_export_of_a_year_imports_back_unchanged(staff_client, project_2017, seed_firms):
    run(kotra_rows())
    before = fees_snapshot()
    data = staff_client.get(reverse("imports:export", args=["kotra-support"]) + "?year=2017").content
    rows = xlsx_rows(data)
    assert rows[0][:4] == ["연도", "사업자등록번호", "회사명", "대표자"]
    assert len(rows) == 10
    assert sum(row[rows[0].index("지원금")] for row in rows[1:]) == 13_900_000
    report = run_import(KotraSupportResource, data, "export.xlsx", dry_run=False)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "update": 0, "skip": 9}
    assert fees_snapshot() == before

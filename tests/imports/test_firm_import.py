"""Importing the firm registry: what is written, what is refused (row + column, Korean), and that a
refused file writes nothing at all."""

import datetime

import pytest
from django.utils import timezone

from guro_sme.imports.engine import run_import
from guro_sme.models import Firm
from guro_sme.resources import FirmResource

from .conftest import FIRM_HEADERS, bad_number, csv_bytes, number, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(data, filename="firms.xlsx", dry_run=False, user=None):
    return run_import(FirmResource, data, filename, user=user, dry_run=dry_run)


def snapshot():
    return sorted(
        Firm.objects.values_list("business_number", "name", "representative", "employees", "updated_at")
    )


@pytest.fixture
def existing(make_firm):
    """One firm already registered, so 'nothing written' also means 'nothing changed'."""
    return make_firm(business_number=number(9).replace("-", ""), name="(주)기존", representative="최기존")


def assert_refused(report, row, column, text):
    assert not report.ok
    assert any(e.row == row and e.column == column and text in e.message for e in report.errors), [
        str(e) for e in report.errors
    ]
    assert not report.written


def test_an_xlsx_file_creates_the_firms_with_every_column(firm_rows, staff_user):
    report = run(xlsx_bytes(firm_rows), user=staff_user)
    assert report.ok, report.errors
    assert report.counts == {"new": 3, "update": 0, "skip": 0}
    firm = Firm.objects.get(business_number=number(1).replace("-", ""))
    assert firm.name == "(주)가져오기"
    assert firm.firm_type == Firm.FirmType.SME
    assert firm.employees == 12
    assert firm.founded_on == datetime.date(2018, 2, 1)
    assert firm.in_district is True
    assert firm.email == "a@example.com"
    assert Firm.objects.get(name="가리봉상회").firm_type == Firm.FirmType.SMALL_BUSINESS
    assert Firm.objects.get(name="가리봉상회").employees == 3
    # The history says who imported it.
    record = firm.history.get()
    assert record.history_user == staff_user
    assert record.history_change_reason == "엑셀 가져오기"


def test_a_dry_run_writes_nothing_but_reports_what_would_happen(firm_rows):
    report = run(xlsx_bytes(firm_rows), dry_run=True)
    assert report.ok
    assert report.counts["new"] == 3
    assert [row.status_label for row in report.rows] == ["신규", "신규", "신규"]
    assert Firm.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_csv_in_utf8_with_or_without_bom_and_in_cp949(firm_rows, encoding):
    report = run(csv_bytes(firm_rows, encoding), filename="firms.csv")
    assert report.ok, report.errors
    assert set(Firm.objects.values_list("name", flat=True)) == {"(주)가져오기", "가리봉상회", "(주)벤처"}


def test_reimporting_the_same_file_changes_nothing(firm_rows):
    data = xlsx_bytes(firm_rows)
    run(data)
    before = snapshot()
    history = Firm.history.count()
    report = run(data)
    assert report.ok
    assert report.counts == {"new": 0, "update": 0, "skip": 3}
    assert [row.status_label for row in report.rows] == ["변경 없음"] * 3
    assert snapshot() == before
    assert Firm.history.count() == history


def test_a_changed_cell_updates_the_firm_found_by_its_business_number(firm_rows):
    run(xlsx_bytes(firm_rows))
    firm_rows[1][6] = 15
    firm_rows[1][0] = firm_rows[1][0].replace("-", "")  # the same number, typed without dashes
    report = run(xlsx_bytes(firm_rows), dry_run=True)
    assert report.counts == {"new": 0, "update": 1, "skip": 2}
    assert report.rows[0].changes == [("종업원수", 12, 15)]
    report = run(xlsx_bytes(firm_rows))
    assert Firm.objects.get(name="(주)가져오기").employees == 15
    assert Firm.objects.count() == 3


def test_numbers_and_dates_typed_as_excel_cells_are_read(firm_rows):
    firm_rows[1][0] = int(number(1).replace("-", ""))
    firm_rows[1][7] = datetime.datetime(2018, 2, 1)
    firm_rows[1][6] = 12.0
    report = run(xlsx_bytes(firm_rows))
    assert report.ok, report.errors
    firm = Firm.objects.get(name="(주)가져오기")
    assert (firm.founded_on, firm.employees) == (datetime.date(2018, 2, 1), 12)


def test_a_title_row_above_the_headers_and_blank_rows_are_tolerated(firm_rows):
    rows = [["2018년 관내 기업 명단"], [], *firm_rows[:2], [None] * 10, firm_rows[2]]
    report = run(xlsx_bytes(rows))
    assert report.ok, report.errors
    assert [row.number for row in report.rows] == [4, 6]
    assert Firm.objects.count() == 2


def test_the_district_column_is_optional_and_defaults_to_yes(firm_rows):
    rows = [[*firm_rows[0], "구로구소재"], [*firm_rows[1], "아니오"], [*firm_rows[2], ""]]
    run(xlsx_bytes(rows))
    assert Firm.objects.get(name="(주)가져오기").in_district is False
    assert Firm.objects.get(name="가리봉상회").in_district is True


# ---- bad input: reported by row and column in Korean, nothing written ------------------------------
@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "사업자등록번호", bad_number(1), "검증번호(마지막 자리)가 맞지 않습니다"),
        (3, "사업자등록번호", "12345", "10자리 숫자"),
        (3, "종업원수", "-3", "종업원수는 0 이상이어야 합니다"),
        (3, "종업원수", "열두명", "종업원수를 읽을 수 없습니다"),
        (4, "설립일", "2018년 봄", "날짜를 읽을 수 없습니다"),
        (4, "설립일", "2018.2.30", "없는 날짜입니다"),
        (2, "회사명", "", "필수 항목이 비어 있습니다"),
        (3, "대표자", "  ", "필수 항목이 비어 있습니다"),
        (4, "기업구분", "대기업", "중소기업, 소상공인, 벤처기업 중 하나"),
        (2, "이메일", "not-an-email", "이메일"),
    ],
)
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(
    firm_rows, existing, row, column, value, message
):
    before = snapshot()
    firm_rows[0].append("구로구소재")
    for cells in firm_rows[1:]:
        cells.append("아니오")
    firm_rows.append(
        [
            existing.business_number,
            "(주)기존 바뀜",
            "최기존",
            "",
            "중소기업",
            "",
            "",
            "",
            "",
            "",
            "",
            "아니오",
        ]
    )
    firm_rows[row - 1][FIRM_HEADERS.index(column)] = value
    report = run(xlsx_bytes(firm_rows))
    assert_refused(report, row, column, message)
    assert len(report.errors) == 1
    assert snapshot() == before


def test_a_duplicate_row_in_the_file_is_reported_and_nothing_is_written(firm_rows, existing):
    before = snapshot()
    firm_rows.append(list(firm_rows[1]))
    firm_rows[4][0] = firm_rows[4][0].replace("-", "")  # same firm, typed differently
    report = run(xlsx_bytes(firm_rows))
    assert_refused(report, 5, "사업자등록번호", "파일 안에서 중복된 행입니다")
    assert "2행" in report.errors[0].message
    assert snapshot() == before


def test_every_bad_row_is_listed_not_only_the_first(firm_rows):
    firm_rows[1][0] = bad_number(1)
    firm_rows[3][7] = "어제"
    report = run(xlsx_bytes(firm_rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "사업자등록번호"), (4, "설립일")]
    assert [row.status_label for row in report.rows] == ["오류", "신규", "오류"]
    assert Firm.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "firms.pdf", "엑셀(.xlsx) 또는 CSV(.csv) 파일만"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "firms.xlsx", "PDF 파일은 가져올 수 없습니다"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "firms.xlsx", "엑셀(.xlsx) 파일이 아닙니다"),
        (b"PK\x03\x04 this is not really a zip", "firms.xlsx", "엑셀(.xlsx) 파일을 열 수 없습니다"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "firms.xlsx", "예전 엑셀 형식(.xls)"),
        (b"\x00\x01\x02\x03binary", "firms.csv", "CSV 파일이 아닙니다"),
        (b"", "firms.xlsx", "빈 파일"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(existing, data, filename, message):
    before = snapshot()
    report = run(data, filename=filename)
    assert_refused(report, None, "", message)
    assert snapshot() == before


def test_an_oversized_file_is_refused(settings, firm_rows, existing):
    before = snapshot()
    settings.MAX_UPLOAD_BYTES = 1000
    report = run(xlsx_bytes(firm_rows))
    assert_refused(report, None, "", "파일이 너무 큽니다")
    assert snapshot() == before


def test_a_missing_required_header_is_reported(firm_rows, existing):
    before = snapshot()
    rows = [[cell for i, cell in enumerate(row) if i != 2] for row in firm_rows]  # no 대표자
    report = run(xlsx_bytes(rows))
    assert_refused(report, 1, "대표자", "필수 열이 없습니다")
    assert snapshot() == before


def test_an_unknown_header_is_reported_with_the_expected_ones(firm_rows):
    firm_rows[0][5] = "업 태"
    report = run(xlsx_bytes(firm_rows))
    assert_refused(report, 1, "업 태", "알 수 없는 열입니다")
    assert "사업자등록번호, 회사명" in report.errors[0].message
    assert Firm.objects.count() == 0


def test_a_sheet_without_headers_is_reported(existing):
    report = run(xlsx_bytes([["a", "b"], [1, 2]]))
    assert_refused(report, 1, "", "머리글(열 이름) 줄을 찾지 못했습니다")


def test_headers_staff_commonly_type_are_understood(firm_rows):
    firm_rows[0][0] = "사업자 번호"
    firm_rows[0][1] = "상호"
    report = run(xlsx_bytes(firm_rows))
    assert report.ok, report.errors
    assert Firm.objects.count() == 3


def test_an_empty_cell_keeps_what_the_registry_knows(firm_rows, make_firm):
    make_firm(
        business_number=number(3).replace("-", ""),
        name="(주)벤처",
        employees=30,
        in_district=False,
        email="v@example.com",
    )
    rows = [[*firm_rows[0], "구로구소재"], [*firm_rows[3], ""]]
    report = run(xlsx_bytes(rows), dry_run=True)
    assert report.rows[0].changes == [
        ("대표자", "홍길동", "박벤처"),
        ("기업구분", "중소기업", "벤처기업"),
        ("개인정보 동의일자", "", datetime.date(2018, 1, 15)),
    ]
    run(xlsx_bytes(rows))
    firm = Firm.objects.get(name="(주)벤처")
    assert (firm.employees, firm.in_district, firm.email, firm.representative) == (
        30,
        False,
        "v@example.com",
        "박벤처",
    )


def test_csv_with_quoted_commas_and_tab_separated_text_are_read(firm_rows):
    firm_rows[1][5] = "의류,잡화"
    report = run(csv_bytes(firm_rows, "cp949"), filename="firms.csv")
    assert report.ok, report.errors
    assert Firm.objects.get(name="(주)가져오기").industry == "의류,잡화"
    tab_text = "\n".join("\t".join(str(cell) for cell in row) for row in firm_rows).replace(
        "의류,잡화", "의류"
    )
    report = run(tab_text.encode("utf-8"), filename="firms.csv", dry_run=True)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "update": 1, "skip": 2}


def test_decomposed_hangul_from_a_mac_is_read_as_usual(firm_rows):
    import unicodedata

    rows = [[unicodedata.normalize("NFD", c) if isinstance(c, str) else c for c in row] for row in firm_rows]
    report = run(xlsx_bytes(rows))
    assert report.ok, report.errors
    assert Firm.objects.filter(name="가리봉상회", firm_type=Firm.FirmType.SMALL_BUSINESS).exists()


# --- 개인정보 수집·이용 동의 ---------------------------------------------------------------------


def test_a_new_firm_without_a_consent_date_is_refused_and_nothing_is_written(firm_rows):
    firm_rows[2][-1] = ""
    report = run(xlsx_bytes(firm_rows))
    assert_refused(report, 3, "개인정보 동의일자", "동의를 받지 않은 대표자·연락처는 등록할 수 없습니다")
    assert Firm.objects.count() == 0


def test_the_consent_date_is_recorded_with_who_imported_it(firm_rows, staff_user):
    assert run(xlsx_bytes(firm_rows), user=staff_user).ok
    firm = Firm.objects.get(name="가리봉상회")
    assert timezone.localtime(firm.consent_at).date() == datetime.date(2019, 3, 1)
    assert firm.consent_recorded_by == staff_user and firm.consent_version
    assert firm.history.get().consent_at == firm.consent_at


def test_an_update_of_a_consented_firm_needs_no_new_date_but_new_contacts_without_consent_are_refused(
    firm_rows, make_firm, staff_user
):
    consented = make_firm(business_number=number(1).replace("-", ""), name="(주)가져오기")
    consented.consent_at = datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC)
    consented.save()
    make_firm(business_number=number(2).replace("-", ""), name="가리봉상회", phone="")
    rows = [firm_rows[0], [*firm_rows[1][:-1], ""], [*firm_rows[2][:8], "02-111-2222", "", ""]]
    report = run(xlsx_bytes(rows), user=staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(3, "개인정보 동의일자")]

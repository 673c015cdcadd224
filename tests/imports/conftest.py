"""Fixtures for the import tests: spreadsheet builders and a private folder for stored uploads."""

import csv
import io

import openpyxl
import pytest

from guro_sme.validators import with_check_digit

FIRM_HEADERS = [
    "사업자등록번호",
    "회사명",
    "대표자",
    "주소",
    "기업구분",
    "업종",
    "종업원수",
    "설립일",
    "전화",
    "이메일",
]
# Last in the firm sheets the fixtures build: the day the representative agreed (required for a new firm).
CONSENT = "개인정보 동의일자"


def xlsx_bytes(rows) -> bytes:
    """An xlsx whose first sheet holds `rows` (lists of cells: str, int, float, datetime…)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_rows(data: bytes, sheet_index=0) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return [list(row) for row in workbook.worksheets[sheet_index].iter_rows(values_only=True)]


def number(serial: int) -> str:
    """A valid business number, shown with dashes."""
    digits = with_check_digit(f"1138{serial:05d}")
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def bad_number(serial: int) -> str:
    valid = number(serial)
    return valid[:-1] + str((int(valid[-1]) + 1) % 10)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def firm_rows():
    return [
        [*FIRM_HEADERS, CONSENT],
        [
            number(1),
            "(주)가져오기",
            "김가져",
            "서울특별시 구로구 디지털로 1",
            "중소기업",
            "소프트웨어",
            12,
            "2018.2.1",
            "02-860-0001",
            "a@example.com",
            "2018-01-15",
        ],
        [
            number(2),
            "가리봉상회",
            "이상회",
            "",
            "소상공인",
            "소매업",
            "3명",
            "2019-03-04",
            "",
            "",
            "2019.3.1",
        ],
        [number(3), "(주)벤처", "박벤처", "", "벤처기업", "", "", "", "", "", "2018-01-15"],
    ]

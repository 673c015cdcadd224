"""The core export writer: styled header, number formats, widths, injection-safe text, streaming."""

import csv
import datetime
import io
import time
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from guro_sme.exports import DATE, DATETIME, DECIMAL, PERCENT, WON, XlsxBook, csv_response

INJECTIONS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x","y")']


def _read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_header_formats_widths_and_values():
    book = XlsxBook()
    sheet = book.sheet("명단", widths=[6, 24, 14])
    sheet.title("2018년 명단")
    sheet.header(["연번", "회사명", "금액(원)"])
    sheet.row([1, "(주)가나", 120_000_000])
    sheet.row([2, "다라", Decimal("1.80")])
    sheet.row([3, "마바", datetime.date(2018, 3, 1)])
    workbook = _read(book.to_bytes())
    ws = workbook["명단"]
    assert ws["A1"].value == "2018년 명단" and ws["A1"].font.bold
    assert ws["B2"].font.bold and ws["B2"].fill.fgColor.rgb.endswith("EEF2F7")
    assert ws["C3"].value == 120_000_000 and ws["C3"].number_format == WON
    assert ws["C4"].value == Decimal("1.80") or ws["C4"].value == 1.8
    assert ws["C5"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].width == 24


@pytest.mark.parametrize("value", INJECTIONS)
def test_formula_like_text_round_trips_as_text_in_xlsx(value):
    book = XlsxBook()
    sheet = book.sheet("자료")
    sheet.row([value, "보통"])
    ws = _read(book.to_bytes())["자료"]
    assert ws["A1"].data_type == "s"  # a string, never a formula
    # XML stores a lone CR as a line break; every other value comes back exactly.
    assert ws["A1"].value == value.replace("\r", "\n")
    assert ws["A1"].quotePrefix


@pytest.mark.parametrize(
    "text",
    ["줄\n바꿈", "줄\r\n바꿈", "_x0041_ 그대로", "  앞뒤 공백  ", '<&">', "탭\t안"],
)
def test_text_reads_back_into_an_import_as_it_was_written(text):
    from guro_sme.imports.engine import read_table

    book = XlsxBook()
    sheet = book.sheet("자료")
    sheet.row(["머리글"])
    sheet.row([text])
    # A CR becomes the line break XML makes of it; everything else comes back exactly.
    assert read_table(book.to_bytes(), "자료.xlsx").rows[1][1] == [text.replace("\r\n", "\n")]


def test_an_export_with_every_kind_of_value_keeps_types_and_formats():
    book = XlsxBook()
    sheet = book.sheet("자료", widths=[10, 10], freeze_header_row=1)
    sheet.header(["값", "비고"])
    moment = timezone.make_aware(datetime.datetime(2018, 3, 1, 14, 30))
    values = [True, 7, 2.5, Decimal("3.50"), datetime.date(2018, 3, 1), moment, "글", None, "", "a\x01b"]
    for value in values:
        sheet.row([value, "x"])
    sheet.row([None, 0.123], formats={1: PERCENT}, bold=True, border=True)
    ws = _read(book.to_bytes())["자료"]
    cells = [ws.cell(row=n, column=1) for n in range(2, len(values) + 2)]
    assert [c.value for c in cells] == [
        True, 7, 2.5, 3.5, datetime.datetime(2018, 3, 1), datetime.datetime(2018, 3, 1, 14, 30),
        "글", None, None, "ab",
    ]  # fmt: skip
    assert [c.number_format for c in cells[:6]] == ["General", WON, DECIMAL, DECIMAL, DATE, DATETIME]
    total = ws.cell(row=len(values) + 2, column=2)
    assert total.number_format == PERCENT and total.font.bold and total.border.left.style == "thin"
    assert ws.cell(row=len(values) + 2, column=1).border.left.style == "thin"  # a styled empty cell
    assert ws.freeze_panes == "A2"


def test_formula_like_text_is_quoted_in_csv():
    response = csv_response("목록.csv", ["이름", "메모"], [[value, "x"] for value in INJECTIONS])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + value for value in INJECTIONS]
    assert "filename*=utf-8''" in response["Content-Disposition"]


def _export(rows: int) -> bytes:
    book = XlsxBook()
    sheet = book.sheet("자료", widths=[8, 24, 16, 14, 12, 12, 30, 12])
    sheet.header(["연번", "회사명", "사업자등록번호", "금액(원)", "금리", "일자", "메모", "상태"])
    for n in range(rows):
        sheet.row(
            [
                n,
                f"기업{n}",
                "220-81-12345",
                100_000_000 + n,
                Decimal("1.80"),
                datetime.date(2018, 1, 1),
                "=1+1",
                "선정",
            ]
        )
    return book.to_bytes()


def test_memory_while_writing_does_not_grow_with_the_rows():
    def peak(rows: int) -> int:
        tracemalloc.start()
        _export(rows)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    small, large = peak(500), peak(5_000)
    # Ten times the rows: the workbook is streamed; only the finished, compressed file grows.
    assert large < small * 3


def test_twenty_thousand_rows_export(capsys):
    """The time is printed for the record; speed is measured in `make bench`, not asserted."""
    started = time.perf_counter()
    data = _export(20_000)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n20,000-row xlsx export: {seconds:.2f} s, {len(data) / 1e6:.1f} MB")
    assert _read(data)["자료"].max_row == 20_001

"""The one Excel/CSV writer every export uses; each export keeps only its layout.

    book = XlsxBook()
    sheet = book.sheet("수료자", widths=[6, 20, 12])      # widths before the first row
    sheet.title("2018년 창업 아카데미 수료자 명단")          # bold, larger
    sheet.header(["연번", "성명", "생년월일"])                # fill, bold, centred, bordered
    for row in rows:
        sheet.row([n, name, birth_date])                     # 원 → #,##0; Decimal → 0.00; dates
    sheet.row(["합계", None, total], bold=True)
    return book.response("2018_수료자.xlsx")               # Korean name via download_response

XlsxWriter's constant-memory mode streams rows to a temporary file: memory stays constant however
many rows (20,000 in a couple of seconds). `csv_response(filename, header, rows)` streams a CSV with a
UTF-8 BOM (Excel reads Hangul then) row by row.

Text is always written as text (OWASP CSV injection): a value starting with =, +, -, @, tab or
CR is stored as a string cell with Excel's quote prefix in xlsx (it can never become a formula,
not even after editing the cell), and prefixed with ' in CSV. In xlsx a CR is stored as the line
break it becomes in XML anyway (XlsxWriter would write it as the escape _x000D_, which openpyxl,
and so the importer, would read literally).
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from .documents import download_response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters a cell of an xlsx cannot hold as they are: dropped from the text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")

WON = "#,##0"
DECIMAL = "0.00"
PERCENT = '0.0"%"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
# Cell styles as XlsxWriter format properties (combined per cell, one shared format each).
HEADER_FILL = {"pattern": 1, "bg_color": "#EEF2F7"}
HEADER_FONT = {"bold": True}
TITLE_FONT = {"bold": True, "font_size": 13}
BOLD = {"bold": True}
FLAG_FONT = {"font_color": "#B3261E", "bold": True}
BORDER = {"border": 1, "border_color": "#B8C0CC"}
CENTRED = {"align": "center", "valign": "vcenter", "text_wrap": True}


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_text(value) -> str:
    """A CSV cell: text that could start a formula gets a leading ' (OWASP)."""
    if value is None:
        return ""
    value = _plain(value)
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return "'" + text if is_formula_like(text) else text


def _plain(value):
    """Values an xlsx can't hold as they are: aware datetimes (local time), control characters."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def number_format_for(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return WON
    if isinstance(value, Decimal | float):
        return DECIMAL
    if isinstance(value, datetime.datetime):
        return DATETIME
    if isinstance(value, datetime.date):
        return DATE
    return None


def keep_as_text(cell) -> None:
    """An openpyxl cell whose text could start a formula stays text: never evaluated, and Excel
    keeps it text when the cell is edited (quote prefix). For sheets built with openpyxl itself."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


class XlsxSheet:
    """One sheet of an XlsxBook, written top to bottom."""

    def __init__(self, book: "XlsxBook", sheet, widths: Iterable[int] = ()):
        self._book = book
        self._sheet = sheet
        self.rows_written = 0
        for index, width in enumerate(widths):
            # In pixels (7 a character): the file then says width="24" for 24, as openpyxl wrote.
            sheet.set_column_pixels(index, index, round(width * 7))

    def _write(self, column: int, value, number_format: str | None = None, style: dict | None = None):
        row, sheet, style = self.rows_written, self._sheet, style or {}
        value = _plain(value)
        if value is None or value == "":
            if style or number_format:
                sheet.write_blank(row, column, None, self._book.format(style, number_format))
        elif isinstance(value, str):
            quote = is_formula_like(value)
            text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
            if style or number_format or quote:
                sheet.write_string(row, column, text, self._book.format(style, number_format, quote))
            else:
                sheet.write_string(row, column, text)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, self._book.format(style, number_format))
        elif isinstance(value, int | float | Decimal):
            fmt = self._book.format(style, number_format or number_format_for(value))
            sheet.write_number(row, column, value, fmt)
        elif isinstance(value, datetime.date):
            fmt = self._book.format(style, number_format or number_format_for(value))
            sheet.write_datetime(row, column, value, fmt)
        else:
            raise TypeError(f"엑셀 칸에 쓸 수 없는 값입니다: {value!r}")

    def _append(self, values, formats=None, style=None) -> None:
        formats = formats or {}
        for column, value in enumerate(values):
            self._write(column, value, formats.get(column), style)
        self.rows_written += 1

    def title(self, text: str) -> None:
        self._append([text], style=TITLE_FONT)

    def note(self, text: str, *, flag: bool = False) -> None:
        self._append([text], style=FLAG_FONT if flag else None)

    def blank(self) -> None:
        self.rows_written += 1

    def header(self, labels: list[str]) -> None:
        self._append(labels, style={**HEADER_FONT, **HEADER_FILL, **BORDER, **CENTRED})

    def row(
        self,
        values: list,
        *,
        bold: bool = False,
        border: bool = False,
        formats: dict[int, str] | None = None,
    ) -> None:
        """One row; `formats` maps a 0-based column to a number format (e.g. PERCENT)."""
        style = {}
        if bold:
            style.update(BOLD)
        if border:
            style.update(BORDER)
        self._append(values, formats, style)


class XlsxBook:
    """A streaming (constant-memory) workbook of XlsxSheets, written with XlsxWriter.

    XlsxWriter rather than openpyxl's write-only mode: the same file in a third of the time
    (20,000 rows × 13 columns: about 2 s instead of 6 s on the benchmark machine).
    """

    def __init__(self):
        self._buffer = io.BytesIO()
        # Values are written with their typed methods: no guessing of numbers, formulas or URLs.
        self._workbook = xlsxwriter.Workbook(
            self._buffer,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self._formats: dict = {}

    def format(self, style: dict, number_format: str | None = None, quote: bool = False):
        """The one shared cell format of this style (None: the default format)."""
        key = (tuple(sorted(style.items())) if style else (), number_format, quote)
        if key not in self._formats:
            properties = dict(style)
            if number_format:
                properties["num_format"] = number_format
            if quote:
                properties["quote_prefix"] = True
            self._formats[key] = self._workbook.add_format(properties) if properties else None
        return self._formats[key]

    def sheet(
        self, title: str, *, widths: Iterable[int] = (), freeze_header_row: int | None = None
    ) -> XlsxSheet:
        sheet = self._workbook.add_worksheet(_ILLEGAL.sub("", title)[:31] or "자료")
        if freeze_header_row:
            sheet.freeze_panes(freeze_header_row, 0)
        return XlsxSheet(self, sheet, widths)

    def to_bytes(self) -> bytes:
        self._workbook.close()
        return self._buffer.getvalue()

    def response(self, filename: str):
        return download_response(self.to_bytes(), filename)


class _Echo:
    def write(self, value):
        return value


def csv_rows(header: list[str], rows: Iterable[list]) -> Iterable[str]:
    """The CSV text row by row, BOM first, every cell injection-safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([csv_text(label) for label in header])
    for row in rows:
        yield writer.writerow([csv_text(value) for value in row])


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with BOM), named like download_response names files."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_rows(header, rows)), content_type="text/csv; charset=utf-8"
    )
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    if not filename.isascii():
        disposition = disposition.replace("attachment;", 'attachment; filename="download.csv";', 1)
    response["Content-Disposition"] = disposition
    return response

"""The one Excel/CSV writer every export uses; each export keeps only its layout.

    book = XlsxBook()
    sheet = book.sheet("수료자", widths=[6, 20, 12])      # widths before the first row
    sheet.title("2018년 창업 아카데미 수료자 명단")          # bold, larger
    sheet.header(["연번", "성명", "생년월일"])                # fill, bold, centred, bordered
    for row in rows:
        sheet.row([n, name, birth_date])                     # 원 → #,##0; Decimal → 0.00; dates
    sheet.row(["합계", None, total], bold=True)
    return book.response("2018_수료자.xlsx")               # Korean name via download_response

openpyxl's write-only mode streams rows to a temporary file: memory stays constant however many
rows (20,000 in a couple of seconds). `csv_response(filename, header, rows)` streams a CSV with a
UTF-8 BOM (Excel reads Hangul then) row by row.

Text is always written as text (OWASP CSV injection): a value starting with =, +, -, @, tab or
CR is stored as a string cell with Excel's quote prefix in xlsx (it can never become a formula,
not even after editing the cell), and prefixed with ' in CSV.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .documents import download_response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters an xlsx can't hold (openpyxl refuses them): dropped rather than failing an export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")

WON = "#,##0"
DECIMAL = "0.00"
PERCENT = '0.0"%"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
FLAG_FONT = Font(color="B3261E", bold=True)
THIN = Side(style="thin", color="B8C0CC")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


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
    """Values openpyxl can't write as they are: aware datetimes (local time), tz-less otherwise."""
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
    """A cell whose text could start a formula stays text: never evaluated, and Excel keeps it
    text when the cell is edited (quote prefix)."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def set_cell(
    cell, value, *, number_format: str | None = None, font=None, fill=None, border=None, alignment=None
):
    """Write `value` into a cell (write-only or normal) safely, with its number format."""
    value = _plain(value)
    cell.value = value
    keep_as_text(cell)
    fmt = number_format or number_format_for(value)
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    return cell


class XlsxSheet:
    """One sheet of an XlsxBook, written top to bottom."""

    def __init__(self, book: "XlsxBook", sheet, widths: Iterable[int] = ()):
        self._book = book
        self._sheet = sheet
        self.rows_written = 0
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def _cell(self, value, number_format: str | None = None, **style):
        value = _plain(value)
        # Plain text and None need no cell object: the fast path for most of a big export's cells.
        if number_format or style or is_formula_like(value) or number_format_for(value):
            return set_cell(WriteOnlyCell(self._sheet), value, number_format=number_format, **style)
        return value

    def append(self, cells: list) -> None:
        self._sheet.append(cells)
        self.rows_written += 1

    def title(self, text: str) -> None:
        self.append([self._cell(text, font=TITLE_FONT)])

    def note(self, text: str, *, flag: bool = False) -> None:
        self.append([self._cell(text, font=FLAG_FONT if flag else None)])

    def blank(self) -> None:
        self.append([])

    def header(self, labels: list[str]) -> None:
        self.append(
            [
                self._cell(label, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=CENTRED)
                for label in labels
            ]
        )

    def row(
        self,
        values: list,
        *,
        bold: bool = False,
        border: bool = False,
        formats: dict[int, str] | None = None,
    ) -> None:
        """One row; `formats` maps a 0-based column to a number format (e.g. PERCENT)."""
        formats = formats or {}
        style = {}
        if bold:
            style["font"] = BOLD
        if border:
            style["border"] = BORDER
        self.append([self._cell(v, number_format=formats.get(i), **style) for i, v in enumerate(values)])


class XlsxBook:
    """A write-only (streaming, constant-memory) workbook of XlsxSheets."""

    def __init__(self):
        self._workbook = Workbook(write_only=True)

    def sheet(
        self, title: str, *, widths: Iterable[int] = (), freeze_header_row: int | None = None
    ) -> XlsxSheet:
        sheet = self._workbook.create_sheet(title=_ILLEGAL.sub("", title)[:31] or "자료")
        if freeze_header_row:
            sheet.freeze_panes = f"A{freeze_header_row + 1}"
        return XlsxSheet(self, sheet, widths)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()

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

"""Reading an uploaded spreadsheet, running a resource over it all-or-nothing, and writing xlsx.

`run_import(resource_class, data, filename, user=..., dry_run=...)` is what the pages and the
`import_data` command call. It never raises for bad input: every problem (the file, a header, a
cell) comes back in the report as (row, column, Korean message), and then nothing is written.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import DatabaseError, transaction
from import_export.results import RowResult

from ..exports import XlsxBook
from ..uploads import size_text
from . import parsing
from .base import KoreanResource, required_columns

HEADER_SEARCH_ROWS = 20
# Excel's own maximum: a sheet that claims more rows (or a row number past it) is not a real sheet.
EXCEL_MAX_ROWS = 1_048_576

STATUS_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "신규",
    RowResult.IMPORT_TYPE_UPDATE: "변경",
    RowResult.IMPORT_TYPE_SKIP: "변경 없음",
    RowResult.IMPORT_TYPE_INVALID: "오류",
    RowResult.IMPORT_TYPE_ERROR: "오류",
}


class ImportFileError(Exception):
    """The upload can't be read as a spreadsheet; the message is Korean."""


@dataclass
class CellError:
    row: int | None  # the spreadsheet row (1 = the first line); None for the whole file
    column: str  # the Korean header; "" for the whole row or file
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(f"{self.row}행")
        if self.column:
            where.append(f"[{self.column}]")
        return f"{' '.join(where)}: {self.message}" if where else self.message


@dataclass
class PreviewRow:
    number: int
    status: str
    values: list[str]
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class ImportReport:
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "update": 0, "skip": 0})
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        c = self.counts
        return f"신규 {c['new']}건, 변경 {c['update']}건, 변경 없음 {c['skip']}건"


# ---- limits -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportLimits:
    """How big a file `run_import` reads, checked before (and while) parsing, never after.

    A small xlsx can unpack to gigabytes: the zip's declared member sizes are checked before
    openpyxl opens it (zipfile never unpacks more than a member declares), and rows are counted
    while they stream in, stopping at the limit.
    """

    file_bytes: int  # the upload itself
    unpacked_bytes: int  # an xlsx's members once unzipped
    rows: int | None  # data rows; None: as many as Excel allows

    @property
    def read_rows(self) -> int:
        """Non-empty lines read before giving up: the data rows, plus a header and title lines."""
        if self.rows is None:
            return EXCEL_MAX_ROWS
        return min(self.rows + HEADER_SEARCH_ROWS, EXCEL_MAX_ROWS)

    def too_many_rows(self, count: int, *, more: bool = False) -> str:
        counted = f"{count:,}행이 넘습니다" if more else f"{count:,}행"
        where = f"화면에서는 한 번에 {self.rows:,}행까지" if self.rows is not None else "최대"
        return (
            f"행이 너무 많습니다: {counted} ({where}). 파일을 나누어 올리거나 "
            "python manage.py import_data 명령으로 가져오세요."
        )


def web_limits(rows: int | None = None) -> ImportLimits:
    """The import pages' limits: a request must finish well within the server's timeout."""
    return ImportLimits(
        file_bytes=settings.MAX_UPLOAD_BYTES, unpacked_bytes=settings.MAX_IMPORT_UNPACKED_BYTES, rows=rows
    )


# manage.py import_data runs on the server without a request timeout: bigger, but still bounded.
COMMAND_LIMITS = ImportLimits(file_bytes=200 * 1024 * 1024, unpacked_bytes=2 * 1024**3, rows=None)


# ---- reading files ------------------------------------------------------------------------------
@dataclass
class Table:
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells); empty lines left out


def _is_blank(cells) -> bool:
    return all(parsing.is_empty(cell) for cell in cells)


def _collect(numbered_rows, limits: ImportLimits) -> list[tuple[int, list]]:
    """The non-empty rows, stopping (with a Korean refusal) as soon as there are too many."""
    rows = []
    cap = limits.read_rows
    for number, cells in numbered_rows:
        if number > EXCEL_MAX_ROWS:
            raise ImportFileError(limits.too_many_rows(EXCEL_MAX_ROWS, more=True))
        if _is_blank(cells):
            continue
        if len(rows) >= cap:
            raise ImportFileError(limits.too_many_rows(cap, more=True))
        rows.append((number, list(cells)))
    return rows


def read_table(data: bytes, filename: str, limits: ImportLimits | None = None) -> Table:
    """The rows of an xlsx (first sheet) or CSV (UTF-8 with or without BOM, or CP949/EUC-KR)."""
    limits = limits or web_limits()
    name = (filename or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if not data:
        raise ImportFileError("빈 파일입니다.")
    if extension not in ("xlsx", "xlsm", "csv"):
        raise ImportFileError(f"엑셀(.xlsx) 또는 CSV(.csv) 파일만 가져올 수 있습니다: '{filename}'")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError(
            "예전 엑셀 형식(.xls)은 읽을 수 없습니다. 엑셀에서 'Excel 통합 문서(*.xlsx)'로 다시 저장해 올려 주세요."
        )
    if data[:4] == b"%PDF":
        raise ImportFileError("PDF 파일은 가져올 수 없습니다. 엑셀(.xlsx) 또는 CSV 파일을 올려 주세요.")
    if data[:2] == b"PK":
        return _read_xlsx(data, limits)
    if extension in ("xlsx", "xlsm"):
        raise ImportFileError("엑셀(.xlsx) 파일이 아닙니다: 파일이 손상되었거나 다른 형식의 파일입니다.")
    return _read_csv(data, limits)


def _check_unpacked_size(data: bytes, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise ImportFileError(
            "엑셀(.xlsx) 파일을 열 수 없습니다: 파일이 손상되었거나 다른 형식의 파일입니다."
        ) from error
    if unpacked > limit:
        raise ImportFileError(
            f"엑셀 파일의 압축을 풀면 너무 큽니다: {size_text(unpacked)} (최대 {size_text(limit)}). "
            "파일을 나누어 올리거나 python manage.py import_data 명령으로 가져오세요."
        )


def _read_xlsx(data: bytes, limits: ImportLimits) -> Table:
    import openpyxl
    from openpyxl.utils.escape import unescape

    _check_unpacked_size(data, limits.unpacked_bytes)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise ImportFileError(
            "엑셀(.xlsx) 파일을 열 수 없습니다: 파일이 손상되었거나 다른 형식의 파일입니다."
        ) from error
    except Exception as error:  # openpyxl raises assorted errors on malformed workbooks
        raise ImportFileError("엑셀(.xlsx) 파일을 열 수 없습니다: 파일이 손상되었습니다.") from error
    try:
        sheet = workbook.worksheets[0]
        # The sheet's <dimension> may claim a million rows it doesn't hold; openpyxl would pad to it.
        sheet.reset_dimensions()
        # Text as typed: xlsx stores a control character as _x000D_ and a typed "_x000D_" as
        # _x005F_x000D_ (Excel and our exports do), which openpyxl hands over as they are.
        cells = (
            [unescape(v) if isinstance(v, str) and "_x" in v else v for v in row]
            for row in sheet.iter_rows(values_only=True)
        )
        rows = _collect(enumerate(cells, 1), limits)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError("엑셀(.xlsx) 파일의 시트를 읽을 수 없습니다: 파일이 손상되었습니다.") from error
    finally:
        workbook.close()
    return Table(rows)


def _read_csv(data: bytes, limits: ImportLimits) -> Table:
    if b"\x00" in data[:4096]:
        raise ImportFileError("CSV 파일이 아닙니다: 글자가 아닌 데이터가 들어 있습니다.")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            "CSV 파일의 글자 인코딩을 읽을 수 없습니다: UTF-8 또는 CP949(EUC-KR)로 저장해 주세요."
        )
    # The header line decides: Excel writes commas (or tabs for "텍스트(탭으로 분리)"); csv.Sniffer
    # guesses wrong on Korean text with quoted commas such as "의류,잡화".
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    if delimiter == "," and "," not in first_line and ";" in first_line:
        delimiter = ";"
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return Table(_collect(enumerate(reader, 1), limits))
    except csv.Error as error:
        raise ImportFileError(f"CSV 파일을 읽을 수 없습니다: {error}") from error


# ---- headers ------------------------------------------------------------------------------------
def _norm(header) -> str:
    text = unicodedata.normalize("NFC", parsing.cell_text(header))
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\(필수\)$|\*$", "", text)
    return text


def build_dataset(
    resource: KoreanResource, table: Table
) -> tuple[tablib.Dataset, list[int], list[CellError]]:
    """Find the header row, map headers to columns, drop empty rows; errors for bad headers."""
    columns = [f.column_name for f in resource.get_import_fields()]
    lookup = {_norm(name): name for name in columns}
    lookup.update({_norm(alias): name for alias, name in resource.aliases.items()})
    ignored = {_norm(name) for name in resource.ignored_columns}
    required = required_columns(resource)

    header_index = None
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        known = sum(1 for cell in cells if _norm(cell) in lookup)
        if known >= min(2, len(columns)):
            header_index = index
            break
    if header_index is None:
        return (
            tablib.Dataset(),
            [],
            [
                CellError(
                    1,
                    "",
                    "머리글(열 이름) 줄을 찾지 못했습니다. 빈 양식을 내려받아 머리글을 확인하세요: "
                    + ", ".join(columns),
                )
            ],
        )
    header_row, header_cells = table.rows[header_index]
    errors: list[CellError] = []
    positions: dict[str, int] = {}
    for position, cell in enumerate(header_cells):
        key = _norm(cell)
        if not key or key in ignored:
            continue
        name = lookup.get(key)
        if name is None:
            errors.append(
                CellError(
                    header_row,
                    parsing.cell_text(cell),
                    f"알 수 없는 열입니다. 쓸 수 있는 열: {', '.join(columns)}",
                )
            )
        elif name in positions:
            errors.append(CellError(header_row, name, "같은 열이 두 번 있습니다."))
        else:
            positions[name] = position
    for name in required:
        if name not in positions:
            errors.append(CellError(header_row, name, "필수 열이 없습니다. 머리글에 이 열을 추가하세요."))
    headers = list(positions)
    dataset = tablib.Dataset(headers=headers)
    sheet_rows = []
    for number, cells in table.rows[header_index + 1 :]:
        values = [cells[positions[name]] if positions[name] < len(cells) else None for name in headers]
        if all(parsing.is_empty(value) for value in values):
            continue
        # Strings are trimmed (and NFC-normalized: macOS writes decomposed Hangul) here once;
        # numbers and dates stay typed for the widgets.
        dataset.append(
            [
                unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value
                for value in values
            ]
        )
        sheet_rows.append(number)
    if not errors and not len(dataset):
        errors.append(CellError(None, "", "가져올 행이 없습니다: 머리글 아래에 자료를 입력하세요."))
    return dataset, sheet_rows, errors


# ---- running ------------------------------------------------------------------------------------
def run_import(
    resource_class,
    data: bytes,
    filename: str,
    *,
    user=None,
    dry_run: bool = True,
    max_rows: int | None = None,
    limits: ImportLimits | None = None,
) -> ImportReport:
    """Check (dry_run) or write a whole file; anything wrong → every error listed, nothing written.

    `limits` bounds the file (default: the web pages' `web_limits(max_rows)`; the import_data
    command passes its higher `COMMAND_LIMITS`).
    """
    limits = limits or web_limits(max_rows)
    resource = resource_class(user=user)
    report = ImportReport(title=resource.title, dry_run=dry_run)
    report.columns = [f.column_name for f in resource.get_import_fields()]
    if len(data) > limits.file_bytes:
        report.errors.append(
            CellError(
                None,
                "",
                f"파일이 너무 큽니다: {size_text(len(data))} (최대 {size_text(limits.file_bytes)}).",
            )
        )
        return report
    try:
        table = read_table(data, filename, limits)
    except ImportFileError as error:
        report.errors.append(CellError(None, "", str(error)))
        return report
    dataset, sheet_rows, header_errors = build_dataset(resource, table)
    if header_errors:
        report.errors.extend(header_errors)
        return report
    report.columns = list(dataset.headers)
    if limits.rows is not None and len(dataset) > limits.rows:
        report.errors.append(CellError(None, "", limits.too_many_rows(len(dataset))))
        return report
    resource.sheet_rows = sheet_rows

    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                user=user,
            )
            _fill_report(report, resource, result, dataset, sheet_rows)
            if dry_run or report.errors:
                transaction.set_rollback(True)
    except DatabaseError as error:
        report.errors.append(CellError(None, "", f"저장하지 못했습니다 (데이터베이스 오류): {error}"))
    report.written = not dry_run and not report.errors
    return report


def _fill_report(report: ImportReport, resource: KoreanResource, result, dataset, sheet_rows) -> None:
    for error in result.base_errors:
        report.errors.append(CellError(None, "", _error_text(error.error)))
    by_number: dict[int, list[CellError]] = {}
    for invalid in result.invalid_rows:
        row = sheet_rows[invalid.number - 1]
        for key, messages in invalid.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else resource.column_for(key)
            for message in messages:
                by_number.setdefault(invalid.number, []).append(CellError(row, column, str(message)))
    for error_row in result.error_rows:
        row = sheet_rows[error_row.number - 1]
        for error in error_row.errors:
            by_number.setdefault(error_row.number, []).append(CellError(row, "", _error_text(error.error)))
    for number, (values, row_result) in enumerate(zip(dataset, result.rows, strict=False), start=1):
        status = row_result.import_type
        if status in report.counts:
            report.counts[status] += 1
        report.rows.append(
            PreviewRow(
                number=sheet_rows[number - 1],
                status=status,
                values=[parsing.cell_text(v) for v in values],
                changes=resource.changes.get(number, []),
                errors=by_number.get(number, []),
            )
        )
    for number in sorted(by_number):
        report.errors.extend(by_number[number])


def _error_text(error: Exception) -> str:
    if isinstance(error, DatabaseError):
        return f"저장하지 못했습니다 (데이터베이스 제약 조건): {error}"
    return f"처리하지 못했습니다: {error}"


# ---- writing xlsx -------------------------------------------------------------------------------
def _sheet(book: XlsxBook, resource: KoreanResource, title: str):
    headers = [f.column_name for f in resource.get_export_fields()]
    sheet = book.sheet(title, widths=[max(12, len(name) * 2 + 4) for name in headers], freeze_header_row=1)
    sheet.header(headers)
    return sheet


def export_xlsx(resource: KoreanResource, queryset) -> bytes:
    """The rows with the import headers: the file imports back unchanged.

    Streams: rows are read in chunks and written by the core writer (constant memory).
    """
    book = XlsxBook()
    sheet = _sheet(book, resource, resource.title or "자료")
    resource.before_export(queryset)
    queryset = resource.filter_export(queryset)
    for cells in resource.export_rows(queryset):
        sheet.row(cells)
    return book.to_bytes()


def template_xlsx(resource: KoreanResource) -> bytes:
    """An empty form: the headers, and a second sheet explaining each column."""
    book = XlsxBook()
    _sheet(book, resource, resource.title or "양식")
    guide = book.sheet("작성 안내", widths=(18, 8, 80))
    guide.header(["열", "필수", "설명"])
    for column in resource.get_import_fields():
        guide.row([column.column_name, "필수" if column.required else "", getattr(column, "help", "")])
    guide.blank()
    guide.row(["", "", "금액: 1,750,000 / 1750000 / 175만원 모두 같은 값입니다."])
    guide.row(["", "", "날짜: 2018-02-01, 2018.2.1, 2018/2/1 또는 엑셀 날짜 칸."])
    guide.row(
        ["", "", "같은 파일을 다시 가져와도 바뀌는 것은 없습니다 (사업자등록번호 등으로 같은 행을 찾습니다)."]
    )
    return book.to_bytes()

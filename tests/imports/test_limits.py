"""Bounded imports: a zip bomb, too many rows or an oversize file is refused in Korean, quickly,
before it is parsed or spooled to disk, and nothing is written."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from guro_sme.models import Firm

from .conftest import CONSENT, FIRM_HEADERS, csv_bytes, number

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_with_sheet(rows_xml, *, dimension: str = "") -> bytes:
    """A real workbook (FIRM_HEADERS in row 1) whose first sheet's XML is streamed from `rows_xml`
    (an iterable of bytes), so a huge sheet is written without holding it in memory."""
    workbook = openpyxl.Workbook()
    workbook.active.append(FIRM_HEADERS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item, source.read(item))
                continue
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(f'<worksheet xmlns="{MAIN_NS}">'.encode())
                if dimension:
                    sheet.write(f'<dimension ref="{dimension}"/>'.encode())
                sheet.write(b"<sheetData>")
                header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in FIRM_HEADERS)
                sheet.write(f'<row r="1">{header}</row>'.encode())
                for chunk in rows_xml:
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def firm_row_xml(count: int, start: int = 2):
    """`count` firm rows (a business number and a name), in chunks of a thousand."""
    for first in range(start, start + count, 1000):
        yield "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{number(n % 90000)}</t></is></c>'
            f'<c r="B{n}" t="inlineStr"><is><t>회사{n}</t></is></c></row>'
            for n in range(first, min(first + 1000, start + count))
        ).encode()


def upload(client, data, name):
    return client.post(reverse("imports:upload", args=["firms"]), {"file": SimpleUploadedFile(name, data)})


def assert_nothing_written(settings):
    assert Firm.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [path for path in media.rglob("*") if path.is_file()]


@pytest.fixture
def spooled(monkeypatch):
    """The bytes each upload spooled to a temporary file on disk (Django's temp-file handler)."""
    written = []

    class Recording(uploadhandler.TemporaryUploadedFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            written.append(0)

        def write(self, data):
            written[-1] += len(data)
            return super().write(data)

    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", Recording)
    return written


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings, staff_client):
    # ~60 KB on the wire, 64 MB of sheet once unzipped (three times the pages' 20 MB).
    row = f'<row><c t="inlineStr"><is><t>{number(1)}</t></is></c></row>'.encode()
    chunk = row * (1024 * 1024 // len(row))
    data = xlsx_with_sheet(chunk for _ in range(64))
    assert len(data) < 1024 * 1024
    response = upload(staff_client, data, "bomb.xlsx")
    body = response.content.decode()
    assert response.status_code == 200
    assert "엑셀 파일의 압축을 풀면 너무 큽니다" in body
    assert "(최대 20MB)" in body
    assert "import_data" in body
    assert response.context["token"] is None
    assert_nothing_written(settings)


def test_a_sheet_with_too_many_rows_is_refused_while_it_is_read(settings, staff_client):
    # 60,000 rows: well under the unpacked limit, twelve times the pages' 5,000 rows.
    data = xlsx_with_sheet(firm_row_xml(60_000), dimension="A1:J60001")
    body = upload(staff_client, data, "many.xlsx").content.decode()
    # Reading stops at the limit: the page never counts (or parses) the whole sheet.
    assert "행이 너무 많습니다: 5,020행이 넘습니다 (화면에서는 한 번에 5,000행까지)" in body
    assert_nothing_written(settings)


def test_a_sheet_claiming_a_row_past_excels_last_is_refused(settings, staff_client):
    far = 1_048_577
    data = xlsx_with_sheet([f'<row r="{far}"><c r="A{far}"><v>1</v></c></row>'.encode()])
    body = upload(staff_client, data, "far.xlsx").content.decode()
    assert "행이 너무 많습니다: 1,048,576행이 넘습니다" in body
    assert_nothing_written(settings)


def test_a_csv_with_too_many_rows_is_refused_while_it_is_read(settings, staff_client):
    rows = [FIRM_HEADERS[:2]] + [[number(n), f"회사{n}"] for n in range(1, 20_001)]
    body = upload(staff_client, csv_bytes(rows), "many.csv").content.decode()
    assert "행이 너무 많습니다: 5,020행이 넘습니다 (화면에서는 한 번에 5,000행까지)" in body
    assert_nothing_written(settings)


def test_an_oversize_csv_is_refused_before_it_reaches_disk(settings, staff_client, spooled):
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000  # anything bigger would be spooled to disk
    rows = [FIRM_HEADERS[:2]] + [[number(n), f"회사{n}"] for n in range(1, 60_001)]
    data = csv_bytes(rows)
    assert len(data) > 100_000 + 1024 * 1024  # its Content-Length alone says it is too big
    body = upload(staff_client, data, "big.csv").content.decode()
    assert "파일이 너무 큽니다" in body
    assert "(최대 100,000바이트)" in body
    assert spooled == []  # not one byte on disk
    assert_nothing_written(settings)


def test_an_upload_is_stopped_at_the_limit_while_it_streams_in(settings, staff_client, spooled):
    # Its Content-Length is within the slack for form fields: the handler counts the bytes.
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    rows = [FIRM_HEADERS[:2]] + [[number(n), f"회사{n}"] for n in range(1, 12_001)]
    data = csv_bytes(rows)
    assert 100_000 * 2 < len(data) < 100_000 + 1024 * 1024
    body = upload(staff_client, data, "big.csv").content.decode()
    assert "파일이 너무 큽니다 (최대 100,000바이트)" in body
    assert all(size <= 100_000 for size in spooled)
    assert_nothing_written(settings)


def test_a_request_claiming_a_huge_body_is_refused_without_reading_it(settings, staff_client):
    from django.test.client import BOUNDARY, encode_multipart

    payload = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("big.csv", b"a,b\n" * 50_000)})
    # The test client refuses to read past the real body: reading it all would fail the test.
    response = staff_client.post(
        reverse("imports:upload", args=["firms"]),
        payload,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(5 * 1024**3),
    )
    assert response.status_code == 200
    assert "파일이 너무 큽니다: 5GB (최대 10MB)." in response.content.decode()
    assert_nothing_written(settings)


def test_the_import_command_keeps_higher_limits(tmp_path, settings):
    settings.MAX_UPLOAD_BYTES = 1000  # the pages' limit does not bind the command
    rows = [[*FIRM_HEADERS[:5], CONSENT]]
    rows += [[number(n), f"회사{n}", "대표", "", "중소기업", "2018-01-15"] for n in range(1, 101)]
    path = tmp_path / "firms.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    call_command("import_data", "firms", str(path), stdout=out)
    assert "신규 100건" in out.getvalue()


def test_the_import_command_refuses_a_zip_bomb_past_its_own_limit(tmp_path, monkeypatch):
    from guro_sme.imports import engine
    from guro_sme.management.commands import import_data

    monkeypatch.setattr(import_data, "COMMAND_LIMITS", engine.ImportLimits(10**6, 1024 * 1024, None))
    row = b"<row><c><v>1</v></c></row>"
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(xlsx_with_sheet([row * 100_000]))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "firms", str(path), "--dry-run", stderr=errors)
    assert "엑셀 파일의 압축을 풀면 너무 큽니다: 2.5MB (최대 1MB)" in errors.getvalue()


def test_both_upload_views_declare_their_limit_for_the_streaming_handler():
    from django.urls import resolve

    for url in [reverse("imports:upload", args=["firms"]), reverse("loans:document_upload", args=[1])]:
        assert resolve(url).func.upload_limit_setting == "MAX_UPLOAD_BYTES", url

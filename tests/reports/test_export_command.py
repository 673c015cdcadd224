"""`python manage.py export_report --year 2018 --format pdf --output report.pdf`."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .pdftools import pdf_fonts, pdf_text


def test_the_command_writes_the_pdf(plan, figures, tmp_path):
    output = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("export_report", "--year", "2018", "--format", "pdf", "--output", str(output), stdout=out)
    assert "2018년 보고서를 저장했습니다" in out.getvalue()
    data = output.read_bytes()
    text = pdf_text(data)
    assert "26,670" in text and "26,460" in text
    assert "NanumGothic" in pdf_fonts(data)


def test_the_command_writes_html_and_excel(plan, figures, tmp_path):
    call_command(
        "export_report", year="2019", format="html", output=str(tmp_path / "r.html"), stdout=io.StringIO()
    )
    html = (tmp_path / "r.html").read_text()
    assert "2019년 추진실적 보고서" in html and "26,670" in html
    call_command(
        "export_report", year="2018", format="xlsx", output=str(tmp_path / "r.xlsx"), stdout=io.StringIO()
    )
    book = load_workbook(tmp_path / "r.xlsx")
    assert book["연도별 투자계획"]["C6"].value == 26670


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1999"], "2016년부터 2022년까지"),
        (["--year", "이천십팔"], "연도가 아닙니다"),
        (["--year", "2018", "--format", "docx"], "'docx' 형식은 지원하지 않습니다"),
    ],
)
def test_a_bad_year_or_format_stops_with_a_korean_message(plan, figures, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_report", *args, "--output", str(tmp_path / "x"), stdout=io.StringIO())
    assert not (tmp_path / "x").exists()


def test_the_command_exits_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "export_report", "--year", "2018", "--format", "doc"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "형식은 지원하지 않습니다" in result.stderr

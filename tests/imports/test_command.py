"""`manage.py import_data`: the same checks from the shell, non-zero exit and nothing written on errors."""

import pytest
from django.core.management import CommandError, call_command

from guro_sme.models import Firm

from .conftest import bad_number, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_the_command_imports_and_prints_the_counts(tmp_path, firm_rows, capsys):
    path = tmp_path / "firms.xlsx"
    path.write_bytes(xlsx_bytes(firm_rows))
    call_command("import_data", "firms", str(path))
    assert "신규 3건, 변경 0건, 변경 없음 0건" in capsys.readouterr().out
    assert Firm.objects.count() == 3
    call_command("import_data", "firms", str(path))
    assert "신규 0건, 변경 0건, 변경 없음 3건" in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path, firm_rows, capsys):
    path = tmp_path / "firms.csv"
    path.write_bytes(csv_bytes(firm_rows, "cp949"))
    call_command("import_data", "firms", str(path), "--dry-run")
    assert "검사 완료 (저장하지 않음)" in capsys.readouterr().out
    assert Firm.objects.count() == 0


def test_bad_rows_are_printed_and_the_command_fails_writing_nothing(tmp_path, firm_rows, capsys):
    firm_rows[2][0] = bad_number(2)
    firm_rows[3][7] = "내일"
    path = tmp_path / "firms.xlsx"
    path.write_bytes(xlsx_bytes(firm_rows))
    with pytest.raises(CommandError, match="오류 2건: 아무것도 저장하지 않았습니다"):
        call_command("import_data", "firms", str(path))
    err = capsys.readouterr().err
    assert "3행 [사업자등록번호]: 사업자등록번호가 올바르지 않습니다" in err
    assert "4행 [설립일]: 날짜를 읽을 수 없습니다" in err
    assert Firm.objects.count() == 0


def test_an_unknown_resource_or_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="없는 가져오기 종류입니다"):
        call_command("import_data", "nothing", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="파일이 없습니다"):
        call_command("import_data", "firms", str(tmp_path / "x.xlsx"))


def test_the_command_exits_non_zero(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"garbage")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_data", "firms", str(path)],
        capture_output=True,
        text=True,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode != 0
    assert "엑셀(.xlsx) 파일이 아닙니다" in result.stderr

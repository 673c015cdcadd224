"""Benchmark: import 10,000 generated firm rows (valid check digits) into a throw-away database,
then time the firm list pages and the Excel export over them.

Run with `make bench`. Prints the seconds for reading + checking (dry run) and for the real import,
then for re-importing the same file (everything "변경 없음"), then each list page's time and query
count. Uses a temporary SQLite file unless BENCH_DATABASE_URL is set (e.g. a PostgreSQL database
you may drop). Targets: the import well under a minute; a list page under 0.5 s.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_xlsx(rows: int) -> bytes:
    import openpyxl

    from guro_sme.validators import with_check_digit

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("기업")
    sheet.append(
        [
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
            "개인정보 동의일자",
        ]
    )
    kinds = ["중소기업", "소상공인", "벤처기업"]
    for n in range(rows):
        digits = with_check_digit(f"{500 + n // 100000:03d}{n % 100000:06d}"[:9])
        sheet.append(
            [
                f"{digits[:3]}-{digits[3:5]}-{digits[5:]}",
                f"(주)벤치마크{n:05d}",
                "홍길동",
                f"서울특별시 구로구 디지털로 {n}",
                kinds[n % 3],
                "소프트웨어",
                n % 300,
                f"20{n % 20:02d}.{n % 12 + 1}.{n % 28 + 1}",
                "02-860-0000",
                f"bench{n}@example.com",
                "2026-01-02",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    tmp = tempfile.TemporaryDirectory(prefix="guro_bench_")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guro_sme.settings")
    os.environ["MEDIA_ROOT"] = tmp.name
    import django

    django.setup()
    from django.core.management import call_command

    from guro_sme.imports.engine import run_import
    from guro_sme.models import Firm
    from guro_sme.resources import FirmResource

    call_command("migrate", verbosity=0)
    data = build_xlsx(ROWS)
    print(
        f"{ROWS:,} firm rows, xlsx {len(data) / 1048576:.1f} MB, database {os.environ['DATABASE_URL'].split(':')[0]}"
    )

    def timed(label, dry_run):
        start, cpu = time.perf_counter(), time.process_time()
        report = run_import(FirmResource, data, "bench.xlsx", dry_run=dry_run)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert report.ok, report.errors[:5]
        # CPU time of this process too: on a busy machine the wall clock says more about the others.
        print(f"{label:<24} {seconds:6.1f} s wall {cpu:6.1f} s cpu   {report.summary()}")
        return seconds

    timed("dry run (check only)", True)
    timed("import", False)
    assert Firm.objects.count() == ROWS, Firm.objects.count()
    timed("re-import (no change)", False)
    time_pages(
        [
            "/firms/",
            "/firms/?q=벤치마크09999",
            "/firms/?sort=-name&page=300",
            "/firms/?firm_type=venture&in_district=true",
            "/imports/firms/export.xlsx",
        ]
    )
    tmp.cleanup()


def time_pages(urls: list[str]) -> None:
    """Each page as a manager sees it: wall time and the number of database queries."""
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manager = User.objects.create_user("bench-manager")
    manager.groups.add(Group.objects.get(name="관리자"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        print(
            f"GET {url:<44} {seconds:6.2f} s  {len(queries):3d} queries  {len(response.content) / 1024:7.0f} KB"
        )


if __name__ == "__main__":
    main()

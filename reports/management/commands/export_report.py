from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.exports import FORMATS, filename, report_render
from reports.services import ReportError, parse_report_year, year_report_build


class Command(BaseCommand):
    help = "연도별 추진실적 보고서를 파일로 만듭니다. 예: export_report --year 2018 --format pdf --output report.pdf"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="보고서 연도, 예: 2018")
        parser.add_argument("--format", default="pdf", help="pdf, html, xlsx 중 하나 (기본 pdf)")
        parser.add_argument("--output", help="저장할 파일 (기본: report_<관리번호>_<연도>.<형식>)")

    def handle(self, *args, year, format, output, **options):
        fmt = (format or "").lower()
        if fmt not in FORMATS:
            raise CommandError(f"'{format}' 형식은 지원하지 않습니다. pdf, html, xlsx 중 하나를 고르세요.")
        try:
            report = year_report_build(year=parse_report_year(year))
        except ReportError as error:
            raise CommandError(error.message) from None
        path = Path(output or filename(report, fmt))
        try:
            path.write_bytes(report_render(report, fmt))
        except OSError as error:
            raise CommandError(f"파일을 저장할 수 없습니다: {path} ({error.strerror})") from None
        self.stdout.write(self.style.SUCCESS(f"{report.year}년 보고서를 저장했습니다: {path}"))

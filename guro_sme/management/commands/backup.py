from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from guro_sme.backup import backup_write


class Command(BaseCommand):
    help = "데이터베이스 전체와 첨부 파일을 백업 파일(zip) 하나로 씁니다."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="백업 파일 경로 (기본: backups/guro-<일시>.zip)")

    def handle(self, *args, target=None, **options):
        path = Path(target or f"backups/guro-{timezone.localtime():%Y%m%d-%H%M%S}.zip")
        manifest = backup_write(target=path)
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(f"백업했습니다: {path} (행 {rows:,}개, 첨부 파일 {len(manifest['files'])}개)")
        )

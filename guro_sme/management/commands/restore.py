from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guro_sme.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "backup으로 만든 파일을 비어 있는 데이터베이스(migrate 직후)와 첨부 파일 폴더에 복원합니다."

    def add_arguments(self, parser):
        parser.add_argument("source", help="백업 파일 경로")

    def handle(self, *args, source, **options):
        try:
            manifest = backup_restore(source=Path(source))
        except BackupError as error:
            raise CommandError(error.message) from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(f"복원했습니다: 행 {rows:,}개, 첨부 파일 {len(manifest['files'])}개")
        )

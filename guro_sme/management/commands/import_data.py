"""`python manage.py import_data <resource> <file> [--dry-run]`: the import pages' checks, from the shell.

Prints every bad row and column in Korean and exits non-zero, writing nothing, when any row is bad;
otherwise prints the counts (new / updated / unchanged).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from guro_sme.imports import registry
from guro_sme.imports.engine import COMMAND_LIMITS, run_import
from guro_sme.korean import particle


class Command(BaseCommand):
    help = "엑셀(.xlsx)·CSV 파일을 가져옵니다. 한 행이라도 오류가 있으면 아무것도 저장하지 않습니다."

    def add_arguments(self, parser):
        keys = ", ".join(item.key for item in registry.IMPORT_TYPES)
        parser.add_argument("resource", help=f"가져올 자료 ({keys})")
        parser.add_argument("file", help="xlsx 또는 csv 파일 경로")
        parser.add_argument("--dry-run", action="store_true", help="검사만 하고 저장하지 않습니다")
        parser.add_argument("--user", help="변경 이력에 남길 사용자 이름")

    def handle(self, *args, resource, file, dry_run, user, **options):
        with translation.override("ko"):
            return self._run(resource, file, dry_run, user)

    def _run(self, key, file, dry_run, username):
        available = {item.key: item for item in registry.available_types()}
        if key not in available:
            raise CommandError(f"없는 가져오기 종류입니다: '{key}'. 가능한 값: {', '.join(available)}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"파일이 없습니다: {file}")
        acting_user = None
        if username:
            acting_user = get_user_model().objects.filter(username=username).first()
            if acting_user is None:
                raise CommandError(f"없는 사용자입니다: {username}")
        resource_class = available[key].resource_class()
        if resource_class.requires_user and acting_user is None:
            raise CommandError(
                f"'{resource_class.title}'{particle(resource_class.title, '은')} 담당자의 이름으로 처리합니다: --user <담당자 사용자 이름>을 지정하세요."
            )
        if path.stat().st_size > COMMAND_LIMITS.file_bytes:
            raise CommandError(
                f"파일이 너무 큽니다: {path.stat().st_size:,}바이트 (최대 {COMMAND_LIMITS.file_bytes:,}바이트)."
            )
        report = run_import(
            resource_class,
            path.read_bytes(),
            path.name,
            user=acting_user,
            dry_run=dry_run,
            limits=COMMAND_LIMITS,
        )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"오류 {len(report.errors)}건: 아무것도 저장하지 않았습니다.")
        prefix = "검사 완료 (저장하지 않음)" if dry_run else "가져오기 완료"
        self.stdout.write(f"{prefix}: {report.total}행 — {report.summary()}")

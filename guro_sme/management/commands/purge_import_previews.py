from django.core.management.base import BaseCommand

from guro_sme.imports.storage import MAX_AGE_SECONDS, purge_expired


class Command(BaseCommand):
    help = "확인하지 않은 엑셀 가져오기 미리보기 파일 중 1시간이 지난 것을 지웁니다 (cron으로 자주 실행)."

    def handle(self, *args, **options):
        removed = purge_expired()
        self.stdout.write(f"미리보기 파일 {removed}개를 지웠습니다 ({MAX_AGE_SECONDS // 60}분 경과).")

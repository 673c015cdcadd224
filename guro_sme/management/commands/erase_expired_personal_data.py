import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from guro_sme.privacy import ACCESS_LOG, KIND_LABELS, erase_expired, retention_years

COMMAND = "manage.py erase_expired_personal_data"


class Command(BaseCommand):
    help = (
        "보유기간이 지난 개인정보(참여자 성명·연락처·생년월일, 기업 대표자·연락처·주소)를 파기합니다. "
        "기본은 건수만 보여 주는 점검(dry run)이며, --commit 을 주어야 파기하고 파기 기록을 남깁니다. "
        "통계(건수, 구분, 성별, 금액)는 그대로 남습니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="실제로 파기합니다 (없으면 건수만 봅니다).")
        parser.add_argument("--user", help="파기 기록에 실행자로 남길 계정 (없으면 명령 이름).")
        parser.add_argument("--today", help="기준 날짜 YYYY-MM-DD (점검·시험용, 기본은 오늘).")

    def handle(self, *args, commit=False, user=None, today=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"'{user}' 계정이 없습니다.")
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today 는 YYYY-MM-DD 형식으로 입력하세요.") from None
        performed_by = f"{actor.username} ({COMMAND})" if actor else COMMAND
        results = erase_expired(today=today, commit=commit, actor=actor, performed_by=performed_by)
        verb = (
            "파기했습니다"
            if commit
            else "파기 대상입니다 (점검만 했고 아무것도 지우지 않았습니다. --commit 으로 파기)"
        )
        for kind, cutoff, ids in results:
            self.stdout.write(
                f"{KIND_LABELS[kind]}: {len(ids)}건 {verb} — 보유기간 {retention_years(kind)}년, "
                f"{cutoff:%Y-%m-%d} 이전 종료분"
            )
        self.stdout.write(
            f"{KIND_LABELS[ACCESS_LOG]}: 파기하지 않습니다 (최소 {retention_years(ACCESS_LOG)}년 보관)."
        )

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Core first (firms, users), then each app; reports last, as they draw on the others.
DEMO_MODULES = [
    "guro_sme",
    "loans",
    "loans.committee",
    "loans.aftercare",
    "marketing",
    "kotra",
    "programs",
    "reports",
]


class Command(BaseCommand):
    help = "시드 문서(구정 계획 III-2-1)로 만든 시연용 자료와 역할별 시연 사용자를 불러옵니다. 여러 번 실행해도 같습니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="DEBUG=0에서도 실행합니다 (시연 사용자는 알려진 비밀번호를 씁니다).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "운영 환경(DEBUG=0)에서는 시연 자료를 불러오지 않습니다. 꼭 필요하면 --allow-production을 붙이세요."
            )
        with transaction.atomic():
            for module in DEMO_MODULES:
                import_module(f"{module}.demo").load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("시연 자료를 불러왔습니다."))

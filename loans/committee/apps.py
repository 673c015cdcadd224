from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "loans.committee"
    label = "committee"
    verbose_name = "기금운용심의위원회"

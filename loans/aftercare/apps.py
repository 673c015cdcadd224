from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "loans.aftercare"
    label = "aftercare"
    verbose_name = "사후관리"

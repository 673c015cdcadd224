from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "guro_sme.jobs"
    label = "jobs"
    verbose_name = "백그라운드 작업"
    default_auto_field = "django.db.models.BigAutoField"

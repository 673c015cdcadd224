from django.apps import AppConfig


class KotraConfig(AppConfig):
    name = "kotra"
    verbose_name = "KOTRA 해외지사화 사업 지원"

from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = "소셜네트워크 활용 마케팅 지원"

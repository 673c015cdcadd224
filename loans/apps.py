from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "중소기업·소상공인 저리융자"

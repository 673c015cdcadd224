"""How the core asks the support apps about a firm or a user, without importing their models.

Each app in settings.SUPPORT_APPS has `<app>/selectors.py` with:
  firm_support(firm) -> list[SupportRecord]   every support the firm received (firm page)
  attention_items(user) -> list[AttentionItem] what needs the user's attention (home page)
and the yearly figures the reports use (see each app's selectors).
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings


@dataclass(frozen=True)
class SupportRecord:
    program: str  # e.g. "저리융자", "KOTRA 해외지사화"
    year: int
    title: str  # what was supported, e.g. "중소기업육성기금 2018년 상반기"
    amount_won: int | None = None
    status: str = ""
    url: str = ""


@dataclass(frozen=True)
class AttentionItem:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class YearlyFigure:
    """A count of firms and an amount in won for one year, computed from records."""

    firms: int = 0
    amount_won: int = 0


def _selectors(app_label: str):
    return import_module(f"{app_label}.selectors")


def support_for_firm(firm) -> list[SupportRecord]:
    records = []
    for app_label in settings.SUPPORT_APPS:
        records.extend(_selectors(app_label).firm_support(firm))
    return sorted(records, key=lambda r: (-r.year, r.program))


def attention_for_user(user) -> list[AttentionItem]:
    items = []
    for app_label in settings.SUPPORT_APPS:
        items.extend(_selectors(app_label).attention_items(user))
    return items

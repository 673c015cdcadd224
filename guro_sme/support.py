"""How the core asks the support apps about a firm or a user, without importing their models.

Each app in settings.SUPPORT_APPS has `<app>/selectors.py` with:
  firm_support(firm) -> list[SupportRecord]   every support the firm received (firm page)
  attention_items(user) -> list[AttentionItem] what needs the user's attention (home page)
and the yearly figures the reports use (see each app's selectors). Optionally also:
  firm_actions(firm, user) -> list[FirmAction]   next steps offered on the firm page (staff)
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
    #: Support still running (a loan being repaid): the firm's contacts are still needed.
    ongoing: bool = False


@dataclass(frozen=True)
class AttentionItem:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class FirmAction:
    """A next step for a firm on its page, e.g. 융자 신청 with the firm already chosen."""

    label: str
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


def actions_for_firm(firm, user) -> list[FirmAction]:
    """What the user can start for the firm, from every app that offers something (≤ 1 query each)."""
    actions = []
    for app_label in settings.SUPPORT_APPS:
        offer = getattr(_selectors(app_label), "firm_actions", None)
        if offer is not None:
            actions.extend(offer(firm, user))
    return actions


def same_representative_firms(firm):
    """The firm and every firm registered under the same representative's name (spaces ignored).

    The registry keeps the representative as a name only, so the name is what is compared; the
    firm page lists the firms, so staff can tell a namesake apart."""
    from django.db.models import Value
    from django.db.models.functions import Replace

    from .models import Firm

    if firm.contact_erased_at:
        # Erased contacts all read "(파기)": they name nobody, so they match no other firm.
        return Firm.objects.filter(pk=firm.pk)
    name = "".join(firm.representative.split())
    return (
        Firm.objects.annotate(rep=Replace("representative", Value(" "), Value("")))
        .filter(rep=name)
        .filter(contact_erased_at__isnull=True)
    )


def support_history(firm, *, years: int | None = None, today=None) -> list[dict]:
    """Support (loans incl. guarantee loans, KOTRA, marketing, programmes, 환수) of the firm and of
    the firms with the same representative, in one list, newest first; only the last `years` years
    when given. Each support app is asked once per firm of that representative (a handful)."""
    from django.utils import timezone

    first_year = (today or timezone.localdate()).year - years + 1 if years else 0
    rows = []
    for other in same_representative_firms(firm).order_by("name", "pk"):
        for record in support_for_firm(other):
            if record.year >= first_year:
                rows.append({"firm": other, "record": record, "same_firm": other.pk == firm.pk})
    return sorted(
        rows, key=lambda r: (-r["record"].year, not r["same_firm"], r["firm"].name, r["record"].program)
    )

"""The header search (통합 검색): one box, results grouped by kind.

The core searches its own firms and asks every app in settings.SEARCH_APPS through
`<app>/selectors.py`:

    search(query: SearchQuery, user, limit: int) -> SearchGroup | None

returning at most `limit` hits (None when the user may not see that kind), with `has_more` set
when there are more. Each app runs a fixed number of queries whatever the data, so the page does.
The core never imports the apps' models.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

MIN_LENGTH = 2
MAX_LENGTH = 50
# Digits that count as a number (business number, phone): fewer match too much to mean anything.
MIN_DIGITS = 4
LIMIT = 20


class SearchError(ValueError):
    """The query cannot be searched; `message` is the Korean sentence shown."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SearchQuery:
    text: str  # stripped, inner spaces kept
    digits: str  # only the digits when the query is a number ("123-45-67890" → "1234567890"), else ""


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchGroup:
    kind: str  # a stable key, e.g. "firms", "loans"
    label: str  # the group's Korean heading
    hits: list[SearchHit]
    has_more: bool = False
    # The list page filtered by the same query, when the kind has one ("더 보기").
    more_url: str = ""
    # Whose personal data the hits show (an access_log.Subject), and the ids shown: the view logs them.
    subject: str = ""
    record_ids: tuple[int, ...] = ()


def parse_query(raw: str | None) -> SearchQuery:
    text = " ".join((raw or "").split())
    if not text:
        raise SearchError("검색어를 입력하세요.")
    if len(text) < MIN_LENGTH:
        raise SearchError(f"검색어를 {MIN_LENGTH}자 이상 입력하세요.")
    if len(text) > MAX_LENGTH:
        raise SearchError(f"검색어는 {MAX_LENGTH}자까지 입력할 수 있습니다.")
    # A number typed with dashes, dots or spaces ("123-45-67890", "010 1234 5678") is its digits:
    # business numbers and phones are stored as digits only.
    stripped = text.replace("-", "").replace(".", "").replace(" ", "")
    digits = stripped if stripped.isdigit() and len(stripped) >= MIN_DIGITS else ""
    return SearchQuery(text=text, digits=digits)


def list_url(name: str, q: str) -> str:
    return f"{reverse(name)}?{urlencode({'q': q})}"


def take(rows, limit: int) -> tuple[list, bool]:
    """The first `limit` rows of a query asked for `limit + 1`, and whether there were more."""
    rows = list(rows[: limit + 1])
    return rows[:limit], len(rows) > limit


def firm_condition(query: SearchQuery, prefix: str = "") -> Q:
    """Firms by business number (digits: a prefix of the stored 10 digits, so the unique index
    serves it) or else by name or representative (substring). `prefix` reaches the firm through a
    relation, e.g. "firm__"."""
    if query.digits:
        return Q(**{f"{prefix}business_number__startswith": query.digits})
    return Q(**{f"{prefix}name__icontains": query.text}) | Q(
        **{f"{prefix}representative__icontains": query.text}
    )


def matching_firms(query: SearchQuery):
    """The firms a query finds, in the (name, id) index order: the header search and the firm
    field's suggestions."""
    from .models import Firm

    return Firm.objects.filter(firm_condition(query)).order_by("name", "pk")


def firm_group(query: SearchQuery, limit: int) -> SearchGroup:
    """Firms by name or representative (substring, read in the (name, id) index order and cut at
    `limit`), or by business number (its unique index; a prefix of it matches too)."""
    from .access_log import Subject

    firms, has_more = take(matching_firms(query), limit)
    hits = [
        SearchHit(
            title=firm.name,
            url=firm.get_absolute_url(),
            detail=f"{firm.business_number_display} · 대표자 {firm.representative}",
        )
        for firm in firms
    ]
    if query.digits:
        more = f"{reverse('firm_list')}?{urlencode({'business_number': query.digits})}"
    else:
        more = list_url("firm_list", query.text)
    return SearchGroup(
        "firms", "기업", hits, has_more, more, subject=Subject.FIRM, record_ids=tuple(f.pk for f in firms)
    )


def search_all(query: SearchQuery, user, limit: int = LIMIT) -> list[SearchGroup]:
    """Every kind's group the user may see, empty ones too ("없음" is an answer)."""
    groups = [firm_group(query, limit)]
    for app_label in settings.SEARCH_APPS:
        group = import_module(f"{app_label}.selectors").search(query, user, limit)
        if group is not None:
            groups.append(group)
    return groups

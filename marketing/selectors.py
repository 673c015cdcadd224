"""Reads of marketing that other apps use (firm page, home page, reports) and the year overview."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from guro_sme.roles import Role, has_role
from guro_sme.search import SearchGroup, SearchHit, SearchQuery, firm_condition, take
from guro_sme.support import AttentionItem, FirmAction, SupportRecord, YearlyFigure

from .models import BloggerEvent, MarketingProject, Selection

PROGRAM = "마케팅 지원"


def _subquery_value(queryset, expression):
    """One aggregate of a related table as a subquery, so two aggregates don't multiply rows."""
    return Coalesce(
        Subquery(queryset.values("project").annotate(value=expression).values("value")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def projects_with_figures():
    """Projects newest first with spent_won, firms and events annotated; one query."""
    selections = Selection.objects.filter(project=OuterRef("pk")).order_by()
    events = BloggerEvent.objects.filter(project=OuterRef("pk")).order_by()
    return MarketingProject.objects.annotate(
        spent_won=_subquery_value(selections, Sum("cost_won")),
        firm_count=_subquery_value(selections, Count("firm", distinct=True)),
        event_count=_subquery_value(events, Count("pk")),
    ).order_by("-year")


def firm_support(firm) -> list[SupportRecord]:
    """Every support this app gave the firm, newest first (shown on the firm page)."""
    selections = Selection.objects.filter(firm=firm).select_related("project").order_by("-project__year")
    return [
        SupportRecord(
            program=PROGRAM,
            year=s.project.year,
            title=f"{s.project.title}" + (f" · {s.product}" if s.product else ""),
            amount_won=s.cost_won,
            status="결과 입력" if s.has_results else "선정",
            url=s.get_absolute_url(),
        )
        for s in selections
    ]


def attention_items(user) -> list[AttentionItem]:
    """For staff: this year's selected firms whose promotion results are not entered yet (one query)."""
    if not has_role(user, Role.STAFF):
        return []
    year = timezone.localdate().year
    missing = Selection.objects.filter(project__year=year, posts_count=0, reach=0, link_url="").count()
    if not missing:
        return []
    return [
        AttentionItem(
            label=f"마케팅 지원 {year}년 홍보실적 미입력",
            count=missing,
            url=reverse("marketing:project_detail", args=[year]),
        )
    ]


def marketing_support_by_year(year: int) -> YearlyFigure:
    """Firms supported (distinct) and total cost in won in `year`, computed from the selections."""
    figures = Selection.objects.filter(project__year=year).aggregate(
        firms=Count("firm", distinct=True), amount=Sum("cost_won")
    )
    return YearlyFigure(firms=figures["firms"] or 0, amount_won=figures["amount"] or 0)


def search(query: SearchQuery, user, limit: int) -> SearchGroup | None:
    """The header search's 마케팅 지원 group: selections whose firm matches (one query)."""
    if not has_role(user, Role.STAFF, Role.MANAGER):
        return None
    selections, has_more = take(
        Selection.objects.filter(firm_condition(query, "firm__"))
        .select_related("project", "firm")
        .order_by("-project__year", "firm__name", "pk"),
        limit,
    )
    hits = [
        SearchHit(
            title=f"{s.project.year}년 {s.firm.name}",
            url=s.get_absolute_url(),
            detail=s.project.title + (f" · {s.product}" if s.product else ""),
        )
        for s in selections
    ]
    return SearchGroup("marketing", PROGRAM, hits, has_more)


def firm_actions(firm, user) -> list[FirmAction]:
    """On the firm page, for staff: register the firm in this year's project (else the newest
    one), the firm chosen. One query; nothing when there is no project yet."""
    if not has_role(user, Role.STAFF):
        return []
    years = list(MarketingProject.objects.order_by("-year").values_list("year", flat=True))
    if not years:
        return []
    year = timezone.localdate().year
    year = year if year in years else years[0]
    return [
        FirmAction("마케팅 지원 등록", f"{reverse('marketing:selection_create', args=[year])}?firm={firm.pk}")
    ]

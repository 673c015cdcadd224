"""Reads of kotra that other apps use (firm page, home page, reports) and the support table."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from guro_sme.roles import Role, has_role
from guro_sme.search import SearchGroup, SearchHit, SearchQuery, firm_condition, take
from guro_sme.support import AttentionItem, FirmAction, SupportRecord, YearlyFigure

from .models import KotraProject, Participant, ParticipationFee, TradeOffice

PROGRAM = "KOTRA 해외지사화"


@dataclass
class SupportRow:
    """One line of the seed's support table (연번, 회사명, 대표자, 생산품명, 무역관명, 지원금)."""

    number: int
    participant: Participant
    subsidy_won: int
    fee_won: int
    sub_programs: list[str]
    shared_representative: bool = False


@dataclass
class SupportTable:
    year: int
    project: KotraProject | None
    rows: list[SupportRow] = field(default_factory=list)
    total_won: int = 0
    # Representatives who appear for more than one firm this year → the firms' names.
    shared_representatives: dict[str, list[str]] = field(default_factory=dict)

    @property
    def firms(self) -> int:
        return len({row.participant.firm_id for row in self.rows})

    @property
    def remaining_won(self) -> int | None:
        return None if self.project is None else self.project.budget_won - self.total_won


def support_table(year: int) -> SupportTable:
    """The year's participants in registration order with their subsidy; a constant 3 queries."""
    project = KotraProject.objects.filter(year=year).select_related("organization").first()
    table = SupportTable(year=year, project=project)
    if project is None:
        return table
    participants = list(
        Participant.objects.filter(project=project)
        .select_related("firm", "trade_office")
        .prefetch_related("fees")
        .order_by("pk")
    )
    by_representative: dict[str, list[str]] = defaultdict(list)
    for number, participant in enumerate(participants, start=1):
        fees = list(participant.fees.all())
        table.rows.append(
            SupportRow(
                number=number,
                participant=participant,
                subsidy_won=sum(f.subsidy_won for f in fees),
                fee_won=sum(f.fee_won for f in fees),
                sub_programs=[f.get_sub_program_display() for f in fees],
            )
        )
        by_representative[participant.firm.representative.strip()].append(participant.firm.name)
    table.shared_representatives = {
        name: firms for name, firms in by_representative.items() if len(set(firms)) > 1
    }
    for row in table.rows:
        row.shared_representative = (
            row.participant.firm.representative.strip() in table.shared_representatives
        )
    table.total_won = sum(row.subsidy_won for row in table.rows)
    return table


def card_rows(year: int) -> list[tuple]:
    """The year's participants for the plan card's KOTRA table, in registration order, as plain
    values in one query (the report reads two years on every view): (number, firm, representative,
    product, trade office, subsidy)."""
    rows = (
        Participant.objects.filter(project__year=year)
        .with_subsidy()
        .order_by("pk")
        .values_list(
            "firm__name",
            "firm__representative",
            "product",
            "trade_office__city",
            "trade_office__country",
            "subsidy_total_won",
        )
    )
    return [
        (number, firm, representative, product, TradeOffice.label(city, country), subsidy)
        for number, (firm, representative, product, city, country, subsidy) in enumerate(rows, start=1)
    ]


def project_years() -> list[int]:
    return list(KotraProject.objects.order_by("-year").values_list("year", flat=True))


def firm_support(firm) -> list[SupportRecord]:
    """Every support this app gave the firm, newest first (shown on the firm page)."""
    participants = (
        Participant.objects.filter(firm=firm)
        .select_related("project", "trade_office")
        .with_subsidy()
        .order_by("-project__year")
    )
    return [
        SupportRecord(
            program=PROGRAM,
            year=p.project.year,
            title=f"{p.trade_office} 무역관 · {p.product}",
            amount_won=p.subsidy_total_won,
            status="지원",
            url=p.get_absolute_url(),
        )
        for p in participants
    ]


def attention_items(user) -> list[AttentionItem]:
    """For staff: how many firms this year's project still lacks against its target (one query)."""
    if not has_role(user, Role.STAFF):
        return []
    year = timezone.localdate().year
    project = KotraProject.objects.filter(year=year).annotate(participant_count=Count("participants")).first()
    if project is None:
        return []
    missing = project.target_firms - project.participant_count
    if missing <= 0:
        return []
    return [
        AttentionItem(
            label=f"KOTRA 해외지사화 {year}년 모집 잔여(개사)",
            count=missing,
            url=f"{reverse('kotra:index')}?year={year}",
        )
    ]


def kotra_support_by_year(year: int) -> YearlyFigure:
    """Firms supported and subsidy in won in `year`, computed from the fee records (for the reports)."""
    figures = ParticipationFee.objects.filter(participant__project__year=year).aggregate(
        firms=Count("participant__firm", distinct=True), amount=Sum("subsidy_won")
    )
    return YearlyFigure(firms=figures["firms"] or 0, amount_won=figures["amount"] or 0)


def search(query: SearchQuery, user, limit: int) -> SearchGroup | None:
    """The header search's KOTRA group: participants whose firm matches (one query)."""
    if not has_role(user, Role.STAFF, Role.MANAGER):
        return None
    participants, has_more = take(
        Participant.objects.filter(firm_condition(query, "firm__"))
        .select_related("project", "firm", "trade_office")
        .order_by("-project__year", "firm__name", "pk"),
        limit,
    )
    hits = [
        SearchHit(
            title=f"{p.project.year}년 {p.firm.name}",
            url=p.get_absolute_url(),
            detail=f"{p.trade_office} 무역관 · {p.product}",
        )
        for p in participants
    ]
    return SearchGroup("kotra", PROGRAM, hits, has_more)


def firm_actions(firm, user) -> list[FirmAction]:
    """On the firm page, for staff: register the firm in this year's project (else the newest
    one), the firm chosen. One query; nothing when there is no project yet."""
    if not has_role(user, Role.STAFF):
        return []
    years = list(KotraProject.objects.order_by("-year").values_list("year", flat=True))
    if not years:
        return []
    year = timezone.localdate().year
    year = year if year in years else years[0]
    return [
        FirmAction("KOTRA 참여 등록", f"{reverse('kotra:participant_create', args=[year])}?firm={firm.pk}")
    ]

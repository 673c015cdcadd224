"""The yearly progress report as numbers: a tree of dataclasses the HTML, PDF and Excel render.

Achievements come from the support apps' records (through their selectors) plus the historical
results typed from the plan card (추진실적) for the same year; both are kept apart and summed.
Totals are computed here, never typed; where the plan card's typed totals disagree with the
sums, the report carries a `Mismatch` so every format can show both and flag it.

Reads only (no writes): the edits of plan data are in `plan_*` functions at the bottom.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from guro_sme.dates import YearError, parse_year
from guro_sme.errors import RuleError
from guro_sme.history import recorded_by
from guro_sme.support import YearlyFigure

from .models import (
    FUNDING_ORDER,
    FundingSource,
    HistoricalResult,
    IndicatorTarget,
    InvestmentAmount,
    PlanCard,
    Source,
)


class ReportError(RuleError):
    """A report that cannot be made (no plan, a year outside the plan); carries a Korean message."""


# Which selector measures each source. Looked up at call time, so tests can monkeypatch them.
SELECTORS = {
    Source.LOANS: ("loans.selectors", "loan_support_by_year"),
    Source.MARKETING: ("marketing.selectors", "marketing_support_by_year"),
    Source.KOTRA: ("kotra.selectors", "kotra_support_by_year"),
}
# KOTRA subsidies are spent by the plan's programs but have no line in the investment plan.
UNPLANNED_SPENDING = [(Source.KOTRA, "KOTRA 해외지사화 사업 지원")]


def figure_for(source: str, year: int) -> YearlyFigure:
    if source not in SELECTORS:
        return YearlyFigure()
    module, name = SELECTORS[source]
    return getattr(import_module(module), name)(year)


def program_results(year: int) -> list[dict]:
    return import_module("programs.selectors").program_results_by_year(year)


def percent(part: int, whole: int | None) -> Decimal | None:
    """part / whole in %, one decimal, half up (None when there is nothing to divide by)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# The dataclass tree


@dataclass(frozen=True)
class PlanInfo:
    code: str
    title: str
    kind: str
    timing: str
    budget_category: str
    lead_department: str
    cooperating: str
    policy_goal: str
    start_year: int
    end_year: int
    stated_total_won: int | None
    jury_recommendation: str
    department_opinion: str


@dataclass(frozen=True)
class IndicatorRow:
    """One 확인지표 for the report's year, with its targets over the whole term."""

    name: str
    unit: str
    source_label: str
    targets: list[int | None]  # per term year, in the order of YearReport.term_years
    term_target: int
    target: int | None  # this year's target (None outside the term)
    recorded: int  # from the records of this system
    historical: int  # from the plan card's 추진실적 for this year, unless also entered as records
    achieved: int  # recorded + historical
    rate: Decimal | None  # achieved / target, %
    cumulative_target: int  # targets from the start of the term to this year
    cumulative_achieved: int
    cumulative_rate: Decimal | None  # cumulative_achieved / term_target, %


@dataclass(frozen=True)
class ResultEntry:
    label: str  # '16년, '18년 상반기
    year: int
    firms: int
    amount_won: int | None
    in_records: bool = False  # also entered as records: listed, not added to the achievement again


@dataclass(frozen=True)
class ResultTable:
    """A 추진실적 row of the plan card: its entries, their sums and the typed 합계."""

    name: str
    has_amounts: bool
    entries: list[ResultEntry]
    sum_firms: int
    sum_won: int | None
    stated_firms: int | None
    stated_won: int | None

    @property
    def any_in_records(self) -> bool:
        return any(entry.in_records for entry in self.entries)

    @property
    def firms_match(self) -> bool:
        return self.stated_firms is None or self.stated_firms == self.sum_firms

    @property
    def won_match(self) -> bool:
        return self.stated_won is None or self.stated_won == self.sum_won


@dataclass(frozen=True)
class InvestmentRow:
    name: str
    amounts: list[int | None]  # per term year, won; None = no amount entered (empty cell)
    total: int | None


@dataclass(frozen=True)
class InvestmentTable:
    """연도별 투자계획: lines, their total (총계) and the same total by funding source (예산구분)."""

    years: list[int]
    lines: list[InvestmentRow]
    totals: InvestmentRow
    funding: list[InvestmentRow]


@dataclass(frozen=True)
class BudgetRow:
    name: str
    planned_won: int | None  # None: spent by the programs but not in the investment plan
    recorded_won: int
    historical_won: int
    spent_won: int
    rate: Decimal | None


@dataclass(frozen=True)
class BudgetTable:
    rows: list[BudgetRow]
    planned_won: int
    spent_won: int
    rate: Decimal | None


@dataclass(frozen=True)
class ProgramRow:
    program: str
    participants: int
    completers: int


@dataclass(frozen=True)
class Mismatch:
    """A typed summary of the plan card that is not the sum of its parts."""

    label: str
    unit: str  # "업체수", "백만원"
    stated: int
    computed: int


@dataclass(frozen=True)
class YearReport:
    year: int
    plan: PlanInfo
    term_years: list[int]
    in_term: bool
    indicators: list[IndicatorRow]
    milestones: list[int | None]  # planned cumulative 달성도 per term year, %
    planned_progress: int | None  # the plan's 달성도 for this year
    actual_progress: Decimal | None  # mean of the indicators' cumulative rates, each capped at 100
    results: list[ResultTable]
    investment: InvestmentTable
    budget: BudgetTable
    programs: list[ProgramRow]
    mismatches: list[Mismatch] = field(default_factory=list)
    generated_at: datetime.datetime | None = None


@dataclass(frozen=True)
class ChartYear:
    year: int
    targets: list[int | None]  # per indicator
    achieved: list[int]


@dataclass(frozen=True)
class Dashboard:
    """The manager's page: the chosen year's report and every term year's target vs achievement."""

    report: YearReport
    chart_years: list[ChartYear]


# ---------------------------------------------------------------------------------------------
# Building


def current_plan() -> PlanCard | None:
    """The plan card with everything the report needs, in a constant number of queries (7)."""
    return (
        PlanCard.objects.order_by("code")
        .prefetch_related(
            Prefetch(
                "indicators__targets", queryset=IndicatorTarget.objects.order_by("year")
            ),  # indicators + targets
            "milestones",
            Prefetch("investment_lines__amounts", queryset=InvestmentAmount.objects.order_by("year")),
            Prefetch(
                "result_series__results",
                queryset=HistoricalResult.objects.order_by("year", "period"),
            ),
        )
        .first()
    )


def report_years(plan: PlanCard) -> list[int]:
    """Years a report can be made for: from the earliest 추진실적 (or the term's start) to its end."""
    first = plan.start_year
    for series in plan.result_series.all():
        for result in series.results.all():
            first = min(first, result.year)
    return list(range(first, plan.end_year + 1))


def parse_report_year(value) -> int:
    """A year from a URL or the command line (guro_sme.dates.parse_year, any four digits: whether
    the plan has it is the report's question); ReportError with a Korean message otherwise."""
    try:
        return parse_year(value, earliest=1000, latest=9999)
    except YearError as error:
        raise ReportError(error.message) from None


def dashboard_year(plan: PlanCard, today: datetime.date | None = None) -> int:
    """The current year, or the nearest year of the plan's term when today is outside it."""
    year = (today or timezone.localdate()).year
    return min(max(year, plan.start_year), plan.end_year)


class _Figures:
    """Each selector asked at most once per source and year."""

    def __init__(self):
        self._cache: dict[tuple[str, int], YearlyFigure] = {}

    def __call__(self, source: str, year: int) -> YearlyFigure:
        key = (source, year)
        if key not in self._cache:
            self._cache[key] = figure_for(source, year)
        return self._cache[key]


def _plan_info(plan: PlanCard) -> PlanInfo:
    return PlanInfo(
        code=plan.code,
        title=plan.title,
        kind=plan.kind,
        timing=plan.timing,
        budget_category=plan.budget_category,
        lead_department=plan.lead_department,
        cooperating=plan.cooperating,
        policy_goal=plan.policy_goal,
        start_year=plan.start_year,
        end_year=plan.end_year,
        stated_total_won=plan.stated_total_won,
        jury_recommendation=plan.jury_recommendation,
        department_opinion=plan.department_opinion,
    )


def _historical_firms(indicator, year: int) -> int:
    return sum(
        result.firms
        for series in indicator.result_series_cached
        for result in series.results.all()
        if result.year == year and not result.counted_in_records
    )


def _attach_series(plan: PlanCard) -> None:
    """Give each prefetched indicator its result series without another query."""
    by_indicator: dict[int, list] = {}
    for series in plan.result_series.all():
        if series.indicator_id:
            by_indicator.setdefault(series.indicator_id, []).append(series)
    for indicator in plan.indicators.all():
        indicator.result_series_cached = by_indicator.get(indicator.pk, [])


def _achieved(indicator, year: int, figures: _Figures) -> tuple[int, int]:
    recorded = figures(indicator.source, year).firms if indicator.source else 0
    return recorded, _historical_firms(indicator, year)


def _indicator_rows(plan: PlanCard, year: int, figures: _Figures) -> list[IndicatorRow]:
    rows = []
    for indicator in plan.indicators.all():
        by_year = {t.year: t.target for t in indicator.targets.all()}
        targets = [by_year.get(y) for y in plan.term_years]
        term_target = sum(t for t in targets if t)
        recorded, historical = _achieved(indicator, year, figures)
        achieved = recorded + historical
        cumulative_years = [y for y in plan.term_years if y <= year]
        cumulative_target = sum(by_year.get(y) or 0 for y in cumulative_years)
        cumulative_achieved = sum(sum(_achieved(indicator, y, figures)) for y in cumulative_years)
        rows.append(
            IndicatorRow(
                name=indicator.name,
                unit=indicator.unit,
                source_label=Source(indicator.source).label,
                targets=targets,
                term_target=term_target,
                target=by_year.get(year),
                recorded=recorded,
                historical=historical,
                achieved=achieved,
                rate=percent(achieved, by_year.get(year)),
                cumulative_target=cumulative_target,
                cumulative_achieved=cumulative_achieved,
                cumulative_rate=percent(cumulative_achieved, term_target) if cumulative_years else None,
            )
        )
    return rows


def _result_tables(plan: PlanCard) -> list[ResultTable]:
    tables = []
    for series in plan.result_series.all():
        entries = [
            ResultEntry(r.label, r.year, r.firms, r.amount_won, r.counted_in_records)
            for r in series.results.all()
        ]
        amounts = [e.amount_won for e in entries if e.amount_won is not None]
        tables.append(
            ResultTable(
                name=series.name,
                has_amounts=series.has_amounts,
                entries=entries,
                sum_firms=sum(e.firms for e in entries),
                sum_won=sum(amounts) if series.has_amounts else None,
                stated_firms=series.stated_total_firms,
                stated_won=series.stated_total_won if series.has_amounts else None,
            )
        )
    return tables


def _sum_or_none(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _investment_table(plan: PlanCard) -> InvestmentTable:
    years = plan.term_years
    lines = []
    by_source: dict[str, dict[int, int]] = {}
    for line in plan.investment_lines.all():
        per_year: dict[int, int] = {}
        for amount in line.amounts.all():
            per_year[amount.year] = per_year.get(amount.year, 0) + amount.amount_won
            cell = by_source.setdefault(amount.funding_source, {})
            cell[amount.year] = cell.get(amount.year, 0) + amount.amount_won
        amounts = [per_year.get(y) for y in years]
        lines.append(InvestmentRow(line.name, amounts, _sum_or_none(amounts)))
    total_amounts = [_sum_or_none(line.amounts[i] for line in lines) for i in range(len(years))]
    totals = InvestmentRow("총 계", total_amounts, _sum_or_none(total_amounts))
    funding = []
    for source in sorted(FundingSource.values, key=FUNDING_ORDER.get):
        amounts = [by_source.get(source, {}).get(y) for y in years]
        funding.append(InvestmentRow(FundingSource(source).label, amounts, _sum_or_none(amounts)))
    return InvestmentTable(years, lines, totals, funding)


def _historical_won(plan: PlanCard, source: str, year: int) -> int:
    return sum(
        result.amount_won or 0
        for series in plan.result_series.all()
        if series.indicator_id
        and series.has_amounts
        and _indicator_source(plan, series.indicator_id) == source
        for result in series.results.all()
        if result.year == year and not result.counted_in_records
    )


def _indicator_source(plan: PlanCard, indicator_id: int) -> str:
    for indicator in plan.indicators.all():
        if indicator.pk == indicator_id:
            return indicator.source
    return ""


def _budget_row(name: str, planned: int | None, source: str, plan, year, figures) -> BudgetRow:
    recorded = figures(source, year).amount_won if source else 0
    historical = _historical_won(plan, source, year) if source else 0
    spent = recorded + historical
    return BudgetRow(name, planned, recorded, historical, spent, percent(spent, planned))


def _budget_table(plan: PlanCard, year: int, figures: _Figures) -> BudgetTable:
    rows = []
    for line in plan.investment_lines.all():
        planned = sum(a.amount_won for a in line.amounts.all() if a.year == year)
        rows.append(_budget_row(line.name, planned, line.source, plan, year, figures))
    for source, name in UNPLANNED_SPENDING:
        rows.append(_budget_row(name, None, source, plan, year, figures))
    planned_total = sum(row.planned_won or 0 for row in rows)
    spent_total = sum(row.spent_won for row in rows)
    return BudgetTable(rows, planned_total, spent_total, percent(spent_total, planned_total))


def _mismatches(plan: PlanCard, results: list[ResultTable], investment: InvestmentTable) -> list[Mismatch]:
    found = []
    for table in results:
        if not table.firms_match:
            found.append(
                Mismatch(f"추진실적 합계: {table.name}", "업체수", table.stated_firms, table.sum_firms)
            )
        if not table.won_match:
            found.append(
                Mismatch(f"추진실적 합계 금액: {table.name}", "백만원", table.stated_won, table.sum_won or 0)
            )
    computed_total = investment.totals.total or 0
    if plan.stated_total_won is not None and plan.stated_total_won != computed_total:
        found.append(
            Mismatch("총사업비와 연도별 투자계획 총계", "백만원", plan.stated_total_won, computed_total)
        )
    return found


def _progress(rows: list[IndicatorRow]) -> Decimal | None:
    rates = [min(row.cumulative_rate, Decimal(100)) for row in rows if row.cumulative_rate is not None]
    if not rates:
        return None
    return (sum(rates) / len(rates)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _load(plan: PlanCard | None, year: int) -> PlanCard:
    if plan is None:
        plan = current_plan()
    if plan is None:
        raise ReportError("구정 계획 자료가 없습니다. 먼저 계획 카드를 입력하세요.")
    years = report_years(plan)
    if year not in years:
        raise ReportError(f"{year}년 보고서는 없습니다. {years[0]}년부터 {years[-1]}년까지 볼 수 있습니다.")
    _attach_series(plan)
    return plan


def year_report_build(
    *, year: int, plan: PlanCard | None = None, figures: _Figures | None = None
) -> YearReport:
    """The progress report for `year`; ReportError (Korean) when there is no plan or no such year."""
    plan = _load(plan, year)
    figures = figures or _Figures()
    indicators = _indicator_rows(plan, year, figures)
    milestone_by_year = {m.year: m.percent for m in plan.milestones.all()}
    results = _result_tables(plan)
    investment = _investment_table(plan)
    return YearReport(
        year=year,
        plan=_plan_info(plan),
        term_years=plan.term_years,
        in_term=plan.start_year <= year <= plan.end_year,
        indicators=indicators,
        milestones=[milestone_by_year.get(y) for y in plan.term_years],
        planned_progress=milestone_by_year.get(year),
        actual_progress=_progress(indicators) if plan.start_year <= year else None,
        results=results,
        investment=investment,
        budget=_budget_table(plan, year, figures),
        programs=[
            ProgramRow(str(r["program"]), int(r["participants"]), int(r["completers"]))
            for r in program_results(year)
        ],
        mismatches=_mismatches(plan, results, investment),
        generated_at=timezone.now(),
    )


def dashboard_build(*, year: int | None = None, plan: PlanCard | None = None) -> Dashboard:
    plan = plan or current_plan()
    if plan is None:
        raise ReportError("구정 계획 자료가 없습니다. 먼저 계획 카드를 입력하세요.")
    year = dashboard_year(plan) if year is None else year
    figures = _Figures()
    report = year_report_build(year=year, plan=plan, figures=figures)
    chart_years = []
    for term_year in plan.term_years:
        rows = _indicator_rows(plan, term_year, figures)
        chart_years.append(ChartYear(term_year, [r.target for r in rows], [r.achieved for r in rows]))
    return Dashboard(report, chart_years)


# ---------------------------------------------------------------------------------------------
# Writes: staff edit the plan data


@transaction.atomic
def plan_card_save(*, plan: PlanCard, user) -> PlanCard:
    """Save an edited plan card (validated), recording who changed it and when."""
    plan.full_clean()
    plan.updated_by = user
    plan.updated_at = timezone.now()
    plan._history_user = user
    plan.save()
    return plan


@transaction.atomic
def plan_values_save(*, plan: PlanCard, user, formsets) -> None:
    """Save edited targets, investment amounts or results (valid formsets), and stamp the plan."""
    with recorded_by(user):  # each changed target, amount or result keeps its old and new value
        for formset in formsets:
            formset.save()
    PlanCard.objects.filter(pk=plan.pk).update(updated_by=user, updated_at=timezone.now())

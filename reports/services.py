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
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from guro_sme.dates import YearError, parse_year
from guro_sme.errors import RuleError
from guro_sme.history import recorded_by
from guro_sme.support import YearlyFigure

from .models import (
    FUNDING_ORDER,
    FundAccountInput,
    FundingSource,
    HistoricalResult,
    IndicatorTarget,
    InvestmentAmount,
    PlanCard,
    Source,
)


class ReportError(RuleError):
    """A report that cannot be made (no plan, a year outside the plan); carries a Korean message."""


# Which selector counts each programme's firms and what it spent of the district's money. Looked
# up at call time, so tests can monkeypatch them. The loans' spending is the district's own cost
# (its fund's lending, interest subsidies paid, guarantee contribution), never the bank's money.
SELECTORS = {
    Source.LOANS: ("loans.selectors", "loan_support_by_year"),
    Source.MARKETING: ("marketing.selectors", "marketing_support_by_year"),
    Source.KOTRA: ("kotra.selectors", "kotra_support_by_year"),
}
SPENDING_SELECTORS = {
    Source.LOANS: ("reports.fund_accounts", "loan_district_spending_by_year"),
}

# 달성도 as the card defines it, written under the table in every format.
PROGRESS_FORMULA = (
    "달성도(해당 연도) = Σ(계획기간 첫해부터 해당 연도까지) 그 해의 계획 달성도 증분 × 그 해의 달성비율. "
    "계획 달성도 증분은 계획 달성도에서 전년도 계획 달성도를 뺀 값(20%씩)이고, "
    "달성비율은 확인지표별 (그 해 실적 ÷ 그 해 목표, 최대 1)의 평균입니다. "
    "목표를 모두 채운 해까지는 계획 달성도(20%·40%·60%·80%·100%)와 같고, 미달한 해는 그 비율만큼 줄며, "
    "목표를 넘긴 실적은 그 해에서 1로 보고 다른 해로 넘기지 않습니다."
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _selector(table: dict, source: str):
    module, name = table[source]
    return getattr(import_module(module), name)


def figure_for(source: str, year: int) -> YearlyFigure:
    if source not in SELECTORS:
        return YearlyFigure()
    return _selector(SELECTORS, source)(year)


def spending_for(source: str, year: int) -> int:
    """What the programme spent of the district's money in `year`, in won."""
    if source in SPENDING_SELECTORS:
        return _selector(SPENDING_SELECTORS, source)(year).amount_won
    return figure_for(source, year).amount_won


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
    source_label: str  # the programmes counted, "마케팅 지원 + KOTRA 해외지사화"
    targets: list[int | None]  # per term year, in the order of YearReport.term_years
    term_target: int
    target: int | None  # this year's target (None outside the term)
    recorded: int  # from the records of this system, all linked programmes
    recorded_parts: list[tuple[str, int]]  # per linked programme: (label, firms)
    historical: int  # from the plan card's 추진실적 for this year, unless also entered as records
    achieved: int  # recorded + historical
    rate: Decimal | None  # achieved / target, %
    cumulative_target: int  # targets from the start of the term to this year
    cumulative_achieved: int
    cumulative_rate: Decimal | None  # this indicator's 달성도 by the card's formula, %


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
    programmes: str = ""  # the programmes whose spending this line counts


@dataclass(frozen=True)
class BudgetTable:
    """Planned lines and their execution; the 계 covers exactly the planned lines. Spending of a
    programme linked to no line is listed in `unplanned`, outside the 계 and the rate."""

    rows: list[BudgetRow]
    planned_won: int
    recorded_won: int
    historical_won: int
    spent_won: int
    rate: Decimal | None
    unplanned: list[BudgetRow] = field(default_factory=list)


@dataclass(frozen=True)
class ProgressYear:
    """One term year's part of the 달성도: its planned increment × its achievement ratio."""

    year: int
    weight: int  # the planned 달성도 increment, % (20)
    ratio: Decimal | None  # mean over indicators of min(achieved / target, 1); None: no target
    contribution: Decimal  # weight × ratio, %
    cumulative: Decimal  # the 달성도 at this year's end, %


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
class LoanTermRow:
    """One fund of the card's '18년 규모 및 조건."""

    name: str
    scale_won: int
    rate: str
    repayment: str


@dataclass(frozen=True)
class KotraRow:
    number: int
    firm: str
    representative: str
    product: str
    trade_office: str
    subsidy_won: int


@dataclass(frozen=True)
class KotraTable:
    year: int
    rows: list[KotraRow]
    total_won: int


@dataclass(frozen=True)
class ProgramCardRow:
    """One row of the card's 경영지원사업 table."""

    name: str
    when_where: str
    audience: str
    content: list[str]
    note: str


@dataclass(frozen=True)
class SectionBlock:
    number: str
    title: str
    body: list[str]
    closing: list[str]
    tables: list[str]
    result: ResultTable | None


@dataclass(frozen=True)
class CardTables:
    """The card's tables drawn from the other apps' records for the report's year."""

    terms_year: int | None
    loan_terms: list[LoanTermRow]
    guarantee_notes: list[str]
    kotra: list[KotraTable]
    programs: list[ProgramCardRow]
    cost: object | None  # reports.fund_accounts.DistrictCost
    accounts: list  # reports.fund_accounts.FundAccount
    gender_columns: list[str]
    gender_rows: list
    aftercare: object | None = None  # loans.aftercare.selectors.YearAftercare

    @property
    def loan_terms_total_won(self) -> int:
        return sum(row.scale_won for row in self.loan_terms)


@dataclass(frozen=True)
class YearReport:
    year: int
    plan: PlanInfo
    term_years: list[int]
    in_term: bool
    indicators: list[IndicatorRow]
    milestones: list[int | None]  # planned cumulative 달성도 per term year, %
    planned_progress: int | None  # the plan's 달성도 for this year
    actual_progress: Decimal | None  # the card's 달성도 (PROGRESS_FORMULA)
    progress_years: list[ProgressYear]
    results: list[ResultTable]
    investment: InvestmentTable
    budget: BudgetTable
    programs: list[ProgramRow]
    mismatches: list[Mismatch] = field(default_factory=list)
    generated_at: datetime.datetime | None = None
    progress_formula: str = PROGRESS_FORMULA
    jury_period: str = ""
    sections: list[SectionBlock] = field(default_factory=list)
    card: CardTables | None = None


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
    """The plan card with everything the report needs, in a constant number of queries (9)."""
    return (
        PlanCard.objects.order_by("code")
        .prefetch_related(
            Prefetch(
                "indicators__targets", queryset=IndicatorTarget.objects.order_by("year")
            ),  # indicators + targets
            "milestones",
            "programme_links",
            Prefetch("investment_lines__amounts", queryset=InvestmentAmount.objects.order_by("year")),
            "sections",
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


def dashboard_data_year(plan: PlanCard, figures: _Figures, today: datetime.date | None = None) -> int:
    """The latest term year up to dashboard_year whose indicators have results recorded in the
    system, so the dashboard never opens on an empty year just because the term ran on;
    dashboard_year when none has (the card's 추진실적 from before the system don't count: they
    are the past the system took over)."""
    latest = dashboard_year(plan, today)
    _attach_series(plan)
    for year in sorted((y for y in plan.term_years if y <= latest), reverse=True):
        if any(_achieved(indicator, year, figures)[0] for indicator in plan.indicators.all()):
            return year
    return latest


class _Figures:
    """Each selector asked at most once per source and year."""

    def __init__(self):
        self._cache: dict[tuple[str, int], YearlyFigure] = {}
        self._spending: dict[tuple[str, int], int] = {}

    def __call__(self, source: str, year: int) -> YearlyFigure:
        key = (source, year)
        if key not in self._cache:
            self._cache[key] = figure_for(source, year)
        return self._cache[key]

    def spending(self, source: str, year: int) -> int:
        key = (source, year)
        if key not in self._spending:
            self._spending[key] = (
                spending_for(source, year) if source in SPENDING_SELECTORS else self(source, year).amount_won
            )
        return self._spending[key]


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
    order = {value: index for index, value in enumerate(Source.values)}
    links = sorted(plan.programme_links.all(), key=lambda link: order.get(link.programme, 99))
    for indicator in plan.indicators.all():
        indicator.result_series_cached = by_indicator.get(indicator.pk, [])
        indicator.programmes = [link.programme for link in links if link.indicator_id == indicator.pk]
    for line in plan.investment_lines.all():
        line.programmes = [link.programme for link in links if link.investment_line_id == line.pk]
    plan.unplanned_programmes = [link.programme for link in links if link.investment_line_id is None]


def programmes_label(programmes: list[str]) -> str:
    return " + ".join(Source(p).label for p in programmes) or Source.NONE.label


def _achieved(indicator, year: int, figures: _Figures) -> tuple[int, int]:
    recorded = sum(figures(programme, year).firms for programme in indicator.programmes)
    return recorded, _historical_firms(indicator, year)


def _weights(plan: PlanCard) -> dict[int, int]:
    """Each term year's planned 달성도 increment: 20, 20, 20, 20, 20 for 20/40/60/80/100%."""
    by_year = {m.year: m.percent for m in plan.milestones.all()}
    weights, previous = {}, 0
    for year in plan.term_years:
        if year in by_year:
            weights[year] = by_year[year] - previous
            previous = by_year[year]
        else:
            weights[year] = 0
    return weights


def achievement_ratio(achieved: int, target: int | None) -> Decimal | None:
    """achieved / target, at most 1: over-achievement counts as the target met, no more."""
    if not target:
        return None
    return min(Decimal(achieved) / Decimal(target), Decimal(1))


def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _indicator_rows(plan: PlanCard, year: int, figures: _Figures) -> list[IndicatorRow]:
    rows = []
    weights = _weights(plan)
    for indicator in plan.indicators.all():
        by_year = {t.year: t.target for t in indicator.targets.all()}
        targets = [by_year.get(y) for y in plan.term_years]
        term_target = sum(t for t in targets if t)
        recorded, historical = _achieved(indicator, year, figures)
        achieved = recorded + historical
        cumulative_years = [y for y in plan.term_years if y <= year]
        cumulative_target = sum(by_year.get(y) or 0 for y in cumulative_years)
        cumulative_achieved = sum(sum(_achieved(indicator, y, figures)) for y in cumulative_years)
        progress = Decimal(0)
        for y in cumulative_years:
            ratio = achievement_ratio(sum(_achieved(indicator, y, figures)), by_year.get(y))
            progress += weights[y] * (ratio or Decimal(0))
        rows.append(
            IndicatorRow(
                name=indicator.name,
                unit=indicator.unit,
                source_label=programmes_label(indicator.programmes),
                targets=targets,
                term_target=term_target,
                target=by_year.get(year),
                recorded=recorded,
                recorded_parts=[(Source(p).label, figures(p, year).firms) for p in indicator.programmes],
                historical=historical,
                achieved=achieved,
                rate=percent(achieved, by_year.get(year)),
                cumulative_target=cumulative_target,
                cumulative_achieved=cumulative_achieved,
                cumulative_rate=_pct(progress) if cumulative_years else None,
            )
        )
    return rows


def progress_years(plan: PlanCard, year: int, figures: _Figures) -> list[ProgressYear]:
    """The card's 달성도 year by year up to `year` (PROGRESS_FORMULA); exact targets give 20/40/…%."""
    weights = _weights(plan)
    result, cumulative = [], Decimal(0)
    for y in plan.term_years:
        if y > year:
            break
        ratios = []
        for indicator in plan.indicators.all():
            target = next((t.target for t in indicator.targets.all() if t.year == y), None)
            ratio = achievement_ratio(sum(_achieved(indicator, y, figures)), target)
            if ratio is not None:
                ratios.append(ratio)
        ratio = sum(ratios) / len(ratios) if ratios else None
        contribution = weights[y] * (ratio or Decimal(0))
        cumulative += contribution
        result.append(
            ProgressYear(
                year=y,
                weight=weights[y],
                ratio=ratio.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if ratio is not None else None,
                contribution=_pct(contribution),
                cumulative=_pct(cumulative),
            )
        )
    return result


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


def _historical_won(plan: PlanCard, line, year: int) -> int:
    """The card's 추진실적 amounts of the series whose indicator shares a programme with `line`."""
    indicators = {
        link.indicator_id
        for link in plan.programme_links.all()
        if link.investment_line_id == line.pk and link.indicator_id
    }
    return sum(
        result.amount_won or 0
        for series in plan.result_series.all()
        if series.indicator_id in indicators and series.has_amounts
        for result in series.results.all()
        if result.year == year and not result.counted_in_records
    )


def _budget_row(plan: PlanCard, line, year: int, figures: _Figures) -> BudgetRow:
    planned = sum(a.amount_won for a in line.amounts.all() if a.year == year)
    recorded = sum(figures.spending(p, year) for p in line.programmes)
    historical = _historical_won(plan, line, year)
    spent = recorded + historical
    return BudgetRow(
        line.name,
        planned,
        recorded,
        historical,
        spent,
        percent(spent, planned),
        programmes_label(line.programmes),
    )


def _budget_table(plan: PlanCard, year: int, figures: _Figures) -> BudgetTable:
    rows = [_budget_row(plan, line, year, figures) for line in plan.investment_lines.all()]
    unplanned = []
    for programme in plan.unplanned_programmes:
        spent = figures.spending(programme, year)
        label = Source(programme).label
        unplanned.append(BudgetRow(label, None, spent, 0, spent, None, label))
    planned_total = sum(row.planned_won or 0 for row in rows)
    spent_total = sum(row.spent_won for row in rows)
    return BudgetTable(
        rows=rows,
        planned_won=planned_total,
        recorded_won=sum(row.recorded_won for row in rows),
        historical_won=sum(row.historical_won for row in rows),
        spent_won=spent_total,
        rate=percent(spent_total, planned_total),
        unplanned=unplanned,
    )


def line_executions(*, programme: str, years: list[int]) -> list[tuple[int, BudgetRow]]:
    """Per year, the investment-plan line the programme's spending counts toward, with the same
    planned, spent and rate as the yearly report (shown on /marketing/ and /kotra/). Years outside
    the plan's term, or a programme linked to no line, give nothing."""
    plan = current_plan()
    if plan is None:
        return []
    _attach_series(plan)
    figures = _Figures()
    found = []
    for year in sorted(set(years)):
        if not plan.start_year <= year <= plan.end_year:
            continue
        # Only the programme's own lines: another line's spending (the loans') is not read.
        for line in plan.investment_lines.all():
            if programme in line.programmes:
                found.append((year, _budget_row(plan, line, year, figures)))
    return found


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


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _sections(plan: PlanCard, results: list[ResultTable]) -> list[SectionBlock]:
    by_name = {table.name: table for table in results}
    series_names = {series.pk: series.name for series in plan.result_series.all()}
    return [
        SectionBlock(
            number=section.number,
            title=section.title,
            body=_lines(section.body),
            closing=_lines(section.closing),
            tables=list(section.tables or []),
            result=by_name.get(series_names.get(section.result_series_id)),
        )
        for section in plan.sections.all()
    ]


def _repayment_text(fund) -> str:
    """'1년 거치 4년 분할상환(연2회)', '1년 거치 3~4년 분할상환' as the card writes them."""
    years = (
        f"{fund.repayment_years_min}년"
        if fund.repayment_years_min == fund.repayment_years_max
        else f"{fund.repayment_years_min}~{fund.repayment_years_max}년"
    )
    return f"{fund.grace_years}년 거치 {years} 분할상환(연{fund.payments_per_year}회)"


def _eok(amount_won: int) -> str:
    value = Decimal(amount_won) / 100_000_000
    return f"{value.normalize():f}억원"


def card_tables(year: int) -> CardTables:
    """The card's record tables for `year`: fund terms (the latest year with funds up to `year`),
    KOTRA (the year before, as the card shows '17 on the '18 card, and the year itself), the
    경영지원사업 runs, the district's cost, the funds' accounts and the 성인지 breakdown."""
    from kotra.selectors import card_rows as kotra_card_rows
    from loans.aftercare.selectors import aftercare_by_year
    from loans.models import LoanFund
    from programs.selectors import program_card_runs

    from . import fund_accounts

    fund_years = sorted({y for y in LoanFund.objects.values_list("year", flat=True) if y <= year})
    terms_year = fund_years[-1] if fund_years else None
    funds = list(LoanFund.objects.filter(year=terms_year).order_by("kind", "name")) if terms_year else []
    order = {kind: index for index, kind in enumerate(LoanFund.Kind.values)}
    funds.sort(key=lambda fund: (order[fund.kind], fund.name))
    terms = [LoanTermRow(f.name, f.allocation_won, f.rate_display, _repayment_text(f)) for f in funds]
    notes = [
        f"{f.name}: 구 출연금 {_eok(f.guarantee_contribution_won)}의 {f.guarantee_multiplier}배수 "
        f"총 {_eok(f.guarantee_pool_won)} 규모 내에서 보증한도 소진시까지"
        + (" 연중 수시 융자 지원" if f.year_round else " 융자 지원")
        for f in funds
        if f.is_guarantee and f.guarantee_pool_won
    ]
    kotra = []
    for kotra_year in (year - 1, year):
        rows = [KotraRow(*row) for row in kotra_card_rows(kotra_year)]
        if rows:
            kotra.append(KotraTable(kotra_year, rows, sum(row.subsidy_won for row in rows)))
    accounts = fund_accounts.fund_accounts_for(year)
    columns, gender_rows = fund_accounts.gender_breakdown(year)
    return CardTables(
        terms_year=terms_year,
        loan_terms=terms,
        guarantee_notes=notes,
        kotra=kotra,
        programs=[ProgramCardRow(**row) for row in program_card_runs(year)],
        cost=accounts.cost,
        accounts=accounts.accounts,
        gender_columns=columns,
        gender_rows=gender_rows,
        aftercare=aftercare_by_year(year, loans=fund_accounts.executed_loans()),
    )


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
    *,
    year: int,
    plan: PlanCard | None = None,
    figures: _Figures | None = None,
    with_card_tables: bool = True,
) -> YearReport:
    """The progress report for `year`; ReportError (Korean) when there is no plan or no such year."""
    from .fund_accounts import one_ledger

    with one_ledger():  # the budget table, the district's cost and the fund accounts read it
        return _year_report_build(year=year, plan=plan, figures=figures, with_card_tables=with_card_tables)


def _year_report_build(*, year, plan, figures, with_card_tables) -> YearReport:
    plan = _load(plan, year)
    figures = figures or _Figures()
    indicators = _indicator_rows(plan, year, figures)
    progress = progress_years(plan, year, figures)
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
        actual_progress=progress[-1].cumulative if progress else None,
        progress_years=progress,
        results=results,
        investment=investment,
        budget=_budget_table(plan, year, figures),
        programs=[
            ProgramRow(str(r["program"]), int(r["participants"]), int(r["completers"]))
            for r in program_results(year)
        ],
        mismatches=_mismatches(plan, results, investment),
        generated_at=timezone.now(),
        jury_period=plan.jury_period,
        sections=_sections(plan, results),
        card=card_tables(year) if with_card_tables else None,
    )


def dashboard_build(*, year: int | None = None, plan: PlanCard | None = None) -> Dashboard:
    plan = plan or current_plan()
    if plan is None:
        raise ReportError("구정 계획 자료가 없습니다. 먼저 계획 카드를 입력하세요.")
    figures = _Figures()
    if year is None:
        year = dashboard_data_year(plan, figures)
    report = year_report_build(year=year, plan=plan, figures=figures)
    chart_years = []
    for term_year in plan.term_years:
        rows = _indicator_rows(plan, term_year, figures)
        chart_years.append(ChartYear(term_year, [r.target for r in rows], [r.achieved for r in rows]))
    return Dashboard(report, chart_years)


def warm_up() -> None:
    """Build what the first dashboard view would: the remembered fund ledger (every executed
    loan with its payments) and the current year's figures on it. A server calls this before
    its workers start (guro_sme/gunicorn.conf.py); nothing when there is no plan yet."""
    plan = current_plan()
    if plan is not None:
        dashboard_build(plan=plan)


# ---------------------------------------------------------------------------------------------
# Writes: staff edit the plan data


@transaction.atomic
def plan_card_save(*, plan: PlanCard, actor: User) -> PlanCard:
    """Save an edited plan card (validated), recording who changed it and when."""
    plan.full_clean()
    plan.updated_by = actor
    plan.updated_at = timezone.now()
    plan._history_user = actor
    plan.save()
    return plan


@transaction.atomic
def plan_values_save(*, plan: PlanCard, actor: User, formsets) -> None:
    """Save edited targets, investment amounts or results (valid formsets), and stamp the plan."""
    with recorded_by(actor):  # each changed target, amount or result keeps its old and new value
        for formset in formsets:
            formset.save()
    PlanCard.objects.filter(pk=plan.pk).update(updated_by=actor, updated_at=timezone.now())


def fund_account_input_save(
    *, fund, opening_balance_won: int | None, transfers_in_won: int, note: str, actor
) -> FundAccountInput:
    """The 기금 결산 inputs no loan record holds (기초잔액, 전입금) for one fund and year; each
    change keeps who, when, old and new (history)."""
    if opening_balance_won is not None and opening_balance_won < 0:
        raise ReportError("기초잔액은 0원 이상이어야 합니다.")
    if transfers_in_won < 0:
        raise ReportError("전입금은 0원 이상이어야 합니다.")
    with transaction.atomic():
        inputs = FundAccountInput.objects.select_for_update().filter(fund=fund).first()
        inputs = inputs or FundAccountInput(fund=fund)
        inputs.opening_balance_won = opening_balance_won
        inputs.transfers_in_won = transfers_in_won
        inputs.note = note.strip()[:200]
        inputs._history_user = actor
        inputs.save()
    return inputs

"""The numbers of the yearly report, checked exactly against the seed's plan card."""

from decimal import Decimal

import pytest

from guro_sme.support import YearlyFigure
from reports.models import HistoricalResult, PlanCard, ResultSeries
from reports.services import (
    ReportError,
    dashboard_build,
    dashboard_year,
    parse_report_year,
    year_report_build,
)

M = 1_000_000


def test_the_investment_plan_totals_are_computed_and_equal_the_seeds(plan, figures):
    report = year_report_build(year=2018)
    investment = report.investment
    assert investment.years == [2018, 2019, 2020, 2021, 2022]
    loans, marketing = investment.lines
    assert loans.name == "중소기업·소상공인 융자지원"
    assert loans.amounts == [5200 * M, 5360 * M, 5300 * M, 5300 * M, 5300 * M]
    assert loans.total == 26_460 * M
    assert marketing.amounts == [30 * M, 40 * M, 45 * M, 45 * M, 50 * M]
    assert marketing.total == 210 * M
    assert investment.totals.amounts == [5230 * M, 5400 * M, 5345 * M, 5345 * M, 5350 * M]
    assert investment.totals.total == 26_670 * M


def test_the_funding_sources_are_listed_in_the_plan_cards_order_with_all_in_the_district_budget(
    plan, figures
):
    funding = year_report_build(year=2018).investment.funding
    assert [row.name for row in funding] == ["국비", "시비", "구비(기금포함)", "기타(민자)"]
    national, city, district, private = funding
    assert national.amounts == [None] * 5 and national.total is None
    assert private.total is None and city.total is None
    assert district.amounts == [5230 * M, 5400 * M, 5345 * M, 5345 * M, 5350 * M]
    assert district.total == 26_670 * M


def test_the_indicator_targets_and_the_planned_progress_are_the_seeds(plan, figures):
    report = year_report_build(year=2018)
    loans, marketing = report.indicators
    assert loans.name == "중소기업·소상공인 자금 지원(업체수)"
    assert loans.targets == [60, 60, 60, 60, 60]
    assert marketing.name == "중소기업 마케팅 지원사업(업체수)"
    assert marketing.targets == [20, 20, 25, 25, 30]
    assert report.milestones == [20, 40, 60, 80, 100]
    assert report.planned_progress == 20
    assert loans.term_target == 300 and marketing.term_target == 120


def test_achievement_adds_the_records_to_the_historical_results_of_the_year(plan, figures):
    figures.loans[2018] = YearlyFigure(firms=20, amount_won=1_500 * M)
    figures.marketing[2018] = YearlyFigure(firms=10, amount_won=14_000_000)
    loans, marketing = year_report_build(year=2018).indicators
    assert (loans.recorded, loans.historical, loans.achieved) == (20, 36, 56)
    assert loans.target == 60
    assert loans.rate == Decimal("93.3")
    # The marketing app holds the seed's selections as records: its 추진실적 is not added again.
    assert (marketing.recorded, marketing.historical, marketing.achieved) == (10, 0, 10)
    assert marketing.rate == Decimal("50.0")


def test_a_historical_result_also_entered_as_records_is_not_counted_twice(plan, figures):
    figures.marketing[2017] = YearlyFigure(firms=10, amount_won=15_000_000)
    assert year_report_build(year=2017).indicators[1].achieved == 10
    HistoricalResult.objects.filter(series__name="중소기업 마케팅 지원 사업").update(counted_in_records=False)
    assert year_report_build(year=2017).indicators[1].achieved == 20
    entries = year_report_build(year=2017).results[1].entries
    assert [e.in_records for e in entries] == [False, False, False]


def test_cumulative_progress_counts_the_term_so_far_against_the_whole_terms_target(plan, figures):
    figures.loans[2019] = YearlyFigure(firms=64, amount_won=0)
    figures.marketing[2019] = YearlyFigure(firms=22, amount_won=0)
    report = year_report_build(year=2019)
    loans, marketing = report.indicators
    # 2018: 36 firms (first half, historical); 2019: 64 recorded.
    assert (loans.cumulative_target, loans.cumulative_achieved) == (120, 100)
    assert loans.cumulative_rate == Decimal("33.3")  # 100 / 300
    assert (marketing.cumulative_target, marketing.cumulative_achieved) == (40, 22)
    assert marketing.cumulative_rate == Decimal("18.3")  # 22 / 120
    assert report.planned_progress == 40
    assert report.actual_progress == Decimal("25.8")  # (33.3 + 18.3) / 2


def test_an_indicator_over_its_target_does_not_hide_another_below_it(plan, figures):
    figures.loans[2018] = YearlyFigure(firms=600, amount_won=0)
    report = year_report_build(year=2018)
    assert report.indicators[0].cumulative_rate == Decimal("212.0")
    assert report.actual_progress == Decimal("50.0")  # (100 + 0) / 2


def test_years_before_the_term_show_the_historical_results_without_targets(plan, figures):
    figures.marketing[2016] = YearlyFigure(firms=9, amount_won=13_500_000)
    report = year_report_build(year=2016)
    loans, marketing = report.indicators
    assert report.in_term is False
    assert (loans.target, loans.achieved, loans.rate) == (None, 47, None)
    assert (marketing.recorded, marketing.historical, marketing.achieved) == (9, 0, 9)
    assert loans.cumulative_rate is None and report.actual_progress is None
    assert report.budget.rows[0].historical_won == 4_927 * M


def test_the_loan_results_total_matches_the_sum_of_its_years(plan, figures):
    loans = year_report_build(year=2018).results[0]
    assert loans.name == "중소기업·소상공인 자금지원"
    assert [(e.label, e.firms, e.amount_won) for e in loans.entries] == [
        ("'16년", 47, 4_927 * M),
        ("'17년", 60, 5_354 * M),
        ("'18년 상반기", 36, 3_290 * M),
    ]
    assert (loans.sum_firms, loans.stated_firms) == (143, 143)
    assert (loans.sum_won, loans.stated_won) == (13_571 * M, 13_571 * M)
    assert loans.firms_match and loans.won_match


def test_the_marketing_results_total_of_19_firms_is_flagged_against_the_sum_of_29(plan, figures):
    report = year_report_build(year=2018)
    marketing = report.results[1]
    assert [(e.label, e.firms) for e in marketing.entries] == [
        ("'16년", 9),
        ("'17년", 10),
        ("'18년 상반기", 10),
    ]
    assert (marketing.stated_firms, marketing.sum_firms) == (19, 29)
    assert marketing.firms_match is False
    assert marketing.sum_won is None and marketing.won_match
    assert [(m.label, m.stated, m.computed) for m in report.mismatches] == [
        ("추진실적 합계: 중소기업 마케팅 지원 사업", 19, 29)
    ]


def test_a_stated_total_budget_that_differs_from_the_investment_plan_is_flagged(plan, figures):
    PlanCard.objects.filter(pk=plan.pk).update(stated_total_won=26_000 * M)
    mismatches = year_report_build(year=2018).mismatches
    assert ("총사업비와 연도별 투자계획 총계", 26_000 * M, 26_670 * M) in [
        (m.label, m.stated, m.computed) for m in mismatches
    ]


def test_the_budget_compares_the_years_plan_with_spending_from_the_records(plan, figures):
    figures.loans[2018] = YearlyFigure(firms=20, amount_won=1_500 * M)
    figures.marketing[2018] = YearlyFigure(firms=5, amount_won=15_000_000)
    figures.kotra[2018] = YearlyFigure(firms=9, amount_won=13_900_000)
    budget = year_report_build(year=2018).budget
    loans, marketing, kotra = budget.rows
    assert (loans.planned_won, loans.recorded_won, loans.historical_won, loans.spent_won) == (
        5_200 * M,
        1_500 * M,
        3_290 * M,
        4_790 * M,
    )
    assert loans.rate == Decimal("92.1")
    assert (marketing.planned_won, marketing.spent_won, marketing.rate) == (30 * M, 15 * M, Decimal("50.0"))
    assert (kotra.name, kotra.planned_won, kotra.spent_won, kotra.rate) == (
        "KOTRA 해외지사화 사업 지원",
        None,
        13_900_000,
        None,
    )
    assert budget.planned_won == 5_230 * M
    assert budget.spent_won == 4_790 * M + 15 * M + 13_900_000


def test_the_programs_results_come_from_the_programs_app(plan, figures):
    figures.programs[2018] = [{"program": "소상공인 창업 아카데미", "participants": 40, "completers": 34}]
    programs = year_report_build(year=2018).programs
    assert [(p.program, p.participants, p.completers) for p in programs] == [
        ("소상공인 창업 아카데미", 40, 34)
    ]


def test_each_selector_is_asked_once_per_year(plan, figures):
    year_report_build(year=2020)
    assert sorted(figures.calls) == sorted(
        [("loans", y) for y in (2018, 2019, 2020)]
        + [("marketing", y) for y in (2018, 2019, 2020)]
        + [("kotra", 2020)]
    )


def test_a_new_historical_result_is_counted_in_its_year(plan, figures):
    series = ResultSeries.objects.get(name="중소기업·소상공인 자금지원")
    HistoricalResult.objects.create(series=series, year=2018, period="h2", firms=20, amount_won=2_000 * M)
    report = year_report_build(year=2018)
    assert report.indicators[0].achieved == 56
    assert report.results[0].sum_firms == 163
    assert report.mismatches[0].label == "추진실적 합계: 중소기업·소상공인 자금지원"


@pytest.mark.parametrize(
    ("year", "ok"), [(2015, False), (2016, True), (2022, True), (2023, False), (1999, False)]
)
def test_reports_exist_from_the_first_results_to_the_end_of_the_term(plan, figures, year, ok):
    if ok:
        assert year_report_build(year=year).year == year
    else:
        with pytest.raises(ReportError, match="2016년부터 2022년까지"):
            year_report_build(year=year)


def test_without_a_plan_the_report_says_so(db, figures):
    with pytest.raises(ReportError, match="구정 계획 자료가 없습니다"):
        year_report_build(year=2018)


@pytest.mark.parametrize("value", ["abc", "", "20l8", None])
def test_a_year_that_is_not_a_number_is_refused_in_korean(value):
    with pytest.raises(ReportError, match="연도가 아닙니다"):
        parse_report_year(value)


def test_the_dashboard_year_is_today_or_the_nearest_year_of_the_term(plan):
    import datetime

    assert dashboard_year(plan, datetime.date(2019, 5, 1)) == 2019
    assert dashboard_year(plan, datetime.date(2026, 11, 25)) == 2022
    assert dashboard_year(plan, datetime.date(2010, 1, 1)) == 2018


def test_the_dashboard_charts_every_term_year(plan, figures):
    figures.loans[2019] = YearlyFigure(firms=58, amount_won=0)
    dashboard = dashboard_build(year=2019)
    assert dashboard.report.year == 2019
    assert [c.year for c in dashboard.chart_years] == [2018, 2019, 2020, 2021, 2022]
    assert dashboard.chart_years[0].targets == [60, 20] and dashboard.chart_years[0].achieved == [36, 0]
    assert dashboard.chart_years[1].achieved == [58, 0]

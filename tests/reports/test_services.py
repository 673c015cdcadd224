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


def test_progress_weights_each_years_share_by_its_achievement_ratio(plan, figures):
    figures.loans[2019] = YearlyFigure(firms=64, amount_won=0)
    figures.marketing[2019] = YearlyFigure(firms=22, amount_won=0)
    report = year_report_build(year=2019)
    loans, marketing = report.indicators
    # 2018: 36 of 60 loans (first half, historical), no marketing; 2019: both over target.
    assert (loans.cumulative_target, loans.cumulative_achieved) == (120, 100)
    assert loans.cumulative_rate == Decimal("32.0")  # 20 × 36/60 + 20 × 1
    assert marketing.cumulative_rate == Decimal("20.0")  # 20 × 0 + 20 × 1 (22 of 20 counts as 1)
    assert report.planned_progress == 40
    assert [(p.year, p.weight, p.ratio, p.contribution, p.cumulative) for p in report.progress_years] == [
        (2018, 20, Decimal("0.300"), Decimal("6.0"), Decimal("6.0")),
        (2019, 20, Decimal("1.000"), Decimal("20.0"), Decimal("26.0")),
    ]
    assert report.actual_progress == Decimal("26.0")


def test_a_year_exactly_on_target_shows_exactly_the_cards_progress(plan, figures):
    # 2018: 36 loans in the first half (plan card) + 24 recorded = 60; 10 SNS + 10 KOTRA = 20.
    figures.loans[2018] = YearlyFigure(firms=24)
    figures.marketing[2018] = YearlyFigure(firms=10)
    figures.kotra[2018] = YearlyFigure(firms=10)
    for year, marketing_target in ((2019, 20), (2020, 25), (2021, 25), (2022, 30)):
        figures.loans[year] = YearlyFigure(firms=60)
        figures.marketing[year] = YearlyFigure(firms=marketing_target - 10)
        figures.kotra[year] = YearlyFigure(firms=10)
    for year, card in zip(range(2018, 2023), (20, 40, 60, 80, 100), strict=True):
        report = year_report_build(year=year)
        assert report.actual_progress == Decimal(card) == report.planned_progress
        assert [row.cumulative_rate for row in report.indicators] == [Decimal(card)] * 2


def test_a_short_year_counts_its_share_in_proportion_and_over_achievement_is_capped(plan, figures):
    figures.loans[2018] = YearlyFigure(firms=600)  # 636 of 60: counts as the target met, no more
    figures.marketing[2018] = YearlyFigure(firms=5)  # 5 + 0 of 20: a quarter
    report = year_report_build(year=2018)
    loans, marketing = report.indicators
    assert loans.rate == Decimal("1060.0")  # the year's rate itself is shown as it is
    assert loans.cumulative_rate == Decimal("20.0")
    assert marketing.cumulative_rate == Decimal("5.0")
    assert report.actual_progress == Decimal("12.5")  # 20 × (1 + 0.25) / 2
    # Over-achievement is not carried to the next year: 2019 with nothing adds nothing.
    assert year_report_build(year=2019).actual_progress == Decimal("12.5")


def test_the_marketing_indicator_counts_sns_and_kotra_firms_as_the_card_reads_it(plan, figures):
    figures.marketing[2018] = YearlyFigure(firms=10, amount_won=15_000_000)
    figures.kotra[2018] = YearlyFigure(firms=9, amount_won=13_900_000)
    marketing = year_report_build(year=2018).indicators[1]
    assert marketing.source_label == "마케팅 지원 + KOTRA 해외지사화"
    assert marketing.recorded_parts == [("마케팅 지원", 10), ("KOTRA 해외지사화", 9)]
    assert (marketing.recorded, marketing.achieved, marketing.rate) == (19, 19, Decimal("95.0"))


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


def test_the_budget_compares_the_years_plan_with_spending_of_the_same_programmes(plan, figures):
    figures.loans[2018] = YearlyFigure(firms=20, amount_won=1_500 * M)  # all three funds' lending
    figures.loan_cost[2018] = YearlyFigure(firms=12, amount_won=1_000 * M)  # the district's own cost
    figures.marketing[2018] = YearlyFigure(firms=5, amount_won=15_000_000)
    figures.kotra[2018] = YearlyFigure(firms=9, amount_won=13_900_000)
    budget = year_report_build(year=2018).budget
    loans, marketing = budget.rows
    assert (loans.planned_won, loans.recorded_won, loans.historical_won, loans.spent_won) == (
        5_200 * M,
        1_000 * M,
        3_290 * M,
        4_290 * M,
    )
    assert loans.rate == Decimal("82.5")
    # 중소기업 마케팅 지원사업 = SNS marketing + KOTRA: 15,000 + 13,900천원 of 30 백만원.
    assert (marketing.planned_won, marketing.spent_won, marketing.rate) == (
        30 * M,
        28_900_000,
        Decimal("96.3"),
    )
    assert marketing.programmes == "마케팅 지원 + KOTRA 해외지사화"
    assert budget.unplanned == []
    assert (budget.planned_won, budget.recorded_won, budget.historical_won) == (
        5_230 * M,
        1_000 * M + 28_900_000,
        3_290 * M,
    )
    assert budget.spent_won == 4_290 * M + 28_900_000
    assert budget.rate == Decimal("82.6")


def test_a_programme_linked_to_no_line_is_listed_outside_the_plan_and_the_rate(plan, figures):
    from reports.models import ProgrammeLink

    ProgrammeLink.objects.filter(programme="kotra").update(investment_line=None)
    figures.marketing[2018] = YearlyFigure(firms=5, amount_won=15_000_000)
    figures.kotra[2018] = YearlyFigure(firms=9, amount_won=13_900_000)
    budget = year_report_build(year=2018).budget
    assert [(row.name, row.spent_won) for row in budget.unplanned] == [("KOTRA 해외지사화", 13_900_000)]
    assert budget.rows[1].spent_won == 15_000_000
    assert budget.spent_won == 3_290 * M + 15_000_000


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
        + [("kotra", y) for y in (2018, 2019, 2020)]
        + [("loan_cost", 2020)]
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


def test_the_dashboard_opens_on_the_latest_year_that_has_results_not_the_last_term_year(plan, figures):
    import datetime

    from reports.services import _Figures, current_plan, dashboard_data_year

    plan = current_plan()

    figures.loans[2019] = YearlyFigure(firms=58, amount_won=0)
    assert dashboard_data_year(plan, _Figures(), datetime.date(2026, 11, 25)) == 2019
    assert dashboard_data_year(plan, _Figures(), datetime.date(2018, 6, 1)) == 2018
    assert dashboard_build().report.year == 2019


def test_the_dashboard_falls_back_to_the_term_year_when_no_year_has_recorded_results(plan, figures):
    import datetime

    from reports.services import _Figures, current_plan, dashboard_data_year

    # The card's 2018 추진실적 were recorded before the system: they don't pull the dashboard back.
    assert dashboard_data_year(current_plan(), _Figures(), datetime.date(2026, 11, 25)) == 2022

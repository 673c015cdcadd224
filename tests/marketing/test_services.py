"""Selecting firms: the district rule, once a year, the budget under a lock, the venture notice."""

import datetime

import pytest
from django.db import IntegrityError

from guro_sme.support import YearlyFigure
from marketing.models import BloggerEvent, MarketingProject, Selection
from marketing.selectors import marketing_support_by_year
from marketing.services import MarketingRuleError, event_save, project_save, selection_notices


def test_a_selection_records_cost_results_and_who(project, event, venture, select, staff_user):
    selection = select(
        project,
        venture(),
        1_400_000,
        event=event,
        posts_count=12,
        reach=15_300,
        link_url="https://blog.example.com/1",
    )
    selection.refresh_from_db()
    assert (selection.cost_won, selection.posts_count, selection.reach) == (1_400_000, 12, 15_300)
    assert selection.event == event and selection.created_by == staff_user


def test_a_firm_outside_the_district_is_refused(project, venture, select):
    with pytest.raises(MarketingRuleError, match="소재 기업이 아니어서 선정할 수 없습니다"):
        select(project, venture(name="관외벤처", in_district=False))
    assert Selection.objects.count() == 0


def test_a_firm_is_selected_once_a_year(project, venture, select):
    firm = venture()
    select(project, firm)
    with pytest.raises(MarketingRuleError, match="2018년에 이미 선정되어 있습니다"):
        select(project, firm)
    assert Selection.objects.count() == 1


def test_the_database_backs_once_a_year(project, venture, select):
    first = select(project, venture())
    with pytest.raises(IntegrityError):
        Selection.objects.create(project=project, firm=first.firm, cost_won=1)


def test_the_same_firm_may_be_selected_again_another_year(make_project, venture, select):
    firm = venture()
    select(make_project(2017), firm)
    select(make_project(2018), firm)
    assert marketing_support_by_year(2017).firms == 1 and marketing_support_by_year(2018).firms == 1


def test_the_budget_may_be_spent_exactly(make_project, venture, select):
    project = make_project(2018, budget_won=3_000_000)
    select(project, venture(), 1_500_000)
    select(project, venture(), 1_500_000)
    assert marketing_support_by_year(2018) == YearlyFigure(firms=2, amount_won=3_000_000)


def test_passing_the_budget_is_refused_and_nothing_is_written(make_project, venture, select):
    project = make_project(2018, budget_won=3_000_000)
    select(project, venture(), 1_500_000)
    with pytest.raises(MarketingRuleError) as refusal:
        select(project, venture(name="초과벤처"), 1_500_001)
    assert (
        "예산 3,000,000원을 넘습니다" in refusal.value.message and "잔액 1,500,000원" in refusal.value.message
    )
    assert Selection.objects.count() == 1


def test_editing_a_selection_does_not_count_its_own_old_cost(make_project, venture, select):
    project = make_project(2018, budget_won=2_000_000)
    selection = select(project, venture(), 1_500_000)
    select(project, selection.firm, 2_000_000, selection=selection)
    assert marketing_support_by_year(2018).amount_won == 2_000_000


def test_an_event_of_another_year_is_refused(make_project, venture, select):
    other = BloggerEvent.objects.create(
        project=make_project(2017), held_on=datetime.date(2017, 5, 1), place="x"
    )
    with pytest.raises(MarketingRuleError, match="다른 연도 사업의 품평회"):
        select(make_project(2018), venture(), event=other)


def test_a_firm_that_is_not_a_venture_is_allowed_with_a_notice(project, make_firm, select):
    firm = make_firm(name="(주)일반기업", firm_type="sme")
    select(project, firm)
    assert selection_notices(firm) == [
        "'(주)일반기업'은 벤처기업이 아닙니다(중소기업). 이 사업은 우수 기술력을 갖춘 벤처기업을 대상으로 합니다."
    ]


def test_a_venture_gets_no_notice(venture):
    assert selection_notices(venture()) == []


def test_the_budget_cannot_fall_below_what_is_spent(project, venture, select, staff_user):
    select(project, venture(), 1_500_000)
    project.budget_won = 1_000_000
    with pytest.raises(MarketingRuleError, match="이미 집행한 비용 1,500,000원보다 적은 예산"):
        project_save(project=project, actor=staff_user)
    assert MarketingProject.objects.get().budget_won == 15_000_000


def test_the_invited_count_is_at_least_the_names_listed(project):
    event = event_save(
        event=BloggerEvent(
            project=project, held_on=datetime.date(2018, 6, 1), place="평생학습관", blogger_names="가, 나\n다"
        )
    )
    assert event.bloggers_invited == 3 and event.blogger_list == ["가", "나", "다"]


def test_the_yearly_figure_counts_distinct_firms_and_sums_cost(make_project, venture, select):
    project = make_project(2016)
    for n in range(3):
        select(project, venture(), 1_000_000 + n)
    assert marketing_support_by_year(2016) == YearlyFigure(firms=3, amount_won=3_000_003)
    assert marketing_support_by_year(2015) == YearlyFigure()


def test_the_demo_holds_the_seeds_counts_and_is_idempotent(demo_state):
    from marketing import demo

    demo_state("marketing")  # demo.load()
    counts = {year: marketing_support_by_year(year).firms for year in (2016, 2017, 2018)}
    assert counts == {2016: 9, 2017: 10, 2018: 10}

    def counts():
        return (
            MarketingProject.objects.count(),
            BloggerEvent.objects.count(),
            Selection.objects.count(),
            MarketingProject.history.count(),
            Selection.history.count(),
        )

    before = counts()
    demo.load()
    assert counts() == before
    assert MarketingProject.objects.get(year=2018).budget_won == 15_000_000
    for year in (2016, 2017, 2018):
        figure = marketing_support_by_year(year)
        assert figure.amount_won <= MarketingProject.objects.get(year=year).budget_won

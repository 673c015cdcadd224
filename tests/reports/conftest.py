"""Fixtures for the reports: the seed's plan card, and the other apps' selectors replaced by
figures the test chooses, so these tests don't depend on the other apps' models."""

import pytest

from guro_sme.support import YearlyFigure


@pytest.fixture
def plan(demo_state):
    """The plan card III-2-1 loaded from fixtures/plan_*.json, as load_demo does (built once per
    test process, tests/demo_states.py)."""
    from reports.models import PlanCard

    demo_state("plan")
    return PlanCard.objects.get(code="III-2-1")


class FakeSelectors:
    """figures.loans[2018] = YearlyFigure(12, 1_200_000_000); programs[2018] = [{...}]."""

    def __init__(self):
        self.loans: dict[int, YearlyFigure] = {}
        self.marketing: dict[int, YearlyFigure] = {}
        self.kotra: dict[int, YearlyFigure] = {}
        # The loans' spending in the budget table: the district's own cost (reports.fund_accounts).
        self.loan_cost: dict[int, YearlyFigure] = {}
        self.programs: dict[int, list[dict]] = {}
        self.calls: list[tuple[str, int]] = []

    def _figure(self, name):
        def get(year):
            self.calls.append((name, year))
            return getattr(self, name).get(year, YearlyFigure())

        return get


@pytest.fixture
def figures(monkeypatch):
    fake = FakeSelectors()
    monkeypatch.setattr("loans.selectors.loan_support_by_year", fake._figure("loans"))
    monkeypatch.setattr("marketing.selectors.marketing_support_by_year", fake._figure("marketing"))
    monkeypatch.setattr("kotra.selectors.kotra_support_by_year", fake._figure("kotra"))
    monkeypatch.setattr("reports.fund_accounts.loan_district_spending_by_year", fake._figure("loan_cost"))
    monkeypatch.setattr(
        "programs.selectors.program_results_by_year", lambda year: fake.programs.get(year, [])
    )
    return fake

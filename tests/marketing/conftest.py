import datetime

import pytest

from marketing.models import BloggerEvent, MarketingProject
from marketing.services import selection_save


@pytest.fixture
def make_project(db):
    def make(year=2018, **fields):
        fields.setdefault("budget_won", 15_000_000)
        return MarketingProject.objects.create(year=year, **fields)

    return make


@pytest.fixture
def project(make_project):
    return make_project(2018)


@pytest.fixture
def event(project):
    return BloggerEvent.objects.create(
        project=project, held_on=datetime.date(2018, 4, 19), place="구로구청 대강당", bloggers_invited=20
    )


@pytest.fixture
def venture(make_firm):
    def make(**fields):
        fields.setdefault("firm_type", "venture")
        return make_firm(**fields)

    return make


@pytest.fixture
def select(staff_user):
    """select(project, firm, cost_won, **kwargs) through the service."""

    def do(project, firm, cost_won=1_500_000, **kwargs):
        return selection_save(project=project, firm=firm, cost_won=cost_won, actor=staff_user, **kwargs)

    return do

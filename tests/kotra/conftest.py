import pytest

from kotra.models import KotraProject
from kotra.services import Fees, participant_save, trade_office_get


@pytest.fixture
def make_project(db):
    def make(year=2018, **fields):
        fields.setdefault("budget_won", 15_000_000)
        return KotraProject.objects.create(year=year, **fields)

    return make


@pytest.fixture
def project(make_project):
    return make_project(2018)


@pytest.fixture
def register(staff_user):
    """register(project, firm, branch=..., logistics=..., **kwargs) through the service."""

    def do(project, firm, *, branch=None, logistics=None, city="런던", country="영국", user=None, **kwargs):
        return participant_save(
            project=project,
            firm=firm,
            trade_office=trade_office_get(city=city, country=country),
            product=kwargs.pop("product", ""),
            fees=Fees(branch=branch, logistics=logistics),
            actor=user or staff_user,
            **kwargs,
        )

    return do


@pytest.fixture
def seed_demo(demo_state):
    """The seed's nine firms as the core demo makes them (not its users), then the kotra demo
    (tests/demo_states.py, built once per test process)."""
    demo_state("kotra_seed")

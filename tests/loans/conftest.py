"""Loans fixtures: the three kinds of fund, a call that is open on ENTRY_DAY, an application factory.

Amounts and terms mirror the seed's 2018 funds, but they are set here as data, like the demo.
"""

import datetime
from decimal import Decimal

import pytest

ENTRY_DAY = datetime.date(2018, 1, 15)


@pytest.fixture
def partner_bank(db):
    from guro_sme.models import Organization

    return Organization.objects.create(name="테스트은행", kind=Organization.Kind.BANK)


@pytest.fixture
def guarantee_foundation(db):
    from guro_sme.models import Organization

    return Organization.objects.create(name="테스트신용보증재단", kind=Organization.Kind.GUARANTEE)


def _fund(name, kind, allocation, limits, **fields):
    from loans.models import FundFirmLimit, LoanFund

    fund = LoanFund.objects.create(name=name, kind=kind, year=2018, allocation_won=allocation, **fields)
    for firm_type, limit in limits.items():
        FundFirmLimit.objects.create(fund=fund, firm_type=firm_type, limit_won=limit)
    return fund


@pytest.fixture
def loan_funds(db, partner_bank, guarantee_foundation):
    """{"district": 50억 1.8%, "bank": 30억 + 1%p subsidy, "guarantee": 10억, pool 5억×10, 소상공인 only}."""
    from loans.models import LoanFund

    limits = {"sme": 200_000_000, "venture": 200_000_000, "small_business": 50_000_000}
    return {
        "district": _fund(
            "구기금",
            LoanFund.Kind.DISTRICT_FUND,
            5_000_000_000,
            limits,
            interest_rate=Decimal("1.80"),
            partner_bank=partner_bank,
        ),
        "bank": _fund(
            "은행협력자금",
            LoanFund.Kind.BANK_PARTNERSHIP,
            3_000_000_000,
            limits,
            subsidy_cap_pct=Decimal("1.00"),
            partner_bank=partner_bank,
        ),
        "guarantee": _fund(
            "보증특례",
            LoanFund.Kind.GUARANTEE,
            1_000_000_000,
            {"small_business": 50_000_000},
            rate_min=Decimal("3.00"),
            rate_max=Decimal("5.00"),
            partner_bank=partner_bank,
            guarantor=guarantee_foundation,
            repayment_years_min=3,
            repayment_years_max=4,
            guarantee_contribution_won=500_000_000,
            guarantee_multiplier=10,
            year_round=True,
        ),
    }


@pytest.fixture
def loan_call(loan_funds):
    from loans.models import LoanCall, RubricItem

    call = LoanCall.objects.create(
        title="2018년 상반기 융자 공고",
        year=2018,
        half=LoanCall.Half.FIRST,
        opens_on=datetime.date(2018, 1, 8),
        closes_on=datetime.date(2018, 1, 26),
    )
    call.funds.set(loan_funds.values())
    for order, (name, weight) in enumerate(
        [("사업성", 30), ("기술성", 20), ("상환능력", 30), ("지역기여도", 20)]
    ):
        RubricItem.objects.create(call=call, name=name, weight=weight, order=order)
    return call


@pytest.fixture
def loan_firm(make_firm):
    """make a firm old enough to apply: loan_firm(firm_type="small_business", ...)."""

    def make(**fields):
        fields.setdefault("founded_on", datetime.date(2010, 1, 1))
        return make_firm(**fields)

    return make


@pytest.fixture
def make_application(loan_call, loan_funds, loan_firm, staff_user):
    """make_application(status="review", fund="district", amount=..., firm=...) — a row in that
    status, created directly (no events); for workflow tests call the services."""
    from loans.models import LoanApplication

    def make(status="draft", fund="district", amount=100_000_000, firm=None, call=None, **fields):
        firm = firm or loan_firm(firm_type="small_business" if fund == "guarantee" else "sme")
        return LoanApplication.objects.create(
            firm=firm,
            call=call or loan_call,
            fund=loan_funds[fund] if isinstance(fund, str) else fund,
            requested_amount_won=amount,
            purpose="operating",
            status=status,
            submitted_on=ENTRY_DAY,
            created_by=staff_user,
            **fields,
        )

    return make


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded documents go to a temporary MEDIA_ROOT, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"

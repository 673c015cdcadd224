"""The loans demo: the seed's three funds, calls, applications in every status; running it twice changes nothing."""

from decimal import Decimal

from loans import demo
from loans.models import ApplicationEvent, Installment, LoanApplication, LoanCall, LoanFund


def counts():
    return [m.objects.count() for m in (LoanFund, LoanCall, LoanApplication, ApplicationEvent, Installment)]


def test_the_demo_has_every_status_from_the_seed_and_is_idempotent(demo_state):
    demo_state("loans")  # core_demo.load(), then demo.load()
    first = counts()
    demo.load()
    assert counts() == first

    funds = {f.name: f for f in LoanFund.objects.filter(year=2018)}
    assert funds["중소기업육성기금"].allocation_won == 5_000_000_000
    assert funds["중소기업육성기금"].interest_rate == Decimal("1.80")
    assert funds["우리은행협력자금"].allocation_won == 3_000_000_000
    assert funds["우리은행협력자금"].subsidy_cap_pct == Decimal("1.00")
    assert funds["우리은행협력자금"].partner_bank.name == "우리은행"
    guarantee = funds["구로구 보증특례지원"]
    assert (guarantee.allocation_won, guarantee.guarantee_pool_won) == (1_000_000_000, 5_000_000_000)
    assert guarantee.limit_for("small_business") == 50_000_000
    assert guarantee.guarantor.name == "서울신용보증재단"

    statuses = set(LoanApplication.objects.values_list("status", flat=True))
    assert statuses == set(LoanApplication.Status.values)
    january = LoanCall.objects.get(half="first")
    assert january.committee_members.count() == 7
    assert january.rubric_items.count() == 4
    assert january.applications.filter(status="review").count() == 4
    assert january.applications.filter(status="on_agenda").count() == 4
    for application in LoanApplication.objects.filter(status__in=("executed", "repaying", "repaid")):
        assert sum(i.principal_won for i in application.installments.all()) == application.executed_amount_won

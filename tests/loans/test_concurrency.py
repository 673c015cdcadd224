"""Concurrent decisions against one fund, on SQLite (WAL, immediate transactions) and PostgreSQL."""

import pytest

from loans import services
from loans.models import LoanApplication, LoanFund
from loans.services import LoanRuleError
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]
S = LoanApplication.Status


def test_concurrent_selections_never_overdraw_the_fund(make_application, loan_funds, staff_user):
    fund = loan_funds["district"]
    LoanFund.objects.filter(pk=fund.pk).update(allocation_won=300_000_000)
    applications = [make_application(status=S.ON_AGENDA, amount=100_000_000) for _ in range(8)]

    def select(application):
        return services.application_decide(
            application=application, outcome=S.SELECTED, approved_amount_won=100_000_000, actor=staff_user
        )

    results = run_at_once(select, applications)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, LoanRuleError)]
    assert unexpected == []  # no "database is locked", no deadlock: only the rule's refusals
    selected = LoanApplication.objects.filter(fund=fund, status=S.SELECTED)
    assert selected.count() == 3
    assert sum(a.approved_amount_won for a in selected) == 300_000_000
    assert sum(isinstance(r, LoanRuleError) for r in results) == 5

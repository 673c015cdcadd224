"""An executed loan to repay: 1억 from the district fund at 1.8%, executed 2018-03-15
(1 year grace, then 4 years × 2 payments: 10 installments, 8 of 12,500,000 principal)."""

import datetime
from decimal import Decimal

import pytest

from loans.models import LoanApplication

EXECUTED_ON = datetime.date(2018, 3, 15)


@pytest.fixture
def execute(staff_user):
    from loans import services

    def run(application, *, amount=100_000_000, rate="1.8", on=EXECUTED_ON):
        services.application_record_bank_approval(
            application=application,
            executed_amount_won=amount,
            bank_rate=Decimal(rate),
            executed_on=on,
            actor=staff_user,
        )
        application.refresh_from_db()
        return application

    return run


@pytest.fixture
def loan(make_application, execute):
    from loans.models import LoanApplication

    application = make_application(status=LoanApplication.Status.REFERRED, approved_amount_won=100_000_000)
    return execute(application)


@pytest.fixture
def bank_loan(make_application, execute):
    """2억 from the bank fund at 3.5%; the district pays min(3.5%, cap 1%) = 1%."""
    application = make_application(
        status=LoanApplication.Status.REFERRED,
        fund="bank",
        amount=200_000_000,
        approved_amount_won=200_000_000,
    )
    return execute(application, amount=200_000_000, rate="3.5")

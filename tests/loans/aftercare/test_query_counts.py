"""The aftercare lists run the same number of queries for one loan as for several (no query per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guro_sme.services import firm_save
from loans.aftercare import services
from loans.aftercare.models import RecoveryCase
from loans.models import LoanApplication

S = LoanApplication.Status


@pytest.fixture
def grow(make_application, execute, staff_user, loan_funds):
    """grow(n): n more executed loans, each with a part payment (in arrears today), a 환수 case
    and a line on one open subsidy claim of the bank fund."""
    claim = services.subsidy_claim_open(
        fund=loan_funds["bank"],
        period_start=datetime.date(2018, 3, 15),
        period_end=datetime.date(2018, 9, 15),
        actor=staff_user,
    )

    def more(n):
        for _ in range(n):
            loan = execute(make_application(status=S.REFERRED, approved_amount_won=100_000_000))
            first = loan.installments.order_by("number").first()
            services.payment_record(
                application=loan, paid_on=first.due_on, amount_won=300_000, actor=staff_user
            )
            loan.firm.in_district = False
            firm_save(firm=loan.firm, actor=staff_user, reason="관외 이전")
            services.recovery_open(
                firm=loan.firm,
                application=loan,
                cause=RecoveryCase.Cause.MOVED_OUT,
                cause_on=datetime.date(2019, 3, 31),
                actor=staff_user,
                on_date=datetime.date(2019, 6, 30),
            )
            bank = execute(
                make_application(
                    status=S.REFERRED, fund="bank", amount=200_000_000, approved_amount_won=200_000_000
                ),
                amount=200_000_000,
                rate="3.5",
            )
            services.subsidy_claim_add_line(
                claim=claim, application=bank, claimed_won=1_000_000, actor=staff_user
            )
        return claim

    return more


@pytest.mark.parametrize(
    "name",
    [
        "aftercare:arrears",
        "aftercare:due_list",
        "aftercare:recovery_list",
        "aftercare:claim_list",
        "claim_detail",
    ],
)
def test_an_aftercare_page_runs_as_many_queries_for_four_loans_as_for_one(name, grow, manager_client):
    claim = grow(1)
    url = claim.get_absolute_url() if name == "claim_detail" else reverse(name)
    with CaptureQueriesContext(connection) as one:
        assert manager_client.get(url).status_code == 200
    grow(3)
    with CaptureQueriesContext(connection) as four:
        response = manager_client.get(url)
    assert response.status_code == 200
    assert len(four) == len(one), [q["sql"][:120] for q in four.captured_queries]
    if name == "aftercare:arrears":  # the district and the bank loans, all behind since 2018
        assert len(response.context["rows"]) == 8
    if name == "aftercare:recovery_list":
        assert len(response.context["cases"]) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_arrears_narrowing_can_read_the_unsettled_installments_through_their_indexes(db):
    """Installments due and not settled on a day (paid_on NULL, or paid later), the window of
    selectors._with_unsettled_installment: a partial index and the paid_on index serve it instead
    of a scan of every installment (43 → 2.6 ms at scale 1)."""
    from django.db.models import Q

    from loans.models import Installment

    today = datetime.date(2026, 12, 1)
    window = Installment.objects.filter(Q(due_on__lte=today), Q(paid_on__isnull=True) | Q(paid_on__gt=today))
    sql, params = window.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: can the index serve?
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "installment_unsettled_due" in plan and "installment_paid_on" in plan, plan

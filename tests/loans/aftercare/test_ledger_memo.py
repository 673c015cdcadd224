"""The fund ledger (every executed loan with its repayments) is built again only when a row it
reads has been written: the fund dashboard and the report stop reading every loan on every view,
and never show figures older than the data."""

import datetime

import pytest

from loans.aftercare import services as aftercare
from reports import fund_accounts
from reports.fund_accounts import _Ledger, data_version

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def memo_on(settings):
    settings.FUND_LEDGER_MEMO = True
    fund_accounts._LEDGER_MEMO.clear()
    yield
    fund_accounts._LEDGER_MEMO.clear()


def test_the_ledger_is_kept_until_a_payment_changes_it(loan, staff_user):
    first = _Ledger.shared()
    assert _Ledger.shared() is first
    before = fund_accounts.district_cost_by_year([2019])[0]

    day = loan.installments.get(number=1).due_on
    aftercare.payment_record(application=loan, paid_on=day, amount_won=900_000, actor=staff_user)
    second = _Ledger.shared()
    assert second is not first
    assert [p.interest_won for p in second.payments] == [900_000]
    assert fund_accounts.district_cost_by_year([2019])[0] == before  # the district fund: no subsidy
    assert _Ledger.shared() is second


def figures(ledger) -> tuple:
    return (
        [(p.application_id, p.paid_on, p.principal_won, p.interest_won) for p in ledger.payments],
        repr(fund_accounts.fund_accounts_all(ledger)),
        [ledger.district_cost(year) for year in range(2018, 2024)],
    )


def test_after_payments_and_a_reversal_only_the_written_loans_are_read_again(
    loan, bank_loan, staff_user, monkeypatch
):
    _Ledger.shared()
    reread = []
    original = _Ledger.with_loans_reread
    monkeypatch.setattr(
        _Ledger, "with_loans_reread", lambda self, pks: reread.append(set(pks)) or original(self, pks)
    )
    first = loan.installments.get(number=1)
    payment = aftercare.payment_record(
        application=loan, paid_on=first.due_on, amount_won=900_000, actor=staff_user
    )
    assert figures(_Ledger.shared()) == figures(_Ledger())
    aftercare.payment_record(
        application=bank_loan,
        paid_on=bank_loan.installments.get(number=1).due_on,
        amount_won=500_000,
        actor=staff_user,
    )
    aftercare.payment_reverse(payment=payment, reason="이중 입력", actor=staff_user)
    assert figures(_Ledger.shared()) == figures(_Ledger())
    assert reread == [{loan.pk}, {loan.pk, bank_loan.pk}]


def test_a_changed_fund_reads_every_loan_again(loan, staff_user, monkeypatch):
    _Ledger.shared()
    monkeypatch.setattr(_Ledger, "with_loans_reread", lambda self, pks: pytest.fail("not a full rebuild"))
    fund = loan.fund
    fund.name = "이름을 바꾼 기금"
    fund.save()
    assert [
        a.fund.name for a in fund_accounts.fund_accounts_all(_Ledger.shared()) if a.fund.pk == fund.pk
    ] == ["이름을 바꾼 기금"]


def test_rows_loaded_without_history_change_the_version(loan):
    from loans.models import Installment

    version = data_version()
    extra = loan.installments.order_by("-number").first()
    Installment.objects.bulk_create(
        [
            Installment(
                application=loan,
                number=extra.number + 1,
                due_on=extra.due_on + datetime.timedelta(days=180),
                principal_won=1,
                interest_won=0,
                balance_before_won=1,
                balance_after_won=0,
            )
        ]
    )  # as loaddata or a restore writes: no history row
    assert data_version() != version
    assert fund_accounts._loans_written_between(version, data_version()) is None  # a full rebuild


def test_inside_a_transaction_nothing_is_remembered(loan):
    from django.db import transaction

    with transaction.atomic():
        assert _Ledger.shared() is not _Ledger.shared()
    assert fund_accounts._LEDGER_MEMO == {}


def test_the_servers_warm_up_leaves_the_ledger_remembered_for_the_workers(demo_state, loan):
    """gunicorn's master calls warm_up before it forks (guro_sme/gunicorn.conf.py): the workers
    then start with the ledger instead of building it on their first report view."""
    from reports.services import warm_up

    demo_state("plan")
    assert fund_accounts._LEDGER_MEMO == {}
    warm_up()
    version, ledger = fund_accounts._LEDGER_MEMO["ledger"]
    assert version == data_version() and loan.pk in ledger.loans
    assert _Ledger.shared() is ledger


def test_the_warm_up_does_nothing_without_a_plan(loan):
    from reports.services import warm_up

    warm_up()
    assert fund_accounts._LEDGER_MEMO == {}

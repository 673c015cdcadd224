"""The bank's repayment file: rows matched to loans, split checked against the schedule, all or nothing."""

import pytest

from guro_sme.imports.engine import run_import
from loans.aftercare.models import LoanPayment
from loans.aftercare.resources import BankRepaymentResource
from loans.aftercare.selectors import loan_balance
from tests.imports.conftest import xlsx_bytes

HEADERS = ["사업자등록번호", "대출실행일", "납입일", "원금", "이자"]


def rows_for(loan, *lines):
    return [HEADERS, *([loan.firm.business_number_display, "2018-03-15", *line] for line in lines)]


def run(rows, user, dry_run=False):
    return run_import(BankRepaymentResource, xlsx_bytes(rows), "bank.xlsx", user=user, dry_run=dry_run)


def test_bank_rows_become_payments_from_the_bank_file(loan, staff_user):
    rows = rows_for(loan, ["2018-09-15", 0, 900_000], ["2019-03-20", 0, "900,000"])
    preview = run(rows, staff_user, dry_run=True)
    assert preview.ok and not LoanPayment.objects.exists()
    report = run(rows, staff_user)
    assert report.ok and report.written, [e.message for e in report.errors]
    payments = list(LoanPayment.objects.order_by("paid_on"))
    assert [(p.source, p.amount_won, p.bank_interest_won, p.entered_by) for p in payments] == [
        ("bank_file", 900_000, 900_000, staff_user)
    ] * 2
    balance = loan_balance(loan)
    assert balance.interest_paid_won == 1_800_000 and balance.outstanding_principal_won == 100_000_000
    # The same file again: every row is reported as already imported; nothing is added.
    again = run(rows, staff_user)
    assert not again.written and all("이미 가져온 납입" in e.message for e in again.errors)
    assert LoanPayment.objects.count() == 2


@pytest.mark.parametrize(
    "line, message",
    [
        (["2019-03-15", 100_000, 800_000], "상환 일정과 맞지 않습니다"),
        (["2019-03-15", 200_000_000, 0], "남은 상환액"),
    ],
)
def test_a_row_that_does_not_fit_the_schedule_is_listed_and_nothing_is_written(
    loan, staff_user, line, message
):
    rows = rows_for(loan, ["2018-09-15", 0, 900_000], line)
    report = run(rows, staff_user)
    assert not report.written
    assert [e.row for e in report.errors] == [3]
    assert message in report.errors[0].message
    assert not LoanPayment.objects.exists()


def test_an_unknown_loan_is_not_guessed(loan, staff_user):
    rows = [HEADERS, [loan.firm.business_number_display, "2018-03-16", "2018-09-15", 0, 900_000]]
    report = run(rows, staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(2, "사업자등록번호")]
    assert "실행된 융자가 없습니다" in report.errors[0].message
    assert not LoanPayment.objects.exists()

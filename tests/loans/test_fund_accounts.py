"""기금 결산 and the district's real cost (reports.fund_accounts), reconciled against the loans and
their installments: closing = opening + inflows − outflows, outstanding = unpaid principal."""

import datetime
from decimal import Decimal

import pytest

from loans.models import Installment, LoanFund
from loans.services import application_record_bank_approval
from reports import fund_accounts
from reports.models import FundAccountInput

D = datetime.date
M = 1_000_000


EXECUTED_ON = D(2018, 3, 15)


def _executed(make_application, staff_user, *, fund, amount, rate, on=EXECUTED_ON):
    if fund == "guarantee":  # the foundation's approval comes before the bank on the guarantee path
        application = make_application(
            status="guarantee_approved",
            fund=fund,
            amount=amount,
            approved_amount_won=amount,
            guarantee_amount_won=amount,
            guarantee_ratio_pct=Decimal("100"),
        )
    else:
        application = make_application(
            status="referred", fund=fund, amount=amount, approved_amount_won=amount
        )
    return application_record_bank_approval(
        application=application, executed_amount_won=amount, bank_rate=rate, executed_on=on, actor=staff_user
    )


def _pay(application, until: datetime.date, actor):
    """Every installment due up to `until` paid in full on its due date (a payment record each)."""
    from loans.aftercare.models import LoanPayment

    for installment in Installment.objects.filter(application=application, due_on__lte=until):
        LoanPayment.objects.create(
            application=application,
            paid_on=installment.due_on,
            amount_won=installment.total_won,
            entered_by=actor,
        )


def _unpaid_principal(application, as_of):
    """Σ principal of the installments not paid: those due after `as_of` (earlier ones were paid)."""
    return sum(i.principal_won for i in Installment.objects.filter(application=application, due_on__gt=as_of))


@pytest.fixture
def loans(make_application, staff_user, loan_funds):
    district = _executed(make_application, staff_user, fund="district", amount=100 * M, rate=Decimal("1.80"))
    bank = _executed(make_application, staff_user, fund="bank", amount=200 * M, rate=Decimal("4.00"))
    guaranteed = _executed(
        make_application, staff_user, fund="guarantee", amount=50 * M, rate=Decimal("4.00")
    )
    FundAccountInput.objects.create(fund=loan_funds["district"], opening_balance_won=5_000 * M)
    FundAccountInput.objects.create(fund=loan_funds["bank"], transfers_in_won=10 * M)
    # The same district fund in 2019: its opening is carried from 2018's closing.
    LoanFund.objects.create(
        name="구기금",
        kind=LoanFund.Kind.DISTRICT_FUND,
        year=2019,
        allocation_won=5_000 * M,
        interest_rate=Decimal("1.80"),
    )
    _pay(district, D(2019, 12, 31), staff_user)
    _pay(bank, D(2018, 12, 31), staff_user)
    from loans.aftercare.models import SubsidyClaim

    # The bank's claim for the first half-year, approved at 1,000,000원 (200백만원 × 1%p ÷ 2).
    SubsidyClaim.objects.create(
        fund=loan_funds["bank"],
        period_start=D(2018, 3, 15),
        period_end=D(2018, 9, 15),
        status=SubsidyClaim.Status.APPROVED,
        approved_won=1_000_000,
        entered_by=staff_user,
    )
    return {"district": district, "bank": bank, "guarantee": guaranteed}


def _by_name(year):
    return {a.fund.name: a for a in fund_accounts.fund_accounts_for(year).accounts}


def test_every_account_closes_at_opening_plus_inflows_minus_outflows(loans):
    for account in fund_accounts.fund_accounts_all():
        inflows = account.transfers_in_won + account.principal_repaid_won + account.interest_received_won
        outflows = (
            account.loans_executed_won + account.subsidies_paid_won + account.guarantee_contribution_won
        )
        assert account.closing_won == account.opening_won + inflows - outflows


def test_the_district_funds_account_follows_its_own_loans_and_carries_to_the_next_year(loans):
    first = _by_name(2018)["구기금"]
    # 100백만원 lent on 2018-03-15 at 1.8%, 연 2회: 2018-09-15 interest only (900,000원).
    assert (first.opening_won, first.opening_carried) == (5_000 * M, False)
    assert (first.loans_executed_won, first.principal_repaid_won, first.interest_received_won) == (
        100 * M,
        0,
        900_000,
    )
    assert first.closing_won == 5_000 * M - 100 * M + 900_000
    assert first.outstanding_won == 100 * M
    second = _by_name(2019)["구기금"]
    assert (second.opening_won, second.opening_carried) == (first.closing_won, True)
    # 2019: 03-15 interest only, 09-15 the first principal part (12.5백만원) with interest.
    assert (second.principal_repaid_won, second.interest_received_won, second.loans_executed_won) == (
        12_500_000,
        1_800_000,
        0,
    )
    assert second.next_year_capacity_won == second.closing_won


def test_outstanding_is_the_sum_of_unpaid_principal(loans, loan_funds):
    from loans.aftercare.selectors import outstanding_principal

    district = _by_name(2019)["구기금"]
    assert district.outstanding_won == _unpaid_principal(loans["district"], D(2019, 12, 31)) == 87_500_000
    assert district.outstanding_won == outstanding_principal(loan_funds["district"], as_of=D(2019, 12, 31))
    bank = _by_name(2018)["은행협력자금"]
    assert bank.outstanding_won == _unpaid_principal(loans["bank"], D(2018, 12, 31)) == 200 * M


def test_the_bank_fund_pays_subsidies_and_lends_the_banks_money_outside_its_account(loans):
    bank = _by_name(2018)["은행협력자금"]
    # 200백만원 at 4.0%: the district pays min(1%p, 4%) on the balance, half a year at a time.
    assert bank.subsidies_paid_won == 1_000_000
    assert (bank.loans_executed_won, bank.mobilised_executed_won) == (0, 200 * M)
    assert bank.closing_won == 10 * M - 1_000_000
    assert bank.next_year_capacity_won is None
    guarantee = _by_name(2018)["보증특례"]
    assert guarantee.guarantee_contribution_won == 500 * M and guarantee.mobilised_executed_won == 50 * M


def test_the_districts_cost_is_kept_apart_from_the_lending_it_mobilised(loans):
    cost = fund_accounts.district_cost_by_year([2018, 2019])
    first, second = cost
    assert (first.own_lending_won, first.bank_lending_won, first.guarantee_lending_won) == (
        100 * M,
        200 * M,
        50 * M,
    )
    # Due: 200백만원 × 1%p for 292 days (3.15 to year end) ÷ 365; paid: the approved claim.
    assert (first.subsidy_due_won, first.subsidy_paid_won, first.guarantee_contribution_won) == (
        1_600_000,
        1_000_000,
        500 * M,
    )
    assert first.district_total_won == 100 * M + 1_000_000 + 500 * M
    assert first.mobilised_won == 250 * M
    # 2019: a whole year on the full balance (no principal repaid yet), nothing claimed yet.
    assert (second.subsidy_due_won, second.subsidy_paid_won, second.own_lending_won) == (2_000_000, 0, 0)
    assert fund_accounts.loan_district_spending_by_year(2018).amount_won == first.district_total_won


def test_the_accounts_page_and_its_excel_show_the_same_figures(manager_client, loans):
    import io

    from openpyxl import load_workbook

    body = manager_client.get("/reports/funds/?year=2018").content.decode()
    assert "2018년 기금 결산" in body and "4,900,900,000" in body  # 구기금's closing
    assert "조달한 융자" in body
    book = load_workbook(io.BytesIO(manager_client.get("/reports/funds/xlsx/?year=2018").content))
    rows = {r[0].value: [c.value for c in r] for r in book["기금 결산"].iter_rows(min_row=4)}
    assert rows["구기금"][8] == 4_900_900_000
    assert manager_client.get("/reports/funds/?year=abc").status_code == 404
    assert "기금이 없습니다" in manager_client.get("/reports/funds/?year=2017").content.decode()


def test_committee_members_may_not_read_the_accounts(client, committee_user):
    client.force_login(committee_user)
    assert client.get("/reports/funds/").status_code == 403
    assert client.get("/reports/funds/xlsx/").status_code == 403


def test_the_accounts_run_a_constant_number_of_queries(manager_client, loans, make_application, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            assert manager_client.get("/reports/funds/?year=2018").status_code == 200
        return len(context.captured_queries)

    few = count()
    for _ in range(3):
        _executed(make_application, staff_user, fund="district", amount=10 * M, rate=Decimal("1.80"))
    assert count() == few


def test_staff_enter_a_funds_opening_balance_and_transfers_and_the_account_follows(
    client, staff_user, manager_user, committee_user, loan_funds
):
    from django.urls import reverse

    from reports.fund_accounts import fund_accounts_for
    from reports.models import FundAccountInput

    fund = loan_funds["district"]
    url = reverse("reports:fund_account_inputs", args=[fund.pk])
    for refused in (manager_user, committee_user):
        client.force_login(refused)
        assert client.post(url, {"opening_balance_won": "50억", "transfers_in_won": "0"}).status_code == 403
    client.force_login(staff_user)
    bad = client.post(url, {"opening_balance_won": "오십억", "transfers_in_won": ""})
    assert "금액은 원 단위 숫자로 입력하세요" in bad.content.decode()
    assert not FundAccountInput.objects.exists()

    client.post(url, {"opening_balance_won": "5,000,000,000", "transfers_in_won": "2억", "note": "조성액"})
    client.post(url, {"opening_balance_won": "5,000,000,000", "transfers_in_won": "3억", "note": "추경"})
    district = next(a for a in fund_accounts_for(fund.year).accounts if a.fund == fund)
    assert (district.opening_won, district.transfers_in_won) == (5_000_000_000, 300_000_000)
    inputs = FundAccountInput.objects.get(fund=fund)
    trail = [(h.transfers_in_won, h.history_user) for h in inputs.history.order_by("history_id")]
    assert trail == [(200_000_000, staff_user), (300_000_000, staff_user)]
    page = client.get(reverse("reports:fund_accounts"), {"year": fund.year}).content.decode()
    assert url in page


def test_a_report_reads_the_loans_once_and_the_subsidies_in_one_query(loans, loan_funds, staff_user):
    """Within one_ledger() (the yearly report) the fund accounts and the district's cost share one
    read of the loans; approved subsidies of more funds and years add no query."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loans.aftercare.models import SubsidyClaim
    from reports.fund_accounts import fund_accounts_for, loan_district_spending_by_year, one_ledger

    def count():
        with CaptureQueriesContext(connection) as alone:
            expected = fund_accounts_for(2018)
        with CaptureQueriesContext(connection) as shared, one_ledger():
            accounts = fund_accounts_for(2018)
            spending = loan_district_spending_by_year(2018)
        assert accounts == expected and spending == loan_district_spending_by_year(2018)
        assert len(shared) == len(alone)  # the second read came from the shared ledger
        return len(alone), accounts

    few, before = count()
    for year in (2018, 2019, 2020):
        SubsidyClaim.objects.create(
            fund=loan_funds["bank"],
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 6, 30),
            status=SubsidyClaim.Status.APPROVED,
            approved_won=100_000,
            entered_by=staff_user,
        )
    many, accounts = count()
    assert many == few

    def bank(result):
        return next(a for a in result.accounts if a.fund == loan_funds["bank"]).subsidies_paid_won

    assert bank(accounts) == bank(before) + 100_000  # only the claim ending in 2018 counts for 2018


def test_the_ledgers_plain_rows_give_the_same_loan_states_as_the_model_rows(loans):
    """The yearly report reads the schedules and payments as plain rows (with_repayment_rows);
    loan_state, subsidy_due and the balances come out as from the prefetched models."""
    from loans.aftercare.selectors import (
        loan_balance,
        loan_state,
        subsidy_due,
        with_repayment_data,
        with_repayment_rows,
    )
    from loans.models import LoanApplication

    executed = LoanApplication.objects.filter(executed_on__isnull=False).select_related("fund").order_by("pk")
    models = list(with_repayment_data(executed))
    rows = with_repayment_rows(executed)
    assert [loan.pk for loan in rows] == [loan.pk for loan in models] and len(rows) == 3
    for model, row in zip(models, rows, strict=True):
        for as_of in (D(2018, 3, 14), D(2018, 12, 31), D(2019, 6, 30), D(2030, 1, 1)):
            assert loan_state(row, as_of=as_of) == loan_state(model, as_of=as_of)
            assert loan_balance(row, as_of=as_of) == loan_balance(model, as_of=as_of)
            assert loan_state(row, as_of=as_of) is loan_state(row, as_of=as_of)  # worked out once
        for year in (2018, 2019, 2020):
            start, end = D(year, 1, 1), D(year + 1, 1, 1)
            assert subsidy_due(row, start=start, end=end) == subsidy_due(model, start=start, end=end)
    assert any(subsidy_due(row, start=D(2018, 1, 1), end=D(2019, 1, 1)) for row in rows)


def test_the_yearly_reports_loan_figures_run_a_constant_number_of_queries(
    loans, make_application, staff_user
):
    """More executed loans, installments and payments: the same queries for the accounts, the
    district's cost and the arrears the yearly report shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loans.aftercare.selectors import aftercare_by_year
    from reports.fund_accounts import district_cost_by_year, executed_loans, fund_accounts_for, one_ledger

    def count():
        with CaptureQueriesContext(connection) as context, one_ledger():
            fund_accounts_for(2019)
            district_cost_by_year([2018, 2019])
            aftercare_by_year(2019, loans=executed_loans())
        return len(context.captured_queries)

    few = count()
    for fund in ("district", "bank", "district"):
        added = _executed(make_application, staff_user, fund=fund, amount=30 * M, rate=Decimal("4.00"))
        _pay(added, D(2019, 6, 30), staff_user)
    assert count() == few

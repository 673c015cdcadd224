"""The bank's interest-subsidy claim: due per loan from the balance the payments leave, line-by-line
differences, an approval with who and when, yearly totals for the reports."""

import datetime

import pytest

from guro_sme.imports.engine import run_import
from loans.aftercare import services
from loans.aftercare.models import SubsidyClaim, SubsidyClaimLine
from loans.aftercare.resources import SubsidyClaimResource
from loans.aftercare.selectors import subsidy_approved, subsidy_claims_by_year, subsidy_due
from loans.models import LoanApplication
from loans.services import LoanRuleError
from tests.imports.conftest import xlsx_bytes

S = LoanApplication.Status


def test_the_due_follows_the_daily_balance(bank_loan, staff_user):
    # 2018-03-15 → 09-15: 184 days × 2억 × 1% ÷ 365
    assert (
        subsidy_due(bank_loan, start=datetime.date(2018, 3, 15), end=datetime.date(2018, 9, 15)) == 1_008_219
    )
    for row in bank_loan.installments.filter(number__lte=3):
        services.payment_record(
            application=bank_loan, paid_on=row.due_on, amount_won=row.total_won, actor=staff_user
        )
    # 184 days at 2억, then 182 days at 1억 7,500만 after 2019-09-15's 2,500만 principal
    assert (
        subsidy_due(bank_loan, start=datetime.date(2019, 3, 15), end=datetime.date(2020, 3, 15)) == 1_880_821
    )


def test_a_claim_shows_differences_and_is_approved_once(bank_loan, staff_user, manager_user, loan_funds):
    with pytest.raises(LoanRuleError, match="은행 협력자금이 아니어서"):
        services.subsidy_claim_open(
            fund=loan_funds["district"],
            period_start=datetime.date(2018, 3, 15),
            period_end=datetime.date(2018, 9, 15),
            actor=staff_user,
        )
    claim = services.subsidy_claim_open(
        fund=loan_funds["bank"],
        period_start=datetime.date(2018, 3, 15),
        period_end=datetime.date(2018, 9, 15),
        actor=staff_user,
    )
    line = services.subsidy_claim_add_line(
        claim=claim, application=bank_loan, claimed_won=1_010_000, actor=staff_user
    )
    assert (line.computed_won, line.difference_won) == (1_008_219, 1_781)
    with pytest.raises(LoanRuleError, match="청구액 합계 1,010,000원보다 많습니다"):
        services.subsidy_claim_approve(claim=claim, approved_won=2_000_000, actor=staff_user)
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        services.subsidy_claim_approve(claim=claim, approved_won=1_008_219, actor=manager_user)
    services.subsidy_claim_approve(
        claim=claim, approved_won=1_008_219, note="산정액으로 지급", actor=staff_user
    )
    claim.refresh_from_db()
    assert (claim.status, claim.approved_won, claim.approved_by) == ("approved", 1_008_219, staff_user)
    assert claim.approved_at is not None
    with pytest.raises(LoanRuleError, match="이미 지급 승인"):
        services.subsidy_claim_approve(claim=claim, approved_won=1, actor=staff_user)
    assert subsidy_approved(loan_funds["bank"], 2018) == 1_008_219 and subsidy_approved(None, 2019) == 0
    assert subsidy_claims_by_year(2018) == {
        "claims": 1,
        "claimed_won": 1_010_000,
        "computed_won": 1_008_219,
        "approved_won": 1_008_219,
    }


def test_a_claim_file_imports_with_row_errors(bank_loan, staff_user):
    headers = ["기금명", "청구기간 시작", "청구기간 끝", "사업자등록번호", "대출실행일", "청구액"]
    good = [
        "은행협력자금",
        "2018-03-15",
        "2018-09-15",
        bank_loan.firm.business_number_display,
        "2018-03-15",
        "1,008,219",
    ]
    unknown = [*good[:4], "2018-03-20", 5]
    report = run_import(
        SubsidyClaimResource, xlsx_bytes([headers, good, unknown]), "c.xlsx", user=staff_user, dry_run=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "사업자등록번호")]
    assert not SubsidyClaim.objects.exists()
    report = run_import(
        SubsidyClaimResource, xlsx_bytes([headers, good]), "c.xlsx", user=staff_user, dry_run=False
    )
    assert report.written, [e.message for e in report.errors]
    line = SubsidyClaimLine.objects.get()
    assert (line.claimed_won, line.computed_won, line.claim.entered_by) == (1_008_219, 1_008_219, staff_user)


def test_the_bank_loan_schedule_shows_what_the_firm_pays_after_the_subsidy(bank_loan, manager_client, loan):
    first = bank_loan.installments.order_by("number").first()
    # 2억 × 3.5% ÷ 2 = 3,500,000 to the bank; the district pays 2억 × 1% ÷ 2 = 1,000,000 of it.
    assert (first.principal_won, first.interest_won) == (0, 3_500_000)
    body = manager_client.get(bank_loan.get_absolute_url()).content.decode()
    assert "구 이자보전" in body and "기업 부담액" in body
    row = body.split(f"<td>{first.number}</td>", 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:]]
    assert cells[:5] == ["0원", "3,500,000원", "3,500,000원", "1,000,000원", "2,500,000원"]
    # A district-fund loan has no subsidy: no such columns.
    assert "기업 부담액" not in manager_client.get(loan.get_absolute_url()).content.decode()

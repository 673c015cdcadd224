"""A fund's limit on loans held at once counts firms with the same representative together; the
firm page shows the support of those firms in one table."""

import pytest

from loans.models import LoanApplication
from loans.services import check_eligibility
from tests.loans.conftest import ENTRY_DAY

S = LoanApplication.Status


@pytest.fixture
def held_loan(make_application, loan_firm, loan):
    """(주)나일소프트 (이승재) repays a loan; (주)두니코프 has the same representative."""
    loan.firm.name, loan.firm.representative = "(주)나일소프트", "이승재"
    loan.firm.save()
    sister = loan_firm(name="(주)두니코프", representative="이 승재")
    application = make_application(status=S.DRAFT, firm=sister)
    return loan, application


@pytest.mark.parametrize("refuses", [True, False])
def test_the_repeat_limit_counts_the_same_representative(held_loan, loan_funds, refuses):
    _loan, application = held_loan
    fund = loan_funds["district"]
    assert check_eligibility(application, on_date=ENTRY_DAY).ok
    fund.repeat_loan_limit, fund.repeat_loan_limit_refuses = 1, refuses
    fund.save()
    application.refresh_from_db()
    result = check_eligibility(application, on_date=ENTRY_DAY)
    found = result.errors if refuses else result.flags
    assert any("보유 대출 한도(1건)" in m and "(주)나일소프트" in m for m in found)
    assert result.ok is not refuses


def test_the_firm_page_shows_the_same_representatives_support(held_loan, manager_client):
    _loan, application = held_loan
    body = manager_client.get(application.firm.get_absolute_url()).content.decode()
    section = body[body.index("지원 이력") :]
    assert "(주)나일소프트" in section and "(대표자 같음)" in section
    assert "잔액 100,000,000원" in section

"""Demo data for reports: the plan card III-2-1 from the seed, loaded from fixtures/plan_*.json.

The fixtures use natural keys (plan code, indicator name, year, …), so loading them again
updates the same rows instead of adding new ones: running twice changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from .models import FundAccountInput, HistoricalResult, IndicatorTarget, InvestmentAmount, PlanCard


def fixture_paths() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "fixtures").glob("plan_*.json"))


# What the fund accounts (기금 결산) need beyond the loan records, for the demo's 2018 funds:
# the 중소기업육성기금 opens at its 50억 (the card's '18년 규모), the 5억 출연금 of the guarantee
# programme and the bank fund's interest subsidies come from the district budget as 전입금.
# The subsidy budget is a demonstration figure (the card gives none).
DEMO_FUND_INPUTS = {
    "district_fund": {"opening_balance_won": 5_000_000_000, "note": "기금 조성액 50억 ('18년 규모)"},
    "guarantee": {"transfers_in_won": 500_000_000, "note": "보증 출연금 5억 (구 예산 전입)"},
    "bank_partnership": {"transfers_in_won": 20_000_000, "note": "이자보전 예산 (시연 값)"},
}


def load_fund_inputs() -> None:
    from loans.models import LoanFund

    for fund in LoanFund.objects.filter(year=2018, kind__in=DEMO_FUND_INPUTS):
        FundAccountInput.objects.get_or_create(fund=fund, defaults=DEMO_FUND_INPUTS[fund.kind])


def load(stdout=None) -> None:
    for path in fixture_paths():
        call_command("loaddata", str(path), verbosity=0)
    load_fund_inputs()
    if stdout:
        stdout.write(
            f"  보고서: 계획 카드 {PlanCard.objects.count()}건, 연도별 목표 {IndicatorTarget.objects.count()}건, "
            f"투자계획 {InvestmentAmount.objects.count()}건, 추진실적 {HistoricalResult.objects.count()}건"
        )

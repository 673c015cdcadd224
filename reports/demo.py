"""Demo data for reports: the plan card III-2-1 from the seed, loaded from fixtures/plan_*.json.

The fixtures use natural keys (plan code, indicator name, year, …), so loading them again
updates the same rows instead of adding new ones: running twice changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from .models import HistoricalResult, IndicatorTarget, InvestmentAmount, PlanCard


def fixture_paths() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "fixtures").glob("plan_*.json"))


def load(stdout=None) -> None:
    for path in fixture_paths():
        call_command("loaddata", str(path), verbosity=0)
    if stdout:
        stdout.write(
            f"  보고서: 계획 카드 {PlanCard.objects.count()}건, 연도별 목표 {IndicatorTarget.objects.count()}건, "
            f"투자계획 {InvestmentAmount.objects.count()}건, 추진실적 {HistoricalResult.objects.count()}건"
        )

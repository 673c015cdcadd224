"""The rules several programmes share (guro_sme/eligibility.py, guro_sme/budget.py)."""

from types import SimpleNamespace

import pytest

from guro_sme.budget import check_within_budget
from guro_sme.eligibility import out_of_district, require_in_district
from guro_sme.errors import RuleError
from guro_sme.models import DistrictProfile


class AppRuleError(RuleError):
    pass


@pytest.fixture
def guro(db):
    return DistrictProfile.objects.create(district_name="구로구", department="지역경제과")


def test_a_firm_in_the_district_passes(guro, make_firm):
    firm = make_firm(name="관내기업")
    assert out_of_district(firm, what="참여") is None
    require_in_district(firm, what="참여", error=AppRuleError)


def test_a_firm_outside_the_district_is_refused_with_the_apps_error_naming_the_district(guro, make_firm):
    firm = make_firm(name="관외기업", in_district=False)
    with pytest.raises(AppRuleError) as refusal:
        require_in_district(firm, what="선정", error=AppRuleError)
    assert refusal.value.message == "'관외기업'은 구로구 소재 기업이 아니어서 선정할 수 없습니다."


def test_the_loans_wording_states_the_rule_first(guro, make_firm):
    firm = make_firm(name="(주)가산", in_district=False)
    assert out_of_district(firm, what="신청", rule_first=True) == (
        "구로구 소재 기업만 신청할 수 있습니다. ('(주)가산'은 관외 기업입니다.)"
    )


PROJECT = SimpleNamespace(year=2018, budget_won=3_000_000)


def test_an_amount_that_exactly_uses_up_the_budget_is_allowed():
    check_within_budget(
        project=PROJECT, spent_won=2_000_000, amount_won=1_000_000, spent_word="집행", amount_word="이번 비용"
    )


def test_one_won_over_the_budget_is_refused_showing_the_sum_and_the_balance():
    with pytest.raises(AppRuleError) as refusal:
        check_within_budget(
            project=PROJECT,
            spent_won=2_000_000,
            amount_won=1_000_001,
            spent_word="집행",
            amount_word="이번 비용",
            error=AppRuleError,
        )
    assert refusal.value.message == (
        "2018년 예산 3,000,000원을 넘습니다: 이미 집행 2,000,000원 + 이번 비용 1,000,001원 = 3,000,001원 "
        "(잔액 1,000,000원)."
    )

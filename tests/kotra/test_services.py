"""Registering participants: computed subsidies, eligibility refusals, the budget under a lock."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from guro_sme.support import YearlyFigure
from kotra.models import KotraProject, Participant, ParticipationFee, SubProgram
from kotra.selectors import kotra_support_by_year
from kotra.services import Fees, KotraRuleError, participant_save, project_save, trade_office_get


def subsidies(participant):
    return {fee.sub_program: fee.subsidy_won for fee in participant.fees.all()}


def test_both_sub_programs_are_each_capped_and_summed(project, register, make_firm):
    participant = register(project, make_firm(), branch=4_000_000, logistics=500_000)
    assert subsidies(participant) == {SubProgram.BRANCH: 1_750_000, SubProgram.LOGISTICS: 250_000}
    assert kotra_support_by_year(2018) == YearlyFigure(firms=1, amount_won=2_000_000)


def test_an_odd_won_fee_is_stored_with_its_subsidy_rounded_down(project, register, make_firm):
    participant = register(project, make_firm(), logistics=333_333)
    fee = participant.fees.get()
    assert (fee.fee_won, fee.subsidy_won) == (333_333, 166_666)


def test_the_product_defaults_to_the_firms_industry_and_who_registered_is_recorded(
    project, register, make_firm, staff_user
):
    participant = register(project, make_firm(industry="네트워크스위치"), branch=1_000_000)
    assert participant.product == "네트워크스위치"
    assert participant.created_by == staff_user and participant.updated_by == staff_user


def test_the_trade_office_reads_city_and_country(project, register, make_firm):
    participant = register(project, make_firm(), branch=1_000_000, city="호치민", country="베트남")
    assert str(participant.trade_office) == "호치민(베트남)"


def test_a_firm_outside_the_district_is_refused(project, register, make_firm):
    with pytest.raises(KotraRuleError, match="소재 기업이 아니어서 참여할 수 없습니다"):
        register(project, make_firm(name="관외기업", in_district=False), branch=1_000_000)
    assert Participant.objects.count() == 0


def test_a_second_trade_office_for_the_same_firm_in_a_year_is_refused(project, register, make_firm):
    firm = make_firm()
    register(project, firm, branch=1_000_000, city="런던", country="영국")
    with pytest.raises(KotraRuleError, match="이미 참여기업으로 등록되어 있습니다"):
        register(project, firm, branch=1_000_000, city="도쿄", country="일본")
    assert Participant.objects.count() == 1
    assert ParticipationFee.objects.count() == 1


def test_the_database_backs_one_participant_per_firm_per_year(project, register, make_firm):
    first = register(project, make_firm(), branch=1_000_000)
    with pytest.raises(IntegrityError):
        Participant.objects.create(
            project=project, firm=first.firm, trade_office=first.trade_office, product="x"
        )


def test_a_firm_supported_the_year_before_is_refused(make_project, register, make_firm):
    firm = make_firm(name="(주)작년기업")
    register(make_project(2017), firm, branch=2_000_000)
    with pytest.raises(KotraRuleError, match=r"전년도\(2017년\)에 지원받은 기업"):
        register(make_project(2018), firm, branch=2_000_000)
    assert Participant.objects.filter(project__year=2018).count() == 0


def test_a_firm_supported_two_years_before_may_join_again(make_project, register, make_firm):
    firm = make_firm()
    register(make_project(2016), firm, branch=2_000_000)
    assert register(make_project(2018), firm, branch=2_000_000).pk


def test_a_firm_funded_by_another_agency_for_the_same_office_is_refused(project, register, make_firm):
    with pytest.raises(KotraRuleError, match="중소벤처기업진흥공단의 지원을 이미 받고 있어"):
        register(
            project,
            make_firm(),
            branch=1_000_000,
            other_agency_funded=True,
            other_agency_name="중소벤처기업진흥공단",
        )
    assert Participant.objects.count() == 0


def test_at_least_one_sub_program_is_needed(project, register, make_firm):
    with pytest.raises(KotraRuleError, match="하나 이상의 참가비"):
        register(project, make_firm())
    assert Participant.objects.count() == 0


def test_the_budget_may_be_reached_exactly(make_project, register, make_firm):
    project = make_project(2018, budget_won=3_500_000)
    register(project, make_firm(), branch=3_500_000)
    register(project, make_firm(), branch=3_500_000)
    assert kotra_support_by_year(2018).amount_won == 3_500_000


def test_passing_the_budget_is_refused_and_nothing_is_written(make_project, register, make_firm):
    project = make_project(2018, budget_won=3_500_000)
    register(project, make_firm(), branch=3_500_000)
    with pytest.raises(KotraRuleError) as refusal:
        register(project, make_firm(name="초과기업"), branch=3_600_000, logistics=2)
    assert "예산 3,500,000원을 넘습니다" in refusal.value.message
    assert "잔액 1,750,000원" in refusal.value.message
    assert Participant.objects.count() == 1
    assert ParticipationFee.objects.count() == 1


def test_editing_a_participant_recomputes_its_subsidy_and_drops_a_sub_program_left(
    project, register, make_firm
):
    participant = register(project, make_firm(), branch=4_000_000, logistics=500_000)
    participant = register(project, participant.firm, participant=participant, branch=2_000_001)
    assert subsidies(participant) == {SubProgram.BRANCH: 1_000_000}


def test_editing_does_not_count_the_participants_own_old_subsidy_against_the_budget(
    make_project, register, make_firm
):
    project = make_project(2018, budget_won=2_000_000)
    participant = register(project, make_firm(), branch=4_000_000, logistics=500_000)
    participant = register(
        project, participant.firm, participant=participant, branch=3_900_000, logistics=400_000
    )
    assert sum(subsidies(participant).values()) == 1_950_000


def test_changing_the_rate_or_cap_recomputes_every_subsidy(project, register, make_firm, staff_user):
    register(project, make_firm(), branch=4_000_000)
    project.cap_per_sub_program_won = 2_000_000
    project_save(project=project, actor=staff_user)
    assert kotra_support_by_year(2018).amount_won == 2_000_000
    project.subsidy_rate = Decimal("0.30")
    project_save(project=project, actor=staff_user)
    assert kotra_support_by_year(2018).amount_won == 1_200_000


def test_a_budget_below_the_subsidies_given_is_refused_and_nothing_is_written(
    project, register, make_firm, staff_user
):
    register(project, make_firm(), branch=4_000_000)
    project.budget_won = 1_000_000
    with pytest.raises(KotraRuleError, match="예산 1,000,000원을 넘게 되어"):
        project_save(project=project, actor=staff_user)
    assert KotraProject.objects.get().budget_won == 15_000_000


def test_a_blank_trade_office_is_refused():
    with pytest.raises(KotraRuleError, match="무역관의 도시와 국가"):
        trade_office_get(city=" ", country="영국")


def test_the_service_locks_the_project_row(project, make_firm, staff_user, monkeypatch):
    """The budget check runs on the project row taken with select_for_update, on every database:
    SQLite serialises writers itself (Django drops FOR UPDATE there), PostgreSQL gets FOR UPDATE."""
    from django.db import connection
    from django.db.models import QuerySet
    from django.test.utils import CaptureQueriesContext

    locked_models = []
    original = QuerySet.select_for_update

    def spy(queryset, *args, **kwargs):
        locked_models.append(queryset.model)
        return original(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    with CaptureQueriesContext(connection) as queries:
        participant_save(
            project=project,
            firm=make_firm(),
            trade_office=trade_office_get(city="런던", country="영국"),
            product="",
            fees=Fees(branch=1),
            actor=staff_user,
        )
    assert KotraProject in locked_models
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update:
        assert any("kotra_kotraproject" in sql for sql in locking)
    else:
        assert locking == []


def test_every_change_leaves_a_history_row_with_the_acting_user(project, register, make_firm, staff_user):
    participant = register(project, make_firm(), branch=4_000_000, logistics=500_000)
    register(project, participant.firm, participant=participant, branch=4_000_000)
    fee_history = ParticipationFee.history.order_by("history_date")
    assert [(h.history_type, h.sub_program, h.history_user) for h in fee_history] == [
        ("+", SubProgram.BRANCH, staff_user),
        ("+", SubProgram.LOGISTICS, staff_user),
        ("-", SubProgram.LOGISTICS, staff_user),
    ]
    assert participant.history.count() == 2

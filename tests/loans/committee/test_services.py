"""The committee's writes: meeting creation, quorum and majority at closing, the capacity cap,
amended amounts, reserves, recusals, scores and votes."""

import pytest
from django.db import IntegrityError, transaction

from loans import services as loan_services
from loans.committee import services
from loans.committee.models import AgendaItem, CommitteeAction, CommitteeMeeting, Score, Vote
from loans.committee.services import CommitteeRuleError
from loans.models import LoanApplication

S = LoanApplication.Status
R = AgendaItem.Result


def test_creating_a_meeting_puts_the_calls_reviewed_applications_on_the_agenda(committee):
    assert [committee.status_of(i) for i in committee.items] == [S.ON_AGENDA] * 3
    assert [i.order for i in committee.items] == [1, 2, 3]
    assert all(i.committee_amount_won == i.application.requested_amount_won for i in committee.items)
    assert set(committee.meeting.members.all()) == set(committee.members)
    assert CommitteeAction.objects.filter(
        kind=CommitteeAction.Kind.CREATE, meeting=committee.meeting
    ).exists()


def test_only_staff_create_meetings(committee, make_user):
    with pytest.raises(CommitteeRuleError):
        services.meeting_create(
            call=committee.call, title="x", held_on=committee.meeting.held_on, actor=committee.manager
        )


def test_closing_without_a_quorum_is_refused_and_changes_nothing(make_committee):
    c = make_committee(members=5)
    c.attend(*c.members[:2])
    for item in c.items:
        c.vote(item, c.members[:2])
    with pytest.raises(CommitteeRuleError, match="재적 5명 중 출석 2명") as error:
        c.close()
    assert "과반수인 3명" in error.value.message
    c.refresh()
    assert c.meeting.status == CommitteeMeeting.Status.OPEN
    assert [c.status_of(i) for i in c.items] == [S.ON_AGENDA] * 3


def test_exactly_half_present_is_no_quorum(make_committee):
    c = make_committee(members=4, requested=[10_000_000])
    c.attend(*c.members[:2])
    with pytest.raises(CommitteeRuleError, match="의사정족수"):
        c.close()


def test_a_tie_among_the_non_recused_members_present_fails(make_committee):
    c = make_committee(members=5, requested=[10_000_000, 10_000_000])
    c.attend(*c.members)
    first, second = c.items
    services.item_recuse(item=first, member=c.members[4], reason="대표자와 친족 관계")
    c.vote(first, c.members[:2], "yes")
    c.vote(first, c.members[2:4], "no")
    c.vote(second, c.members[:3], "yes")
    c.vote(second, c.members[3:], "no")
    c.close()
    first, second = c.items
    assert (first.result, first.yes_count, first.no_count, first.eligible_count) == (R.REJECTED, 2, 2, 4)
    assert c.status_of(first) == S.REJECTED
    assert (second.result, second.eligible_count) == (R.ORIGINAL, 5)
    assert c.status_of(second) == S.SELECTED


def test_absent_members_votes_do_not_count_and_silent_members_present_count_against(make_committee):
    c = make_committee(members=5, requested=[10_000_000, 10_000_000])
    first, second = c.items
    # Two members vote yes on the first item, then are recorded absent: their votes stay but
    # don't count (and from then on they cannot vote: test_an_absent_member_cannot_score_or_vote).
    c.attend(*c.members)
    c.vote(first, c.members[3:], "yes")
    c.attend(*c.members[:3])
    c.vote(first, c.members[:1], "yes")
    # On the second item two of the three present vote yes, one says nothing.
    c.vote(second, c.members[:2], "yes")
    c.close()
    first, second = c.items
    assert (first.yes_count, first.eligible_count, first.result) == (1, 3, R.REJECTED)
    assert (second.yes_count, second.eligible_count, second.result) == (2, 3, R.ORIGINAL)


def test_an_item_everyone_present_recused_from_fails(make_committee):
    c = make_committee(members=3, requested=[10_000_000])
    c.attend(*c.members[:2])
    for member in c.members[:2]:
        services.item_recuse(item=c.items[0], member=member, reason="이해관계")
    c.close()
    assert c.items[0].result == R.REJECTED and c.items[0].eligible_count == 0


def test_the_ranking_decides_who_gets_the_money_and_the_rest_are_reserves(make_committee):
    # 150M left; three passed items of 100M, 100M and 50M scored 90, 70 and 50.
    c = make_committee(members=3, requested=[100_000_000, 100_000_000, 50_000_000], allocation=150_000_000)
    c.attend(*c.members)
    for item, value in zip(c.items, [9, 7, 5], strict=True):
        c.vote(item, c.members)
        for member in c.members:
            c.score(item, member, value)
    c.close()
    top, second, third = c.items
    assert (top.rank, top.approved_amount_won, c.status_of(top)) == (1, 100_000_000, S.SELECTED)
    assert (second.rank, second.reserve_rank, c.status_of(second)) == (2, 1, S.RESERVE)
    assert second.approved_amount_won is None
    assert (third.rank, third.approved_amount_won, c.status_of(third)) == (3, 50_000_000, S.SELECTED)
    assert top.average_score == 90 and third.average_score == 50
    selected = LoanApplication.objects.filter(fund=c.fund, status=S.SELECTED)
    assert sum(a.approved_amount_won for a in selected) <= 150_000_000


def test_reserves_are_numbered_in_rank_order_and_promoted_in_that_order(make_committee, make_firm):
    c = make_committee(members=3, requested=[100_000_000] * 4, allocation=100_000_000)
    c.attend(*c.members)
    for item, value in zip(c.items, [6, 9, 7, 8], strict=True):
        c.vote(item, c.members)
        c.score(item, c.members[0], value)
    c.close()
    by_order = {i.order: i for i in c.items}
    assert c.status_of(by_order[2]) == S.SELECTED
    assert [by_order[o].reserve_rank for o in (4, 3, 1)] == [1, 2, 3]

    with pytest.raises(CommitteeRuleError, match="잔액"):
        services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff)

    # The selected firm withdraws: its money goes to reserve 1, then reserve 2 waits again.
    loan_services.application_withdraw(application=by_order[2].application, actor=c.staff)
    promoted = services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff)
    assert promoted.pk == by_order[4].pk
    assert c.status_of(by_order[4]) == S.SELECTED
    assert LoanApplication.objects.get(pk=by_order[4].application_id).approved_amount_won == 100_000_000
    with pytest.raises(CommitteeRuleError):
        services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff)
    assert c.status_of(by_order[3]) == S.RESERVE


def test_promoting_needs_a_closed_meeting_and_staff(committee):
    with pytest.raises(CommitteeRuleError, match="종료한 뒤"):
        services.meeting_promote_reserve(meeting=committee.meeting, actor=committee.staff)
    with pytest.raises(CommitteeRuleError):
        services.meeting_promote_reserve(meeting=committee.meeting, actor=committee.manager)


def test_the_committee_may_approve_a_lower_amount(make_committee):
    c = make_committee(members=3, requested=[100_000_000, 80_000_000])
    services.item_set_amount(item=c.items[0], amount_won=70_000_000, actor=c.staff)
    c.attend(*c.members)
    for item in c.items:
        c.vote(item, c.members)
    c.close()
    amended, original = c.items
    assert (amended.result, amended.approved_amount_won) == (R.AMENDED, 70_000_000)
    assert (original.result, original.approved_amount_won) == (R.ORIGINAL, 80_000_000)
    assert LoanApplication.objects.get(pk=amended.application_id).approved_amount_won == 70_000_000


@pytest.mark.parametrize("amount", [0, 100_000_001])
def test_the_committee_amount_must_be_positive_and_not_above_the_request(committee, amount):
    with pytest.raises(CommitteeRuleError, match="신청 금액"):
        services.item_set_amount(item=committee.items[0], amount_won=amount, actor=committee.staff)


def test_only_staff_enter_amounts(committee):
    with pytest.raises(CommitteeRuleError):
        services.item_set_amount(item=committee.items[0], amount_won=1, actor=committee.members[0])


def test_closing_is_refused_for_committee_members(committee):
    committee.attend(*committee.members)
    with pytest.raises(CommitteeRuleError, match="담당자 또는 관리자"):
        committee.close(actor=committee.members[0])
    assert committee.refresh().meeting.status == CommitteeMeeting.Status.OPEN


def test_a_manager_may_close_and_the_meeting_records_who_and_the_quorum(committee):
    committee.attend(*committee.members[:3])
    committee.close(actor=committee.manager)
    meeting = committee.meeting
    assert meeting.status == CommitteeMeeting.Status.CLOSED and meeting.closed_by == committee.manager
    assert meeting.quorum_note.startswith("재적 5명 중 3명 출석")
    with pytest.raises(CommitteeRuleError, match="이미 종료"):
        committee.close()


def test_every_decision_goes_through_the_loans_workflow_with_its_reason(committee):
    committee.attend(*committee.members)
    committee.vote(committee.items[0], committee.members)
    committee.close()
    event = LoanApplication.objects.get(pk=committee.items[0].application_id).events.last()
    assert event.to_status == S.SELECTED and event.actor == committee.staff
    assert "원안가결" in event.reason and "찬성 5" in event.reason


def test_one_vote_per_member_per_item_is_enforced_by_the_database(committee):
    item, member = committee.items[0], committee.members[0]
    Vote.objects.create(item=item, member=member, choice=Vote.Choice.YES)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(item=item, member=member, choice=Vote.Choice.NO)


def test_a_member_changes_their_vote_until_the_meeting_closes(committee):
    item, member = committee.items[0], committee.members[0]
    services.item_vote(item=item, member=member, choice="yes", comment="사업성 양호")
    services.item_vote(item=item, member=member, choice="no", comment="상환능력 우려")
    vote = Vote.objects.get(item=item, member=member)
    assert (vote.choice, vote.comment) == ("no", "상환능력 우려")
    committee.attend(*committee.members)
    committee.close()
    with pytest.raises(CommitteeRuleError, match="이미 종료"):
        services.item_vote(item=item, member=member, choice="yes")
    with pytest.raises(CommitteeRuleError, match="이미 종료"):
        committee.score(item, member, 5)
    assert Vote.objects.get(item=item, member=member).choice == "no"


def test_only_members_of_the_meeting_vote(committee, make_user):
    outsider = make_user("심의위원", username="outsider")
    with pytest.raises(CommitteeRuleError, match="이 회의의 위원"):
        services.item_vote(item=committee.items[0], member=outsider, choice="yes")
    with pytest.raises(CommitteeRuleError, match="이 회의의 위원"):
        services.item_vote(item=committee.items[0], member=committee.staff, choice="yes")


def test_a_vote_is_yes_no_or_abstain(committee):
    with pytest.raises(CommitteeRuleError, match="찬성, 반대, 기권 중 하나"):
        services.item_vote(item=committee.items[0], member=committee.members[0], choice="maybe")


def test_a_recused_member_cannot_vote_or_score_and_their_earlier_vote_is_withdrawn(committee):
    item, member = committee.items[0], committee.members[0]
    committee.vote(item, [member])
    committee.score(item, member, 7)
    services.item_recuse(item=item, member=member, reason="대표자가 친척")
    assert not Vote.objects.filter(item=item, member=member).exists()
    assert not Score.objects.filter(item=item, member=member).exists()
    with pytest.raises(CommitteeRuleError, match="회피"):
        services.item_vote(item=item, member=member, choice="yes")
    with pytest.raises(CommitteeRuleError, match="회피"):
        committee.score(item, member, 5)
    with pytest.raises(CommitteeRuleError, match="이미 회피"):
        services.item_recuse(item=item, member=member, reason="again")


def test_a_recusal_needs_a_reason(committee):
    with pytest.raises(CommitteeRuleError, match="사유"):
        services.item_recuse(item=committee.items[0], member=committee.members[0], reason="  ")


def test_scores_stay_within_zero_and_the_maximum(committee):
    item, member = committee.items[0], committee.members[0]
    with pytest.raises(CommitteeRuleError, match="0점부터 10점"):
        committee.score(item, member, [11, 5, 5, 5])
    with pytest.raises(CommitteeRuleError, match="모든 평가항목"):
        services.item_score(item=item, member=member, scores={committee.rubric[0].pk: 5})
    assert not Score.objects.exists()
    committee.score(item, member, [10, 0, 5, 5])
    assert sorted(Score.objects.values_list("score", flat=True)) == [0, 5, 5, 10]


def test_the_database_refuses_a_score_above_the_maximum(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            item=committee.items[0],
            member=committee.members[0],
            rubric_item=committee.rubric[0],
            score=11,
            max_score=10,
        )


def test_every_committee_action_is_recorded(committee):
    item, member = committee.items[0], committee.members[0]
    committee.score(item, member, 7)
    committee.vote(item, [member])
    services.item_recuse(item=committee.items[1], member=member, reason="이해관계")
    committee.attend(*committee.members)
    committee.close()
    kinds = set(CommitteeAction.objects.filter(meeting=committee.meeting).values_list("kind", flat=True))
    assert kinds == {"create", "score", "vote", "recuse", "attendance", "close"}
    vote_action = CommitteeAction.objects.get(kind="vote")
    assert vote_action.actor == member and vote_action.created_at


def test_a_meeting_budget_caps_what_the_meeting_grants_from_a_fund(make_committee):
    c = make_committee(members=3, requested=[100_000_000, 100_000_000], allocation=1_000_000_000)
    services.meeting_set_budget(meeting=c.meeting, fund=c.fund, amount_won=150_000_000, actor=c.staff)
    assert services.meeting_available_won(meeting=c.meeting, fund=c.fund) == 150_000_000
    c.attend(*c.members)
    for item, value in zip(c.items, [9, 8], strict=True):
        c.vote(item, c.members)
        c.score(item, c.members[0], value)
    c.close()
    assert [c.status_of(i) for i in c.items] == [S.SELECTED, S.RESERVE]
    assert services.meeting_available_won(meeting=c.meeting, fund=c.fund) == 50_000_000
    with pytest.raises(CommitteeRuleError, match="50,000,000원"):
        services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff)
    # Nor at the amount still available: a reserve is selected at the committee's amount only.
    with pytest.raises(CommitteeRuleError, match="의결한 금액"):
        services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff, approved_amount_won=50_000_000)
    assert c.status_of(c.items[1]) == S.RESERVE


def test_a_meeting_budget_is_for_the_calls_funds_set_by_staff_while_open(make_committee):
    c = make_committee(members=3, requested=[10_000_000])
    other = make_committee(members=3, requested=[10_000_000])
    with pytest.raises(CommitteeRuleError, match="지원하지 않는 기금"):
        services.meeting_set_budget(meeting=c.meeting, fund=other.fund, amount_won=1, actor=c.staff)
    with pytest.raises(CommitteeRuleError):
        services.meeting_set_budget(meeting=c.meeting, fund=c.fund, amount_won=1, actor=c.manager)
    services.meeting_set_budget(meeting=c.meeting, fund=c.fund, amount_won=5, actor=c.staff)
    services.meeting_set_budget(meeting=c.meeting, fund=c.fund, amount_won=None, actor=c.staff)
    assert services.meeting_available_won(meeting=c.meeting, fund=c.fund) == 1_000_000_000


def test_a_new_meeting_also_takes_applications_already_on_the_agenda_but_in_no_open_meeting(
    committee, make_firm
):
    from loans.committee.models import CommitteeMeeting as Meeting

    orphan = LoanApplication.objects.create(
        firm=make_firm(),
        call=committee.call,
        fund=committee.fund,
        requested_amount_won=5_000_000,
        purpose="operating",
        status=S.ON_AGENDA,
        created_by=committee.staff,
    )
    meeting = services.meeting_create(
        call=committee.call, title="추가", held_on=committee.meeting.held_on, actor=committee.staff
    )
    assert [i.application_id for i in meeting.items.all()] == [orphan.pk]  # not the first meeting's three
    assert Meeting.objects.count() == 2


def test_staff_take_an_item_off_the_agenda_and_it_returns_to_review(committee):
    item = committee.items[0]
    committee.vote(item, committee.members[:1])
    with pytest.raises(CommitteeRuleError):
        services.item_remove(item=item, actor=committee.manager)
    services.item_remove(item=item, actor=committee.staff)
    assert committee.status_of(item) == S.REVIEW
    assert not AgendaItem.objects.filter(pk=item.pk).exists() and not Vote.objects.exists()
    assert CommitteeAction.objects.filter(kind="remove").count() == 1


def test_a_meeting_needs_members_with_the_committee_role(committee):
    committee.call.committee_members.clear()
    with pytest.raises(CommitteeRuleError, match="한 명 이상"):
        services.meeting_create(
            call=committee.call, title="x", held_on=committee.meeting.held_on, actor=committee.staff
        )
    with pytest.raises(CommitteeRuleError, match="심의위원 역할"):
        services.meeting_create(
            call=committee.call,
            title="x",
            held_on=committee.meeting.held_on,
            members=[committee.manager],
            actor=committee.staff,
        )
    assert CommitteeMeeting.objects.count() == 1


def test_closing_is_refused_while_a_withdrawn_application_is_on_the_agenda(committee):
    item = committee.items[0]
    loan_services.application_withdraw(application=item.application, actor=committee.staff)
    committee.attend(*committee.members)
    with pytest.raises(CommitteeRuleError, match="취하"):
        committee.close()
    services.item_remove(item=item, actor=committee.staff)
    assert committee.status_of(item) == S.WITHDRAWN
    committee.close()
    assert committee.meeting.status == CommitteeMeeting.Status.CLOSED

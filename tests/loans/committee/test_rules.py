"""The committee's pure rules, table-driven: quorum, majority, result, weighted score, ranking."""

from decimal import Decimal

import pytest

from loans.committee.models import AgendaItem
from loans.committee.rules import (
    Candidate,
    RubricLine,
    item_is_passed,
    item_result_for,
    meeting_has_quorum,
    member_may_see_scores,
    rank_and_allocate,
    weighted_average_score,
)


@pytest.mark.parametrize(
    ("members", "present", "quorum"),
    [
        (7, 7, True),
        (7, 4, True),
        (7, 3, False),
        (6, 4, True),
        (6, 3, False),  # exactly half is not a majority
        (2, 1, False),
        (1, 1, True),
        (5, 0, False),
        (0, 0, False),  # a meeting without members decides nothing
    ],
)
def test_quorum_needs_more_than_half_of_the_members_present(members, present, quorum):
    assert meeting_has_quorum(member_count=members, present_count=present) is quorum


@pytest.mark.parametrize(
    ("yes", "eligible", "passed"),
    [
        (3, 5, True),
        (2, 5, False),
        (2, 4, False),  # a tie fails
        (3, 4, True),
        (1, 2, False),
        (1, 1, True),
        (0, 0, False),  # everyone present recused: nobody can pass it
        (4, 7, True),
        (3, 6, False),
    ],
)
def test_an_item_passes_by_a_majority_of_the_non_recused_members_present(yes, eligible, passed):
    assert item_is_passed(yes_count=yes, eligible_count=eligible) is passed


@pytest.mark.parametrize(
    ("passed", "requested", "amount", "result"),
    [
        (True, 100_000_000, 100_000_000, AgendaItem.Result.ORIGINAL),
        (True, 100_000_000, 70_000_000, AgendaItem.Result.AMENDED),
        (False, 100_000_000, 100_000_000, AgendaItem.Result.REJECTED),
        (False, 100_000_000, 70_000_000, AgendaItem.Result.REJECTED),
    ],
)
def test_the_result_is_original_amended_or_rejected(passed, requested, amount, result):
    assert item_result_for(passed=passed, requested_won=requested, committee_amount_won=amount) == result


RUBRIC = [RubricLine(1, Decimal(40), 10), RubricLine(2, Decimal(30), 10), RubricLine(3, Decimal(30), 5)]


def test_full_marks_weigh_to_one_hundred():
    assert weighted_average_score(rubric=RUBRIC, scores=[(1, 10), (2, 10), (3, 5)]) == Decimal("100.00")


def test_the_weighted_average_uses_each_rubric_items_maximum_and_weight():
    # Two members: 사업성 avg 7/10 × 40 = 28; 상환 avg 5/10 × 30 = 15; 기술 avg 4/5 × 30 = 24 → 67.
    scores = [(1, 8), (1, 6), (2, 5), (2, 5), (3, 4), (3, 4)]
    assert weighted_average_score(rubric=RUBRIC, scores=scores) == Decimal("67.00")


def test_no_scores_give_no_average():
    assert weighted_average_score(rubric=RUBRIC, scores=[]) is None


def _c(key, score, amount, fund=1, order=None):
    return Candidate(key, fund, amount, None if score is None else Decimal(score), order or key)


def test_the_ranking_decides_who_gets_the_money_and_reserves_keep_rank_order():
    candidates = [
        _c(1, "70", 30_000_000),
        _c(2, "90", 60_000_000),
        _c(3, "80", 60_000_000),
        _c(4, "60", 50_000_000),
    ]
    result = {a.key: a for a in rank_and_allocate(candidates=candidates, available_by_fund={1: 100_000_000})}
    assert [result[k].rank for k in (2, 3, 1, 4)] == [1, 2, 3, 4]
    assert result[2].granted and result[1].granted  # 60M + 30M fit in 100M
    assert not result[3].granted and result[3].reserve_rank == 1
    assert not result[4].granted and result[4].reserve_rank == 2


def test_each_fund_has_its_own_money():
    candidates = [
        _c(1, "90", 50_000_000, fund=1),
        _c(2, "80", 50_000_000, fund=2),
        _c(3, "70", 50_000_000, fund=2),
    ]
    result = {
        a.key: a
        for a in rank_and_allocate(candidates=candidates, available_by_fund={1: 50_000_000, 2: 60_000_000})
    }
    assert result[1].granted and result[2].granted
    assert result[3].reserve_rank == 1


def test_equal_scores_keep_the_agenda_order_and_unscored_items_rank_last():
    candidates = [_c(1, None, 10), _c(2, "50", 10, order=3), _c(3, "50", 10, order=2)]
    ranked = sorted(rank_and_allocate(candidates=candidates, available_by_fund={1: 20}), key=lambda a: a.rank)
    assert [a.key for a in ranked] == [3, 2, 1]
    assert [a.granted for a in ranked] == [True, True, False]


def test_a_fund_with_nothing_left_makes_every_passed_item_a_reserve():
    result = rank_and_allocate(candidates=[_c(1, "90", 10), _c(2, "80", 10)], available_by_fund={})
    assert [(a.granted, a.reserve_rank) for a in result] == [(False, 1), (False, 2)]


@pytest.mark.parametrize(
    ("recused", "complete", "visible"),
    [(False, False, False), (False, True, True), (True, True, False), (True, False, False)],
)
def test_a_member_sees_scores_only_after_their_own_and_never_when_recused(recused, complete, visible):
    assert member_may_see_scores(recused=recused, own_scores_complete=complete) is visible

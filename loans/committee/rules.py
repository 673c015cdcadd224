"""The committee's pure rules: no database, no request, each one named function with its tests
(tests/loans/committee/test_rules.py). Services and selectors both read them from here.

  meeting_has_quorum           a majority of the members present (present > members / 2)
  item_is_passed               찬성 > half of the non-recused members present (a tie fails)
  item_result_for              원안가결 / 수정가결 (lower amount) / 부결
  weighted_average_score       the score that ranks passed items
  rank_and_allocate            down the ranking, grant while the fund has money; the rest reserve
  member_may_see_scores        recused members never; others only after submitting their own
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import AgendaItem


def meeting_has_quorum(*, member_count: int, present_count: int) -> bool:
    """The meeting may decide when a majority of its members is present: present > members / 2."""
    return member_count > 0 and present_count * 2 > member_count


def item_is_passed(*, yes_count: int, eligible_count: int) -> bool:
    """An item passes with 찬성 from more than half of the non-recused members present.

    Members present who did not vote count against (they are in the denominator); a tie fails;
    absent and recused members are not in `eligible_count` and their votes are not counted.
    """
    return eligible_count > 0 and yes_count * 2 > eligible_count


def item_result_for(*, passed: bool, requested_won: int, committee_amount_won: int) -> str:
    """원안가결 when passed at the requested amount, 수정가결 when at a lower one, else 부결."""
    if not passed:
        return AgendaItem.Result.REJECTED
    if committee_amount_won < requested_won:
        return AgendaItem.Result.AMENDED
    return AgendaItem.Result.ORIGINAL


@dataclass(frozen=True)
class RubricLine:
    id: int
    weight: Decimal
    max_score: int


def weighted_average_score(
    *, rubric: Sequence[RubricLine], scores: Iterable[tuple[int, int]]
) -> Decimal | None:
    """The item's score on a 100-point scale: per rubric item the members' average divided by its
    maximum, weighted by the rubric weights. `scores` are (rubric item id, score) pairs of the
    members who count. None when nobody scored (such items rank last)."""
    by_rubric: dict[int, list[int]] = defaultdict(list)
    for rubric_id, score in scores:
        by_rubric[rubric_id].append(score)
    lines = [line for line in rubric if by_rubric.get(line.id) and line.max_score]
    total_weight = sum((Decimal(line.weight) for line in lines), Decimal(0))
    if not lines or total_weight <= 0:
        return None
    weighted = sum(
        (
            Decimal(line.weight) * Decimal(sum(by_rubric[line.id])) / len(by_rubric[line.id]) / line.max_score
            for line in lines
        ),
        Decimal(0),
    )
    return (weighted * 100 / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Candidate:
    """A passed item competing for its fund's money."""

    key: int
    fund_key: int
    amount_won: int
    average_score: Decimal | None
    order: int  # agenda order: breaks ties between equal scores (earlier application first)


@dataclass(frozen=True)
class Allocation:
    key: int
    rank: int
    granted: bool
    reserve_rank: int | None


def rank_and_allocate(
    *, candidates: Sequence[Candidate], available_by_fund: Mapping[int, int]
) -> list[Allocation]:
    """Rank passed items by score (highest first) and go down the ranking granting each item's
    amount while its fund still has that much left; an item that does not fit becomes a reserve
    (예비선정), numbered in rank order. A lower-ranked item that still fits is granted: the money
    is not left idle because a larger item above it did not fit."""
    left = dict(available_by_fund)
    ranked = sorted(
        candidates,
        key=lambda c: (c.average_score is None, -(c.average_score or 0), c.order, c.key),
    )
    result = []
    reserve = 0
    for rank, candidate in enumerate(ranked, start=1):
        if candidate.amount_won <= left.get(candidate.fund_key, 0):
            left[candidate.fund_key] -= candidate.amount_won
            result.append(Allocation(candidate.key, rank, True, None))
        else:
            reserve += 1
            result.append(Allocation(candidate.key, rank, False, reserve))
    return result


def member_may_see_scores(*, recused: bool, own_scores_complete: bool) -> bool:
    """A member sees the other members' scores only after submitting their own, and never on an
    item they recused from."""
    return not recused and own_scores_complete


def composition_breaches(
    *, members: Sequence[tuple[bool, str]], numerator: int, denominator: int, require_chair: bool
) -> list[str]:
    """The composition rules a set of members breaks, each named (empty: none).

    `members` are (is_civil_servant, committee role) pairs. 민간: at least numerator/denominator of
    the members from outside the civil service (지방자치단체 기금관리기본법 시행령 §7: 1/3);
    chair: a 위원장, or a 부위원장 to act for them, among the members."""
    breaches = []
    civilians = sum(1 for civil_servant, _ in members if not civil_servant)
    if civilians * denominator < numerator * len(members):
        breaches.append(
            f"민간위원 비율 요건(공무원이 아닌 위원 {numerator}/{denominator} 이상) 미달: "
            f"{len(members)}명 중 민간위원 {civilians}명"
        )
    if require_chair and not any(role in ("chair", "vice_chair") for _, role in members):
        breaches.append("위원장(또는 직무를 대행할 부위원장) 요건 미달: 위원장·부위원장이 없습니다")
    return breaches


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and " ".join(a.split()) == " ".join(b.split())


def conflict_grounds(*, declarations: Iterable, member_name: str, member_address: str, firm) -> list[str]:
    """Why a member may not decide on a firm's application (제척 사유), each ground named: a
    declared interest matching by business number, or by name and representative; the firm's
    representative being the member; the firm's address being the member's."""
    grounds = []
    for d in declarations:
        label = d.get_relation_display()
        if d.business_number and d.business_number == firm.business_number:
            grounds.append(f"이해관계 신고({label}): 사업자등록번호 {firm.business_number_display} 일치")
        elif _same(d.firm_name, firm.name) and _same(d.representative, firm.representative):
            grounds.append(f"이해관계 신고({label}): 회사명·대표자 {firm.name}·{firm.representative} 일치")
    if _same(member_name, firm.representative):
        grounds.append(f"위원 본인이 대표자({firm.representative})")
    if _same(member_address, firm.address):
        grounds.append(f"위원 주소와 업체 주소({firm.address}) 일치")
    return grounds

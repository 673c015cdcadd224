"""The guarantee fund's amount rules, checked every time an amount is committed (접수, 구 추천,
보증 승인, 대출실행): the per-firm cap, the year's scale and the pool. Each refusal names its figures."""

from loans.models import LoanFund

from .selectors import firm_guarantee_balance_won, guarantee_capacity


def capacity_refusals(
    *, fund: LoanFund, firm, amount_won: int, what: str, exclude_pk: int | None = None, pool_amount_won=None
) -> list[str]:
    """Korean refusals for committing `amount_won` (named `what`: 신청금액, 추천금액…) of `fund` to
    `firm`; empty when it fits. `exclude_pk` is the application being re-committed (its own earlier
    amount doesn't count); `pool_amount_won` is what it would hold of the pool (× 보증비율), if less."""
    errors = []
    limit = fund.limit_for(firm.firm_type)
    if limit is not None:
        held = firm_guarantee_balance_won(fund=fund, firm=firm, exclude_pk=exclude_pk)
        if held + amount_won > limit:
            errors.append(
                f"업체당 한도를 넘습니다: '{firm.name}'의 {fund.name} 대출 잔액 {held:,}원에 {what} "
                f"{amount_won:,}원을 더하면 {held + amount_won:,}원으로 업체당 한도 {limit:,}원을 넘습니다."
            )
    capacity = guarantee_capacity(fund=fund, exclude_pk=exclude_pk)
    if amount_won > capacity.scale_left_won:
        errors.append(
            f"{fund.year}년 보증 규모를 넘습니다: 규모 {capacity.scale_won:,}원 중 {capacity.year_lending_won:,}원이 "
            f"이미 추천·승인·실행되어 남은 규모는 {capacity.scale_left_won:,}원입니다. "
            f"({what} {amount_won:,}원)"
        )
    pool_amount = amount_won if pool_amount_won is None else pool_amount_won
    if pool_amount > capacity.pool_left_won:
        errors.append(
            f"보증한도를 넘습니다: 보증한도 {capacity.pool_won:,}원(구 출연금 "
            f"{fund.guarantee_contribution_won or 0:,}원 × {fund.guarantee_multiplier or 0}배) 중 "
            f"보증잔액 {capacity.outstanding_won:,}원과 진행 중인 추천·승인 {capacity.pending_won:,}원을 빼면 "
            f"남은 한도는 {capacity.pool_left_won:,}원입니다. ({what} {pool_amount:,}원)"
        )
    return errors

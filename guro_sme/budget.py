"""Yearly projects with a budget (KOTRA, marketing): amounts checked against it under a lock.

The project row is locked first (`lock_project`), so two staff saving at once cannot pass the
budget together: the second waits and then sees the first one's amount in `spent_won`.
"""

from typing import TypeVar

from django.db import models
from django.db.models import Sum

from .errors import RuleError

Project = TypeVar("Project", bound=models.Model)


def lock_project(project: Project) -> Project:
    """The project row, re-read and locked until the transaction ends (call inside atomic())."""
    return type(project).objects.select_for_update().get(pk=project.pk)


def total_won(queryset: models.QuerySet, field: str) -> int:
    """Sum of the won amounts in `field` over `queryset` (0 when empty); the caller leaves out the
    row being edited, so an update is not counted twice."""
    return queryset.aggregate(total=Sum(field))["total"] or 0


def check_within_budget(
    *,
    project: models.Model,
    spent_won: int,
    amount_won: int,
    spent_word: str,
    amount_word: str,
    error: type[RuleError] = RuleError,
) -> None:
    """Raise `error` when `spent_won` + `amount_won` would pass the budget of the (locked) `project`,
    a yearly project with `year` and `budget_won`.

    `spent_word` and `amount_word` name the two amounts in the message ("지원", "이번 지원금").
    """
    year, budget_won = project.year, project.budget_won
    total = spent_won + amount_won
    if total > budget_won:
        raise error(
            f"{year}년 예산 {budget_won:,}원을 넘습니다: 이미 {spent_word} {spent_won:,}원 + {amount_word} "
            f"{amount_won:,}원 = {total:,}원 (잔액 {budget_won - spent_won:,}원)."
        )

"""Marketing writes and rules.

- A selected firm must be located in the district (refused otherwise); a firm that is not a
  벤처기업 is allowed (the seed targets venture firms but names no hard rule) with a notice.
- One selection per firm per year.
- The year's total cost may not pass the project budget (checked under a lock on the project).
Each refusal raises MarketingRuleError with a Korean message; nothing is written.
"""

from typing import TYPE_CHECKING

from django.db import transaction

from guro_sme.budget import check_within_budget, lock_project, total_won
from guro_sme.eligibility import require_in_district
from guro_sme.errors import RuleError
from guro_sme.korean import particle
from guro_sme.models import Firm

from .models import BloggerEvent, MarketingProject, Selection

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class MarketingRuleError(RuleError):
    """A marketing rule refused the action; `message` is shown to the user as is."""


def selection_notices(firm: Firm) -> list[str]:
    """Things staff should know about a selection that do not refuse it."""
    if firm.firm_type != Firm.FirmType.VENTURE:
        return [
            f"'{firm.name}'{particle(firm.name, '은')} 벤처기업이 아닙니다({firm.get_firm_type_display()}). "
            "이 사업은 우수 기술력을 갖춘 벤처기업을 대상으로 합니다."
        ]
    return []


def _project_cost_total(project: MarketingProject, *, excluding: Selection | None = None) -> int:
    selections = Selection.objects.filter(project=project)
    if excluding is not None and excluding.pk:
        selections = selections.exclude(pk=excluding.pk)
    return total_won(selections, "cost_won")


@transaction.atomic
def selection_save(
    *,
    project: MarketingProject,
    firm: Firm,
    cost_won: int,
    actor: "User",
    selection: Selection | None = None,
    event: BloggerEvent | None = None,
    product: str = "",
    posts_count: int = 0,
    reach: int = 0,
    link_url: str = "",
    note: str = "",
) -> Selection:
    """Select a firm for the year (selection=None) or update its selection and results.

    Locks the project row so two staff selecting at once cannot pass the budget together.
    """
    project = lock_project(project)
    require_in_district(firm, what="선정", error=MarketingRuleError)
    same_year = Selection.objects.filter(project=project, firm=firm)
    if selection is not None and selection.pk:
        same_year = same_year.exclude(pk=selection.pk)
    if same_year.exists():
        raise MarketingRuleError(
            f"'{firm.name}'{particle(firm.name, '은')} {project.year}년에 이미 선정되어 있습니다."
        )
    if event is not None and event.project_id != project.pk:
        raise MarketingRuleError("다른 연도 사업의 품평회는 고를 수 없습니다.")
    check_within_budget(
        project=project,
        spent_won=_project_cost_total(project, excluding=selection),
        amount_won=cost_won,
        spent_word="집행",
        amount_word="이번 비용",
        error=MarketingRuleError,
    )
    if selection is None:
        selection = Selection(project=project, created_by=actor)
    selection.firm = firm
    selection.event = event
    selection.product = product
    selection.cost_won = cost_won
    selection.posts_count = posts_count
    selection.reach = reach
    selection.link_url = link_url
    selection.note = note
    selection.updated_by = actor
    selection._history_user = actor
    selection.full_clean()
    selection.save()
    return selection


@transaction.atomic
def project_save(*, project: MarketingProject, actor: "User") -> MarketingProject:
    """Create or update a project; refused when the budget would fall below what is spent."""
    if project.pk:
        lock_project(project)
        spent = _project_cost_total(project)
        if spent > project.budget_won:
            raise MarketingRuleError(
                f"이미 집행한 비용 {spent:,}원보다 적은 예산({project.budget_won:,}원)으로 바꿀 수 없습니다."
            )
    project.full_clean()
    project.updated_by = actor
    project._history_user = actor
    project.save()
    return project


@transaction.atomic
def event_save(*, event: BloggerEvent) -> BloggerEvent:
    """Create or update a blogger event; the number invited is at least the names listed."""
    named = len(event.blogger_list)
    if named > event.bloggers_invited:
        event.bloggers_invited = named
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def selection_delete(*, selection: Selection, actor: "User") -> None:
    """Remove a selection made by mistake, leaving a history row with the acting user."""
    selection._history_user = actor
    selection.delete()

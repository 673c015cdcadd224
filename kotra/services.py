"""KOTRA writes and rules. THE subsidy rule is `kotra_subsidy_for`; everything else calls it.

Eligibility (each refusal raises KotraRuleError with a Korean message; nothing is written):
- the firm must be located in the district;
- one participant (= one trade office) per firm per year;
- a firm supported the year before is refused;
- a firm funded by another agency for the same office is refused when staff record it;
- the year's subsidies may not pass the project budget (checked under a lock on the project).
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from guro_sme.budget import check_within_budget, lock_project, total_won
from guro_sme.eligibility import require_in_district
from guro_sme.errors import RuleError
from guro_sme.korean import particle
from guro_sme.models import Firm

from .models import (
    DEFAULT_CAP_WON,
    DEFAULT_RATE,
    KotraProject,
    Participant,
    ParticipationFee,
    SubProgram,
    TradeOffice,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class KotraRuleError(RuleError):
    """A KOTRA rule refused the action; `message` is shown to the user as is."""


def kotra_subsidy_for(fee_won: int, *, rate: Decimal = DEFAULT_RATE, cap_won: int = DEFAULT_CAP_WON) -> int:
    """Subsidy for ONE sub-program's participation fee: `rate` of the fee, at most `cap_won`.

    The seed: "참가비의 50%(최대 175만원) 지원". Money is integer won, so half of an odd-won fee
    (e.g. 3,499,999 → 1,749,999.5) is rounded DOWN to 1,749,999: the district never pays
    more than the rate allows. A participant's subsidy is the sum over its sub-programs.
    """
    if fee_won < 0:
        raise ValueError("fee_won must not be negative")
    share = (Decimal(int(fee_won)) * Decimal(rate)).to_integral_value(rounding=ROUND_FLOOR)
    return min(int(share), int(cap_won))


def project_subsidy_for(project: KotraProject, fee_won: int) -> int:
    """The subsidy of a fee under this project's rate and cap."""
    return kotra_subsidy_for(fee_won, rate=project.subsidy_rate, cap_won=project.cap_per_sub_program_won)


@dataclass(frozen=True)
class Fees:
    """Fees per sub-program in won; None = the sub-program was not joined."""

    branch: int | None = None
    logistics: int | None = None

    def items(self) -> list[tuple[str, int]]:
        joined = [(SubProgram.BRANCH, self.branch), (SubProgram.LOGISTICS, self.logistics)]
        return [(sub, int(fee)) for sub, fee in joined if fee is not None]


def _project_subsidy_total(project: KotraProject, *, excluding: Participant | None = None) -> int:
    fees = ParticipationFee.objects.filter(participant__project=project)
    if excluding is not None and excluding.pk:
        fees = fees.exclude(participant=excluding)
    return total_won(fees, "subsidy_won")


def _check_eligibility(
    *,
    project: KotraProject,
    firm: Firm,
    participant: Participant | None,
    other_agency_funded: bool,
    other_agency_name: str,
) -> None:
    require_in_district(firm, what="참여", error=KotraRuleError)
    same_year = Participant.objects.filter(project=project, firm=firm)
    if participant is not None and participant.pk:
        same_year = same_year.exclude(pk=participant.pk)
    if same_year.exists():
        raise KotraRuleError(
            f"'{firm.name}'{particle(firm.name, '은')} {project.year}년에 이미 참여기업으로 등록되어 있습니다. 기업당 한 해에 한 무역관만 지원합니다."
        )
    if Participant.objects.filter(project__year=project.year - 1, firm=firm).exists():
        raise KotraRuleError(
            f"'{firm.name}'{particle(firm.name, '은')} 전년도({project.year - 1}년)에 지원받은 기업이어서 {project.year}년에는 참여할 수 없습니다."
        )
    if other_agency_funded:
        agency = other_agency_name.strip() or "타 기관"
        raise KotraRuleError(
            f"'{firm.name}'{particle(firm.name, '은')} 같은 무역관에 대해 {agency}의 지원을 이미 받고 있어 중복 지원할 수 없습니다."
        )


def _check_fees(fees: Fees) -> list[tuple[str, int]]:
    items = fees.items()
    if not items:
        raise KotraRuleError("해외지사화 또는 물류네트워크 중 하나 이상의 참가비를 입력하세요.")
    for sub_program, fee in items:
        if fee <= 0:
            raise KotraRuleError(f"{SubProgram(sub_program).label} 참가비는 1원 이상이어야 합니다.")
    return items


def trade_office_get(*, city: str, country: str) -> TradeOffice:
    """The trade office with this city and country, created on first use."""
    city, country = city.strip(), country.strip()
    if not city or not country:
        raise KotraRuleError("무역관의 도시와 국가를 입력하세요.")
    office, _ = TradeOffice.objects.get_or_create(city=city, country=country)
    return office


@transaction.atomic
def participant_save(
    *,
    project: KotraProject,
    firm: Firm,
    trade_office: TradeOffice | None = None,
    trade_office_city: str = "",
    trade_office_country: str = "",
    product: str,
    fees: Fees,
    actor: "User",
    participant: Participant | None = None,
    other_agency_funded: bool = False,
    other_agency_name: str = "",
    note: str = "",
) -> Participant:
    """Register a participant (participant=None) or update one, with its fees and computed subsidy.

    Locks the project row first so two staff registering at once cannot pass the budget together.
    Raises KotraRuleError (nothing written) when a rule refuses. The trade office is given as a
    record or by city and country; a new one is created only once every rule has passed, so a
    refused registration leaves no trade office behind.
    """
    if trade_office is None and not (trade_office_city.strip() and trade_office_country.strip()):
        raise KotraRuleError("무역관의 도시와 국가를 입력하세요.")
    project = lock_project(project)
    items = _check_fees(fees)
    _check_eligibility(
        project=project,
        firm=firm,
        participant=participant,
        other_agency_funded=other_agency_funded,
        other_agency_name=other_agency_name,
    )
    subsidies = {sub: project_subsidy_for(project, fee) for sub, fee in items}
    check_within_budget(
        project=project,
        spent_won=_project_subsidy_total(project, excluding=participant),
        amount_won=sum(subsidies.values()),
        spent_word="지원",
        amount_word="이번 지원금",
        error=KotraRuleError,
    )

    if trade_office is None:
        trade_office = trade_office_get(city=trade_office_city, country=trade_office_country)
    if participant is None:
        participant = Participant(project=project, created_by=actor)
    participant.firm = firm
    participant.trade_office = trade_office
    participant.product = product.strip() or firm.industry
    participant.note = note
    participant.updated_by = actor
    participant._history_user = actor
    participant.save()

    # Row by row rather than in bulk so each change leaves a history row with the acting user.
    existing = {fee.sub_program: fee for fee in participant.fees.all()}
    for sub_program, fee_row in existing.items():
        if sub_program not in subsidies:
            fee_row._history_user = actor
            fee_row.delete()
    for sub_program, fee in items:
        fee_row = existing.get(sub_program) or ParticipationFee(
            participant=participant, sub_program=sub_program
        )
        if fee_row.pk and (fee_row.fee_won, fee_row.subsidy_won) == (fee, subsidies[sub_program]):
            continue
        fee_row.fee_won, fee_row.subsidy_won = fee, subsidies[sub_program]
        fee_row._history_user = actor
        fee_row.save()
    return participant


@transaction.atomic
def project_save(*, project: KotraProject, actor: "User") -> KotraProject:
    """Create or update a project; a changed rate or cap recomputes every stored subsidy.

    Refused (nothing written) when the recomputed subsidies would pass the budget.
    """
    if project.pk:
        lock_project(project)
    project.full_clean()
    project.updated_by = actor
    project._history_user = actor
    project.save()
    fees = list(ParticipationFee.objects.filter(participant__project=project))
    changed = []
    for fee in fees:
        subsidy = project_subsidy_for(project, fee.fee_won)
        if subsidy != fee.subsidy_won:
            fee.subsidy_won = subsidy
            changed.append(fee)
    total = sum(fee.subsidy_won for fee in fees)
    if total > project.budget_won:
        # Raising inside the atomic block undoes the project change too: nothing is written.
        raise KotraRuleError(
            f"참여기업 지원금 합계 {total:,}원이 예산 {project.budget_won:,}원을 넘게 되어 저장할 수 없습니다."
        )
    for fee in changed:
        fee._history_user = actor
        fee.save(update_fields=["subsidy_won"])
    return project


@transaction.atomic
def participant_delete(*, participant: Participant, actor: "User") -> None:
    """Remove a participant registered by mistake; its fees go too, each leaving a history row."""
    for fee in participant.fees.all():
        fee._history_user = actor
        fee.delete()
    participant._history_user = actor
    participant.delete()

"""Excel import/export of KOTRA participants: one row per firm per year, with its fees.

The subsidy is never imported as typed: each row goes through `kotra.services.participant_save`,
which computes it with `kotra_subsidy_for` and applies every eligibility and budget rule. The file
may carry the seed table's 지원금 column as a CHECK: when filled it must equal the computed subsidy,
so a typo in a fee (or in the subsidy) is caught instead of silently changing the amount.
"""

import re

from django.core.exceptions import ValidationError

from guro_sme.imports.base import Column, KoreanResource, firm_name_mismatch
from guro_sme.imports.widgets import AmountWidget, FirmWidget, TextWidget, YearWidget

from .models import KotraProject, Participant, SubProgram, TradeOffice
from .services import Fees, KotraRuleError, participant_save, project_subsidy_for, trade_office_get

_OFFICE = re.compile(r"^\s*(.+?)\s*\(\s*(.+?)\s*\)\s*$")


class TradeOfficeWidget(TextWidget):
    """'런던(영국)' → the trade office (created on first use, like the participant form does)."""

    def __init__(self):
        super().__init__(required=True)

    def parse(self, value):
        text = super().parse(value)
        match = _OFFICE.match(text)
        if not match:
            raise ValueError(f"무역관명은 '도시(국가)' 형식으로 입력하세요 (예: 런던(영국)): '{text}'")
        try:
            return trade_office_get(city=match.group(1), country=match.group(2))
        except KotraRuleError as error:
            raise ValueError(error.message) from None

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


class KotraSupportResource(KoreanResource):
    title = "KOTRA 지원 실적"
    description = (
        "KOTRA 해외지사화 참여기업: 연도와 사업자등록번호로 같은 행을 찾습니다. 지원금은 참가비로 계산하며, "
        "지원금 열을 채우면 계산 결과와 맞는지 확인합니다."
    )
    aliases = {
        "무역관": "무역관명",
        "사업자번호": "사업자등록번호",
        "지원금액": "지원금",
        "참가비": "해외지사화 참가비",
    }
    domain_error_field = "business_number"

    year = Column(
        "project",
        "연도",
        YearWidget(
            KotraProject,
            what="KOTRA 사업 연도",
            hint="먼저 KOTRA 화면에서 그 해 사업(예산·지원비율)을 등록하세요.",
        ),
        help="사업 연도 (예: 2017). 그 해 사업이 먼저 등록되어 있어야 합니다.",
    )
    business_number = Column("firm", "사업자등록번호", FirmWidget(), help="등록된 기업의 사업자등록번호")
    firm_name = Column(
        "firm__name",
        "회사명",
        TextWidget(),
        readonly=True,
        help="확인용: 채우면 등록된 회사명과 같아야 합니다.",
    )
    representative = Column(
        "firm__representative", "대표자", TextWidget(), readonly=True, help="참고용 (가져오지 않음)"
    )
    product = Column("product", "생산품명", TextWidget(max_length=100), help="비워 두면 기업의 업종")
    trade_office = Column("trade_office", "무역관명", TradeOfficeWidget(), help="도시(국가), 예: 런던(영국)")
    fee_branch = Column(
        "import_fee_branch",
        f"{SubProgram.BRANCH.label} 참가비",
        AmountWidget(),
        blank_clears=True,
        help="원 단위 (예: 3,500,000). 참여하지 않았으면 비워 두세요.",
    )
    fee_logistics = Column(
        "import_fee_logistics",
        f"{SubProgram.LOGISTICS.label} 참가비",
        AmountWidget(),
        blank_clears=True,
        help="원 단위. 참여하지 않았으면 비워 두세요.",
    )
    subsidy = Column(
        "import_subsidy",
        "지원금",
        AmountWidget(),
        saves_null_values=False,
        help="확인용: 참가비의 지원비율(최대 한도)로 계산한 값과 같아야 합니다. 비워 두어도 됩니다.",
    )
    note = Column("note", "비고", TextWidget(max_length=200))

    class Meta:
        model = Participant
        fields = (
            "year",
            "business_number",
            "firm_name",
            "representative",
            "product",
            "trade_office",
            "fee_branch",
            "fee_logistics",
            "subsidy",
            "note",
        )
        import_id_fields = ("year", "business_number")

    def get_queryset(self):
        return Participant.objects.select_related("project", "firm", "trade_office").prefetch_related("fees")

    def get_export_queryset(self):
        return self.get_queryset().order_by("-project__year", "pk")

    def filter_for_export(self, queryset, params):
        year = (params.get("year") or "").strip()
        return queryset.filter(project__year=int(year)) if year.isdigit() else queryset

    # The fees live on ParticipationFee rows; they ride on the participant as plain attributes
    # so that "unchanged" and the preview's changes compare them like any other column.
    @staticmethod
    def _load_fees(participant) -> None:
        fees = {fee.sub_program: fee for fee in participant.fees.all()} if participant.pk else {}
        branch, logistics = fees.get(SubProgram.BRANCH), fees.get(SubProgram.LOGISTICS)
        participant.import_fee_branch = branch.fee_won if branch else None
        participant.import_fee_logistics = logistics.fee_won if logistics else None
        participant.import_subsidy = sum(fee.subsidy_won for fee in fees.values()) if fees else None

    def after_init_instance(self, instance, new, row, **kwargs):
        self._load_fees(instance)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        self._load_fees(instance)
        return super().export_resource(instance, selected_fields, **kwargs)

    def prepare_instance(self, instance, row) -> None:
        if not instance.product and instance.firm_id:
            instance.product = instance.firm.industry

    def fees_of(self, instance) -> Fees:
        return Fees(branch=instance.import_fee_branch, logistics=instance.import_fee_logistics)

    def validate_row(self, instance, row) -> None:
        errors = {}
        mismatch = firm_name_mismatch(instance.firm, row)
        if mismatch:
            errors["firm_name"] = mismatch
        items = self.fees_of(instance).items()
        if not items:
            errors["fee_branch"] = "해외지사화 또는 물류네트워크 중 하나 이상의 참가비를 입력하세요."
        typed_subsidy = (
            instance.import_subsidy if "지원금" in row and row.get("지원금") not in (None, "") else None
        )
        if items and typed_subsidy is not None:
            computed = sum(project_subsidy_for(instance.project, fee) for _, fee in items)
            if typed_subsidy != computed:
                project = instance.project
                errors["subsidy"] = (
                    f"지원금 {typed_subsidy:,}원이 참가비로 계산한 {computed:,}원과 다릅니다 "
                    f"(참가비의 {project.rate_percent}%, 세부사업별 최대 {project.cap_per_sub_program_won:,}원)."
                )
        if errors:
            raise ValidationError(errors)

    def save_row(self, instance, *, is_create: bool, row) -> None:
        participant_save(
            project=instance.project,
            firm=instance.firm,
            trade_office=instance.trade_office,
            product=instance.product,
            fees=self.fees_of(instance),
            actor=self.user,
            participant=None if is_create else instance,
            note=instance.note,
        )


__all__ = ["KotraSupportResource", "TradeOffice"]

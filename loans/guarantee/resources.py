"""The guarantee foundation's results (보증 심사 결과), imported back from the list it was sent
(loans/guarantee/documents.py): 승인 with 보증금액·보증비율·보증료·보증서번호·결과일, or 거절
with the reason. Rows are found by 사업자등록번호 + 접수번호; each goes through the guarantee
services, so an import is held to the same rules (cap, scale, pool, dates) as the form."""

from django.core.exceptions import ValidationError

from guro_sme.imports.base import Column
from guro_sme.imports.widgets import AmountWidget, ChoiceWidget, DateWidget, DecimalWidget, TextWidget
from loans.models import LoanApplication, LoanFund
from loans.resources import _ApplicationKeyed
from loans.services import application_perform

S = LoanApplication.Status
RESULTS = [("approved", "승인"), ("rejected", "거절")]
_DECIDED = (S.GUARANTEE_APPROVED, S.EXECUTED, S.REPAYING, S.REPAID, S.BANK_REJECTED)


class GuaranteeResultResource(_ApplicationKeyed):
    title = "보증 심사 결과"
    description = (
        "신용보증재단의 보증 심사 결과(승인·거절)를 보증 신청한 신청에 입력합니다: 사업자등록번호·접수번호로 "
        "신청을 찾고, 승인이면 보증금액·보증비율·보증료·보증서번호·결과일을, 거절이면 거절사유·결과일을 적습니다."
    )
    aliases = {
        **_ApplicationKeyed.aliases,
        "보증서 번호": "보증서번호",
        "심사 결과": "심사결과",
        "결과": "심사결과",
    }

    intake_number = Column(
        "intake_number", "접수번호", TextWidget(required=True, max_length=20), help="예: 2018-0007"
    )
    result = Column(
        "import_guarantee_result", "심사결과", ChoiceWidget(RESULTS, required=True), help="승인 또는 거절"
    )
    guarantee_amount = Column(
        "guarantee_amount_won", "보증금액(원)", AmountWidget(), help="승인일 때: 추천금액 이하"
    )
    ratio = Column("guarantee_ratio_pct", "보증비율(%)", DecimalWidget(), help="승인일 때: 예: 100")
    fee = Column("guarantee_fee_pct", "보증료(%)", DecimalWidget(), help="승인일 때: 연 %, 예: 0.8")
    certificate = Column(
        "guarantee_certificate_number", "보증서번호", TextWidget(max_length=50), help="승인일 때"
    )
    decided_on = Column("guarantee_decided_on", "결과일", DateWidget(), help="보증 심사 결과일")
    rejection_reason = Column(
        "guarantee_rejection_reason", "거절사유", TextWidget(max_length=300), help="거절일 때"
    )

    class Meta:
        model = LoanApplication
        fields = (
            "business_number",
            "firm_name",
            "intake_number",
            "result",
            "guarantee_amount",
            "ratio",
            "fee",
            "certificate",
            "decided_on",
            "rejection_reason",
        )
        import_id_fields = ("business_number", "intake_number")

    def get_queryset(self):
        return LoanApplication.objects.filter(fund__kind=LoanFund.Kind.GUARANTEE).select_related(
            "firm", "call", "fund"
        )

    def get_export_queryset(self):
        return (
            self.get_queryset()
            .filter(status__in=[S.GUARANTEE_REQUESTED, S.GUARANTEE_REJECTED, *_DECIDED])
            .order_by("-fund__year", "intake_number", "pk")
        )

    @staticmethod
    def _load_result(application) -> None:
        if application.status in _DECIDED:
            application.import_guarantee_result = "approved"
        elif application.status == S.GUARANTEE_REJECTED:
            application.import_guarantee_result = "rejected"
        else:
            application.import_guarantee_result = ""

    def after_init_instance(self, instance, new, row, **kwargs):
        self._load_result(instance)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        self._load_result(instance)
        return super().export_resource(instance, selected_fields, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.pk is None and not import_validation_errors:
            raise ValidationError(
                {
                    "intake_number": "이 사업자등록번호·접수번호의 보증특례 신청이 없습니다: 접수대장의 번호를 확인하세요."
                }
            )
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def validate_row(self, instance, row) -> None:
        errors = {}
        self._firm_check(instance, row, errors)
        if instance.import_guarantee_result == "approved":
            for name, value in (
                ("guarantee_amount", instance.guarantee_amount_won),
                ("ratio", instance.guarantee_ratio_pct),
                ("fee", instance.guarantee_fee_pct),
                ("certificate", instance.guarantee_certificate_number),
                ("decided_on", instance.guarantee_decided_on),
            ):
                if value in (None, ""):
                    errors[name] = "승인이면 이 칸을 채워야 합니다."
        elif instance.import_guarantee_result == "rejected":
            if not instance.guarantee_rejection_reason:
                errors["rejection_reason"] = "거절이면 거절사유를 입력하세요."
            if not instance.guarantee_decided_on:
                errors["decided_on"] = "결과일을 입력하세요."
        if errors:
            raise ValidationError(errors)

    def save_row(self, instance, *, is_create: bool, row) -> None:
        # The services lock and re-read the row: the values come from the sheet, not the instance.
        if instance.import_guarantee_result == "approved":
            application_perform(
                application=instance,
                action="guarantee_approval",
                amount_won=instance.guarantee_amount_won,
                ratio_pct=instance.guarantee_ratio_pct,
                fee_pct=instance.guarantee_fee_pct,
                certificate_number=instance.guarantee_certificate_number,
                decided_on=instance.guarantee_decided_on,
                actor=self.user,
            )
        else:
            application_perform(
                application=instance,
                action="guarantee_rejection",
                reason=instance.guarantee_rejection_reason,
                decided_on=instance.guarantee_decided_on,
                actor=self.user,
            )

"""Excel import/export of loan applications and of the partner bank's outcomes.

Rows are found by their natural key: 사업자등록번호 + 공고명 + 기금명. Every write goes through
loans.services, so an import is held to the same rules as the application form:
- a new application is submitted with `application_submit` (접수일 = the row's date), which runs
  every eligibility rule (district, fund of the call, per-firm limit, call period, one per call,
  firm age, guarantee pool) and records the event;
- a bank outcome row goes through `application_record_bank_approval` / `_rejection`, which accept
  only applications already referred to the bank and store the repayment schedule.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from guro_sme.imports import parsing
from guro_sme.imports.base import Column, KoreanResource, firm_name_mismatch
from guro_sme.imports.widgets import (
    AmountWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    FirmWidget,
    IntegerWidget,
    LookupWidget,
    TextWidget,
)

from .models import LoanApplication, LoanCall, LoanFund
from .services import (
    application_record_bank_approval,
    application_record_bank_rejection,
    application_submit,
)

S = LoanApplication.Status


class CallWidget(LookupWidget):
    def __init__(self):
        super().__init__(
            LoanCall,
            "title",
            what="공고",
            required=True,
            hint="공고명을 융자 공고 화면의 이름 그대로 입력하세요.",
        )


class FundWidget(LookupWidget):
    """A fund by its name, in the year of the row's call (fund names repeat every year)."""

    def __init__(self):
        super().__init__(LoanFund, "name", what="기금", required=True)

    def clean(self, value, row=None, **kwargs):
        self._row = row or {}
        return super().clean(value, row=row, **kwargs)

    def parse(self, value):
        name = parsing.cell_text(value)
        call_title = parsing.cell_text(self._row.get("공고명"))
        key = (name, call_title)
        if key not in self._cache:
            funds = LoanFund.objects.filter(name=name)
            call = LoanCall.objects.filter(title=call_title).first() if call_title else None
            if call is not None:
                funds = funds.filter(year=call.year)
            self._cache[key] = (funds.order_by("-year").first(), call)
        fund, call = self._cache[key]
        if fund is None:
            names = ", ".join(LoanFund.objects.order_by().values_list("name", flat=True).distinct()[:10])
            year = f" ({call.year}년)" if call is not None else ""
            raise ValueError(f"등록되지 않은 기금입니다{year}: '{name}'. 등록된 기금: {names}")
        return fund

    def prefetch(self, keys) -> None:
        """Funds depend on the row's call; they are cached per (name, call) as rows are read."""


class _ApplicationKeyed(KoreanResource):
    """Shared columns and rules of both loan resources (the natural key and the firm check)."""

    aliases = {"사업자번호": "사업자등록번호", "공고": "공고명", "기금": "기금명", "상호": "회사명"}
    domain_error_field = "business_number"
    requires_user = True
    # One application per firm per call and the amount limits are the services' rules (with their
    # Korean messages); the database constraints still back them.
    validate_unique = False

    business_number = Column("firm", "사업자등록번호", FirmWidget(), help="등록된 기업의 사업자등록번호")
    firm_name = Column(
        "firm__name",
        "회사명",
        TextWidget(),
        readonly=True,
        help="확인용: 채우면 등록된 회사명과 같아야 합니다.",
    )
    call = Column("call", "공고명", CallWidget(), help="예: 2018년 상반기 중소기업육성기금 융자 공고")
    fund = Column("fund", "기금명", FundWidget(), help="예: 중소기업육성기금 (공고 연도의 기금)")

    def get_queryset(self):
        return LoanApplication.objects.select_related("firm", "call", "fund")

    def _firm_check(self, instance, row, errors: dict) -> None:
        mismatch = firm_name_mismatch(instance.firm, row)
        if mismatch:
            errors["firm_name"] = mismatch


class LoanApplicationResource(_ApplicationKeyed):
    title = "융자 신청"
    description = (
        "융자 신청을 접수합니다: 사업자등록번호·공고명·기금명으로 같은 신청을 찾으며, 신청 화면과 같은 요건"
        "(관내 기업, 업체당 한도, 접수 기간, 공고당 1회 등)을 모두 확인합니다."
    )

    requested_amount = Column(
        "requested_amount_won",
        "신청금액",
        AmountWidget(required=True),
        help="원 단위: 50,000,000 또는 5,000만원",
    )
    purpose = Column(
        "purpose",
        "자금용도",
        ChoiceWidget(LoanApplication.Purpose.choices, required=True),
        help="운전자금 또는 시설자금",
    )
    purpose_detail = Column("purpose_detail", "용도 상세", TextWidget(max_length=300))
    repayment_method = Column(
        "repayment_method",
        "상환방식",
        ChoiceWidget(LoanApplication.RepaymentMethod.choices),
        default=LoanApplication.RepaymentMethod.EQUAL_PRINCIPAL,
        help="원금균등 또는 원리금균등 (비우면 원금균등)",
    )
    repayment_years = Column(
        "repayment_years",
        "분할상환기간",
        IntegerWidget(what="분할상환기간"),
        help="년 (비우면 기금의 최대 기간)",
    )
    submitted_on = Column(
        "submitted_on", "접수일", DateWidget(), help="비우면 오늘. 공고의 접수 기간 안이어야 합니다."
    )
    status = Column(
        "status", "상태", ChoiceWidget(LoanApplication.Status.choices), readonly=True, help="내려받기 전용"
    )
    approved_amount = Column(
        "approved_amount_won", "선정금액", AmountWidget(), readonly=True, help="내려받기 전용"
    )
    executed_amount = Column(
        "executed_amount_won", "실행금액", AmountWidget(), readonly=True, help="내려받기 전용"
    )

    class Meta:
        model = LoanApplication
        fields = (
            "business_number",
            "firm_name",
            "call",
            "fund",
            "requested_amount",
            "purpose",
            "purpose_detail",
            "repayment_method",
            "repayment_years",
            "submitted_on",
            "status",
            "approved_amount",
            "executed_amount",
        )
        import_id_fields = ("business_number", "call", "fund")

    def get_export_queryset(self):
        # Year-round applications have no call: they are in the guarantee register and its results import.
        return (
            self.get_queryset()
            .filter(call__isnull=False)
            .order_by("-call__year", "call__title", "firm__name", "pk")
        )

    def export_rows(self, queryset):
        # Plain values instead of an application (with its firm, call and fund) per row.
        return self.export_values(queryset)

    def prepare_instance(self, instance, row) -> None:
        if not instance.created_by_id and self.user is not None and self.user.pk:
            instance.created_by = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # created_by is set by the service from the acting user; status rules are the service's.
        if not instance.created_by_id and not (self.user and self.user.pk):
            raise ValidationError({"business_number": "가져오기를 하는 담당자가 필요합니다 (--user)."})
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def validate_row(self, instance, row) -> None:
        errors = {}
        self._firm_check(instance, row, errors)
        if instance.pk and instance.status != S.DRAFT:
            errors["business_number"] = (
                f"이미 '{instance.get_status_display()}' 상태인 신청은 가져오기로 고칠 수 없습니다: 신청 화면에서 처리하세요."
            )
        if errors:
            raise ValidationError(errors)

    def save_row(self, instance, *, is_create: bool, row) -> None:
        application_submit(
            application=instance, actor=self.user, on_date=instance.submitted_on or timezone.localdate()
        )


BANK_RESULTS = [("approved", "승인"), ("rejected", "부결")]
_EXECUTED = (S.EXECUTED, S.REPAYING, S.REPAID)


class BankOutcomeResource(_ApplicationKeyed):
    title = "은행 심사 결과"
    description = (
        "협력은행의 최종 담보자격 심사 결과(승인·부결)를 은행에 통보된 신청에 입력합니다. 승인이면 실행금액·대출금리·"
        "대출실행일로 상환 일정을 만듭니다."
    )

    result = Column(
        "import_bank_result", "심사결과", ChoiceWidget(BANK_RESULTS, required=True), help="승인 또는 부결"
    )
    executed_amount = Column(
        "executed_amount_won", "실행금액", AmountWidget(), help="승인일 때: 선정금액 이하"
    )
    bank_rate = Column("bank_rate", "대출금리", DecimalWidget(), help="승인일 때: 연 %, 예: 3.5")
    executed_on = Column("executed_on", "대출실행일", DateWidget(), help="승인일 때")
    rejection_reason = Column(
        "bank_rejection_reason", "부결사유", TextWidget(max_length=300), help="부결일 때"
    )

    class Meta:
        model = LoanApplication
        fields = (
            "business_number",
            "firm_name",
            "call",
            "fund",
            "result",
            "executed_amount",
            "bank_rate",
            "executed_on",
            "rejection_reason",
        )
        import_id_fields = ("business_number", "call", "fund")

    def get_export_queryset(self):
        return (
            self.get_queryset()
            .filter(status__in=[S.REFERRED, S.BANK_REJECTED, *_EXECUTED], call__isnull=False)
            .order_by("-call__year", "call__title", "firm__name", "pk")
        )

    @staticmethod
    def _result_of(status: str) -> str:
        if status in _EXECUTED:
            return "approved"
        if status == S.BANK_REJECTED:
            return "rejected"
        return ""

    def _load_result(self, application) -> None:
        application.import_bank_result = self._result_of(application.status)

    def after_init_instance(self, instance, new, row, **kwargs):
        self._load_result(instance)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        self._load_result(instance)
        return super().export_resource(instance, selected_fields, **kwargs)

    def export_rows(self, queryset):
        # Plain values instead of an application (with its firm, call and fund) per row.
        result = self.fields["result"].widget
        return self.export_values(
            queryset, {"result": (["status"], lambda status: result.render(self._result_of(status)))}
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.pk is None and not import_validation_errors:
            raise ValidationError(
                {
                    "business_number": "이 사업자등록번호·공고명·기금명의 융자 신청이 없습니다: 먼저 신청을 등록하세요."
                }
            )
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def validate_row(self, instance, row) -> None:
        errors = {}
        self._firm_check(instance, row, errors)
        if instance.import_bank_result == "approved":
            for name, value in (
                ("executed_amount", instance.executed_amount_won),
                ("bank_rate", instance.bank_rate),
                ("executed_on", instance.executed_on),
            ):
                if value in (None, ""):
                    errors[name] = "승인이면 이 칸을 채워야 합니다."
        elif instance.import_bank_result == "rejected" and not instance.bank_rejection_reason:
            errors["rejection_reason"] = "부결이면 부결사유를 입력하세요."
        if errors:
            raise ValidationError(errors)

    def save_row(self, instance, *, is_create: bool, row) -> None:
        if instance.import_bank_result == "approved":
            application_record_bank_approval(
                application=instance,
                executed_amount_won=instance.executed_amount_won,
                bank_rate=instance.bank_rate,
                executed_on=instance.executed_on,
                actor=self.user,
            )
        else:
            application_record_bank_rejection(
                application=instance, reason=instance.bank_rejection_reason, actor=self.user
            )

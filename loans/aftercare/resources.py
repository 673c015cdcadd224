"""The partner bank's repayment file (상환 내역): 사업자등록번호, 대출실행일, 납입일, 원금, 이자.

Each row is matched to its loan by the firm's business number and the execution date, then
recorded as a bank-file payment through services.payment_record. A row is refused, never
guessed, when no loan matches or when the bank's split of the payment (원금/이자) is not what the
schedule says that payment settles — staff see every such row in the preview, nothing written.
"""

import datetime

from django.core.exceptions import ValidationError
from import_export.instance_loaders import BaseInstanceLoader

from guro_sme.imports.base import Column, KoreanResource
from guro_sme.imports.widgets import AmountWidget, BusinessNumberWidget, DateWidget, TextWidget
from loans.models import LoanApplication

from .allocation import Paid, allocate
from .models import LoanPayment, SubsidyClaimLine
from .selectors import payments_in_force
from .services import payment_record, subsidy_claim_add_line, subsidy_claim_open

S = LoanApplication.Status


class _NewRowsOnly(BaseInstanceLoader):
    """Every row is a new payment; a file imported twice is caught by validate_row."""

    def get_instance(self, row):
        return None


class BankRepaymentResource(KoreanResource):
    title = "은행 상환 내역"
    description = (
        "협력은행이 보내는 상환 내역(사업자등록번호·대출실행일·납입일·원금·이자)을 납입으로 기록합니다. "
        "대출을 찾지 못하거나 원금·이자가 상환 일정과 맞지 않는 행은 오류로 보여 주고 아무것도 기록하지 않습니다."
    )
    aliases = {"사업자번호": "사업자등록번호", "실행일": "대출실행일", "상환일": "납입일", "상환원금": "원금"}
    requires_user = True
    domain_error_field = "business_number"
    validate_unique = False

    business_number = Column(
        "import_business_number", "사업자등록번호", BusinessNumberWidget(required=True), help="대출받은 기업"
    )
    executed_on = Column("import_executed_on", "대출실행일", DateWidget(required=True), help="예: 2018-03-15")
    paid_on = Column("paid_on", "납입일", DateWidget(required=True), help="은행에 납입된 날")
    principal = Column("bank_principal_won", "원금", AmountWidget(required=True), help="원 단위, 없으면 0")
    interest = Column("bank_interest_won", "이자", AmountWidget(required=True), help="원 단위, 없으면 0")

    class Meta:
        model = LoanPayment
        fields = ("business_number", "executed_on", "paid_on", "principal", "interest")
        import_id_fields = ("business_number", "executed_on", "paid_on")
        instance_loader_class = _NewRowsOnly
        skip_unchanged = False
        report_skipped = False
        use_transactions = True
        skip_html_diff = True
        clean_model_instances = True

    def get_queryset(self):
        return LoanPayment.objects.select_related("application__firm")

    def get_export_queryset(self):
        return (
            self.get_queryset()
            .filter(source=LoanPayment.Source.BANK_FILE, reversal__isnull=True)
            .order_by("paid_on", "pk")
        )

    def export_resource(self, instance, selected_fields=None, **kwargs):
        instance.import_business_number = instance.application.firm.business_number
        instance.import_executed_on = instance.application.executed_on
        return super().export_resource(instance, selected_fields, **kwargs)

    def prepare_instance(self, instance, row) -> None:
        loans = list(
            LoanApplication.objects.filter(
                firm__business_number=instance.import_business_number,
                executed_on=instance.import_executed_on,
                status__in=(S.EXECUTED, S.REPAYING, S.REPAID),
            ).select_related("fund")
        )
        instance.import_loan = loans[0] if len(loans) == 1 else None
        instance.import_loan_count = len(loans)
        if instance.import_loan is not None:
            instance.application = instance.import_loan
        instance.amount_won = (instance.bank_principal_won or 0) + (instance.bank_interest_won or 0)
        instance.entered_by = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The loan and the amount are this resource's checks (validate_row), with their own messages.
        self.clean_exclude = ("application", "amount_won", "entered_by")
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def validate_row(self, instance, row) -> None:
        loan = instance.import_loan
        if loan is None:
            raise ValidationError(
                {
                    "business_number": (
                        f"사업자등록번호 {row.get('사업자등록번호')}·대출실행일 "
                        f"{instance.import_executed_on:%Y.%m.%d}의 실행된 융자가 "
                        + (
                            "여러 건입니다: 융자 화면에서 직접 입력하세요."
                            if instance.import_loan_count
                            else "없습니다."
                        )
                    )
                }
            )
        amount = instance.amount_won
        if amount <= 0:
            raise ValidationError({"principal": "원금과 이자가 모두 0원입니다."})
        payments = payments_in_force(loan.payments.all())
        already = [
            p
            for p in payments
            if p.source == LoanPayment.Source.BANK_FILE
            and p.paid_on == instance.paid_on
            and p.amount_won == amount
        ]
        if already:
            raise ValidationError(
                {
                    "paid_on": "이미 가져온 납입입니다 (같은 대출·납입일·금액). 파일을 두 번 올리지 않았는지 확인하세요."
                }
            )
        key = "new"
        state = allocate(
            loan_won=loan.executed_amount_won,
            installments=loan.installments.all(),
            payments=[
                *(
                    Paid(p.paid_on, p.amount_won, p.kind == LoanPayment.Kind.PREPAYMENT, p.pk)
                    for p in payments
                ),
                Paid(instance.paid_on, amount, False, key),
            ],
            as_of=datetime.date.max,
        )
        splits = state.splits.get(key, [])
        interest = sum(s[1] for s in splits)
        principal = sum(s[2] for s in splits)
        if interest + principal < amount:
            raise ValidationError(
                {
                    "principal": f"납입액 {amount:,}원이 남은 상환액 {interest + principal:,}원보다 많습니다: 중도상환이면 융자 화면에서 입력하세요."
                }
            )
        if (principal, interest) != (instance.bank_principal_won, instance.bank_interest_won):
            raise ValidationError(
                {
                    "principal": (
                        f"상환 일정과 맞지 않습니다: 이 납입 {amount:,}원은 일정상 원금 {principal:,}원·이자 {interest:,}원에 "
                        f"충당됩니다 (은행자료 원금 {instance.bank_principal_won:,}원·이자 {instance.bank_interest_won:,}원)."
                    )
                }
            )

    def save_row(self, instance, *, is_create: bool, row) -> None:
        payment_record(
            application=instance.import_loan,
            paid_on=instance.paid_on,
            amount_won=instance.amount_won,
            source=LoanPayment.Source.BANK_FILE,
            bank_principal_won=instance.bank_principal_won,
            bank_interest_won=instance.bank_interest_won,
            actor=self.user,
        )


class SubsidyClaimResource(KoreanResource):
    """The bank's interest-subsidy claim, one row per loan; rows of one 기금·청구기간 form one claim."""

    title = "이자보전금 청구"
    description = (
        "협력은행의 이자보전금 청구(기금명·청구기간·사업자등록번호·대출실행일·청구액)를 대출별로 입력합니다. "
        "각 대출의 산정액(잔액 × min(대출금리, 이자보전 한도) × 일수 ÷ 365)과의 차이는 청구 화면에 나옵니다."
    )
    aliases = {"사업자번호": "사업자등록번호", "기금": "기금명", "실행일": "대출실행일", "청구금액": "청구액"}
    requires_user = True
    domain_error_field = "business_number"
    validate_unique = False

    fund_name = Column("import_fund_name", "기금명", TextWidget(required=True), help="예: 우리은행협력자금")
    period_start = Column(
        "import_period_start", "청구기간 시작", DateWidget(required=True), help="예: 2019-01-01"
    )
    period_end = Column(
        "import_period_end", "청구기간 끝", DateWidget(required=True), help="끝일은 빼고 계산합니다"
    )
    business_number = Column(
        "import_business_number", "사업자등록번호", BusinessNumberWidget(required=True), help="대출받은 기업"
    )
    executed_on = Column("import_executed_on", "대출실행일", DateWidget(required=True))
    claimed = Column("claimed_won", "청구액", AmountWidget(required=True), help="원 단위")

    class Meta:
        model = SubsidyClaimLine
        fields = ("fund_name", "period_start", "period_end", "business_number", "executed_on", "claimed")
        import_id_fields = ("fund_name", "period_start", "period_end", "business_number", "executed_on")
        instance_loader_class = _NewRowsOnly
        skip_unchanged = False
        report_skipped = False
        use_transactions = True
        skip_html_diff = True
        clean_model_instances = True

    def get_queryset(self):
        return SubsidyClaimLine.objects.select_related("claim__fund", "application__firm")

    def export_resource(self, instance, selected_fields=None, **kwargs):
        instance.import_fund_name = instance.claim.fund.name
        instance.import_period_start = instance.claim.period_start
        instance.import_period_end = instance.claim.period_end
        instance.import_business_number = instance.application.firm.business_number
        instance.import_executed_on = instance.application.executed_on
        return super().export_resource(instance, selected_fields, **kwargs)

    def prepare_instance(self, instance, row) -> None:
        loans = list(
            LoanApplication.objects.filter(
                firm__business_number=instance.import_business_number,
                executed_on=instance.import_executed_on,
                fund__name=instance.import_fund_name,
            ).select_related("fund", "firm")
        )
        instance.import_loan = loans[0] if len(loans) == 1 else None
        instance.entered_by = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        self.clean_exclude = ("claim", "application", "computed_won", "entered_by")
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def validate_row(self, instance, row) -> None:
        if instance.import_loan is None:
            raise ValidationError(
                {
                    "business_number": (
                        f"기금 '{instance.import_fund_name}'에서 {instance.import_executed_on:%Y.%m.%d}에 실행된 "
                        f"사업자등록번호 {row.get('사업자등록번호')}의 융자가 없습니다."
                    )
                }
            )

    def save_row(self, instance, *, is_create: bool, row) -> None:
        claim = subsidy_claim_open(
            fund=instance.import_loan.fund,
            period_start=instance.import_period_start,
            period_end=instance.import_period_end,
            actor=self.user,
        )
        subsidy_claim_add_line(
            claim=claim, application=instance.import_loan, claimed_won=instance.claimed_won, actor=self.user
        )

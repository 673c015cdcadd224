"""Loan funds, calls (공고), applications and their events, documents and repayment installments.

Every amount, rate, limit and term is data on a fund row (per year), never a code constant:
the district changes banks and rates (e.g. 0.8% in 2026) without a code change.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from guro_sme.models import Firm, Organization

from .schedule import period_subsidy_won


class LoanFund(models.Model):
    """One fund in one year: 중소기업육성기금, 우리은행협력자금, 보증특례지원 ..."""

    class Kind(models.TextChoices):
        DISTRICT_FUND = "district_fund", "구 기금 융자"
        BANK_PARTNERSHIP = "bank_partnership", "은행 협력자금"
        GUARANTEE = "guarantee", "보증특례"

    name = models.CharField("기금명", max_length=100)
    kind = models.CharField("구분", max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("연도")
    allocation_won = models.PositiveBigIntegerField("융자 규모(원)")
    # A fixed rate (구 기금) or a range (보증특례 3~5%); the bank fund lends at the bank's rate.
    interest_rate = models.DecimalField("금리(연 %)", max_digits=5, decimal_places=2, null=True, blank=True)
    rate_min = models.DecimalField("최저 금리(연 %)", max_digits=5, decimal_places=2, null=True, blank=True)
    rate_max = models.DecimalField("최고 금리(연 %)", max_digits=5, decimal_places=2, null=True, blank=True)
    subsidy_cap_pct = models.DecimalField(
        "구 이자보전 한도(연 %p)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="은행 협력자금: 구가 보전하는 이자의 상한 (예: 1.00)",
    )
    partner_bank = models.ForeignKey(
        Organization,
        verbose_name="협력은행",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_funds",
    )
    guarantor = models.ForeignKey(
        Organization,
        verbose_name="보증기관",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guaranteed_funds",
    )
    grace_years = models.PositiveSmallIntegerField("거치기간(년)", default=1)
    repayment_years_min = models.PositiveSmallIntegerField("분할상환기간 최소(년)", default=4)
    repayment_years_max = models.PositiveSmallIntegerField("분할상환기간 최대(년)", default=4)
    payments_per_year = models.PositiveSmallIntegerField("연 상환 횟수", default=2)
    guarantee_contribution_won = models.PositiveBigIntegerField("구 출연금(원)", null=True, blank=True)
    guarantee_multiplier = models.PositiveSmallIntegerField("보증 배수", null=True, blank=True)
    year_round = models.BooleanField(
        "연중 수시 접수",
        default=False,
        help_text="공고 없이 연중 접수하고 연도별 접수대장에 번호를 매깁니다.",
    )

    class RecommendedBy(models.TextChoices):
        STAFF = "staff", "담당자가 추천"
        COMMITTEE = "committee", "심의위원회 의결로 추천"

    # 보증특례: who makes the district's recommendation (구 추천) to the guarantee foundation.
    recommended_by = models.CharField(
        "구 추천 방식", max_length=20, choices=RecommendedBy.choices, default=RecommendedBy.STAFF
    )
    # Eligibility rules as data: the plan card's values are the defaults.
    min_business_age_months = models.PositiveSmallIntegerField(
        "최소 업력(개월)",
        default=6,
        help_text="설립(개업) 후 이 개월 수가 지나지 않은 기업은 신청할 수 없습니다 (공고일 기준, 연중 수시 접수는 접수일 기준).",
    )
    # How many loans a firm (firms with the same representative counted together) may hold at
    # once; empty means no limit. The loans intake reads it (counting lives with the payments).
    repeat_loan_limit = models.PositiveSmallIntegerField(
        "동일 기업(대표자) 보유 대출 한도(건)",
        null=True,
        blank=True,
        help_text="비우면 제한 없음. 대표자가 같은 기업은 함께 셉니다.",
    )
    repeat_loan_limit_refuses = models.BooleanField(
        "보유 대출 한도를 넘으면 접수 거절",
        default=False,
        help_text="끄면 접수는 되고 심의위원회 참고 사항으로 표시합니다.",
    )
    followup_overdue_days = models.PositiveSmallIntegerField(
        "사후관리 연체 기준(일)",
        default=90,
        help_text="연체가 이 일수를 넘은 대출은 사후관리 대상으로 표시합니다. 0이면 표시하지 않습니다.",
    )
    recovery_rate_pct = models.DecimalField(
        "환수 이자율(연 %)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="환수할 때 남은 원금에 붙이는 이자율. 비우면 대출금리를 씁니다.",
    )
    history = HistoricalRecords(verbose_name="융자 기금 변경 이력")

    class Meta:
        verbose_name = "융자 기금"
        verbose_name_plural = "융자 기금"
        ordering = ["-year", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="loanfund_unique_name_year"),
            models.CheckConstraint(
                condition=Q(repayment_years_min__lte=F("repayment_years_max")),
                name="loanfund_repayment_years_range",
            ),
            models.CheckConstraint(condition=Q(payments_per_year__gte=1), name="loanfund_payments_per_year"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def clean(self):
        errors = {}
        if self.rate_min is not None and self.rate_max is not None and self.rate_min > self.rate_max:
            errors["rate_max"] = "최고 금리가 최저 금리보다 낮습니다."
        if (self.rate_min is None) != (self.rate_max is None):
            errors["rate_max"] = "금리 범위는 최저·최고 금리를 함께 입력하세요."
        if self.kind == self.Kind.GUARANTEE and (
            self.guarantee_contribution_won is None or self.guarantee_multiplier is None
        ):
            errors["guarantee_multiplier"] = "보증특례 기금은 구 출연금과 보증 배수를 입력하세요."
        if self.kind == self.Kind.BANK_PARTNERSHIP and self.subsidy_cap_pct is None:
            errors["subsidy_cap_pct"] = "은행 협력자금은 구 이자보전 한도를 입력하세요."
        if errors:
            raise ValidationError(errors)

    @property
    def is_guarantee(self) -> bool:
        return self.kind == self.Kind.GUARANTEE

    @property
    def guarantee_pool_won(self) -> int | None:
        """The guarantee ceiling: the district's contribution × the multiplier (5억 × 10 = 50억)."""
        if self.guarantee_contribution_won is None or self.guarantee_multiplier is None:
            return None
        return self.guarantee_contribution_won * self.guarantee_multiplier

    @property
    def takes_calls(self) -> bool:
        """Whether applications come in through a call (공고); a year-round fund takes them any day."""
        return not self.year_round

    @property
    def capacity_won(self) -> int:
        """What may be approved in total: the guarantee pool for the guarantee fund, else the allocation."""
        if self.is_guarantee and self.guarantee_pool_won is not None:
            return self.guarantee_pool_won
        return self.allocation_won

    @property
    def rate_display(self) -> str:
        from guro_sme.money import format_rate

        if self.interest_rate is not None:
            return f"연 {format_rate(self.interest_rate)}"
        if self.rate_min is not None and self.rate_max is not None:
            return f"연 {format_rate(self.rate_min)}~{format_rate(self.rate_max)}"
        if self.subsidy_cap_pct is not None:
            return f"은행금리 (구 이자보전 최대 연 {format_rate(self.subsidy_cap_pct)}p)"
        return "은행금리"

    def limit_for(self, firm_type: str) -> int | None:
        """The per-firm limit for a firm type; None when the type may not borrow from this fund.

        Uses the prefetched `firm_limits` when present, so a list asks the database once.
        """
        for limit in self.firm_limits.all():
            if limit.firm_type == firm_type:
                return limit.limit_won
        return None


class FundFirmLimit(models.Model):
    """Which firm types a fund lends to and how much at most per firm (e.g. 중소기업 2억, 소상공인 5천만)."""

    fund = models.ForeignKey(LoanFund, on_delete=models.CASCADE, related_name="firm_limits")
    firm_type = models.CharField("기업구분", max_length=20, choices=Firm.FirmType.choices)
    limit_won = models.PositiveBigIntegerField("업체당 한도(원)")
    history = HistoricalRecords(verbose_name="업체당 한도 변경 이력")

    class Meta:
        verbose_name = "업체당 융자 한도"
        verbose_name_plural = "업체당 융자 한도"
        constraints = [
            models.UniqueConstraint(fields=["fund", "firm_type"], name="fundfirmlimit_unique_type"),
        ]

    def __str__(self):
        return f"{self.fund} {self.get_firm_type_display()} {self.limit_won:,}원"


class LoanCall(models.Model):
    """A call for applications (공고): January and July each year, or year-round for the guarantee loan."""

    class Half(models.TextChoices):
        FIRST = "first", "상반기"
        SECOND = "second", "하반기"
        YEAR_ROUND = "year_round", "연중 수시"

    year = models.PositiveSmallIntegerField("연도")
    half = models.CharField("구분", max_length=20, choices=Half.choices, default=Half.FIRST)
    title = models.CharField("공고명", max_length=200)
    opens_on = models.DateField("접수 시작일")
    closes_on = models.DateField("접수 마감일")
    funds = models.ManyToManyField(LoanFund, verbose_name="지원 기금", related_name="calls")
    committee_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="기본 심의위원",
        related_name="loan_calls_as_member",
        blank=True,
    )
    copied_from = models.ForeignKey(
        "self", verbose_name="이전 공고", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    history = HistoricalRecords(verbose_name="융자 공고 변경 이력")

    class Meta:
        verbose_name = "융자 공고"
        verbose_name_plural = "융자 공고"
        ordering = ["-year", "-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_on__lte=F("closes_on")), name="loancall_dates_order"),
            models.UniqueConstraint(fields=["title"], name="loancall_unique_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("loans:call_detail", args=[self.pk])

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class RubricItem(models.Model):
    """One scoring item of a call's rubric (사업성 30, 기술성 20 ...); the committee scores on it."""

    call = models.ForeignKey(LoanCall, on_delete=models.CASCADE, related_name="rubric_items")
    name = models.CharField("평가항목", max_length=50)
    weight = models.PositiveSmallIntegerField("배점(가중치)")
    max_score = models.PositiveSmallIntegerField("최고 점수", default=10)
    order = models.PositiveSmallIntegerField("순서", default=0)
    history = HistoricalRecords(verbose_name="평가항목 변경 이력")

    class Meta:
        verbose_name = "심사 평가항목"
        verbose_name_plural = "심사 평가항목"
        ordering = ["call", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="rubricitem_unique_name"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="rubricitem_max_score_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight})"


class LoanApplication(models.Model):
    """A firm's application (융자신청) to one fund of one call, and its whole loan life."""

    class Status(models.TextChoices):
        DRAFT = "draft", "임시저장"
        RECEIVED = "received", "접수"
        REVIEW = "review", "요건검토"
        ON_AGENDA = "on_agenda", "심의상정"
        SELECTED = "selected", "선정"
        RESERVE = "reserve", "예비선정"
        REJECTED = "rejected", "탈락"
        REFERRED = "referred", "은행통보"
        # The guarantee path (보증특례): the district recommends, the foundation decides, the bank lends.
        RECOMMENDED = "recommended", "구 추천"
        GUARANTEE_REQUESTED = "guarantee_requested", "보증 신청"
        GUARANTEE_APPROVED = "guarantee_approved", "보증 승인"
        GUARANTEE_REJECTED = "guarantee_rejected", "보증 거절"
        EXECUTED = "executed", "대출실행"
        BANK_REJECTED = "bank_rejected", "은행부결"
        REPAYING = "repaying", "상환중"
        REPAID = "repaid", "상환완료"
        WITHDRAWN = "withdrawn", "취하"

    class Purpose(models.TextChoices):
        OPERATING = "operating", "운전자금"
        FACILITY = "facility", "시설자금"

    class RepaymentMethod(models.TextChoices):
        EQUAL_PRINCIPAL = "equal_principal", "원금균등"
        EQUAL_PAYMENT = "equal_payment", "원리금균등"

    firm = models.ForeignKey(
        Firm, verbose_name="기업", on_delete=models.PROTECT, related_name="loan_applications"
    )
    # Empty for a year-round fund (보증특례): it takes applications any day, without a call.
    call = models.ForeignKey(
        LoanCall,
        verbose_name="공고",
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
    )
    fund = models.ForeignKey(
        LoanFund, verbose_name="기금", on_delete=models.PROTECT, related_name="applications"
    )
    requested_amount_won = models.PositiveBigIntegerField("신청금액(원)", null=True, blank=True)
    purpose = models.CharField("자금용도", max_length=20, choices=Purpose.choices, blank=True)
    purpose_detail = models.CharField("용도 상세", max_length=300, blank=True)
    repayment_method = models.CharField(
        "상환방식", max_length=20, choices=RepaymentMethod.choices, default=RepaymentMethod.EQUAL_PRINCIPAL
    )
    repayment_years = models.PositiveSmallIntegerField(
        "분할상환기간(년)", null=True, blank=True, help_text="비우면 기금의 최대 기간"
    )
    staff_notes = models.TextField("담당자 메모", blank=True)
    status = models.CharField(
        "상태", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_on = models.DateField("접수일", null=True, blank=True)
    has_unrepaid_loan_flag = models.BooleanField("같은 기금 미상환 대출 있음", default=False)
    approved_amount_won = models.PositiveBigIntegerField("선정금액(원)", null=True, blank=True)
    # The bank's final collateral screening (최종 담보자격 심사).
    executed_amount_won = models.PositiveBigIntegerField("실행금액(원)", null=True, blank=True)
    bank_rate = models.DecimalField("대출금리(연 %)", max_digits=5, decimal_places=2, null=True, blank=True)
    executed_on = models.DateField("대출실행일", null=True, blank=True)
    bank_rejection_reason = models.CharField("은행 부결 사유", max_length=300, blank=True)
    # A year-round fund's intake register (접수대장): one number per fund-year, e.g. 2018-0007.
    intake_number = models.CharField("접수번호", max_length=20, blank=True)
    # The guarantee foundation's side (보증 신청 and 보증 심사 결과).
    guarantee_requested_on = models.DateField("보증 신청일", null=True, blank=True)
    guarantee_amount_won = models.PositiveBigIntegerField("보증금액(원)", null=True, blank=True)
    guarantee_ratio_pct = models.DecimalField(
        "보증비율(%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    guarantee_fee_pct = models.DecimalField(
        "보증료(연 %)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    guarantee_certificate_number = models.CharField("보증서 번호", max_length=50, blank=True)
    guarantee_decided_on = models.DateField("보증 심사 결과일", null=True, blank=True)
    guarantee_rejection_reason = models.CharField("보증 거절 사유", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="입력자", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("입력일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)
    # The requested, approved and executed amounts and the bank's rate: who changed which, when.
    history = HistoricalRecords(verbose_name="융자 신청 변경 이력")

    class Meta:
        verbose_name = "융자 신청"
        verbose_name_plural = "융자 신청"
        ordering = ["-pk"]
        constraints = [
            # One live application per firm per call; drafts and withdrawn ones don't count.
            models.UniqueConstraint(
                fields=["firm", "call"],
                condition=~Q(status__in=["draft", "withdrawn"]),
                name="loanapplication_one_per_firm_per_call",
                violation_error_message="이 기업은 이 공고에 이미 신청했습니다.",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount_won__isnull=True)
                | Q(requested_amount_won__isnull=False, approved_amount_won__lte=F("requested_amount_won")),
                name="loanapplication_approved_le_requested",
            ),
            models.CheckConstraint(
                condition=Q(executed_amount_won__isnull=True)
                | Q(approved_amount_won__isnull=False, executed_amount_won__lte=F("approved_amount_won")),
                name="loanapplication_executed_le_approved",
            ),
            models.UniqueConstraint(
                fields=["fund", "intake_number"],
                condition=~Q(intake_number=""),
                name="loanapplication_unique_intake_number",
            ),
            models.CheckConstraint(
                condition=Q(guarantee_amount_won__isnull=True)
                | Q(approved_amount_won__isnull=False, guarantee_amount_won__lte=F("approved_amount_won")),
                name="loanapplication_guaranteed_le_recommended",
            ),
            models.CheckConstraint(
                condition=Q(guarantee_ratio_pct__isnull=True)
                | Q(guarantee_ratio_pct__gt=0, guarantee_ratio_pct__lte=100),
                name="loanapplication_guarantee_ratio_range",
            ),
        ]

    def __str__(self):
        return f"{self.firm} · {self.fund.name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("loans:application_detail", args=[self.pk])

    @property
    def year(self) -> int:
        """The year the application counts in: its call's, or the fund's for a year-round fund."""
        return self.call.year if self.call_id else self.fund.year

    @property
    def intake_title(self) -> str:
        """Where it came in: the call's title, or the fund's year-round register."""
        if self.call_id:
            return self.call.title
        return f"{self.fund.year}년 {self.fund.name} 연중 접수 {self.intake_number}".rstrip()

    @property
    def effective_repayment_years(self) -> int:
        return self.repayment_years or self.fund.repayment_years_max

    @property
    def has_interest_subsidy(self) -> bool:
        """A bank-partnership loan with a known bank rate: the district pays part of its interest."""
        fund = self.fund
        return (
            fund.kind == LoanFund.Kind.BANK_PARTNERSHIP
            and fund.subsidy_cap_pct is not None
            and self.bank_rate is not None
        )

    def installment_subsidy_won(self, balance_before_won: int) -> int:
        """The district's interest subsidy on the installment that falls on this balance (0 when
        the loan has none). The one place that says which loans are subsidised."""
        if not self.has_interest_subsidy:
            return 0
        return period_subsidy_won(
            balance_before_won=balance_before_won,
            bank_rate_pct=self.bank_rate,
            subsidy_cap_pct=self.fund.subsidy_cap_pct,
            payments_per_year=self.fund.payments_per_year,
        )


class ApplicationEvent(models.Model):
    """One step of an application's timeline: who moved it from which status to which, when and why."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        "이전 상태", max_length=20, choices=LoanApplication.Status.choices, blank=True
    )
    to_status = models.CharField("상태", max_length=20, choices=LoanApplication.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="처리자", on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("일시", auto_now_add=True)
    reason = models.CharField("사유", max_length=500, blank=True)
    amount_won = models.PositiveBigIntegerField("금액(원)", null=True, blank=True)

    class Meta:
        verbose_name = "신청 처리 이력"
        verbose_name_plural = "신청 처리 이력"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def document_upload_to(instance, filename: str) -> str:
    """A random stored name: the uploader's file name never reaches the file system."""
    suffix = Path(filename).suffix.lower()[:8]
    return f"loans/documents/{uuid.uuid4().hex}{suffix}"


class ApplicationDocument(models.Model):
    """A document attached to an application (PDF/JPEG/PNG), downloaded only through a role check."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("서류명", max_length=100)
    file = models.FileField("파일", upload_to=document_upload_to, max_length=200)
    original_name = models.CharField("원래 파일명", max_length=255)
    content_type = models.CharField("형식", max_length=50)
    size_bytes = models.PositiveBigIntegerField("크기(바이트)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("등록일시", auto_now_add=True)

    class Meta:
        verbose_name = "제출 서류"
        verbose_name_plural = "제출 서류"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class Installment(models.Model):
    """One payment of an executed loan's repayment schedule (stored at execution)."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField("회차")
    due_on = models.DateField("납입일")
    principal_won = models.PositiveBigIntegerField("원금(원)")
    interest_won = models.PositiveBigIntegerField("이자(원)")
    balance_before_won = models.PositiveBigIntegerField("상환 전 잔액(원)")
    balance_after_won = models.PositiveBigIntegerField("상환 후 잔액(원)")
    paid_on = models.DateField("납입 확인일", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(verbose_name="상환 회차 변경 이력")

    class Meta:
        verbose_name = "상환 회차"
        verbose_name_plural = "상환 일정"
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="installment_unique_number"),
        ]
        # The arrears and due lists (and the home page's counts) narrow to installments due and
        # not settled on a date: paid_on IS NULL, or paid later than that date. Without these the
        # planner scans every installment (43 ms at scale 1; 2.6 ms with them).
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(paid_on__isnull=True), name="installment_unsettled_due"
            ),
            models.Index(fields=["paid_on"], name="installment_paid_on"),
        ]

    def __str__(self):
        return f"{self.number}회차"

    @property
    def total_won(self) -> int:
        return self.principal_won + self.interest_won

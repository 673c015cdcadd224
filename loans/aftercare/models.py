"""Payments of executed loans and the versions of their repayment schedules.

What a loan has repaid, what it still owes, its next due date and its arrears are never stored:
selectors derive them from the payments (allocation.allocate). A payment is never edited or
deleted; a mistake is undone by a reversal row that points at it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class LoanPayment(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", "상환"
        PREPAYMENT = "prepayment", "중도상환"
        REVERSAL = "reversal", "납입 취소"

    class Source(models.TextChoices):
        STAFF = "staff", "담당자 입력"
        BANK_FILE = "bank_file", "은행 상환자료"

    application = models.ForeignKey(
        "loans.LoanApplication", verbose_name="융자", on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField("구분", max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    paid_on = models.DateField("납입일")
    amount_won = models.PositiveBigIntegerField("납입액(원)")
    source = models.CharField("입력 경로", max_length=20, choices=Source.choices, default=Source.STAFF)
    # What the bank's file said the payment was (원금/이자), kept beside our own allocation.
    bank_principal_won = models.PositiveBigIntegerField("은행자료 원금(원)", null=True, blank=True)
    bank_interest_won = models.PositiveBigIntegerField("은행자료 이자(원)", null=True, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="취소한 납입",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
    )
    note = models.CharField("메모", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="입력자", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("입력일시", auto_now_add=True)

    history = HistoricalRecords(verbose_name="납입 변경 이력")

    class Meta:
        verbose_name = "융자 상환 납입"
        verbose_name_plural = "융자 상환 납입"
        ordering = ["application", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_won__gt=0), name="loanpayment_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="loanpayment_reversal_points_to_payment",
            ),
        ]

    def __str__(self):
        return f"{self.paid_on:%Y.%m.%d} {self.get_kind_display()} {self.amount_won:,}원"


class ScheduleVersion(models.Model):
    """One version of a loan's repayment schedule: the rows as they stood, who made it and why."""

    class Cause(models.TextChoices):
        EXECUTION = "execution", "대출실행"
        PREPAYMENT = "prepayment", "중도상환"
        RATE_CHANGE = "rate_change", "금리 변경"
        RESTORED = "restored", "중도상환 취소"

    application = models.ForeignKey(
        "loans.LoanApplication",
        verbose_name="융자",
        on_delete=models.PROTECT,
        related_name="schedule_versions",
    )
    number = models.PositiveSmallIntegerField("판")
    cause = models.CharField("변경 사유 구분", max_length=20, choices=Cause.choices)
    reason = models.CharField("사유", max_length=300, blank=True)
    effective_on = models.DateField("적용일")
    annual_rate_pct = models.DecimalField("금리(연 %)", max_digits=5, decimal_places=2)
    # [{"number", "due_on", "principal_won", "interest_won", "balance_before_won", "balance_after_won"}]
    rows = models.JSONField("상환 일정")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="처리자", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("처리일시", auto_now_add=True)

    history = HistoricalRecords(verbose_name="상환 일정 판 변경 이력")

    class Meta:
        verbose_name = "상환 일정 판"
        verbose_name_plural = "상환 일정 판"
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="scheduleversion_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}판 ({self.get_cause_display()})"

    @property
    def principal_total_won(self) -> int:
        return sum(row["principal_won"] for row in self.rows)

    @property
    def interest_total_won(self) -> int:
        return sum(row["interest_won"] for row in self.rows)


class RecoveryCase(models.Model):
    """A 환수 case: a supported firm must pay back (moved out, closed, overdue, misuse, false claim).

    The amount is fixed when the case opens (recovery.recovery_amount): a loan's outstanding
    principal plus interest at the fund's recovery rate; the whole subsidy for KOTRA or marketing.
    """

    class Cause(models.TextChoices):
        MOVED_OUT = "moved_out", "관외 이전"
        CLOSED = "closed", "폐업"
        OVERDUE = "overdue", "장기 연체"
        MISUSE = "misuse", "목적 외 사용"
        FALSE_APPLICATION = "false_application", "허위 신청"

    class Program(models.TextChoices):
        LOAN = "loan", "저리융자"
        KOTRA = "kotra", "KOTRA 해외지사화"
        MARKETING = "marketing", "마케팅 지원"

    class Status(models.TextChoices):
        OPEN = "open", "환수 결정(통지 전)"
        NOTIFIED = "notified", "환수 통지(이의신청 기간)"
        OBJECTED = "objected", "이의신청 심사 중"
        AWAITING = "awaiting", "납부 대기"
        REPAID = "repaid", "환수 완료"
        INSTALMENTS = "instalments", "분할납부 약정"
        COLLECTION = "collection", "징수 이관"
        WITHDRAWN = "withdrawn", "환수 취소"

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "인용(환수 취소)"
        REJECTED = "rejected", "기각(환수 유지)"

    firm = models.ForeignKey(
        "guro_sme.Firm", verbose_name="기업", on_delete=models.PROTECT, related_name="recovery_cases"
    )
    program = models.CharField("지원사업", max_length=20, choices=Program.choices)
    application = models.ForeignKey(
        "loans.LoanApplication",
        verbose_name="융자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recovery_cases",
    )
    support_title = models.CharField("환수 대상 지원", max_length=200)
    cause = models.CharField("환수 사유", max_length=20, choices=Cause.choices)
    cause_on = models.DateField("사유 발생일")
    cause_detail = models.TextField("사유 상세", blank=True)
    opened_on = models.DateField("환수 결정일")
    principal_won = models.PositiveBigIntegerField("환수 원금(원)")
    interest_won = models.PositiveBigIntegerField("환수 이자(원)", default=0)
    recovery_rate_pct = models.DecimalField(
        "환수 이자율(연 %)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    interest_days = models.PositiveIntegerField("이자 일수", default=0)
    status = models.CharField(
        "상태", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    notice_number = models.CharField("문서번호", max_length=60, blank=True)
    notice_issued_on = models.DateField("통지일", null=True, blank=True)
    objection_deadline = models.DateField("이의신청 기한", null=True, blank=True)
    objection_received_on = models.DateField("이의신청 접수일", null=True, blank=True)
    objection_text = models.TextField("이의신청 내용", blank=True)
    objection_decision = models.CharField(
        "이의신청 결정", max_length=20, choices=Decision.choices, blank=True
    )
    objection_decision_reason = models.TextField("결정 사유", blank=True)
    objection_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="결정 처리자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    objection_decided_at = models.DateTimeField("결정 일시", null=True, blank=True)
    outcome_on = models.DateField("종결일", null=True, blank=True)
    outcome_note = models.CharField("종결 메모", max_length=300, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="등록자", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="최종 처리자", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("최종 처리일시", auto_now=True)

    history = HistoricalRecords(verbose_name="환수 처리 이력")

    class Meta:
        verbose_name = "환수"
        verbose_name_plural = "환수"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(program="loan", application__isnull=False) | ~Q(program="loan"),
                name="recoverycase_loan_has_application",
            ),
            models.UniqueConstraint(
                fields=["notice_number"], condition=~Q(notice_number=""), name="recoverycase_unique_notice"
            ),
        ]

    def __str__(self):
        return f"{self.firm} 환수 ({self.get_cause_display()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("aftercare:recovery_detail", args=[self.pk])

    @property
    def amount_won(self) -> int:
        return self.principal_won + self.interest_won

    @property
    def closed(self) -> bool:
        return self.status in (
            self.Status.REPAID,
            self.Status.INSTALMENTS,
            self.Status.COLLECTION,
            self.Status.WITHDRAWN,
        )


class SubsidyClaim(models.Model):
    """The partner bank's interest-subsidy claim (이자보전금 청구) for one fund and one period."""

    class Status(models.TextChoices):
        ENTERED = "entered", "검토 중"
        APPROVED = "approved", "지급 승인"

    fund = models.ForeignKey(
        "loans.LoanFund", verbose_name="기금", on_delete=models.PROTECT, related_name="subsidy_claims"
    )
    period_start = models.DateField("청구기간 시작")
    period_end = models.DateField("청구기간 끝")
    status = models.CharField("상태", max_length=20, choices=Status.choices, default=Status.ENTERED)
    approved_won = models.PositiveBigIntegerField("지급 승인액(원)", null=True, blank=True)
    approval_note = models.CharField("승인 메모", max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="승인자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("승인일시", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="입력자", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("입력일시", auto_now_add=True)

    history = HistoricalRecords(verbose_name="이자보전금 청구 변경 이력")

    class Meta:
        verbose_name = "이자보전금 청구"
        verbose_name_plural = "이자보전금 청구"
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "period_start", "period_end"], name="subsidyclaim_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lt=models.F("period_end")), name="subsidyclaim_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.fund.name} {self.period_start:%Y.%m.%d}~{self.period_end:%Y.%m.%d}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("aftercare:claim_detail", args=[self.pk])


class SubsidyClaimLine(models.Model):
    """One loan of a claim: what the bank claims beside what the schedule and payments make due."""

    claim = models.ForeignKey(SubsidyClaim, on_delete=models.CASCADE, related_name="lines")
    application = models.ForeignKey(
        "loans.LoanApplication", verbose_name="융자", on_delete=models.PROTECT, related_name="subsidy_lines"
    )
    claimed_won = models.PositiveBigIntegerField("청구액(원)")
    computed_won = models.PositiveBigIntegerField("산정액(원)")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="입력자", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("입력일시", auto_now_add=True)

    history = HistoricalRecords(verbose_name="이자보전금 청구 내역 변경 이력")

    class Meta:
        verbose_name = "이자보전금 청구 내역"
        verbose_name_plural = "이자보전금 청구 내역"
        ordering = ["claim", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "application"], name="subsidyclaimline_one_per_loan"),
        ]

    def __str__(self):
        return f"{self.claim} · {self.application.firm}"

    @property
    def difference_won(self) -> int:
        return self.claimed_won - self.computed_won

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

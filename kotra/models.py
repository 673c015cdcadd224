"""KOTRA 해외지사화 사업 지원: yearly projects, trade offices, participants and their fees.

The subsidy of each fee is computed by `kotra.services.kotra_subsidy_for` and stored on the fee
row (`subsidy_won`) only by the services, which recompute it whenever a fee, the rate or the cap
changes, so sums stay one SQL aggregate.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from guro_sme.models import EntryStamp, Firm, Organization

DEFAULT_RATE = Decimal("0.50")
DEFAULT_CAP_WON = 1_750_000


class KotraProject(models.Model):
    """One year of the program: budget, target and the subsidy terms (data, not code)."""

    year = models.PositiveSmallIntegerField(
        "연도",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        error_messages={"unique": "이미 등록된 연도의 사업입니다."},
    )
    title = models.CharField("사업명", max_length=100, default="KOTRA 해외지사화 사업 지원")
    organization = models.ForeignKey(
        Organization,
        verbose_name="수행기관",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="보통 KOTRA (대한무역투자진흥공사)",
    )
    budget_won = models.PositiveBigIntegerField("소요예산(원)", help_text="예: 15000000")
    target_firms = models.PositiveSmallIntegerField("지원규모(개사)", default=10)
    subsidy_rate = models.DecimalField(
        "지원비율",
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_RATE,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text="참가비 대비 지원비율 (0.50 = 50%)",
    )
    cap_per_sub_program_won = models.PositiveBigIntegerField(
        "세부사업별 지원한도(원)", default=DEFAULT_CAP_WON, help_text="예: 1750000 (최대 175만원)"
    )
    note = models.TextField("비고", blank=True)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="수정자", on_delete=models.SET_NULL, null=True, blank=True
    )

    history = HistoricalRecords(verbose_name="KOTRA 사업 변경 이력")

    class Meta:
        verbose_name = "KOTRA 해외지사화 사업"
        verbose_name_plural = "KOTRA 해외지사화 사업"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subsidy_rate__gt=0, subsidy_rate__lte=1), name="kotra_project_rate_range"
            ),
        ]

    def __str__(self):
        return f"{self.year}년 {self.title}"

    def get_absolute_url(self):
        return reverse("kotra:project_detail", args=[self.year])

    @property
    def rate_percent(self) -> Decimal:
        return (self.subsidy_rate * 100).normalize()


class TradeOffice(models.Model):
    """A KOTRA overseas trade office (무역관), shown as '런던(영국)'."""

    city = models.CharField("도시", max_length=50)
    country = models.CharField("국가", max_length=50)

    class Meta:
        verbose_name = "무역관"
        verbose_name_plural = "무역관"
        ordering = ["country", "city"]
        constraints = [models.UniqueConstraint(fields=["city", "country"], name="kotra_trade_office_unique")]

    def __str__(self):
        return self.label(self.city, self.country)

    @staticmethod
    def label(city: str, country: str) -> str:
        """How a trade office is named: 도쿄(일본)."""
        return f"{city}({country})"


class ParticipantQuerySet(models.QuerySet):
    def with_subsidy(self):
        """Annotate subsidy_total_won and fee_total_won (0 without fees) in the same query."""
        return self.annotate(
            subsidy_total_won=Coalesce(Sum("fees__subsidy_won"), 0),
            fee_total_won=Coalesce(Sum("fees__fee_won"), 0),
            fee_count=Count("fees"),
        )


class Participant(EntryStamp):
    """A firm in one year's project: one trade office, one product, one or two sub-programs."""

    project = models.ForeignKey(
        KotraProject, verbose_name="사업", on_delete=models.PROTECT, related_name="participants"
    )
    firm = models.ForeignKey(
        Firm, verbose_name="기업", on_delete=models.PROTECT, related_name="kotra_participations"
    )
    trade_office = models.ForeignKey(TradeOffice, verbose_name="무역관", on_delete=models.PROTECT)
    product = models.CharField("생산품명", max_length=100)
    note = models.CharField("비고", max_length=200, blank=True)

    objects = ParticipantQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="참여기업 변경 이력")

    class Meta:
        verbose_name = "참여기업"
        verbose_name_plural = "참여기업"
        ordering = ["project", "pk"]
        constraints = [
            # One trade office per firm per year = one participant row per firm per project.
            models.UniqueConstraint(fields=["project", "firm"], name="kotra_participant_once_per_year"),
        ]

    def __str__(self):
        return f"{self.project.year}년 {self.firm.name}"

    def get_absolute_url(self):
        return reverse("kotra:participant_detail", args=[self.pk])


class SubProgram(models.TextChoices):
    BRANCH = "branch", "해외지사화"
    LOGISTICS = "logistics", "물류네트워크"


class ParticipationFee(models.Model):
    """The fee of one sub-program a participant joined, and the subsidy computed from it."""

    participant = models.ForeignKey(
        Participant, verbose_name="참여기업", on_delete=models.CASCADE, related_name="fees"
    )
    sub_program = models.CharField("세부사업", max_length=20, choices=SubProgram.choices)
    fee_won = models.PositiveBigIntegerField("참가비(원)")
    # Written only by kotra.services (kotra_subsidy_for); never typed by a user.
    subsidy_won = models.PositiveBigIntegerField("지원금(원)", editable=False)

    history = HistoricalRecords(verbose_name="참가비 변경 이력")

    class Meta:
        verbose_name = "세부사업 참가비"
        verbose_name_plural = "세부사업 참가비"
        ordering = ["participant", "sub_program"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "sub_program"], name="kotra_fee_once_per_sub_program"
            ),
            models.CheckConstraint(condition=models.Q(fee_won__gt=0), name="kotra_fee_positive"),
            models.CheckConstraint(
                condition=models.Q(subsidy_won__lte=models.F("fee_won")), name="kotra_subsidy_not_above_fee"
            ),
        ]

    def __str__(self):
        return f"{self.get_sub_program_display()} {self.fee_won:,}원"

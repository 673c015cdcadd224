"""소셜네트워크 활용 마케팅 지원: yearly projects, blogger events and the firms selected.

The seed: "파워블로거 초청 품평회 개최 후 우수 기술력을 갖고 있는 벤처기업을 대상으로 소셜네트워크
활용 홍보", about 10 firms and 15,000천원 a year. The firms supported per year feed the indicator
중소기업 마케팅 지원사업(업체수) (see marketing.selectors.marketing_support_by_year).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from guro_sme.models import EntryStamp, Firm


class MarketingProject(models.Model):
    year = models.PositiveSmallIntegerField(
        "연도",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        error_messages={"unique": "이미 등록된 연도의 사업입니다."},
    )
    title = models.CharField("사업명", max_length=100, default="소셜네트워크 활용 마케팅 지원")
    budget_won = models.PositiveBigIntegerField("예산(원)", help_text="예: 15,000,000")
    target_firms = models.PositiveSmallIntegerField("지원규모(개사)", default=10)
    note = models.TextField("비고", blank=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="수정자", on_delete=models.SET_NULL, null=True, blank=True
    )

    history = HistoricalRecords(verbose_name="마케팅 사업 변경 이력")

    class Meta:
        verbose_name = "마케팅 지원사업"
        verbose_name_plural = "마케팅 지원사업"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}년 {self.title}"

    def get_absolute_url(self):
        return reverse("marketing:project_detail", args=[self.year])


class BloggerEvent(models.Model):
    """A 파워블로거 초청 품평회: the bloggers try the firms' products and write about them."""

    project = models.ForeignKey(
        MarketingProject, verbose_name="사업", on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField("행사명", max_length=100, default="파워블로거 초청 품평회")
    held_on = models.DateField("개최일")
    place = models.CharField("장소", max_length=100)
    bloggers_invited = models.PositiveSmallIntegerField("초청 블로거 수", default=0)
    blogger_names = models.TextField("초청 블로거", blank=True, help_text="한 줄에 한 명 또는 쉼표로 구분")
    note = models.CharField("비고", max_length=200, blank=True)

    class Meta:
        verbose_name = "파워블로거 초청 품평회"
        verbose_name_plural = "파워블로거 초청 품평회"
        ordering = ["project", "held_on", "pk"]

    def __str__(self):
        return f"{self.title} ({self.held_on:%Y.%m.%d} {self.place})"

    @property
    def blogger_list(self) -> list[str]:
        names = self.blogger_names.replace(",", "\n").splitlines()
        return [name.strip() for name in names if name.strip()]


class Selection(EntryStamp):
    """A firm selected in a year's project, its promotion results and its cost."""

    project = models.ForeignKey(
        MarketingProject, verbose_name="사업", on_delete=models.PROTECT, related_name="selections"
    )
    firm = models.ForeignKey(
        Firm, verbose_name="기업", on_delete=models.PROTECT, related_name="marketing_selections"
    )
    event = models.ForeignKey(
        BloggerEvent,
        verbose_name="품평회",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="selections",
    )
    product = models.CharField("홍보 제품·기술", max_length=100, blank=True)
    cost_won = models.PositiveBigIntegerField("지원비용(원)")
    posts_count = models.PositiveIntegerField("게시글 수", default=0)
    reach = models.PositiveIntegerField("도달(조회) 수", default=0)
    link_url = models.URLField("대표 게시글 링크", blank=True)
    note = models.CharField("비고", max_length=200, blank=True)

    history = HistoricalRecords(verbose_name="선정기업 변경 이력")

    class Meta:
        verbose_name = "선정기업"
        verbose_name_plural = "선정기업"
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "firm"], name="marketing_selection_once_per_year"),
        ]

    def __str__(self):
        return f"{self.project.year}년 {self.firm.name}"

    def get_absolute_url(self):
        return reverse("marketing:project_detail", args=[self.project.year])

    @property
    def has_results(self) -> bool:
        return bool(self.posts_count or self.reach or self.link_url)

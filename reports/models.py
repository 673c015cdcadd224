"""The plan card (구정 계획 III-2-1) as records: indicators and yearly targets, the planned 달성도,
the investment plan by line, year and funding source, and the historical results (추진실적).

Money is integer won; the reports format it in 백만원 or 천원 as the plan card does. Totals
(계, 총계) are never stored: the report computes them and compares them with the typed
summaries kept here (`stated_*`), flagging any difference.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Source(models.TextChoices):
    """A programme whose records this system keeps; ProgrammeLink says what each one counts toward."""

    LOANS = "loans", "저리융자"
    MARKETING = "marketing", "마케팅 지원"
    KOTRA = "kotra", "KOTRA 해외지사화"
    NONE = "", "기록 없음"


class FundingSource(models.TextChoices):
    """예산구분 rows of the investment plan, in the plan card's order."""

    NATIONAL = "national", "국비"
    CITY = "city", "시비"
    DISTRICT = "district", "구비(기금포함)"
    PRIVATE = "private", "기타(민자)"


FUNDING_ORDER = {value: index for index, value in enumerate(FundingSource.values)}


class PlanCardManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class PlanCard(models.Model):
    code = models.CharField("관리번호", max_length=20, unique=True)
    title = models.CharField("사업명", max_length=200)
    kind = models.CharField("유형", max_length=20, help_text="예: 계속, 신규")
    timing = models.CharField("이행시기", max_length=50, help_text="예: 임기내완료")
    budget_category = models.CharField("예산구분", max_length=50, help_text="예: 구비")
    lead_department = models.CharField("주관부서", max_length=100)
    cooperating = models.CharField("협조부서(기관)", max_length=300, blank=True)
    policy_goal = models.TextField("정책목표", blank=True)
    start_year = models.PositiveSmallIntegerField("계획 시작연도")
    end_year = models.PositiveSmallIntegerField("계획 종료연도")
    stated_total_won = models.PositiveBigIntegerField(
        "총사업비(원, 계획서 기재)",
        null=True,
        blank=True,
        help_text="계획서에 적힌 총사업비. 보고서는 투자계획의 합계와 비교해 다르면 표시합니다.",
    )
    jury_recommendation = models.TextField("주민배심원단 권고안", blank=True)
    jury_period = models.CharField(
        "주민배심원단 활동 기간",
        max_length=50,
        blank=True,
        help_text="계획서 표기 그대로 (예: 2018.8.9. ~ 8.30)",
    )
    department_opinion = models.TextField("주관부서 검토의견", blank=True)
    updated_at = models.DateTimeField("수정일시", null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        "auth.User",
        verbose_name="수정자",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name="사업 계획 변경 이력")

    objects = PlanCardManager()

    class Meta:
        verbose_name = "구정 계획 카드"
        verbose_name_plural = "구정 계획 카드"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_term_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (self.code,)

    @property
    def term_years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, plan_code, name):
        return self.get(plan__code=plan_code, name=name)


class Indicator(models.Model):
    """확인지표, e.g. '중소기업·소상공인 자금 지원(업체수)', measured by one app's records."""

    plan = models.ForeignKey(PlanCard, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField("순서", default=0)
    name = models.CharField("확인지표", max_length=200)
    unit = models.CharField("단위", max_length=20, default="업체수")

    objects = IndicatorManager()

    class Meta:
        verbose_name = "확인지표"
        verbose_name_plural = "확인지표"
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="indicator_unique_name")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.plan.natural_key(), self.name)

    natural_key.dependencies = ["reports.plancard"]


class IndicatorTargetManager(models.Manager):
    def get_by_natural_key(self, plan_code, indicator_name, year):
        return self.get(indicator__plan__code=plan_code, indicator__name=indicator_name, year=year)


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("연도")
    target = models.PositiveIntegerField("목표")
    history = HistoricalRecords(verbose_name="지표 목표 변경 이력")

    objects = IndicatorTargetManager()

    class Meta:
        verbose_name = "연도별 목표"
        verbose_name_plural = "연도별 목표"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique_year")
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}년 {self.target}"

    def natural_key(self):
        return (*self.indicator.natural_key(), self.year)

    natural_key.dependencies = ["reports.indicator"]


class MilestoneManager(models.Manager):
    def get_by_natural_key(self, plan_code, year):
        return self.get(plan__code=plan_code, year=year)


class Milestone(models.Model):
    """The plan's cumulative 달성도 for a year (20% a year over 2018–2022)."""

    plan = models.ForeignKey(PlanCard, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField("연도")
    percent = models.PositiveSmallIntegerField("달성도(%)")
    history = HistoricalRecords(verbose_name="달성도 계획 변경 이력")

    objects = MilestoneManager()

    class Meta:
        verbose_name = "연도별 달성도 계획"
        verbose_name_plural = "연도별 달성도 계획"
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="milestone_unique_year"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="milestone_percent_at_most_100"),
        ]

    def __str__(self):
        return f"{self.year}년 {self.percent}%"

    def natural_key(self):
        return (*self.plan.natural_key(), self.year)

    natural_key.dependencies = ["reports.plancard"]


class InvestmentLineManager(models.Manager):
    def get_by_natural_key(self, plan_code, name):
        return self.get(plan__code=plan_code, name=name)


class InvestmentLine(models.Model):
    """A line (추진내용) of the 연도별 투자계획, e.g. '중소기업·소상공인 융자지원'."""

    plan = models.ForeignKey(PlanCard, on_delete=models.CASCADE, related_name="investment_lines")
    order = models.PositiveSmallIntegerField("순서", default=0)
    name = models.CharField("추진내용", max_length=200)

    objects = InvestmentLineManager()

    class Meta:
        verbose_name = "투자계획 사업"
        verbose_name_plural = "투자계획 사업"
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="investment_line_unique_name")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.plan.natural_key(), self.name)

    natural_key.dependencies = ["reports.plancard"]


class InvestmentAmountManager(models.Manager):
    def get_by_natural_key(self, plan_code, line_name, year, funding_source):
        return self.get(
            line__plan__code=plan_code, line__name=line_name, year=year, funding_source=funding_source
        )


class InvestmentAmount(models.Model):
    line = models.ForeignKey(InvestmentLine, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField("연도")
    funding_source = models.CharField("예산구분", max_length=20, choices=FundingSource.choices)
    amount_won = models.PositiveBigIntegerField("금액(원)")
    history = HistoricalRecords(verbose_name="투자계획 금액 변경 이력")

    objects = InvestmentAmountManager()

    class Meta:
        verbose_name = "연도별 투자계획 금액"
        verbose_name_plural = "연도별 투자계획 금액"
        ordering = ["line", "year", "funding_source"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year", "funding_source"], name="investment_amount_unique_cell"
            ),
        ]

    def __str__(self):
        return f"{self.line} {self.year}년 {self.get_funding_source_display()}"

    def natural_key(self):
        return (*self.line.natural_key(), self.year, self.funding_source)

    natural_key.dependencies = ["reports.investmentline"]


class ResultSeriesManager(models.Manager):
    def get_by_natural_key(self, plan_code, name):
        return self.get(plan__code=plan_code, name=name)


class ResultSeries(models.Model):
    """A 추진실적 table row of the plan card with its typed 합계, which may disagree with the sum."""

    plan = models.ForeignKey(PlanCard, on_delete=models.CASCADE, related_name="result_series")
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="확인지표",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="result_series",
        help_text="이 실적이 해당 연도의 지표 달성 실적에 더해집니다.",
    )
    order = models.PositiveSmallIntegerField("순서", default=0)
    name = models.CharField("구분", max_length=200)
    has_amounts = models.BooleanField("금액 실적 있음", default=True)
    stated_total_firms = models.PositiveIntegerField("합계 업체수(계획서 기재)", null=True, blank=True)
    stated_total_won = models.PositiveBigIntegerField("합계 금액(원, 계획서 기재)", null=True, blank=True)

    objects = ResultSeriesManager()

    class Meta:
        verbose_name = "추진실적 구분"
        verbose_name_plural = "추진실적 구분"
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="result_series_unique_name")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.plan.natural_key(), self.name)

    natural_key.dependencies = ["reports.plancard", "reports.indicator"]


class Period(models.TextChoices):
    YEAR = "year", "연간"
    FIRST_HALF = "h1", "상반기"
    SECOND_HALF = "h2", "하반기"


class HistoricalResultManager(models.Manager):
    def get_by_natural_key(self, plan_code, series_name, year, period):
        return self.get(series__plan__code=plan_code, series__name=series_name, year=year, period=period)


class HistoricalResult(models.Model):
    """Results reported on the plan card before (or besides) the records in this system."""

    series = models.ForeignKey(ResultSeries, on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField("연도")
    period = models.CharField("기간", max_length=10, choices=Period.choices, default=Period.YEAR)
    firms = models.PositiveIntegerField("업체수")
    amount_won = models.PositiveBigIntegerField("금액(원)", null=True, blank=True)
    # The same supports may also be entered as records (the marketing app holds the 2016–2018
    # selections); then the report lists the result but does not add it to the records again.
    counted_in_records = models.BooleanField(
        "시스템 기록에 포함",
        default=False,
        help_text="같은 지원이 시스템에 기록으로도 입력되어 있으면 체크합니다. 보고서는 두 번 세지 않습니다.",
    )
    history = HistoricalRecords(verbose_name="추진실적 변경 이력")

    objects = HistoricalResultManager()

    class Meta:
        verbose_name = "추진실적"
        verbose_name_plural = "추진실적"
        ordering = ["series", "year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "period"], name="historical_result_unique_period"
            ),
        ]

    def __str__(self):
        return f"{self.series} {self.label}"

    @property
    def label(self) -> str:
        """'16년, '18년 상반기 — as the plan card writes them."""
        text = f"'{self.year % 100:02d}년"
        return text if self.period == Period.YEAR else f"{text} {self.get_period_display()}"

    def natural_key(self):
        return (*self.series.natural_key(), self.year, self.period)

    natural_key.dependencies = ["reports.resultseries"]


class ProgrammeLinkManager(models.Manager):
    def get_by_natural_key(self, plan_code, programme):
        return self.get(plan__code=plan_code, programme=programme)


class ProgrammeLink(models.Model):
    """What one programme's records count toward on the plan card: an indicator (its firms) and an
    investment-plan line (its spending). The card reads 중소기업 마케팅 지원사업 as the SNS
    marketing support and the KOTRA 해외지사화 support together (10 + 10 firms, 15,000 + 15,000천원),
    so both programmes link to that indicator and that line. A programme without a line is spending
    outside the plan: the report lists it apart and keeps it out of the execution rate.
    """

    plan = models.ForeignKey(PlanCard, on_delete=models.CASCADE, related_name="programme_links")
    programme = models.CharField("사업(기록)", max_length=20, choices=[c for c in Source.choices if c[0]])
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="확인지표",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_links",
    )
    investment_line = models.ForeignKey(
        InvestmentLine,
        verbose_name="투자계획 사업",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_links",
    )

    objects = ProgrammeLinkManager()
    history = HistoricalRecords(verbose_name="사업 연결 변경 이력")

    class Meta:
        verbose_name = "사업별 지표·투자계획 연결"
        verbose_name_plural = "사업별 지표·투자계획 연결"
        ordering = ["plan", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "programme"], name="programme_link_unique"),
        ]

    def __str__(self):
        return self.get_programme_display()

    def natural_key(self):
        return (*self.plan.natural_key(), self.programme)

    natural_key.dependencies = ["reports.plancard", "reports.indicator", "reports.investmentline"]


class FundAccountInput(models.Model):
    """What the fund's account (기금 결산) needs that no loan record holds: the opening balance when
    it is not carried from the previous year's closing, and the money transferred in (전입금)."""

    fund = models.OneToOneField(
        "loans.LoanFund", verbose_name="기금", on_delete=models.CASCADE, related_name="+"
    )
    opening_balance_won = models.BigIntegerField(
        "기초잔액(원)",
        null=True,
        blank=True,
        help_text="비우면 같은 기금의 전년도 기말잔액을 이어받습니다.",
    )
    transfers_in_won = models.PositiveBigIntegerField(
        "전입금(원)", default=0, help_text="그 해 구 예산 등에서 기금으로 들어온 돈 (출연·전입)"
    )
    note = models.CharField("비고", max_length=200, blank=True)

    history = HistoricalRecords(verbose_name="기금 결산 입력 변경 이력")

    class Meta:
        verbose_name = "기금 결산 입력값"
        verbose_name_plural = "기금 결산 입력값"

    def __str__(self):
        return f"{self.fund} 결산 입력값"

    @classmethod
    def attach(cls, funds) -> list:
        """The funds, each with `account_input` (or None), in one more query."""
        funds = list(funds)
        inputs = {row.fund_id: row for row in cls.objects.filter(fund__in=funds)}
        for fund in funds:
            fund.account_input = inputs.get(fund.pk)
        return funds


class SectionTable(models.TextChoices):
    """Tables drawn from records that a section of the card (사업개요 및 이행계획) carries."""

    LOAN_TERMS = "loan_terms", "융자 규모 및 조건 (기금별)"
    GUARANTEE_NOTE = "guarantee_note", "보증특례 안내 (출연금 × 배수)"
    RESULTS = "results", "추진실적 (연결한 구분)"
    DISTRICT_COST = "district_cost", "구의 실제 부담과 조달 융자"
    KOTRA = "kotra", "KOTRA 지원 기업 표"
    PROGRAMS = "programs", "경영지원사업 표"


class PlanSectionManager(models.Manager):
    def get_by_natural_key(self, plan_code, number):
        return self.get(plan__code=plan_code, number=number)


class PlanSection(models.Model):
    """One item of the card's 사업개요 및 이행계획 (① 저리융자 … ④ 경영지원사업): its text as the card
    writes it and the record tables it carries, so the report follows the card's order."""

    plan = models.ForeignKey(PlanCard, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("순서", default=0)
    number = models.CharField("번호", max_length=5, help_text="예: ①")
    title = models.CharField("제목", max_length=200)
    body = models.TextField("내용", blank=True, help_text="계획서의 문장 그대로, 한 줄에 한 항목")
    closing = models.TextField(
        "표 다음 내용", blank=True, help_text="계획서에서 표 뒤에 오는 문장 (예: 운영방법)"
    )
    tables = models.JSONField(
        "표",
        default=list,
        blank=True,
        help_text="이 항목에 붙는 표: " + ", ".join(SectionTable.values),
    )
    result_series = models.ForeignKey(
        ResultSeries,
        verbose_name="추진실적 구분",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PlanSectionManager()

    class Meta:
        verbose_name = "사업개요 항목"
        verbose_name_plural = "사업개요 항목"
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_section_unique_number")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def natural_key(self):
        return (*self.plan.natural_key(), self.number)

    natural_key.dependencies = ["reports.plancard", "reports.resultseries"]

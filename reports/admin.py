"""The plan data in the admin (for a superuser); staff use the edit pages under /reports/plan/."""

from django.contrib import admin

from .models import (
    FundAccountInput,
    HistoricalResult,
    Indicator,
    IndicatorTarget,
    InvestmentAmount,
    InvestmentLine,
    Milestone,
    PlanCard,
    PlanSection,
    ProgrammeLink,
    ResultSeries,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class InvestmentLineInline(admin.TabularInline):
    model = InvestmentLine
    extra = 0


class PlanSectionInline(admin.StackedInline):
    model = PlanSection
    extra = 0


class ProgrammeLinkInline(admin.TabularInline):
    model = ProgrammeLink
    extra = 0


class ResultSeriesInline(admin.TabularInline):
    model = ResultSeries
    extra = 0


@admin.register(PlanCard)
class PlanCardAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "lead_department", "start_year", "end_year", "updated_at")
    readonly_fields = ("updated_at", "updated_by")
    inlines = [
        IndicatorInline,
        MilestoneInline,
        InvestmentLineInline,
        ProgrammeLinkInline,
        PlanSectionInline,
        ResultSeriesInline,
    ]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "order")
    list_filter = ("plan",)
    inlines = [IndicatorTargetInline]


class InvestmentAmountInline(admin.TabularInline):
    model = InvestmentAmount
    extra = 0


@admin.register(InvestmentLine)
class InvestmentLineAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "order")
    inlines = [InvestmentAmountInline]


class HistoricalResultInline(admin.TabularInline):
    model = HistoricalResult
    extra = 0


@admin.register(ResultSeries)
class ResultSeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "indicator", "stated_total_firms", "stated_total_won")
    inlines = [HistoricalResultInline]


@admin.register(FundAccountInput)
class FundAccountInputAdmin(admin.ModelAdmin):
    list_display = ("fund", "opening_balance_won", "transfers_in_won", "note")

"""Admin for the loans data: read only. Funds, calls, applications and repayments change through
the loans pages (services), where the rules run and every change keeps its history."""

from django.contrib import admin

from guro_sme.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ApplicationDocument,
    ApplicationEvent,
    FundFirmLimit,
    Installment,
    LoanApplication,
    LoanCall,
    LoanFund,
    RubricItem,
)


class FundFirmLimitInline(ReadOnlyInline):
    model = FundFirmLimit


@admin.register(LoanFund)
class LoanFundAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "year",
        "kind",
        "allocation_won",
        "interest_rate",
        "subsidy_cap_pct",
        "partner_bank",
    )
    list_filter = ("year", "kind")
    inlines = [FundFirmLimitInline]


class RubricItemInline(ReadOnlyInline):
    model = RubricItem


@admin.register(LoanCall)
class LoanCallAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "half", "opens_on", "closes_on")
    list_filter = ("year", "half")
    inlines = [RubricItemInline]


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("from_status", "to_status", "actor", "at", "reason", "amount_won")


@admin.register(LoanApplication)
class LoanApplicationAdmin(ReadOnlyAdmin):
    list_display = ("firm", "call", "fund", "requested_amount_won", "approved_amount_won", "status")
    list_filter = ("status", "fund", "call")
    search_fields = ("firm__name", "firm__business_number")
    list_select_related = ("firm", "call", "fund")
    inlines = [EventInline]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "application", "content_type", "size_bytes", "uploaded_at")


@admin.register(Installment)
class InstallmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "number", "due_on", "principal_won", "interest_won", "paid_on")
    list_select_related = ("application__firm", "application__fund")

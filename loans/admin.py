"""Admin for the loans data. Statuses change only through the services (the application page)."""

from django.contrib import admin

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


class FundFirmLimitInline(admin.TabularInline):
    model = FundFirmLimit
    extra = 0


@admin.register(LoanFund)
class LoanFundAdmin(admin.ModelAdmin):
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


class RubricItemInline(admin.TabularInline):
    model = RubricItem
    extra = 0


@admin.register(LoanCall)
class LoanCallAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "half", "opens_on", "closes_on")
    list_filter = ("year", "half")
    filter_horizontal = ("funds", "committee_members")
    inlines = [RubricItemInline]


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "at", "reason", "amount_won")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LoanApplication)
class LoanApplicationAdmin(admin.ModelAdmin):
    list_display = ("firm", "call", "fund", "requested_amount_won", "approved_amount_won", "status")
    list_filter = ("status", "fund", "call")
    search_fields = ("firm__name", "firm__business_number")
    list_select_related = ("firm", "call", "fund")
    # The workflow's fields are read-only here: they change only through the services.
    readonly_fields = (
        "status",
        "submitted_on",
        "has_unrepaid_loan_flag",
        "approved_amount_won",
        "executed_amount_won",
        "bank_rate",
        "executed_on",
        "bank_rejection_reason",
        "created_by",
    )
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False  # applications are entered on /loans/applications/new/, where the rules run


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "application", "content_type", "size_bytes", "uploaded_at")
    readonly_fields = ("file", "original_name", "content_type", "size_bytes", "uploaded_by")


@admin.register(Installment)
class InstallmentAdmin(admin.ModelAdmin):
    list_display = ("application", "number", "due_on", "principal_won", "interest_won", "paid_on")
    readonly_fields = ("paid_by",)

"""사후관리 records in the admin: readable, never deletable (payments are undone by a reversal)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LoanPayment, RecoveryCase, ScheduleVersion, SubsidyClaim, SubsidyClaimLine


class RecordAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(LoanPayment)
class LoanPaymentAdmin(RecordAdmin):
    list_display = ("application", "kind", "paid_on", "amount_won", "source", "entered_by", "entered_at")
    list_filter = ("kind", "source")


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(RecordAdmin):
    list_display = ("application", "number", "cause", "effective_on", "created_by", "created_at")


@admin.register(RecoveryCase)
class RecoveryCaseAdmin(RecordAdmin):
    list_display = ("firm", "cause", "status", "principal_won", "interest_won", "notice_number", "opened_on")
    list_filter = ("cause", "status")


@admin.register(SubsidyClaim)
class SubsidyClaimAdmin(RecordAdmin):
    list_display = ("fund", "period_start", "period_end", "status", "approved_won", "approved_by")


@admin.register(SubsidyClaimLine)
class SubsidyClaimLineAdmin(RecordAdmin):
    list_display = ("claim", "application", "claimed_won", "computed_won")

"""Read-mostly admin: meetings with their members and agenda, and the audit trail.

Decisions are made on the committee pages (services); the admin never closes a meeting.
"""

from django.contrib import admin

from .models import AgendaItem, CommitteeAction, CommitteeMeeting, MeetingBudget, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = (
        "order",
        "application",
        "committee_amount_won",
        "result",
        "approved_amount_won",
        "rank",
        "reserve_rank",
    )
    readonly_fields = ("application", "result", "approved_amount_won", "rank", "reserve_rank")


class MeetingBudgetInline(admin.TabularInline):
    model = MeetingBudget
    extra = 0


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "call", "held_on", "status", "closed_at")
    list_filter = ("status",)
    search_fields = ("title",)
    readonly_fields = ("status", "closed_by", "closed_at", "quorum_note", "created_by", "created_at")
    inlines = [MembershipInline, MeetingBudgetInline, AgendaItemInline]


@admin.register(CommitteeAction)
class CommitteeActionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "meeting", "actor", "kind", "detail")
    list_filter = ("kind",)
    search_fields = ("detail",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

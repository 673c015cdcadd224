"""Read-only admin: meetings with their members and agenda, and the committee's audit trail.

Decisions are made on the committee pages (services). While a meeting is open its title, date
and place may be corrected here; attendance, amounts and results change only through the
services; a closed meeting is frozen. Committee actions are never deleted, by anyone.
"""

from django.contrib import admin

from guro_sme.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AgendaItem,
    CommitteeAction,
    CommitteeMeeting,
    CompositionRule,
    InterestDeclaration,
    MeetingBudget,
    MemberProfile,
    Membership,
    NoticeDelivery,
)


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("member", "present")


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = (
        "order",
        "application",
        "committee_amount_won",
        "result",
        "approved_amount_won",
        "rank",
        "reserve_rank",
    )


class MeetingBudgetInline(ReadOnlyInline):
    model = MeetingBudget
    fields = ("fund", "amount_won")


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "call", "held_on", "status", "closed_at")
    list_filter = ("status",)
    search_fields = ("title",)
    fields = (
        "call",
        "title",
        "held_on",
        "place",
        "status",
        "quorum_note",
        "created_by",
        "closed_by",
        "closed_at",
    )
    readonly_fields = ("call", "status", "quorum_note", "created_by", "closed_by", "closed_at")
    inlines = [MembershipInline, MeetingBudgetInline, AgendaItemInline]

    def has_change_permission(self, request, obj=None):
        # Frozen once closed; before that only the description fields above are editable.
        if obj is not None and not obj.is_open:
            return False
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request, obj=None):
        return admin.ModelAdmin.get_readonly_fields(self, request, obj)


@admin.register(CommitteeAction)
class CommitteeActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "meeting", "actor", "kind", "detail")
    list_filter = ("kind",)
    search_fields = ("detail",)


# The district's data about its committee: appointments, composition rules, declared interests.
@admin.register(MemberProfile)
class MemberProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "committee_role", "kind", "affiliation", "appointed_on", "term_ends_on")
    list_filter = ("kind", "committee_role")


@admin.register(CompositionRule)
class CompositionRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "require_chair", "enforcement")


@admin.register(InterestDeclaration)
class InterestDeclarationAdmin(admin.ModelAdmin):
    list_display = ("member", "relation", "firm_name", "business_number", "representative", "declared_at")
    list_filter = ("relation",)
    search_fields = ("firm_name", "business_number", "representative")


@admin.register(NoticeDelivery)
class NoticeDeliveryAdmin(ReadOnlyAdmin):
    """Sending records: read only, never deleted."""

    list_display = ("sent_at", "application", "kind", "to_email", "status", "sent_by")
    list_filter = ("kind", "status")

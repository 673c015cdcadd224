from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLogReview, DistrictProfile, Firm, Organization, PersonalDataAccess


@admin.register(Firm)
class FirmAdmin(SimpleHistoryAdmin):
    list_display = ("name", "business_number", "representative", "firm_type", "in_district")
    list_filter = ("firm_type", "in_district")
    search_fields = ("name", "business_number", "representative")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "phone")
    list_filter = ("kind",)


@admin.register(DistrictProfile)
class DistrictProfileAdmin(admin.ModelAdmin):
    list_display = ("district_name", "department", "contact_person")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read only: the access log is never added, changed or deleted by hand."""

    list_display = ("accessed_at", "username", "ip_address", "action", "subject", "count", "path")
    list_filter = ("action", "subject")
    search_fields = ("username", "path", "query", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLogReview)
class AccessLogReviewAdmin(PersonalDataAccessAdmin):
    list_display = ("month", "reviewed_by", "reviewed_at", "record_count")
    list_filter = ()
    search_fields = ()

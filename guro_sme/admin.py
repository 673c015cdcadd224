"""Admin for the core records, and the read-only base every workflow table's admin uses.

The workflow's tables (applications, installments, meetings, attendance, certificates, ...) change
only through their services, where the rules, the locks and the audit trail live: their admin is
for reading. Audit records (history rows, timelines, committee actions) are never deletable in
the admin, by anyone, superusers included; simple-history's "revert" is switched off in settings.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .korean import korean_name
from .models import (
    AccessLogReview,
    DistrictProfile,
    Firm,
    Organization,
    PersonalDataAccess,
    PersonalDataErasure,
)


def _all_fields(model_admin) -> list[str]:
    return [field.name for field in model_admin.model._meta.fields]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """View only (and the record's history, when it has one): no add, change or delete."""

    def get_readonly_fields(self, request, obj=None):
        return _all_fields(self)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return _all_fields(self)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(PersonalDataErasure)
class PersonalDataErasureAdmin(PersonalDataAccessAdmin):
    """Read only: written by `manage.py erase_expired_personal_data --commit`, never by hand."""

    list_display = ("erased_at", "kind", "count", "retention_years", "cutoff", "performed_by")
    list_filter = ("kind",)
    search_fields = ("performed_by",)


class KoreanUserAdmin(UserAdmin):
    """Accounts listed by their Korean name (정효진), the family name asked first."""

    list_display = ("username", "display_name", "email", "is_staff", "is_active")
    ordering = ("last_name", "first_name", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("이름·연락처", {"fields": ("last_name", "first_name", "email")}),
        *UserAdmin.fieldsets[2:],
    )

    @admin.display(description="이름", ordering="last_name")
    def display_name(self, user):
        return korean_name(user)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, KoreanUserAdmin)

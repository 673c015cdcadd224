from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DistrictProfile, Firm, Organization


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

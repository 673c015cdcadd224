from django.contrib import admin

from .models import Certificate, Consultation, Person, ProgramRun, Registration, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(ProgramRun)
class ProgramRunAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "half", "kind", "place", "capacity", "completion_rule")
    list_filter = ("year", "kind")
    filter_horizontal = ("partners",)
    inlines = [SessionInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "birth_date")
    search_fields = ("name", "phone")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("person", "run", "category", "firm", "registered_at")
    list_filter = ("run__year", "run__kind", "category")
    list_select_related = ("person", "run", "firm")
    raw_id_fields = ("person", "firm")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    # Numbers are issued by programs.services.certificate_issue only.
    list_display = ("number", "registration", "issued_at", "issued_by")
    readonly_fields = ("number", "registration", "issued_at", "issued_by")
    search_fields = ("number",)

    def has_add_permission(self, request):
        return False


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("run", "agency", "topic", "follow_up_needed", "follow_up_done")
    list_filter = ("agency", "topic", "follow_up_needed", "follow_up_done")
    raw_id_fields = ("firm",)

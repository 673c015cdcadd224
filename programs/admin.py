"""Admin for the programs. Runs, registrations, attendance and certificates change through the
programs pages (services): here they are read only."""

from django.contrib import admin

from guro_sme.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Certificate, Consultation, Person, ProgramRun, Registration, Session


class SessionInline(ReadOnlyInline):
    model = Session


@admin.register(ProgramRun)
class ProgramRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "year", "half", "kind", "place", "capacity", "completion_rule")
    list_filter = ("year", "kind")
    inlines = [SessionInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "birth_date")
    search_fields = ("name", "phone")


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("person", "run", "category", "firm", "registered_at")
    list_filter = ("run__year", "run__kind", "category")
    list_select_related = ("person", "run", "firm")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    # Numbers are issued by programs.services.certificate_issue only.
    list_display = ("number", "registration", "issued_at", "issued_by")
    search_fields = ("number",)


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("run", "agency", "topic", "follow_up_needed", "follow_up_done")
    list_filter = ("agency", "topic", "follow_up_needed", "follow_up_done")
    raw_id_fields = ("firm",)

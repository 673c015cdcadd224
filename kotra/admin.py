"""Admin for reference data (trade offices) and a read-only look at the records (never deleted here).

Participants and fees are entered through the app's pages, where the rules run
(kotra.services); the admin does not offer to add or change them.
"""

from django.contrib import admin

from guro_sme.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import KotraProject, Participant, ParticipationFee, TradeOffice


@admin.register(TradeOffice)
class TradeOfficeAdmin(admin.ModelAdmin):
    list_display = ("city", "country")
    search_fields = ("city", "country")


@admin.register(KotraProject)
class KotraProjectAdmin(ReadOnlyAdmin):
    list_display = ("year", "budget_won", "target_firms", "subsidy_rate", "cap_per_sub_program_won")


class FeeInline(ReadOnlyInline):
    model = ParticipationFee
    fields = ("sub_program", "fee_won", "subsidy_won")


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("project", "firm", "trade_office", "product")
    list_filter = ("project__year",)
    search_fields = ("firm__name", "firm__representative")
    inlines = [FeeInline]

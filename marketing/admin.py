"""A read-only look at the records; they are entered through the app's pages (marketing.services)."""

from django.contrib import admin

from guro_sme.admin import ReadOnlyAdmin

from .models import BloggerEvent, MarketingProject, Selection


@admin.register(MarketingProject)
class MarketingProjectAdmin(ReadOnlyAdmin):
    list_display = ("year", "budget_won", "target_firms")


@admin.register(BloggerEvent)
class BloggerEventAdmin(ReadOnlyAdmin):
    list_display = ("project", "held_on", "place", "bloggers_invited")


@admin.register(Selection)
class SelectionAdmin(ReadOnlyAdmin):
    list_display = ("project", "firm", "cost_won", "posts_count", "reach")
    list_filter = ("project__year",)
    search_fields = ("firm__name",)

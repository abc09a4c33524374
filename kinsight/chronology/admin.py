from django.contrib import admin

from kinsight.chronology.models import Event, Retraction
from kinsight.feeds.admin import ReadOnlyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("agency", "event_id", "type", "occurred_at", "recorded_at", "retracted_at")
    list_filter = ("type",)
    search_fields = ("event_id", "summary")
    list_select_related = ("agency",)


@admin.register(Retraction)
class RetractionAdmin(ReadOnlyAdmin):
    list_display = ("agency", "target_kind", "target_id", "reason", "recorded_at")

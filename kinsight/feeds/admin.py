from django.contrib import admin

from kinsight.feeds.models import Agency, FeedFile, QuarantinedLine, RecordVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    """The store changes only through feeds and actions, which audit themselves."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "sector", "declared")
    search_fields = ("code", "name")


@admin.register(FeedFile)
class FeedFileAdmin(ReadOnlyAdmin):
    list_display = ("name", "actor", "started_at", "finished_at", "counts")


@admin.register(QuarantinedLine)
class QuarantinedLineAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "line_no", "error", "received_at")
    search_fields = ("file_name", "error")


@admin.register(RecordVersion)
class RecordVersionAdmin(ReadOnlyAdmin):
    list_display = ("kind", "agency", "key", "version", "recorded_at", "superseded_at")
    list_filter = ("kind",)
    search_fields = ("key",)

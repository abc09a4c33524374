from django.contrib import admin

from kinsight.audit.models import AuditEntry
from kinsight.feeds.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "at", "actor", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor", "object_id")

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kinsight.access.models import Allocation, BreakGlass, Team, User


@admin.register(User)
class KinsightUserAdmin(UserAdmin):
    list_display = ("username", "role", "agency_code", "is_active", "last_login")
    fieldsets = (*UserAdmin.fieldsets, ("Kinsight", {"fields": ("role", "agency_code")}))  # type: ignore[misc]


class ShownOnly(admin.ModelAdmin):
    """Writes go through audited actions (`kinsight teams`, `allocate`, the break-glass page);
    the admin only shows them."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Team)
class TeamAdmin(ShownOnly):
    list_display = ("name", "agency_code", "created_at")
    search_fields = ("name", "agency_code")
    filter_horizontal = ("members",)


@admin.register(Allocation)
class AllocationAdmin(ShownOnly):
    list_display = ("child", "lead", "team", "started_at", "ended_at", "allocated_by")
    list_filter = ("ended_at",)
    raw_id_fields = ("child",)


@admin.register(BreakGlass)
class BreakGlassAdmin(ShownOnly):
    list_display = ("user", "record", "person", "granted_at", "expires_at", "reason")
    raw_id_fields = ("person",)

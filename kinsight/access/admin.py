from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kinsight.access.models import User


@admin.register(User)
class KinsightUserAdmin(UserAdmin):
    list_display = ("username", "role", "agency_code", "is_active", "last_login")
    fieldsets = (*UserAdmin.fieldsets, ("Kinsight", {"fields": ("role", "agency_code")}))  # type: ignore[misc]

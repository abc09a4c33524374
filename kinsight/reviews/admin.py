from django.contrib import admin

from kinsight.reviews.models import CommissionedReview


@admin.register(CommissionedReview)
class CommissionedReviewAdmin(admin.ModelAdmin):
    list_display = ("__str__", "reviewer", "child", "period_from", "period_to", "closed_at")
    list_filter = ("closed_at",)
    raw_id_fields = ("child",)
    # Commissioning and closing are audited actions; the admin only shows them.
    readonly_fields = ("commissioned_by", "commissioned_at", "closed_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

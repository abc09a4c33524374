from __future__ import annotations

from django.conf import settings
from django.db import models

from kinsight.people.models import Person


class CommissionedReview(models.Model):
    """A practice review a partnership has commissioned from one reviewer, about one child.

    It is what lets a reviewer see a child's records at all (issue 7, need-to-know): a reviewer
    sees the children of the reviews commissioned from them, for as long as the review is open.
    Held in Kinsight itself, never sent in a feed.
    """

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissioned_reviews"
    )
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="commissioned_reviews")
    # The period under review, as the terms of reference set it.
    period_from = models.DateField()
    period_to = models.DateField()
    title = models.CharField(max_length=200, blank=True, default="")
    commissioned_by = models.CharField(max_length=150)
    commissioned_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["reviewer", "closed_at"], name="review_reviewer_open_idx")]

    def __str__(self) -> str:
        return self.title or f"Review of {self.child.public_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

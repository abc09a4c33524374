from __future__ import annotations

from django.db import models

from kinsight.people.models import Person


class AlertStatus(models.TextChoices):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ACTIONED = "actioned"
    CLOSED = "closed"


class Alert(models.Model):
    """A prompt for a professional to look again: one rule, one child, one episode."""

    rule = models.CharField(max_length=64)
    severity = models.CharField(max_length=16)
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="alerts")
    # What makes this alert one episode of its rule for this child (a plan, an enquiry, ...).
    episode = models.CharField(max_length=256)
    raised_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True)
    subjects = models.JSONField(default=list)
    evidence = models.JSONField(default=list)
    explanation = models.TextField()
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "child", "episode"], name="alert_one_per_rule_child_episode"
            )
        ]
        indexes = [models.Index(fields=["raised_at"], name="alert_raised_idx")]

    def __str__(self) -> str:
        return f"{self.rule} for {self.child_id}"

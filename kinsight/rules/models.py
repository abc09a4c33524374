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
    # The agencies, events and rule behind it stay in `evidence`; this is when the store learnt it.
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "child", "episode"], name="alert_one_per_rule_child_episode"
            )
        ]
        indexes = [
            models.Index(fields=["raised_at"], name="alert_raised_idx"),
            models.Index(fields=["child", "status"], name="alert_child_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} for {self.child_id}"


class AlertChange(models.Model):
    """One step in an alert's life: raised, acknowledged, actioned, closed, re-opened, or new
    evidence added. Kept for ever: "what did we know and do, and when" is read from these."""

    class Kind(models.TextChoices):
        RAISED = "raised"
        ACKNOWLEDGED = "acknowledged"
        ACTIONED = "actioned"
        CLOSED = "closed"
        REOPENED = "reopened"
        EVIDENCE = "evidence"
        ESCALATED = "escalated"
        WITHDRAWN = "withdrawn"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    status = models.CharField(max_length=16, choices=AlertStatus.choices)
    note = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["alert", "at"], name="alert_change_alert_at_idx")]

    def __str__(self) -> str:
        return f"{self.kind} of alert {self.alert_id} by {self.by}"

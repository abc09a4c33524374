from __future__ import annotations

import hashlib

from django.db import models


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """An agency's key to `POST /api/feeds`: it may write that agency's lines and no other's.

    Only a SHA-256 of the secret is kept; the secret is shown once, when the token is made.
    """

    agency_code = models.CharField(max_length=64, db_index=True)
    label = models.CharField(max_length=200, blank=True, default="")
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.agency_code} {self.prefix}…"

    @classmethod
    def find(cls, secret: str) -> ApiToken | None:
        """The live token with this secret, or None."""
        return cls.objects.filter(token_hash=hash_token(secret), revoked_at__isnull=True).first()


class SafeguardingContact(models.Model):
    """An agency's designated safeguarding contact: where Kinsight tells it of an urgent alert.

    The email address is a team mailbox; the optional webhook is called with a body signed by
    HMAC-SHA256 of `webhook_secret` (header `X-Kinsight-Signature: sha256=<hex>`).
    """

    agency_code = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True, default="")
    webhook_url = models.URLField(blank=True, default="")
    webhook_secret = models.CharField(max_length=128, blank=True, default="")

    def __str__(self) -> str:
        return self.agency_code


class Notification(models.Model):
    """One agency told (or to be told) of one alert by one channel: the durable record.

    Delivery runs as a task (docs/adr/0002-notifications-through-django-tasks.md); a failed
    attempt is retried later, and `sent_at` is when the agency was told.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    # What it is about: an urgent alert, or an attendance at unscheduled care (an event).
    alert_id = models.BigIntegerField(null=True, db_index=True)
    event_id = models.BigIntegerField(null=True, db_index=True)
    person_id = models.BigIntegerField(db_index=True)
    agency_code = models.CharField(max_length=64)
    channel = models.CharField(max_length=16)  # email or webhook
    reason = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert_id", "agency_code", "channel", "reason"],
                name="notification_once_per_alert_agency_channel",
            ),
            models.UniqueConstraint(
                fields=["event_id", "agency_code", "channel", "reason"],
                name="notification_once_per_event_agency_channel",
            ),
        ]

    def __str__(self) -> str:
        about = f"alert {self.alert_id}" if self.alert_id else f"event {self.event_id}"
        return f"{self.agency_code} {self.channel} {about}"

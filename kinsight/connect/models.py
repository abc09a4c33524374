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

"""Append-only audit entries, each carrying the hash of the one before it.

Altering, deleting or inserting a row breaks the chain at that row, which `kinsight audit verify`
reports. The chain makes tampering evident; it does not prevent it (the database's own permissions
and off-site copies of the latest hash do that part).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

GENESIS = "0" * 64


class AuditEntry(models.Model):
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=256)
    reason = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        payload = json.dumps(
            {
                "id": self.pk,
                "at": self.at.isoformat(),
                "actor": self.actor,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "reason": self.reason,
                "detail": self.detail,
                "prev": self.prev_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def record_audit(
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the write it records."""
    with transaction.atomic():
        # Serialise writers on the chain's tail: on PostgreSQL the row lock does it; SQLite
        # already allows one writer at a time.
        last = AuditEntry.objects.select_for_update().order_by("-id").first()
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            detail=detail or {},
            prev_hash=last.hash if last else GENESIS,
        )
        entry.save()
        entry.hash = entry.compute_hash()
        entry.save(update_fields=["hash"])
    return entry


def verify_chain() -> AuditEntry | None:
    """Return the first entry whose hash or link does not hold, or None when the chain is whole."""
    prev = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev or entry.compute_hash() != entry.hash:
            return entry
        prev = entry.hash
    return None

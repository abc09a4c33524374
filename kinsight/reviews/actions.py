"""Producing a review pack: a read of sensitive records, so it is audited like a write."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kinsight.access.models import Role, User
from kinsight.audit.models import record_audit
from kinsight.lib.collector import cyclic_gc_paused
from kinsight.people.models import Person
from kinsight.reviews.models import CommissionedReview
from kinsight.reviews.pack import PackRequest, build_pack
from kinsight.reviews.render import pack_format, write_pack


@dataclass
class PackWritten:
    path: Path
    key_path: Path | None
    events: int
    alerts: int
    alerts_today: int


def key_path_for(path: Path) -> Path:
    """The private key sits beside the pack, never inside it: `pack.pdf` -> `pack.pdf.key.json`."""
    return path.with_name(path.name + ".key.json")


def do_write_review_pack(
    request: PackRequest,
    out: Path,
    *,
    acting: str,
    reason: str,
    now: datetime | None = None,
    review: CommissionedReview | None = None,
) -> PackWritten:
    """Build the pack, write it (and its key when anonymised), and audit who read what and why.

    The audit row is written in the transaction that reads the records, and names the child's
    record, the period, the format and a digest of the file, never anything from inside it;
    and, when the pack is made for a commissioned review (the review page), which review.
    """
    fmt = pack_format(out)
    if not reason.strip():
        raise ValueError("--reason: say why the pack is being made")
    # Building and writing a long pack keeps hundreds of thousands of objects alive (the
    # family's records and facts, then WeasyPrint's boxes) while making few cycles: on the
    # 5,000-record pack the collector cost about 1 s of the 7 s build and 2 s of the 24 s PDF.
    # Cyclic garbage made meanwhile waits until the pack is written (PDF peak 460 -> 561 MiB).
    with transaction.atomic(), cyclic_gc_paused():
        pack, key = build_pack(request, now=now)
        write_pack(pack, out)
        key_path = None
        if key is not None:
            key_path = key_path_for(out)
            key = {
                "pack": out.name,
                "warning": "Private: the key to an anonymised pack. Never publish it with the "
                "pack, and keep it where the records themselves are kept.",
                **key,
            }
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(key, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        record_audit(
            actor=acting,
            action="review_pack",
            object_type="person_record",
            object_id=f"{request.agency}:{request.record_id}",
            reason=reason,
            detail={
                "from": request.date_from.isoformat(),
                "to": request.date_to.isoformat(),
                "anonymised": request.anonymise,
                "format": fmt.lstrip("."),
                "file": out.name,
                "sha256": digest,
                "events": len(pack["chronology"]),
                "family": len(pack["people"]),
                **({"review": review.pk} if review is not None else {}),
            },
        )
    return PackWritten(
        out, key_path, len(pack["chronology"]), len(pack["alerts"]), len(pack["alerts_today"])
    )


def do_commission_review(
    *,
    reviewer: User,
    child: Person,
    period_from: date,
    period_to: date,
    title: str = "",
    acting: str,
) -> CommissionedReview:
    """Commission a review of one child from one reviewer: from now the reviewer may see them."""
    if reviewer.role != Role.REVIEWER:
        raise ValueError(f"reviewer: {reviewer.username!r} does not hold the reviewer role")
    if period_to < period_from:
        raise ValueError("period: the end comes before the start")
    with transaction.atomic():
        review = CommissionedReview.objects.create(
            reviewer=reviewer,
            child=child,
            period_from=period_from,
            period_to=period_to,
            title=title,
            commissioned_by=acting,
        )
        record_audit(
            actor=acting,
            action="commission_review",
            object_type="review",
            object_id=str(review.pk),
            detail={
                "reviewer": reviewer.username,
                "child": child.public_id,
                "from": period_from.isoformat(),
                "to": period_to.isoformat(),
            },
        )
    return review


def do_close_review(review: CommissionedReview, *, acting: str, reason: str) -> None:
    """Close a review: its reviewer no longer sees the child through it. Kept, never deleted."""
    if not reason.strip():
        raise ValueError("reason: say why the review is closed")
    with transaction.atomic():
        review.closed_at = timezone.now()
        review.save(update_fields=["closed_at"])
        record_audit(
            actor=acting,
            action="close_review",
            object_type="review",
            object_id=str(review.pk),
            reason=reason,
            detail={"reviewer": review.reviewer.username, "child": review.child.public_id},
        )

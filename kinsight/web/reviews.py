"""What the reviewers' pages read and make: their open reviews, a review's pack, the themes.

Whom a reviewer may see is decided by `access.checks.person_for` alone: a review that is not the
user's own (or is closed) is answered 404 here before the child is even looked up, and the child
of their own review is then read through `person_for`, so the access check stays the one gate.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from kinsight.access.checks import audit_read
from kinsight.access.models import Role, User
from kinsight.audit.models import record_audit
from kinsight.people.models import Person, PersonRecord
from kinsight.reviews.across import themes_in_store
from kinsight.reviews.actions import PackWritten, do_write_review_pack
from kinsight.reviews.models import CommissionedReview
from kinsight.reviews.pack import PackRequest

# Counts of rules fired and deadlines missed name no child, but they describe the partnership's
# practice: for those who review it and those who manage it.
SEES_THEMES = {Role.REVIEWER, Role.TEAM_MANAGER, Role.ADMIN}

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
}


def open_reviews(user: User) -> list[CommissionedReview]:
    """The user's own open reviews, the most recently commissioned first."""
    return list(
        CommissionedReview.objects.filter(reviewer=user, closed_at__isnull=True).order_by(
            "-commissioned_at", "-pk"
        )
    )


def review_of(user: User, review_id: int) -> CommissionedReview:
    """The user's own open review, or 404 as for a review that does not exist.

    A refusal is audited like a refused read of a person, so that probing is visible."""
    review = CommissionedReview.objects.filter(
        pk=review_id, reviewer=user, closed_at__isnull=True
    ).first()
    if review is None:
        audit_read(user, "export", "review", str(review_id), {"refused": True})
        raise Http404("No such review")
    return review


def child_record(child: Person) -> PersonRecord:
    """The record the pack is asked for by: any of the child's records gives the same pack (it
    is built for the linked person); social care's first, as the CLI's users would name it."""
    records = list(child.records.select_related("agency").order_by("agency__code", "record_id"))
    if not records:
        raise Http404("No record of this child is held")
    records.sort(key=lambda r: r.agency.sector != "social_care")
    return records[0]


@dataclass
class MadePack:
    handle: IO[bytes]
    filename: str
    content_type: str
    written: PackWritten
    key_file: str | None


def keys_location() -> Path:
    return Path(settings.KINSIGHT_REVIEW_KEYS_DIR)


def keys_dir() -> Path:
    path = keys_location()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def make_pack(
    review: CommissionedReview, child: Person, user: User, *, fmt: str, anonymise: bool, reason: str
) -> MadePack:
    """Write the pack through `do_write_review_pack` (which audits it) and open it for streaming.

    The pack is written in a private scratch folder and unlinked once open: the server keeps no
    copy of it (the audit entry keeps its digest). The key of an anonymised pack is moved to the
    keys folder, where it stays; it is never offered from the page that serves the pack.
    """
    record = child_record(child)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"review-{review.pk}-{stamp}{'-anonymised' if anonymise else ''}.{fmt}"
    request = PackRequest(
        record.agency.code, record.record_id, review.period_from, review.period_to, anonymise
    )
    keys = keys_dir()
    scratch = Path(tempfile.mkdtemp(prefix=".pack-", dir=keys))
    try:
        out = scratch / name
        written = do_write_review_pack(
            request, out, acting=user.username, reason=reason, review=review
        )
        key_file = None
        if written.key_path is not None:
            kept = keys / written.key_path.name
            if kept.exists():
                kept = keys / f"{uuid.uuid4().hex[:8]}-{written.key_path.name}"
            os.replace(written.key_path, kept)
            key_file = kept.name
        handle = out.open("rb")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return MadePack(handle, name, CONTENT_TYPES[fmt], written, key_file)


def may_see_themes(user: User) -> bool:
    return user.role in SEES_THEMES


def themes(user: User, date_from: date, date_to: date) -> dict[str, Any]:
    """The alerts raised in the period over every child, counted by rule; the look is audited."""
    summary = themes_in_store(date_from, date_to)
    titles = rule_titles()
    for row in summary["rules"]:
        row["title"] = titles.get(row["rule"], row["rule"].replace("_", " ").capitalize())
    record_audit(
        actor=user.username,
        action="read_review_themes",
        object_type="alerts",
        object_id="",
        detail={
            "role": user.role,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "children": summary["children"],
        },
    )
    return summary


def rule_titles() -> dict[str, str]:
    from kinsight.rules.registry import all_rules

    return {rule.id: rule.title for rule in all_rules()}

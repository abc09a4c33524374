"""Retention: what the store holds past the partnership's retention period, and removing it.

The periods come from the TOML file named by KINSIGHT_RETENTION_FILE, in years:

    [retention]
    quarantined_line = 2      # rejected lines, counted from when they were received
    record_version = 25       # superseded versions, counted from when they were superseded
    event = 75                # events, counted from when they were recorded

A kind the file does not name is kept for ever. Removal keeps the audit trail: one entry per kind
names how many rows went and which (agency, id) they were, never what they said.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kinsight.audit.models import record_audit
from kinsight.chronology.models import Event
from kinsight.feeds.models import QuarantinedLine, RecordVersion
from kinsight.lib.workdays import add_months

KINDS: dict[str, tuple[Any, str]] = {
    "quarantined_line": (QuarantinedLine, "received_at"),
    "record_version": (RecordVersion, "superseded_at"),
    "event": (Event, "recorded_at"),
}


@dataclass
class Overdue:
    kind: str
    years: int
    cutoff: datetime
    rows: QuerySet[Any]


def retention_periods() -> dict[str, int]:
    path = settings.KINSIGHT_RETENTION_FILE
    if not path:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("retention", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImproperlyConfigured(f"KINSIGHT_RETENTION_FILE: cannot read {path}: {exc}") from None
    for kind, years in data.items():
        if kind not in KINDS:
            raise ImproperlyConfigured(
                f"KINSIGHT_RETENTION_FILE: {path}: unknown kind {kind!r}; "
                f"expected one of {', '.join(KINDS)}"
            )
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            raise ImproperlyConfigured(
                f"KINSIGHT_RETENTION_FILE: {path}: {kind} must be a whole number of years"
            )
    return dict(data)


def past_retention(now: datetime | None = None) -> list[Overdue]:
    now = now or timezone.now()
    found = []
    for kind, years in retention_periods().items():
        model, field = KINDS[kind]
        cutoff = add_months(now, -12 * years)
        found.append(Overdue(kind, years, cutoff, model.objects.filter(**{f"{field}__lt": cutoff})))
    return found


def do_remove_past_retention(*, acting: str, now: datetime | None = None) -> dict[str, int]:
    """Delete what is past retention, kind by kind, each with its audit entry."""
    removed: dict[str, int] = {}
    for overdue in past_retention(now):
        with transaction.atomic():
            names = [_name(row) for row in overdue.rows.iterator(chunk_size=2000)]
            count, _ = overdue.rows.delete()
            removed[overdue.kind] = len(names)
            if names:
                record_audit(
                    actor=acting,
                    action="remove_past_retention",
                    object_type=overdue.kind,
                    object_id=f"{len(names)} rows",
                    reason=f"older than {overdue.years} years (before {overdue.cutoff:%Y-%m-%d})",
                    detail={"removed": names, "rows_with_dependants": count},
                )
    return removed


def _name(row: Any) -> str:
    if isinstance(row, QuarantinedLine):
        return f"{row.file_name}:{row.line_no}"
    if isinstance(row, RecordVersion):
        return f"{row.kind}:{row.agency_id}:{row.key}:v{row.version}"
    return f"{row.agency_id}:{row.event_id}"

"""Reading alerts as they stood at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from kinsight.lib.moments import format_moment
from kinsight.rules.models import Alert, AlertChange, AlertStatus


def alert_json(alert: Alert, status: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": alert.pk,
        "rule": alert.rule,
        "severity": alert.severity,
        "raised_at": format_moment(alert.raised_at),
        "subjects": alert.subjects,
        "evidence": alert.evidence,
        "explanation": alert.explanation,
        "status": status or alert.status,
    }
    if alert.withdrawn_at is not None:
        data["withdrawn_at"] = format_moment(alert.withdrawn_at)
    return data


def alerts_as_of(moment: datetime | None = None) -> list[dict[str, Any]]:
    """The alerts raised by a moment, each with the status it had then (open until someone
    acted on it)."""
    moment = moment or timezone.now()
    alerts = list(Alert.objects.filter(raised_at__lte=moment).order_by("raised_at", "rule", "pk"))
    status: dict[int, str] = {}
    for alert_id, value in (
        AlertChange.objects.filter(at__lte=moment, alert__raised_at__lte=moment)
        .order_by("at", "pk")
        .values_list("alert_id", "status")
    ):
        status[alert_id] = value
    return [alert_json(a, status.get(a.pk, AlertStatus.OPEN)) for a in alerts]

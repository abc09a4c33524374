"""Reading alerts as they stood at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from kinsight.lib.moments import format_moment
from kinsight.rules.models import Alert


def alert_json(alert: Alert) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": alert.pk,
        "rule": alert.rule,
        "severity": alert.severity,
        "raised_at": format_moment(alert.raised_at),
        "subjects": alert.subjects,
        "evidence": alert.evidence,
        "explanation": alert.explanation,
        "status": alert.status,
    }
    if alert.withdrawn_at is not None:
        data["withdrawn_at"] = format_moment(alert.withdrawn_at)
    return data


def alerts_as_of(moment: datetime | None = None) -> list[dict[str, Any]]:
    moment = moment or timezone.now()
    alerts = Alert.objects.filter(raised_at__lte=moment).order_by("raised_at", "rule", "pk")
    return [alert_json(a) for a in alerts]

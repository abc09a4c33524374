"""What the alert pages show: the inbox (urgent first), and one alert with its evidence and rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from kinsight.access.checks import visible_among
from kinsight.access.models import User
from kinsight.chronology.models import Event
from kinsight.rules.actions import do_acknowledge_alert, do_close_alert, do_record_alert_action
from kinsight.rules.models import Alert, AlertChange, AlertStatus
from kinsight.rules.registry import Rule, all_rules
from kinsight.web.forms import AlertActionForm, AlertCloseForm, AlertNoteForm
from kinsight.web.person import severity_order

INBOX_LIMIT = 200


def inbox(user: User, *, show_closed: bool = False) -> list[Alert]:
    """The alerts about children the user may see, urgent first, then the newest.

    Withdrawn alerts (all their evidence retracted) and, unless asked, closed ones are left out.
    """
    alerts = Alert.objects.filter(
        withdrawn_at__isnull=True, raised_at__lte=timezone.now()
    ).select_related("child")
    if not show_closed:
        alerts = alerts.exclude(status=AlertStatus.CLOSED)
    alerts = alerts.order_by(severity_order(), "-raised_at", "pk")
    ordered = list(alerts)
    visible = visible_among(user, {a.child_id for a in ordered})
    return [a for a in ordered if a.child_id in visible][:INBOX_LIMIT]


@dataclass
class RuleInfo:
    id: str
    title: str
    explanation: str
    guidance: str
    consider: str


def rule_info(rule_id: str) -> RuleInfo:
    """The rule's title, plain explanation, guidance and what to consider, from the registry."""
    rule: type[Rule] | None = next((r for r in all_rules() if r.id == rule_id), None)
    if rule is None:
        return RuleInfo(rule_id, rule_id.replace("_", " ").capitalize(), "", "", "")
    doc = " ".join((rule.__doc__ or "").split())
    return RuleInfo(rule.id, rule.title, doc, rule.guidance, rule.consider)


def evidence_events(alert: Alert) -> list[Event]:
    """The events the alert rests on, in time order; one query for the events, two prefetches."""
    keys = {(str(a), str(e)) for a, e, *_ in alert.evidence}
    if not keys:
        return []
    events = (
        Event.objects.filter(
            event_id__in={e for _, e in keys}, agency__code__in={a for a, _ in keys}
        )
        .select_related("agency")
        .prefetch_related("indicators", "subject_rows__record")
        .order_by("occurred_at", "pk")
    )
    return [e for e in events if (e.agency.code, e.event_id) in keys]


def history(alert: Alert) -> list[AlertChange]:
    return list(alert.changes.order_by("at", "pk"))


@dataclass
class Step:
    """One lifecycle action a practitioner may take: its form and the action that does it."""

    form: type[forms.Form]
    field: str
    do: Callable[[Alert, str, str], Alert]
    allowed: frozenset[str]


STEPS: dict[str, Step] = {
    "acknowledge": Step(
        AlertNoteForm, "note",
        lambda alert, by, text: do_acknowledge_alert(alert, by=by, note=text),
        frozenset({AlertStatus.OPEN}),
    ),
    "action": Step(
        AlertActionForm, "note",
        lambda alert, by, text: do_record_alert_action(alert, by=by, note=text),
        frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.ACTIONED}),
    ),
    "close": Step(
        AlertCloseForm, "reason",
        lambda alert, by, text: do_close_alert(alert, by=by, reason=text),
        frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.ACTIONED}),
    ),
}  # fmt: skip


def steps_open(alert: Alert) -> list[str]:
    return [name for name, step in STEPS.items() if alert.status in step.allowed]

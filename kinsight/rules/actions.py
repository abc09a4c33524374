"""Writes to alerts: raising them from the rules, and the people who act on them.

Every write here records its audit entry in the same transaction, and every step in an alert's
life is kept as an `AlertChange`.

Alerts are evaluated with no horizon: a deadline that falls due next week is stored now with its
`raised_at` next week, so it appears the moment it passes without a clock process, and a listing
"as of" a moment simply leaves out what was raised after it. Such a not-yet-raised alert is
deleted, never shown, if a re-evaluation finds the response came in time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from kinsight.audit.models import record_audit
from kinsight.lib.rows import select
from kinsight.people.models import Person
from kinsight.rules.engine import SEVERITY, Raised, evaluate
from kinsight.rules.models import Alert, AlertChange, AlertStatus

# "No horizon": a moment later than any deadline a rule can compute.
HORIZON = datetime(9000, 1, 1, tzinfo=UTC)


class AlertActionError(ValueError):
    """An action that does not apply to the alert as it stands (closing a closed alert, say)."""


@dataclass
class RaiseSummary:
    raised: list[int] = field(default_factory=list)
    evidence_added: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    cancelled: int = 0  # not-yet-due alerts that a timely response made unnecessary
    repointed: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "raised": len(self.raised),
            "evidence_added": len(self.evidence_added),
            "reopened": len(self.reopened),
            "escalated": len(self.escalated),
            "withdrawn": len(self.withdrawn),
            "cancelled": self.cancelled,
            "repointed": self.repointed,
        }


def do_raise_alerts(
    *,
    acting: str,
    person_ids: Iterable[int] | None = None,
    now: datetime | None = None,
    households_changed: bool = True,
) -> RaiseSummary:
    """Evaluate the rules for these children (all when None) and bring the stored alerts in line.

    `households_changed=False` says only new events about `person_ids` were written (see
    `kinsight.feeds.changes.Touched`): only the children whose household holds one of them
    are judged again.

    A new pattern raises a new alert; the same pattern again adds its new evidence to the alert
    already raised (re-opening it when it had been closed); nothing is ever raised twice.
    """
    now = now or timezone.now()
    summary = RaiseSummary()
    ids = None if person_ids is None else sorted(set(person_ids))
    with transaction.atomic():
        summary.repointed = _repoint_merged_away()
        found = {
            raised.key: raised
            for raised in evaluate(HORIZON, ids, households_changed=households_changed)
        }
        # The rules judge the children connected to the persons touched as well: their stored
        # alerts must be read too, or the same alert would be raised twice.
        judged = None if ids is None else sorted(set(ids) | {key[1] for key in found})
        stored = Alert.objects.all() if judged is None else _alerts_of(judged)
        existing = {(a.rule, a.child_id, a.episode): a for a in stored}
        changes: list[AlertChange] = []
        for key, raised in found.items():
            alert = existing.get(key)
            if alert is None:
                alert = _new_alert(raised, now)
                summary.raised.append(alert.pk)
                changes.append(_change(alert, AlertChange.Kind.RAISED, now, acting))
            else:
                changes += _update(alert, raised, now, acting, summary)
        for key, alert in existing.items():
            if key not in found and alert.raised_at > now:
                alert.delete()
                summary.cancelled += 1
        AlertChange.objects.bulk_create(changes, batch_size=2000)
        if any(summary.counts().values()):
            record_audit(
                actor=acting,
                action="raise_alerts",
                object_type="alerts",
                object_id="*" if ids is None else f"{len(ids)} persons",
                detail={
                    "counts": summary.counts(),
                    "raised": summary.raised,
                    "evidence_added": summary.evidence_added,
                    "reopened": summary.reopened,
                    "escalated": summary.escalated,
                    "withdrawn": summary.withdrawn,
                },
            )
    return summary


def do_acknowledge_alert(alert: Alert, *, by: str, note: str = "") -> Alert:
    """Someone has seen the alert and is looking into it."""
    return _act(alert, AlertStatus.ACKNOWLEDGED, by=by, note=note, allowed={AlertStatus.OPEN})


def do_record_alert_action(alert: Alert, *, by: str, note: str) -> Alert:
    """Record what was done about the alert (the note is required: it is the record)."""
    if not note.strip():
        raise AlertActionError("note: say what was done")
    return _act(
        alert,
        AlertStatus.ACTIONED,
        by=by,
        note=note,
        allowed={AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.ACTIONED},
    )


def do_close_alert(alert: Alert, *, by: str, reason: str) -> Alert:
    """Close the alert with the reason it needs nothing more; new evidence re-opens it."""
    if not reason.strip():
        raise AlertActionError("reason: say why the alert can be closed")
    return _act(
        alert,
        AlertStatus.CLOSED,
        by=by,
        note=reason,
        allowed={AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.ACTIONED},
    )


def _act(alert: Alert, status: str, *, by: str, note: str, allowed: set[str]) -> Alert:
    now = timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status not in allowed:
            raise AlertActionError(f"the alert is {alert.status}: it cannot be marked {status}")
        before = alert.status
        alert.status = status
        alert.updated_at = now
        alert.save(update_fields=["status", "updated_at"])
        AlertChange.objects.create(
            alert=alert, kind=status, at=now, by=by, status=status, note=note
        )
        record_audit(
            actor=by,
            action=f"alert_{status}",
            object_type="alert",
            object_id=str(alert.pk),
            reason=note,
            detail={"rule": alert.rule, "child": alert.child_id, "from": before, "to": status},
        )
    return alert


def _alerts_of(person_ids: list[int]) -> list[Alert]:
    found: list[Alert] = []
    for start in range(0, len(person_ids), 5000):
        found += Alert.objects.filter(child_id__in=person_ids[start : start + 5000])
    return found


def _new_alert(raised: Raised, now: datetime) -> Alert:
    return Alert.objects.create(
        rule=raised.draft.rule,
        severity=raised.draft.severity,
        child_id=raised.child.person_id,
        episode=raised.draft.episode,
        raised_at=raised.draft.raised_at,
        withdrawn_at=raised.withdrawn_at(),
        subjects=raised.subjects,
        evidence=raised.evidence,
        explanation=raised.draft.explanation,
        created_at=now,
        updated_at=now,
    )


def _update(
    alert: Alert, raised: Raised, now: datetime, acting: str, summary: RaiseSummary
) -> list[AlertChange]:
    changes: list[AlertChange] = []
    fields: set[str] = set()
    if alert.subjects != raised.subjects:
        alert.subjects = raised.subjects
        fields.add("subjects")
    new_evidence = [e for e in raised.evidence if e not in alert.evidence]
    if new_evidence:
        alert.evidence = [*alert.evidence, *new_evidence]
        alert.explanation = raised.draft.explanation
        fields |= {"evidence", "explanation"}
        summary.evidence_added.append(alert.pk)
        changes.append(
            _change(alert, AlertChange.Kind.EVIDENCE, now, acting, {"added": new_evidence})
        )
        if alert.status == AlertStatus.CLOSED:
            alert.status = AlertStatus.OPEN
            fields.add("status")
            summary.reopened.append(alert.pk)
            changes.append(_change(alert, AlertChange.Kind.REOPENED, now, acting))
    if raised.draft.raised_at < alert.raised_at:
        # The earliest moment it could be raised: a late-arriving record may show it earlier.
        alert.raised_at = raised.draft.raised_at
        fields.add("raised_at")
    if SEVERITY.get(raised.draft.severity, 0) > SEVERITY.get(alert.severity, 0):
        before, alert.severity = alert.severity, raised.draft.severity
        fields.add("severity")
        summary.escalated.append(alert.pk)
        changes.append(_change(alert, AlertChange.Kind.ESCALATED, now, acting, {"from": before}))
    withdrawn = raised.withdrawn_at()
    if withdrawn != alert.withdrawn_at and not new_evidence:
        alert.withdrawn_at = withdrawn
        fields.add("withdrawn_at")
        if withdrawn is not None:
            summary.withdrawn.append(alert.pk)
            changes.append(_change(alert, AlertChange.Kind.WITHDRAWN, now, acting))
    if fields:
        # Judged again and found as it stands (the usual case for a new event): no write.
        alert.updated_at = now
        alert.save(update_fields=[*sorted(fields), "updated_at"])
    return changes


def _change(
    alert: Alert, kind: str, now: datetime, by: str, detail: dict[str, object] | None = None
) -> AlertChange:
    return AlertChange(
        alert=alert, kind=kind, at=now, by=by, status=alert.status, detail=detail or {}
    )


def _repoint_merged_away() -> int:
    """Alerts of a person whose records were all joined into another follow them there."""
    # Asked at every evaluation and almost always answered "none": a plain query by the
    # merged persons' index first, the ORM only when there is something to move.
    if not select(
        "SELECT 1 FROM rules_alert WHERE child_id IN "
        "(SELECT id FROM people_person WHERE merged_into_id IS NOT NULL) LIMIT 1"
    ):
        return 0
    moved = 0
    for alert in Alert.objects.filter(child__merged_into__isnull=False).select_related("child"):
        target = alert.child
        seen = {target.pk}
        while target.merged_into_id is not None and target.merged_into_id not in seen:
            seen.add(target.merged_into_id)
            target = Person.objects.get(pk=target.merged_into_id)
        clash = Alert.objects.filter(rule=alert.rule, child=target, episode=alert.episode).first()
        if clash is None:
            alert.child = target
            alert.save(update_fields=["child"])
        else:
            # The same alert was raised on both halves: keep one, with all the evidence.
            clash.evidence = [
                *clash.evidence,
                *(e for e in alert.evidence if e not in clash.evidence),
            ]
            clash.raised_at = min(clash.raised_at, alert.raised_at)
            clash.save(update_fields=["evidence", "raised_at"])
            AlertChange.objects.filter(alert=alert).update(alert=clash)
            alert.delete()
        moved += 1
    return moved

"""Everything Kinsight holds about one person, for a subject access request (UK GDPR article 15).

The export is itself a read of the whole record, so it is audited with the reason given for it.
It holds what agencies sent (every version, including withdrawn ones), what Kinsight derived from
it (links and why, indicators, alerts and what was done with them) and who looked at the record.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from kinsight.audit.models import AuditEntry, record_audit
from kinsight.chronology.models import Event, Indicator
from kinsight.feeds.models import RecordVersion
from kinsight.lib.moments import format_moment
from kinsight.people.models import Person, PersonRecord, Relationship
from kinsight.rules.models import Alert


def do_export_subject_access(person: Person, *, acting: str, reason: str) -> dict[str, Any]:
    """The whole record of one person as JSON-ready data; audited in the same transaction."""
    with transaction.atomic():
        data = _export(person)
        record_audit(
            actor=acting,
            action="subject_access_export",
            object_type="person",
            object_id=str(person.pk),
            reason=reason,
            detail={"records": len(data["records"]), "events": len(data["events"])},
        )
    return data


def _moment(value: Any) -> str | None:
    return None if value is None else format_moment(value)


def _export(person: Person) -> dict[str, Any]:
    records = list(PersonRecord.objects.filter(person=person).select_related("agency"))
    events = list(
        Event.objects.filter(subject_rows__record__in=records)
        .select_related("agency")
        .distinct()
        .order_by("occurred_at", "pk")
    )
    indicators: dict[int, list[dict[str, Any]]] = {}
    for i in Indicator.objects.filter(event__in=events).order_by("event_id", "start"):
        indicators.setdefault(i.event_id, []).append(
            {"indicator": i.indicator, "text": i.text, "negated": i.negated}
        )
    versions = _versions(records, events)
    relationships = Relationship.objects.filter(
        Q(person_record__in=records) | Q(relative_record__in=records)
    ).select_related("agency")
    alerts = Alert.objects.filter(child=person).prefetch_related("changes").order_by("raised_at")
    looked = AuditEntry.objects.filter(
        Q(object_type="person", object_id=str(person.pk))
        | Q(object_type="alert", object_id__in=[str(a.pk) for a in alerts])
    ).order_by("pk")
    return {
        "person": person.public_id,
        "records": [
            {
                "agency": r.agency.code,
                "id": r.record_id,
                "as_sent": r.raw,
                "why_linked": r.link_reason,
                "withdrawn_at": _moment(r.retracted_at),
                "earlier_versions": versions.get(("person", r.agency_id, r.record_id), []),
            }
            for r in records
        ],
        "relationships": [{"agency": rel.agency.code, "as_sent": rel.raw} for rel in relationships],
        "events": [
            {
                "agency": e.agency.code,
                "id": e.event_id,
                "as_sent": e.raw,
                "withdrawn_at": _moment(e.retracted_at),
                "indicators": indicators.get(e.pk, []),
                "earlier_versions": versions.get(("event", e.agency_id, e.event_id), []),
            }
            for e in events
        ],
        "alerts": [
            {
                "rule": a.rule,
                "raised_at": _moment(a.raised_at),
                "status": a.status,
                "explanation": a.explanation,
                "history": [
                    {"what": c.kind, "at": _moment(c.at), "by": c.by, "note": c.note}
                    for c in a.changes.all()
                ],
            }
            for a in alerts
        ],
        "who_looked": [
            {"at": _moment(entry.at), "who": entry.actor, "did": entry.action, "why": entry.reason}
            for entry in looked
        ],  # fmt: skip
    }


def _versions(
    records: list[PersonRecord], events: list[Event]
) -> dict[tuple[str, int, str], list[str]]:
    keys: dict[tuple[str, int], list[str]] = {}
    for r in records:
        keys.setdefault(("person", r.agency_id), []).append(r.record_id)
    for e in events:
        keys.setdefault(("event", e.agency_id), []).append(e.event_id)
    found: dict[tuple[str, int, str], list[str]] = {}
    for (kind, agency_id), ids in keys.items():
        for start in range(0, len(ids), 5000):
            rows = RecordVersion.objects.filter(
                kind=kind, agency_id=agency_id, key__in=ids[start : start + 5000]
            ).order_by("version")
            for version in rows:
                found.setdefault((kind, agency_id, version.key), []).append(version.raw)
    return found

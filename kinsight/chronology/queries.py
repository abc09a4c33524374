"""Reading the merged chronology of a person, or of their family."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kinsight.chronology.models import Event, EventSubject, Indicator
from kinsight.lib.moments import format_moment
from kinsight.people.models import Person, PersonRecord, Relationship


def find_record(agency_code: str, record_id: str) -> PersonRecord | None:
    return (
        PersonRecord.objects.select_related("person", "agency")
        .filter(agency__code=agency_code, record_id=record_id)
        .first()
    )


def related_person_ids(person_ids: set[int]) -> set[int]:
    """The persons one relationship away from any of `person_ids`, in any agency's records."""
    rows = Relationship.objects.filter(
        Q(person_record__person_id__in=person_ids) | Q(relative_record__person_id__in=person_ids)
    ).values_list("person_record__person_id", "relative_record__person_id")
    found: set[int] = set()
    for a, b in rows:
        found.update(x for x in (a, b) if x is not None)
    return found - person_ids


def family_person_ids(person: Person) -> list[int]:
    """The person, their relatives, and their relatives' relatives.

    Two steps reach a child's siblings and half-siblings in other households (through a shared
    parent) and a parent's new partner; further steps would sweep in unrelated households.
    """
    members = {person.pk}
    frontier = {person.pk}
    for _ in range(2):
        frontier = related_person_ids(frontier) - members
        members |= frontier
    return sorted(members)


def events_of(person_ids: list[int]) -> list[Event]:
    event_ids = EventSubject.objects.filter(record__person_id__in=person_ids).values("event_id")
    return list(
        Event.objects.filter(pk__in=event_ids, retracted_at__isnull=True)
        .select_related("agency")
        .prefetch_related("subject_rows__record", "indicators")
        .order_by("occurred_at", "recorded_at", "agency__code", "event_id")
    )


def chronology_json(person: Person, *, family: bool = False) -> dict[str, Any]:
    person_ids = family_person_ids(person) if family else [person.pk]
    records = (
        PersonRecord.objects.filter(person_id=person.pk)
        .select_related("agency")
        .order_by("agency__code", "record_id")
    )
    return {
        "person": person.public_id,
        "records": [[r.agency.code, r.record_id] for r in records],
        **({"family": [f"p-{pk}" for pk in person_ids]} if family else {}),
        "events": [event_json(e) for e in events_of(person_ids)],
        "told": told_json(person_ids),
    }


def told_json(person_ids: list[int]) -> list[dict[str, Any]]:
    """Who Kinsight told, and when, of urgent alerts about these persons or of their attending
    unscheduled care while on a plan (kinsight/connect/notify.py)."""
    from kinsight.connect.models import Notification

    sent = Notification.objects.filter(person_id__in=person_ids, sent_at__isnull=False)
    return [
        {
            "agency": n.agency_code,
            "at": format_moment(n.sent_at),
            "channel": n.channel,
            "reason": n.reason,
            "alert": n.alert_id,
        }  # fmt: skip
        for n in sent.order_by("sent_at", "agency_code", "channel")
        if n.sent_at is not None
    ]


def event_json(event: Event) -> dict[str, Any]:
    """An event as the API and `kinsight chronology --json` give it; an entry withheld from the
    reader (`kinsight.access.sensitive.screen`) says so in `restricted` and `ask`."""
    restricted = getattr(event, "restricted", None)
    people = {
        row.ref: (f"p-{row.record.person_id}" if row.record and row.record.person_id else None)
        for row in event.subject_rows.all()
    }
    return {
        "agency": event.agency.code,
        "id": event.event_id,
        "type": event.type,
        "occurred_at": format_moment(event.occurred_at),
        "recorded_at": format_moment(event.recorded_at),
        "subjects": [
            {"ref": s["ref"], "role": s.get("role", ""), "person": people.get(s["ref"])}
            for s in event.subjects
        ],
        "summary": event.summary,
        "shared_with": event.shared_with,
        "indicators": [i.as_json() for i in sorted(event.indicators.all(), key=_by_start)],
        **({"restricted": restricted, "ask": getattr(event, "ask", "")} if restricted else {}),
    }


def _by_start(indicator: Indicator) -> tuple[int, int]:
    return (indicator.start, indicator.end)

"""Which persons an ingest touched, so that only their alerts are evaluated again."""

from __future__ import annotations

from datetime import datetime

from kinsight.chronology.models import Event, EventSubject, Retraction
from kinsight.chronology.queries import related_person_ids
from kinsight.people.models import PersonRecord, Relationship

# Past this many, evaluating everyone is cheaper than listing whom to evaluate.
EVERYONE = 20_000


def persons_touched_since(moment: datetime) -> set[int] | None:
    """The persons with anything received since `moment`, and their family two steps out
    (a parent's new partner reaches the children; a father's incident reaches a half-sibling).

    None means "so many that everyone should be evaluated".
    """
    touched: set[int] = set()
    events = Event.objects.filter(received_at__gte=moment)
    for retraction in Retraction.objects.filter(received_at__gte=moment).values_list(
        "agency_id", "target_kind", "target_id"
    ):
        agency_id, kind, target = retraction
        if kind == "event":
            events = events | Event.objects.filter(agency_id=agency_id, event_id=target)
        else:
            touched.update(
                PersonRecord.objects.filter(agency_id=agency_id, record_id=target)
                .exclude(person=None)
                .values_list("person_id", flat=True)
            )
        if len(touched) > EVERYONE:
            return None
    touched.update(
        EventSubject.objects.filter(event__in=events.values("pk"), record__person__isnull=False)
        .values_list("record__person_id", flat=True)
        .distinct()
    )
    touched.update(
        PersonRecord.objects.filter(received_at__gte=moment, person__isnull=False)
        .values_list("person_id", flat=True)
        .distinct()
    )
    for a, b in Relationship.objects.filter(received_at__gte=moment).values_list(
        "person_record__person_id", "relative_record__person_id"
    ):
        touched.update(x for x in (a, b) if x is not None)
    frontier = set(touched)
    for _ in range(2):
        if len(touched) > EVERYONE:
            return None
        frontier = related_person_ids(frontier) - touched
        touched |= frontier
    return None if len(touched) > EVERYONE else touched

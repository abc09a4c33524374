"""Which persons an ingest touched, so that only their alerts are evaluated again.

The ingest says what it wrote (`Touched`: the person records and events, by id) rather than
the store being searched for what arrived since a moment: a search by `received_at` would read
the whole store for one new line. Widening from these persons to the children whose household
they belong to happens once, in `kinsight.rules.household.HouseholdGraph`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kinsight.chronology.models import EventSubject
from kinsight.people.models import PersonRecord

# Past this many persons touched, evaluating everyone is cheaper than listing whom to evaluate
# (each touched person reaches about four more through the family).
EVERYONE = 5_000
# Past this many ids, stop keeping them: a bulk ingest evaluates everyone anyway.
KEEP = 200_000


@dataclass
class Touched:
    """The person records and events one ingest wrote, changed or withdrew."""

    records: set[int] = field(default_factory=set)
    events: set[int] = field(default_factory=set)
    # True when there were too many to keep: everyone is evaluated, every event looked at.
    too_many_records: bool = False
    too_many_events: bool = False
    # False while the ingest wrote only new events: then no one's household changed shape (a
    # new household change adds links to the persons it names only), and a child whose
    # household holds no touched person has nothing new to be judged on.
    households_changed: bool = False

    def add_records(self, ids: Iterable[int | None]) -> None:
        if self.too_many_records:
            return
        self.records.update(i for i in ids if i is not None)
        if len(self.records) > KEEP:
            self.too_many_records, self.records = True, set()

    def add_events(self, ids: Iterable[int]) -> None:
        if self.too_many_events:
            return
        self.events.update(ids)
        if len(self.events) > KEEP:
            self.too_many_events, self.events = True, set()

    def merge(self, other: Touched) -> None:
        """Add what another process's ingest wrote (kinsight/feeds/parallel.py)."""
        self.too_many_records |= other.too_many_records
        self.too_many_events |= other.too_many_events
        self.households_changed |= other.households_changed
        self.add_records(other.records)
        self.add_events(other.events)
        if self.too_many_records:
            self.records = set()
        if self.too_many_events:
            self.events = set()

    def add_event_subjects(self, event_ids: list[int]) -> None:
        """The records named by these stored events (before they are changed or withdrawn)."""
        for start in range(0, len(event_ids), 2000):
            self.add_records(
                EventSubject.objects.filter(event_id__in=event_ids[start : start + 2000])
                .exclude(record=None)
                .values_list("record_id", flat=True)
            )


def persons_touched(touched: Touched) -> set[int] | None:
    """The persons whose records, relationships or events the ingest wrote (read after linking,
    so a record joined to a person counts for that person). None means "evaluate everyone"."""
    if touched.too_many_records:
        return None
    ids = sorted(touched.records)
    persons: set[int] = set()
    for start in range(0, len(ids), 2000):
        persons.update(
            PersonRecord.objects.filter(pk__in=ids[start : start + 2000], person__isnull=False)
            .values_list("person_id", flat=True)
            .distinct()
        )
        if len(persons) > EVERYONE:
            return None
    return persons

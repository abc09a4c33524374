"""What a rule sees about one child: the child's events and findings, each with when it was known.

A rule never looks at "now". It looks at facts that carry their own `recorded_at`, and an alert it
raises names the moment its evidence was complete: this is how "no hindsight" holds by
construction rather than by replaying the clock minute by minute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from kinsight.chronology.models import Event, EventSubject, Indicator
from kinsight.feeds.models import Agency
from kinsight.lib.moments import partial_date_start
from kinsight.people.models import PersonRecord

CHILD_ROLES = {"child", "subject", "victim", "child_present"}


@dataclass(frozen=True)
class Finding:
    """An indicator read from an event's summary."""

    indicator: str
    text: str
    negated: bool
    hypothetical: bool
    historical: bool
    uncertain: bool
    experiencer: str
    subject_ref: str

    @property
    def present(self) -> bool:
        return not self.negated and not self.hypothetical


@dataclass
class Fact:
    """One event as a rule reads it."""

    key: tuple[str, str]  # (agency code, event id): how evidence is named
    agency_sector: str
    type: str
    occurred_at: datetime
    recorded_at: datetime
    retracted_at: datetime | None
    details: dict[str, Any]
    summary: str
    shared_with: list[str]
    role: str  # the child's role in the event ("" when the event is about the household)
    findings: list[Finding] = field(default_factory=list)

    def found(self, *indicators: str) -> list[Finding]:
        """Present findings of these indicators that the text says are about a child."""
        return [
            f
            for f in self.findings
            if f.indicator in indicators and f.present and f.experiencer == "child"
        ]


@dataclass
class ChildContext:
    person_id: int
    records: list[tuple[str, str]]
    birth_date: date | None
    expected_birth_date: date | None
    facts: list[Fact]
    # Deadlines that fall due after this moment have not passed yet.
    as_of: datetime

    def age_in_days(self, moment: datetime) -> int | None:
        if self.birth_date is None:
            return None
        return (moment.date() - self.birth_date).days

    def is_unborn_at(self, moment: datetime) -> bool:
        if self.birth_date is not None:
            return moment.date() < self.birth_date
        return self.expected_birth_date is not None

    def is_child_at(self, moment: datetime) -> bool:
        if self.is_unborn_at(moment):
            return True
        age = self.age_in_days(moment)
        return age is not None and age < 18 * 365.25

    def known(self, facts: list[Fact], by: datetime) -> list[Fact]:
        """The facts recorded by a moment and not yet withdrawn then."""
        return [
            f
            for f in facts
            if f.recorded_at <= by and (f.retracted_at is None or f.retracted_at > by)
        ]


# Above this many persons, reading everyone and skipping the rest is quicker than an IN list.
FILTER_LIMIT = 20_000


def child_contexts(
    as_of: datetime, person_ids: Iterable[int] | None = None
) -> Iterator[ChildContext]:
    """Every person with a birth date or an expected one (or those of `person_ids` only), with the
    events they are a subject of."""
    wanted_people = None if person_ids is None else set(person_ids)
    sectors = dict(Agency.objects.values_list("pk", "sector"))
    codes = dict(Agency.objects.values_list("pk", "code"))
    people: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"records": [], "birth": None, "expected": None}
    )
    records = PersonRecord.objects.filter(person__isnull=False, retracted_at__isnull=True)
    if wanted_people is not None and len(wanted_people) <= FILTER_LIMIT:
        records = records.filter(person_id__in=wanted_people)
    for pid, agency_id, rid, birth, expected in records.values_list(
        "person_id", "agency_id", "record_id", "birth_date", "expected_birth_date"
    ).order_by("person_id", "pk"):
        person = people[pid]
        person["records"].append((codes[agency_id], rid))
        start = partial_date_start(birth) if birth else None
        if start is not None and (person["birth"] is None or len(birth) == 10):
            person["birth"] = start
        if expected is not None:
            person["expected"] = expected
    children = {
        pid: p
        for pid, p in people.items()
        if (p["birth"] or p["expected"]) and (wanted_people is None or pid in wanted_people)
    }
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for event_id, pid, role in EventSubject.objects.filter(
        record__person_id__in=list(children)
    ).values_list("event_id", "record__person_id", "role"):
        roles[pid][event_id] = role
    wanted = {eid for by_event in roles.values() for eid in by_event}
    facts = _facts(wanted, sectors, codes)
    for pid in sorted(children):
        person = children[pid]
        # A record withdrawn from its own start (entered in error) was never knowable.
        own = [
            replace(facts[eid], role=role)
            for eid, role in roles[pid].items()
            if eid in facts and _knowable(facts[eid])
        ]
        own.sort(key=lambda f: (f.recorded_at, f.key))
        yield ChildContext(
            pid, sorted(person["records"]), person["birth"], person["expected"], own, as_of
        )


def _knowable(fact: Fact) -> bool:
    return fact.retracted_at is None or fact.retracted_at > fact.recorded_at


def _facts(event_ids: set[int], sectors: dict[int, str], codes: dict[int, str]) -> dict[int, Fact]:
    found: dict[int, Fact] = {}
    ids = sorted(event_ids)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for e in Event.objects.filter(pk__in=chunk).only(
            "pk", "agency_id", "event_id", "type", "occurred_at", "recorded_at", "retracted_at",
            "details", "summary", "shared_with",
        ):  # fmt: skip
            found[e.pk] = Fact(
                key=(codes[e.agency_id], e.event_id),
                agency_sector=sectors[e.agency_id],
                type=e.type,
                occurred_at=e.occurred_at,
                recorded_at=e.recorded_at,
                retracted_at=e.retracted_at,
                details=e.details,
                summary=e.summary,
                shared_with=e.shared_with,
                role="",
            )
        for i in Indicator.objects.filter(event_id__in=chunk):
            found[i.event_id].findings.append(
                Finding(
                    i.indicator,
                    i.text,
                    i.negated,
                    i.hypothetical,
                    i.historical,
                    i.uncertain,
                    i.experiencer,
                    i.subject_ref,
                )  # fmt: skip
            )
    return found

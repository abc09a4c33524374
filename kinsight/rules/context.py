"""What a rule sees about one child: the child's events and findings, each with when it was known.

A rule never looks at "now". It looks at facts that carry their own `recorded_at`, and an alert it
raises names the moment its evidence was complete: this is how "no hindsight" holds by
construction rather than by replaying the clock minute by minute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeVar

from kinsight.chronology.models import EventSubject
from kinsight.lib.moments import partial_date_start
from kinsight.lib.rows import decoded, flag, moment, select, select_in
from kinsight.people.models import PersonRecord
from kinsight.rules.household import (
    EPOCH,
    HALF_SIBLING,
    HOUSEHOLD_RELATIONS,
    SIBLING,
    Link,
    Reads,
    household_graph,
)

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
    # For a fact about a household member: that person's id (and `role` is their role).
    person: int | None = None

    def found(self, *indicators: str) -> list[Finding]:
        """Present findings of these indicators that the text says are about a child."""
        return [
            f
            for f in self.findings
            if f.indicator in indicators and f.present and f.experiencer == "child"
        ]


@dataclass
class Member:
    """A person connected to the child (household.py): how, since when, and what is recorded.

    `links` may hold several connections (father by a relationship, and at the same address);
    `facts` are the events this person is a subject of, each with the person's `role`.
    """

    person_id: int
    records: list[tuple[str, str]]
    sex: str
    birth_date: date | None
    links: list[Link]
    facts: list[Fact] = field(default_factory=list)
    # Worked out at the first ask (`in_household_at`): the first moment an open-ended household
    # link was known, and the household links with a start or an end, asked one by one.
    _household: tuple[datetime | None, list[Link]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def known_at(self) -> datetime:
        """When the first connection to the child was recorded."""
        return min(link.known_at for link in self.links)

    def links_at(self, moment: datetime, relations: Iterable[str] | None = None) -> list[Link]:
        """The connections that hold at `moment`, of these relations (default: any)."""
        if relations is None:
            return [link for link in self.links if link.holds_at(moment)]
        wanted = relations if isinstance(relations, frozenset | set) else set(relations)
        return [link for link in self.links if link.relation in wanted and link.holds_at(moment)]

    def relations_at(self, moment: datetime) -> set[str]:
        return {link.relation for link in self.links_at(moment)}

    def in_household_at(self, moment: datetime) -> bool:
        # Rules ask this of every member at the moment of every event: most household links
        # have no start or end, and then only the first one known matters.
        if self._household is None:
            held = [link for link in self.links if link.relation in HOUSEHOLD_RELATIONS]
            open_ended = [link.known_at for link in held if link.start is None and link.end is None]
            bounded = [link for link in held if link.start is not None or link.end is not None]
            self._household = (min(open_ended) if open_ended else None, bounded)
        first, bounded = self._household
        if first is not None and first <= moment:
            return True
        return any(link.holds_at(moment) for link in bounded)

    def known_in_household_since(self, relations: Iterable[str] = HOUSEHOLD_RELATIONS) -> datetime:
        """When a connection of these relations was first recorded (EPOCH.max when never)."""
        wanted = set(relations)
        moments = [link.known_at for link in self.links if link.relation in wanted]
        return min(moments) if moments else datetime.max.replace(tzinfo=EPOCH.tzinfo)

    def is_adult_at(self, moment: datetime) -> bool:
        """18 or over; without a birth date, anyone but a sibling is taken to be an adult."""
        if self.birth_date is not None:
            return (moment.date() - self.birth_date).days >= 18 * 365.25
        return not self.relations_at(moment) <= {SIBLING, HALF_SIBLING}

    @property
    def is_male(self) -> bool:
        return self.sex == "male" or any(link.relation == "father" for link in self.links)


_T = TypeVar("_T")


@dataclass
class ChildContext:
    person_id: int
    records: list[tuple[str, str]]
    birth_date: date | None
    expected_birth_date: date | None
    facts: list[Fact]
    # Deadlines that fall due after this moment have not passed yet.
    as_of: datetime
    sex: str = ""
    # The people connected to the child (household.py): household members, parents living
    # elsewhere, siblings and half-siblings in other households, each with its links.
    household: list[Member] = field(default_factory=list)
    # Every member's facts in one list, by (recorded_at, key): one fact per event and member,
    # `person` naming the member and `role` their role. An event naming the child and a member
    # is both in `facts` (the child's role) and here (the member's).
    household_facts: list[Fact] = field(default_factory=list)
    _members: dict[int, Member] | None = field(default=None, repr=False, compare=False)
    # The record histories of the children judged with this one (gaps.RecordHistories), read
    # together at the first ask.
    histories: Any = field(default=None, repr=False, compare=False)
    # What the rules work out once for this child and ask again (its injuries, sightings, case
    # facts...): kept with the context, so it lives as long as one evaluation of the child.
    _remembered: dict[Hashable, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def remember(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """`make()`, worked out at the first ask for `key` and kept for the later ones."""
        if key not in self._remembered:
            self._remembered[key] = make()
        found: _T = self._remembered[key]
        return found

    def age_in_days(self, moment: datetime) -> int | None:
        if self.birth_date is None:
            return None
        return (moment.date() - self.birth_date).days

    def is_unborn_at(self, moment: datetime) -> bool:
        if self.birth_date is not None:
            return moment.date() < self.birth_date
        return self.expected_birth_date is not None

    def is_child_at(self, moment: datetime) -> bool:
        # Unborn, or under 18: asked of most facts by most rules, so without the calls to
        # `is_unborn_at` and `age_in_days` it would make.
        born = self.birth_date
        if born is None:
            return self.expected_birth_date is not None
        day = moment.date()
        return day < born or (day - born).days < 18 * 365.25

    def known(self, facts: list[Fact], by: datetime) -> list[Fact]:
        """The facts recorded by a moment and not yet withdrawn then."""
        return [
            f
            for f in facts
            if f.recorded_at <= by and (f.retracted_at is None or f.retracted_at > by)
        ]

    def member(self, person_id: int) -> Member | None:
        if self._members is None:
            self._members = {m.person_id: m for m in self.household}
        return self._members.get(person_id)

    def members_at(
        self, moment: datetime, relations: Iterable[str] = HOUSEHOLD_RELATIONS
    ) -> list[Member]:
        """The people connected to the child by one of these relations, as known at `moment`."""
        return [m for m in self.household if m.links_at(moment, relations)]

    def household_facts_at(
        self, moment: datetime, relations: Iterable[str] = HOUSEHOLD_RELATIONS
    ) -> list[Fact]:
        """Facts about people who were, at `moment`, connected to the child by these relations.

        Only facts known at `moment`; a member's connection must be known by then too.
        """
        people = {m.person_id for m in self.members_at(moment, relations)}
        return [f for f in self.known(self.household_facts, by=moment) if f.person in people]


def child_contexts(
    as_of: datetime, person_ids: Iterable[int] | None = None, *, households_changed: bool = True
) -> Iterator[ChildContext]:
    """Every child (a person with a birth date or an expected one), with the events they are a
    subject of and their household.

    With `person_ids`, only the children those persons concern: the persons themselves when
    they are children, and the children they are connected to. With `households_changed`
    False (only new events about `person_ids` were written, so no link changed), only the
    children who are one of them or have one of them in their household.
    """
    sectors, codes = {}, {}
    for pk, sector, code in select("SELECT id, sector, code FROM feeds_agency"):
        sectors[pk], codes[pk] = sector, code
    touched = None if person_ids is None else set(person_ids)
    graph = household_graph(touched)
    reads = None if touched is None else graph.reads
    people = _people(None if touched is None else graph.persons, codes, reads)
    children = {pid for pid, p in people.items() if p["birth"] or p["expected"]}
    if touched is not None:
        children &= graph.persons
    links = graph.links(children)
    if touched is not None and not households_changed:
        children = {
            c for c in children
            if c in touched or any(link.person_id in touched for link in links.get(c, []))
        }  # fmt: skip
    cache: dict[int, Fact] = {}
    ordered = _by_family(children, links)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        yield from _batch(batch, links, people, as_of, sectors, codes, cache, reads)


def _by_family(children: set[int], links: dict[int, list[Link]]) -> list[int]:
    """The children in an order that keeps connected people together, so that a batch reads
    most of its members' events once."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for child in children:
        for link in links.get(child, []):
            a, b = root(child), root(link.person_id)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return sorted(children, key=lambda c: (root(c), c))


# Children judged together: judging every child of a million-event store peaked at 740 MiB with
# 5,000, 577 with 2,000 and 522 with 1,000, each step about 2% slower (bench/alerts_everyone.py).
# The first load of such a store is judged inside the ingest, which must stay under 1 GiB.
BATCH = 1000


def _people(
    person_ids: set[int] | None, codes: dict[int, str], reads: Reads | None = None
) -> dict[int, dict[str, Any]]:
    people: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"records": [], "birth": None, "expected": None, "sex": ""}
    )
    rows: Iterable[tuple[Any, ...]]
    if person_ids is not None and reads is not None:
        # The records the household graph has read already (current ones only, as below).
        rows = [
            (pid, r.agency_id, r.record_id, r.birth_date, r.expected_birth_date, r.sex)
            for pid, records in sorted(reads.records(person_ids).items())
            for r in records
            if r.retracted_at is None
        ]
    else:
        records = PersonRecord.objects.filter(person__isnull=False, retracted_at__isnull=True)
        chunks: list[Any] = [records]
        if person_ids is not None:
            ids = sorted(person_ids)
            chunks = [
                records.filter(person_id__in=ids[i : i + 2000]) for i in range(0, len(ids), 2000)
            ]
        rows = (
            row
            for query in chunks
            for row in query.values_list(
                "person_id", "agency_id", "record_id", "birth_date", "expected_birth_date", "sex"
            ).order_by("person_id", "pk")
        )
    for pid, group in groupby(rows, key=itemgetter(0)):
        person = people[pid]
        # Each person's records in one order, whatever order they arrived in: where they
        # disagree (two full birth dates), the same feeds give the same answer.
        for _, agency_id, rid, birth, expected, sex in sorted(
            group, key=lambda row: (codes[row[1]], row[2])
        ):
            person["records"].append((codes[agency_id], rid))
            start = partial_date_start(birth) if birth else None
            if start is not None and (person["birth"] is None or len(birth) == 10):
                person["birth"] = start
            if expected is not None:
                person["expected"] = expected
            if sex and not person["sex"]:
                person["sex"] = sex
    return dict(people)


def _batch(
    batch: list[int], links: dict[int, list[Link]], people: dict[int, dict[str, Any]],
    as_of: datetime, sectors: dict[int, str], codes: dict[int, str], cache: dict[int, Fact],
    reads: Reads | None = None,
) -> Iterator[ChildContext]:  # fmt: skip
    members = {link.person_id for child in batch for link in links.get(child, [])}
    missing = members - set(people)
    if missing:
        people.update(_people(missing, codes, reads))
    roles = _roles(set(batch) | members) if reads is None else reads.roles(set(batch) | members)
    wanted = {eid for pid in (*batch, *members) for eid in roles.get(pid, {})}
    # Events read for the previous batch are kept for this one: a family cut by a batch
    # boundary is read once.
    facts = {eid: cache[eid] for eid in wanted if eid in cache}
    facts.update(_facts(wanted - set(facts), sectors, codes))
    cache.clear()
    cache.update(facts)
    from kinsight.rules.gaps import RecordHistories

    histories = RecordHistories({pid: people[pid]["records"] for pid in batch})
    # One Fact per (event, member), shared by the member's children in this batch.
    member_facts: dict[int, list[Fact]] = {}
    for pid in members:
        own = [
            fact_as(facts[eid], role, pid)
            for eid, role in roles.get(pid, {}).items()
            if eid in facts and _knowable(facts[eid])
        ]
        own.sort(key=lambda f: (f.recorded_at, f.key))
        member_facts[pid] = own
    for pid in batch:
        person = people[pid]
        # A record withdrawn from its own start (entered in error) was never knowable.
        own = [
            fact_as(facts[eid], role, None)
            for eid, role in roles.get(pid, {}).items()
            if eid in facts and _knowable(facts[eid])
        ]
        own.sort(key=lambda f: (f.recorded_at, f.key))
        by_member: dict[int, list[Link]] = defaultdict(list)
        for link in links.get(pid, []):
            if link.person_id != pid:
                by_member[link.person_id].append(link)
        household = [
            Member(
                m,
                sorted(people.get(m, {}).get("records", [])),
                people.get(m, {}).get("sex", ""),
                people.get(m, {}).get("birth"),
                sorted(found, key=lambda link: (link.known_at, link.relation)),
                member_facts.get(m, []),
            )
            for m, found in sorted(by_member.items())
        ]
        household_facts = sorted(
            (f for m in household for f in m.facts), key=lambda f: (f.recorded_at, f.key)
        )
        yield ChildContext(
            pid, sorted(person["records"]), person["birth"], person["expected"], own, as_of,
            sex=person["sex"], household=household, household_facts=household_facts,
            histories=histories,
        )  # fmt: skip


def _roles(person_ids: set[int]) -> dict[int, dict[int, str]]:
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    ids = sorted(person_ids)
    for i in range(0, len(ids), 2000):
        for event_id, pid, role in EventSubject.objects.filter(
            record__person_id__in=ids[i : i + 2000]
        ).values_list("event_id", "record__person_id", "role"):
            roles[pid][event_id] = role
    return roles


def fact_as(fact: Fact, role: str, person: int | None) -> Fact:
    """The fact as one person's: a shallow copy, five times cheaper than `dataclasses.replace`
    (a replay makes one for every event and person)."""
    mine = object.__new__(Fact)
    mine.__dict__.update(fact.__dict__)
    mine.role, mine.person = role, person
    return mine


def _knowable(fact: Fact) -> bool:
    return fact.retracted_at is None or fact.retracted_at > fact.recorded_at


def _facts(event_ids: set[int], sectors: dict[int, str], codes: dict[int, str]) -> dict[int, Fact]:
    found: dict[int, Fact] = {}
    ids = sorted(event_ids)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = select_in(
            "SELECT id, agency_id, event_id, type, occurred_at, recorded_at, retracted_at, "
            "details, summary, shared_with FROM chronology_event WHERE id {in}",
            chunk,
        )
        for pk, agency, ident, kind, occurred, recorded, retracted, *text in rows:
            details, summary, shared = text
            found[pk] = Fact(
                key=(codes[agency], ident),
                agency_sector=sectors[agency],
                type=kind,
                occurred_at=moment(occurred),  # type: ignore[arg-type]
                recorded_at=moment(recorded),  # type: ignore[arg-type]
                retracted_at=moment(retracted),
                details=decoded(details),
                summary=summary,
                shared_with=decoded(shared),
                role="",
            )
        findings = select_in(
            "SELECT event_id, indicator, text, negated, hypothetical, historical, uncertain, "
            "experiencer, subject_ref FROM chronology_indicator WHERE event_id {in} "
            "ORDER BY event_id, id",
            chunk,
        )
        for eid, name, words, negated, hypothetical, historical, uncertain, who, ref in findings:
            found[eid].findings.append(
                Finding(
                    name,
                    words,
                    flag(negated),
                    flag(hypothetical),
                    flag(historical),
                    flag(uncertain),
                    who,
                    ref,
                )  # fmt: skip
            )
    return found
